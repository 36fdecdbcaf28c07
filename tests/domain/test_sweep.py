"""The sweep scores comments whose task was lost and resends webhooks left undelivered."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from fake_model import FakeModel
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.status import now
from moderation.domain.sweep import sweep
from moderation.models import Comment, Site, WebhookDelivery


def add_comment(site_id: int, external_id: str, age: float) -> int:
    data = CommentInput(external_id=external_id, story_id="s", author_id="a", text=f"comment {external_id}")
    comment_id = submit_comment(db.session, db.session.get(Site, site_id), data).comment.id
    db.session.execute(update(Comment).where(Comment.id == comment_id).values(received_at=now() - timedelta(seconds=age)))
    db.session.commit()
    return comment_id


def test_it_scores_comments_left_pending_too_long(app, site):
    with app.app_context():
        old = [add_comment(site.id, f"old{i}", age=120) for i in range(5)]
        result = sweep(db.session, FakeModel, pending_after=30, batch_size=2)
        assert result.scored == 5
        assert {db.session.get(Comment, i).status for i in old} == {"published"}


def test_it_leaves_recent_pending_comments_to_their_own_task(app, site):
    with app.app_context():
        fresh = add_comment(site.id, "fresh", age=0)
        assert sweep(db.session, FakeModel, pending_after=30, batch_size=10).scored == 0
        assert db.session.get(Comment, fresh).status == "pending"


def test_it_resends_webhooks_whose_task_was_lost_but_not_failed_or_waiting_ones(app, make_site):
    hooked = make_site("hooked", webhook_url="http://127.0.0.1:9/hook")
    long_ago = now() - timedelta(minutes=5)
    with app.app_context():
        comment_id = add_comment(hooked.id, "c", age=600)
        rows = {
            "lost": WebhookDelivery(created_at=long_ago),
            "recent": WebhookDelivery(),
            "delivered": WebhookDelivery(created_at=long_ago, delivered_at=long_ago),
            "failed": WebhookDelivery(created_at=long_ago, failed=True),
            "retry_due_later": WebhookDelivery(created_at=long_ago, next_attempt_at=now() + timedelta(minutes=1)),
        }
        for row in rows.values():
            row.site_id, row.comment_id, row.event = hooked.id, comment_id, {"type": "test"}
            db.session.add(row)
        db.session.commit()
        ids = {name: row.id for name, row in rows.items()}
        assert sweep(db.session, FakeModel, pending_after=3600, batch_size=10).webhooks_resent == 1
        resent = db.session.scalars(select(WebhookDelivery.id).where(WebhookDelivery.next_attempt_at.is_not(None),
                                                                      WebhookDelivery.id != ids["retry_due_later"]))
        assert list(resent) == [ids["lost"]]
        # Resent once: the next sweep, a moment later, leaves it to the task it just sent.
        assert sweep(db.session, FakeModel, pending_after=3600, batch_size=10).webhooks_resent == 0


def test_it_sends_a_retry_that_waited_hours_once_it_is_due_and_leaves_dead_letters_alone(app, make_site):
    # Waits longer than a task countdown have no task: the row's due time is all there is.
    hooked = make_site("hooked", webhook_url="http://127.0.0.1:9/hook")
    yesterday = now() - timedelta(days=1)
    with app.app_context():
        comment_id = add_comment(hooked.id, "c", age=600)
        rows = {
            "due": WebhookDelivery(created_at=yesterday, attempts=15, next_attempt_at=now() - timedelta(minutes=2)),
            "waiting": WebhookDelivery(created_at=yesterday, attempts=15, next_attempt_at=now() + timedelta(minutes=50)),
            "dead": WebhookDelivery(created_at=yesterday, attempts=21, failed=True, next_attempt_at=yesterday),
        }
        for row in rows.values():
            row.site_id, row.comment_id, row.event = hooked.id, comment_id, {"type": "test"}
            db.session.add(row)
        db.session.commit()
        due_id = rows["due"].id
        assert sweep(db.session, FakeModel, pending_after=3600, batch_size=10).webhooks_resent == 1
        assert db.session.get(WebhookDelivery, due_id).next_attempt_at > now() - timedelta(seconds=30)


def test_it_resends_each_sites_oldest_in_turn_so_a_flood_does_not_crowd_out_a_quiet_site(app, make_site, monkeypatch):
    """A re-check of turns: the sweep resent the 1,000 oldest of all sites, and a quiet site's few lost
    events waited about 3 minutes behind a flooded site's backlog."""
    import moderation.domain.sweep as sweeping

    monkeypatch.setattr(sweeping, "MAX_WEBHOOK_RESENDS", 4)
    loud, quiet = make_site("loud", webhook_url="http://127.0.0.1:9/a"), make_site("quiet", webhook_url="http://127.0.0.1:9/b")
    with app.app_context():
        comment_id = add_comment(loud.id, "c", age=600)
        for site, minutes in [(loud, m) for m in (20, 19, 18, 17, 16, 15)] + [(quiet, 5)]:
            db.session.add(WebhookDelivery(site_id=site.id, comment_id=comment_id, event={"type": "test"},
                                           created_at=now() - timedelta(minutes=minutes)))
        db.session.commit()
        assert sweep(db.session, FakeModel, pending_after=3600, batch_size=10).webhooks_resent == 4
        resent = db.session.scalars(select(WebhookDelivery.site_id).where(WebhookDelivery.next_attempt_at.is_not(None)))
        assert sorted(resent) == sorted([loud.id] * 3 + [quiet.id])
