"""A moderator undoes their own decision for a while; an admin reverses any decision at any time."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from fake_model import FakeModel
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.decisions import decide
from moderation.domain.errors import NotFound, ValidationFailed
from moderation.domain.lifecycle import now
from moderation.domain.reports import file_report
from moderation.domain.scoring import score_pending
from moderation.domain.undo import UndoRefused, reverse_decision, undo_decision
from moderation.models import AuditEntry, Comment, LabelledExample, Report, Site, SiteMember, User, WebhookDelivery

WINDOW = timedelta(minutes=10)


@pytest.fixture
def hooked(make_site):
    return make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")


def scored(site_id: int, n: int, text: str) -> int:
    site = db.session.get(Site, site_id)
    comment_id = submit_comment(db.session, site, CommentInput(
        external_id=f"c{n}", story_id="s", author_id=f"author-{n}", text=text)).comment.id
    score_pending(db.session, FakeModel, [comment_id], batch_size=10)
    return comment_id


def held(site_id: int, n: int = 1) -> int:
    return scored(site_id, n, "You idiot.")


def moderate(comment_id: int, user_id: int, action: str) -> Comment:
    comment = db.session.get(Comment, comment_id)
    db.session.refresh(comment)
    db.session.merge(SiteMember(user_id=user_id, site_id=comment.site_id))
    db.session.commit()
    return decide(db.session, comment_id, user=db.session.get(User, user_id), action=action,
                  reason="Harassment" if action == "reject" else None, expected_version=comment.version)


def approved_then_reported(site_id: int, moderator_id: int) -> int:
    """A civil comment a moderator approved, then two untried readers reported."""
    comment_id = scored(site_id, 1, "A fair and civil point about the budget.")
    moderate(comment_id, moderator_id, "approve")
    for reporter in ("r8", "r9"):
        file_report(db.session, db.session.get(Site, site_id), comment_id, reason="hate", reporter_id=reporter)
    db.session.commit()
    return comment_id


def user(persona) -> User:
    return db.session.get(User, persona.id)


def version_of(comment_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Comment, comment_id).version


def events(comment_id: int, kind: str) -> list[dict]:
    return [d.event for d in db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.comment_id == comment_id).order_by(WebhookDelivery.id))
        if d.event["type"] == kind]


def test_undo_within_the_window_puts_the_comment_back_as_it_was(app, hooked, moderator):
    with app.app_context():
        comment_id = held(hooked.id)
        file_report(db.session, db.session.get(Site, hooked.id), comment_id, reason="harassment", reporter_id="r1")
        db.session.commit()
        decided = moderate(comment_id, moderator.id, "reject")
        assert decided.version == 3
        assert db.session.scalars(select(LabelledExample)).all() != []

        comment = undo_decision(db.session, comment_id, user=user(moderator), expected_version=3, window=WINDOW)

        db.session.expire_all()
        comment = db.session.get(Comment, comment_id)
        assert (comment.status, comment.version) == ("held", 4)
        assert (comment.decision, comment.decision_reason, comment.decided_by, comment.decided_at) == (None,) * 4
        # The label the decision taught is withdrawn, so retraining never learns it.
        assert db.session.scalars(select(LabelledExample)).all() == []
        report = db.session.scalars(select(Report)).one()
        assert (report.outcome, report.resolved_at) == (None, None)
        changes = events(comment_id, "comment.status_changed")
        assert [(e["previous_status"], e["comment"]["status"], e["version"]) for e in changes] == [
            ("pending", "held", 2), ("held", "rejected", 3), ("rejected", "held", 4)]
        assert changes[-1]["reversal"] is True
        assert changes[-1]["reversed_decision"]["action"] == "rejected"
        assert changes[-1]["reversed_decision"]["reason"] == "Harassment"
        assert changes[-1]["comment"]["decision"] is None
        assert changes[-1]["reversed_by"]["undo"] is True
        reopened = events(comment_id, "report.reopened")
        assert [(e["reporter_id"], e["previous_outcome"], e["report"]["outcome"]) for e in reopened] == [
            ("r1", "upheld", None)]
        # The order a site applies them in, by delivery_id (docs/api.md, Webhooks): resolved, then reopened.
        in_order = db.session.scalars(select(WebhookDelivery.event["type"].as_string()).where(
            WebhookDelivery.comment_id == comment_id, WebhookDelivery.event["type"].as_string().like("report.%"))
            .order_by(WebhookDelivery.id)).all()
        assert in_order == ["report.resolved", "report.reopened"]
        undone = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "decision:undone")).one()
        assert undone.actor == f"user:{moderator.username}"
        assert undone.details["restored_status"] == "held"
        assert undone.details["decision"] == "rejected"


def test_an_undone_comment_can_be_decided_again(app, site, moderator):
    with app.app_context():
        comment_id = held(site.id)
        moderate(comment_id, moderator.id, "reject")
        undo_decision(db.session, comment_id, user=user(moderator), expected_version=3, window=WINDOW)
        again = moderate(comment_id, moderator.id, "approve")
        assert (again.status, again.version) == ("approved", 5)
        labels = db.session.scalars(select(LabelledExample.labels)).all()
    assert labels == [{"toxicity": 0}]


def test_undo_returns_a_published_comment_to_published(app, site, moderator):
    with app.app_context():
        comment_id = scored(site.id, 1, "A fair and civil point about the budget.")
        assert db.session.get(Comment, comment_id).status == "published"
        moderate(comment_id, moderator.id, "reject")
        comment = undo_decision(db.session, comment_id, user=user(moderator), expected_version=3, window=WINDOW)
        assert comment.status == "published"


def test_undo_past_the_window_is_refused(app, site, moderator):
    with app.app_context():
        comment_id = held(site.id)
        moderate(comment_id, moderator.id, "reject")
        db.session.execute(update(Comment).where(Comment.id == comment_id)
                           .values(decided_at=now() - timedelta(minutes=11)))
        db.session.commit()
        with pytest.raises(UndoRefused, match="more than 10 minutes ago.*an admin can reverse it"):
            undo_decision(db.session, comment_id, user=user(moderator), expected_version=3, window=WINDOW)
        db.session.expire_all()
        comment = db.session.get(Comment, comment_id)
        assert (comment.status, comment.version, comment.decision) == ("rejected", 3, "rejected")
        assert db.session.scalars(select(LabelledExample)).all() != []


def test_another_moderators_decision_cannot_be_undone(app, site, moderator, make_moderator):
    other = make_moderator("otto", sites=[site])
    with app.app_context():
        comment_id = held(site.id)
        moderate(comment_id, moderator.id, "reject")
        with pytest.raises(UndoRefused, match=f"Only {moderator.username} can undo"):
            undo_decision(db.session, comment_id, user=user(other), expected_version=3, window=WINDOW)
        assert version_of(comment_id) == 3


def test_a_moderator_of_another_site_is_told_the_comment_does_not_exist(app, site, outsider, moderator,
                                                                        make_moderator):
    stranger = make_moderator("stan", sites=[outsider])
    with app.app_context():
        comment_id = held(site.id)
        moderate(comment_id, moderator.id, "reject")
        with pytest.raises(NotFound):
            undo_decision(db.session, comment_id, user=user(stranger), expected_version=3, window=WINDOW)
        with pytest.raises(NotFound):
            undo_decision(db.session, 999_999, user=user(moderator), expected_version=3, window=WINDOW)


def test_undo_is_refused_when_the_comment_changed_since(app, site, moderator):
    with app.app_context():
        # Reports filed after the approval send it back to review: the approval no longer stands alone.
        comment_id = approved_then_reported(site.id, moderator.id)
        assert db.session.get(Comment, comment_id).status == "held"
        with pytest.raises(UndoRefused, match="changed since that decision"):
            undo_decision(db.session, comment_id, user=user(moderator), expected_version=4, window=WINDOW)


def test_undo_with_a_stale_version_or_twice_is_refused(app, site, moderator):
    with app.app_context():
        comment_id = held(site.id)
        moderate(comment_id, moderator.id, "reject")
        with pytest.raises(UndoRefused, match="changed since"):
            undo_decision(db.session, comment_id, user=user(moderator), expected_version=2, window=WINDOW)
        undo_decision(db.session, comment_id, user=user(moderator), expected_version=3, window=WINDOW)
        with pytest.raises(UndoRefused, match="no decision to take back"):
            undo_decision(db.session, comment_id, user=user(moderator), expected_version=4, window=WINDOW)
        assert version_of(comment_id) == 4


def test_an_admin_reverses_any_decision_at_any_time_with_a_reason(app, hooked, moderator, admin):
    with app.app_context():
        comment_id = held(hooked.id)
        moderate(comment_id, moderator.id, "reject")
        db.session.execute(update(Comment).where(Comment.id == comment_id)
                           .values(decided_at=now() - timedelta(days=30)))
        db.session.commit()
        with pytest.raises(ValidationFailed, match="a reason is required"):
            reverse_decision(db.session, comment_id, user=user(admin), expected_version=3, reason="  ")

        comment = reverse_decision(db.session, comment_id, user=user(admin), expected_version=3,
                                   reason="satire, the author was quoting the mayor")

        assert (comment.status, comment.version, comment.decision) == ("held", 4, None)
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "decision:reversed")).one()
        assert (entry.actor, entry.details["reason"], entry.details["decided_by"]) == (
            f"user:{admin.username}", "satire, the author was quoting the mayor", moderator.username)
        event = events(comment_id, "comment.status_changed")[-1]
        assert event["reversal"] is True
        # Who and why reach the site, for the reader who appealed (a DSA walk: only the audit log had them).
        assert event["reversed_by"]["reason"] == "satire, the author was quoting the mayor"
        assert event["reversed_by"]["undo"] is False and event["reversed_by"]["moderator"]
        assert db.session.scalars(select(LabelledExample)).all() == []


def test_a_moderator_cannot_reverse(app, site, moderator):
    with app.app_context():
        comment_id = held(site.id)
        moderate(comment_id, moderator.id, "reject")
        with pytest.raises(UndoRefused, match="Only an admin"):
            reverse_decision(db.session, comment_id, user=user(moderator), expected_version=3, reason="mine")


def test_a_scorers_auto_rejection_is_not_a_decision_to_undo(app, site, admin):
    with app.app_context():
        db.session.execute(update(Site).where(Site.id == site.id)
                           .values(auto_reject=True, reject_thresholds={"toxicity": 0.5}))
        db.session.commit()
        comment_id = held(site.id)
        assert db.session.get(Comment, comment_id).status == "rejected"
        with pytest.raises(UndoRefused, match="no decision to take back"):
            reverse_decision(db.session, comment_id, user=user(admin), expected_version=2, reason="no")


def test_undoing_a_decision_on_a_comment_readers_sent_back_after_approval_shows_it_held_again(app, site, moderator):
    """Untried readers sent an approved comment back: held and still shown. A moderator rejected it and
    undid that: it was back in review, hidden, as if the readers' reports had hidden it."""
    from moderation.domain.lifecycle import is_visible

    with app.app_context():
        comment_id = approved_then_reported(site.id, moderator.id)
        sent_back = db.session.get(Comment, comment_id)
        assert (sent_back.status, is_visible(sent_back)) == ("held", True)
        rejected = moderate(comment_id, moderator.id, "reject")
        assert (rejected.status, is_visible(rejected), "reported_after_approval" in rejected.flagged) == (
            "rejected", False, False)

        undo_decision(db.session, comment_id, user=user(moderator), expected_version=rejected.version, window=WINDOW)

        db.session.expire_all()
        comment = db.session.get(Comment, comment_id)
        assert (comment.status, is_visible(comment), "reported_after_approval" in comment.flagged) == (
            "held", True, True)


