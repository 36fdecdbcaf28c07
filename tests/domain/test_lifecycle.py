"""One comment lifecycle: a status changes only along the transitions its kind of actor may make."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.lifecycle import (
    APPROVED,
    DECIDABLE,
    DECISION,
    HELD,
    PENDING,
    PUBLISHED,
    REJECTED,
    REPORT,
    SANCTION,
    SCORER,
    UNDO,
    TransitionRefused,
    can_change,
    change_status,
)
from moderation.domain.status_writes import BatchWrites
from moderation.models import AuditEntry, Comment, Site, WebhookDelivery


def new_comment(site_id: int, n: int = 1) -> Comment:
    data = CommentInput(external_id=f"c{n}", story_id="s", author_id="a", text="hello")
    return submit_comment(db.session, db.session.get(Site, site_id), data).comment


@pytest.mark.parametrize(("old", "new", "by"), [
    (PENDING, PUBLISHED, SCORER), (PENDING, HELD, SCORER), (PENDING, REJECTED, SCORER),
    (PENDING, HELD, SANCTION), (PENDING, REJECTED, SANCTION),
    (PUBLISHED, HELD, REPORT), (APPROVED, HELD, REPORT),
    (REJECTED, HELD, REPORT),  # only a reader at risk, of a rejection no person made (reports.file_report)
    (HELD, APPROVED, DECISION), (HELD, REJECTED, DECISION), (PUBLISHED, REJECTED, DECISION),
    (PENDING, APPROVED, DECISION),
    (REJECTED, HELD, UNDO), (APPROVED, PUBLISHED, UNDO), (REJECTED, PENDING, UNDO),
])
def test_the_table_allows_what_each_kind_of_actor_does(old, new, by):
    assert can_change(old, new, by=by)


@pytest.mark.parametrize(("old", "new", "by"), [
    (REJECTED, PUBLISHED, SCORER),   # the scorer never touches a decided comment
    (HELD, PUBLISHED, SCORER),
    (PENDING, PUBLISHED, SANCTION),  # a sanction only ever makes things stricter
    (REJECTED, PUBLISHED, REPORT),   # a report never shows what was rejected
    (APPROVED, REJECTED, DECISION),  # a decision is taken back by undo, not overwritten
    (REJECTED, APPROVED, DECISION),
    (HELD, PUBLISHED, UNDO),         # undo only takes back a decision
    (REJECTED, APPROVED, UNDO),
    (PENDING, PUBLISHED, "nobody"),
])
def test_the_table_refuses_everything_else(old, new, by):
    assert not can_change(old, new, by=by)


def test_a_refused_transition_raises_and_changes_nothing(app, make_site):
    hooked = make_site("hooked", webhook_url="http://127.0.0.1:9/hooks")
    with app.app_context():
        comment = new_comment(hooked.id)
        change_status(db.session, comment, REJECTED, actor="test", by=SCORER)
        db.session.commit()
        with pytest.raises(TransitionRefused, match="a scorer cannot move a comment from rejected to published"):
            change_status(db.session, comment, PUBLISHED, actor="test", by=SCORER)
        db.session.commit()
        db.session.expire_all()
        comment = db.session.get(Comment, comment.id)
        assert (comment.status, comment.version) == (REJECTED, 2)
        assert db.session.scalars(select(AuditEntry.action)).all() == ["status:pending->rejected"]
        assert len(db.session.scalars(select(WebhookDelivery)).all()) == 1


def test_decidable_statuses_come_from_the_table():
    assert set(DECIDABLE) == {PENDING, PUBLISHED, HELD}
    assert all(can_change(status, APPROVED, by=DECISION) for status in DECIDABLE)


def test_a_batchs_changes_written_together_are_the_same_rows_one_by_one_would_be(app, make_site):
    """BatchWrites (a scored batch) and the session (a moderator's change) leave the same audit
    entries and events, and the batch's events are rows the same session can go on to update, as
    the scoring task's own delivery does."""
    hooked = make_site("hooked", webhook_url="http://127.0.0.1:9/hooks")
    with app.app_context():
        one, two = new_comment(hooked.id, 1), new_comment(hooked.id, 2)
        writes = BatchWrites()
        events = [change_status(db.session, c, status, actor="system:scorer", by=SCORER, reason="model", writes=writes)
                  for c, status in ((one, HELD), (two, PUBLISHED))]
        writes.write(db.session)
        db.session.commit()
        events[0].attempts = 1
        db.session.commit()

        db.session.expire_all()
        audit = db.session.execute(select(AuditEntry.comment_id, AuditEntry.action, AuditEntry.details)
                                   .order_by(AuditEntry.id)).all()
        assert [tuple(row) for row in audit] == [(one.id, "status:pending->held", {"reason": "model"}),
                                                 (two.id, "status:pending->published", {"reason": "model"})]
        rows = {d.id: d for d in db.session.scalars(select(WebhookDelivery))}
        assert set(rows) == {e.id for e in events} and len(rows) == 2
        assert rows[events[0].id].event["comment"]["status"] == HELD and rows[events[0].id].attempts == 1
        assert rows[events[1].id].event["previous_status"] == PENDING and rows[events[1].id].delivered_at is None