def test_undoing_an_approval_hides_the_comment_when_its_reopened_reports_and_a_later_one_would(app, site, moderator):
    """One named reader's report left a civil comment shown and waiting; a moderator approved it, and
    a second reader reported it since. Undone, it is published again with two named readers' reports
    open, which hide a published comment: a helper's walk found it shown."""
    from moderation.domain.lifecycle import is_visible

    with app.app_context():
        comment_id = scored(site.id, 1, "A fair and civil point about the budget.")
        file_report(db.session, db.session.get(Site, site.id), comment_id, reason="hate", reporter_id="r1")
        db.session.commit()
        assert db.session.get(Comment, comment_id).status == "published"  # one untried reader does not hide it
        approved = moderate(comment_id, moderator.id, "approve")
        file_report(db.session, db.session.get(Site, site.id), comment_id, reason="hate", reporter_id="r2")
        db.session.commit()
        assert db.session.get(Comment, comment_id).status == "approved"  # one reader since the approval

        undo_decision(db.session, comment_id, user=user(moderator), expected_version=approved.version, window=WINDOW)

        db.session.expire_all()
        comment = db.session.get(Comment, comment_id)
        assert (comment.status, is_visible(comment), "reports" in comment.flagged) == ("held", False, True)
        assert [r.outcome for r in comment.reports] == [None, None]


def test_undoing_an_approval_back_to_held_and_shown_hides_it_when_a_trusted_readers_report_is_open(
        app, site, moderator):
    """Untried readers sent an approved comment back (held, shown); approved again, a reader whose
    reports were upheld reported it, too lightly to send it back. Undone, it was held and still shown,
    where that reader's report on the held comment hides it (a re-check)."""
    from moderation.domain.lifecycle import is_visible

    with app.app_context():
        earlier = scored(site.id, 7, "Go back where you came from.")  # shown: a report there finds something
        file_report(db.session, db.session.get(Site, site.id), earlier, reason="hate", reporter_id="trusted")
        db.session.commit()
        moderate(earlier, moderator.id, "reject")  # upholds the report: "trusted" is trusted now
        comment_id = approved_then_reported(site.id, moderator.id)
        approved = moderate(comment_id, moderator.id, "approve")
        file_report(db.session, db.session.get(Site, site.id), comment_id, reason="uncivil", reporter_id="trusted")
        db.session.commit()
        assert db.session.get(Comment, comment_id).status == "approved"

        undo_decision(db.session, comment_id, user=user(moderator), expected_version=approved.version, window=WINDOW)

        db.session.expire_all()
        comment = db.session.get(Comment, comment_id)
        assert (comment.status, is_visible(comment)) == ("held", False)


def test_a_decision_whose_text_retention_erased_is_not_taken_back(app, site, admin, moderator):
    """Undone, a rejection whose text was erased came back published and shown with nothing to read."""
    from moderation.domain.retention import erase_expired_texts

    with app.app_context():
        comment_id = held(site.id)
        rejected = moderate(comment_id, moderator.id, "reject")
        db.session.get(Site, site.id).retention_days = 0
        db.session.commit()
        assert erase_expired_texts(db.session, at=now() + timedelta(minutes=1)) == 1
        with pytest.raises(UndoRefused, match="text was erased on .* its decision stands"):
            undo_decision(db.session, comment_id, user=user(moderator), expected_version=rejected.version,
                          window=WINDOW)
        with pytest.raises(UndoRefused, match="text was erased"):
            reverse_decision(db.session, comment_id, user=user(admin), expected_version=rejected.version,
                             reason="appeal")
        db.session.expire_all()
        comment = db.session.get(Comment, comment_id)
        assert comment.status == "rejected"
        from moderation.domain.undo import can_reverse, can_undo  # no button for what would be refused
        assert not can_undo(comment, user(moderator), window=WINDOW) and not can_reverse(comment, user(admin))
