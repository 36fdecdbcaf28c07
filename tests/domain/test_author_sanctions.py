"""Sanctions on authors: the scorer enforces them, they expire or are lifted, and the site is told."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from fake_model import FakeModel
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.errors import NotFound, ValidationFailed
from moderation.domain.sanctions import current_sanction, lift_sanction, sanction_author
from moderation.domain.scoring import score_pending
from moderation.domain.status import now
from moderation.models import AuditEntry, AuthorSanction, Comment, Site, User, WebhookDelivery

CIVIL = "Thanks for the careful reporting on the bridge."


@pytest.fixture
def hooked(make_site):
    return make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")


def post_and_score(site_id: int, author_id: str, text: str = CIVIL) -> Comment:
    site = db.session.get(Site, site_id)
    external_id = f"c{db.session.scalar(select(Comment.id).order_by(Comment.id.desc()).limit(1)) or 0}-{author_id}"
    comment_id = submit_comment(db.session, site, CommentInput(
        external_id=external_id, story_id="s", author_id=author_id, text=text)).comment.id
    score_pending(db.session, FakeModel, [comment_id], batch_size=10)
    db.session.expire_all()
    return db.session.get(Comment, comment_id)


def sanction(site_id: int, user_id: int, kind: str, **kwargs) -> AuthorSanction:
    return sanction_author(db.session, db.session.get(Site, site_id), kwargs.pop("author_id", "troll"), kind,
                           kwargs.pop("reason", "repeated insults"), db.session.get(User, user_id), **kwargs)


def test_a_banned_authors_next_comment_is_rejected_however_civil(app, site, moderator):
    with app.app_context():
        assert post_and_score(site.id, "troll").status == "published"
        sanction(site.id, moderator.id, "ban")
        comment = post_and_score(site.id, "troll")
        assert comment.status == "rejected" and "author_banned" in comment.flagged
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == comment.id)).one()
        assert entry.details["reason"] == "author banned"
        assert post_and_score(site.id, "someone-else").status == "published"


def test_a_ban_on_one_site_does_not_touch_the_same_author_id_elsewhere(app, site, outsider, moderator):
    with app.app_context():
        sanction(site.id, moderator.id, "ban")
        assert post_and_score(outsider.id, "troll").status == "published"


def test_a_suspension_rejects_until_it_expires(app, site, moderator):
    with app.app_context():
        suspension = sanction(site.id, moderator.id, "suspend", days=3)
        assert suspension.expires_at - suspension.created_at == timedelta(days=3)
        comment = post_and_score(site.id, "troll")
        assert comment.status == "rejected" and "author_suspended" in comment.flagged
        reason = db.session.scalars(select(AuditEntry.details).where(AuditEntry.comment_id == comment.id)).one()["reason"]
        assert reason == f"author suspended until {suspension.expires_at.isoformat()}"
        # Three days later (the clock moved by moving the expiry into the past).
        db.session.get(AuthorSanction, suspension.id).expires_at = now() - timedelta(seconds=1)
        db.session.commit()
        assert post_and_score(site.id, "troll").status == "published"
        assert current_sanction(db.session, site.id, "troll") is None


def test_pre_moderation_holds_even_a_civil_comment(app, site, moderator):
    with app.app_context():
        sanction(site.id, moderator.id, "premoderate")
        comment = post_and_score(site.id, "troll")
        assert comment.status == "held" and comment.flagged == ["author_premoderated"]


def test_lifting_a_sanction_restores_the_normal_policy(app, hooked, moderator, admin):
    with app.app_context():
        sanction(hooked.id, moderator.id, "ban")
        lifted = lift_sanction(db.session, db.session.get(Site, hooked.id), "troll", db.session.get(User, admin.id),
                               "appeal accepted")
        assert lifted.lifted_at is not None and lifted.lift_reason == "appeal accepted"
        assert post_and_score(hooked.id, "troll").status == "published"
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.comment_id.is_(None))
                                     .order_by(AuditEntry.id)).all()
        assert actions == ["author:sanctioned", "author:sanction_lifted"]
        with pytest.raises(NotFound):
            lift_sanction(db.session, db.session.get(Site, hooked.id), "troll", db.session.get(User, admin.id))


def test_the_site_is_told_of_sanctions_and_their_lifting_by_webhook(app, hooked, moderator):
    with app.app_context():
        sanction(hooked.id, moderator.id, "suspend", days=7, reason="spam links")
        lift_sanction(db.session, db.session.get(Site, hooked.id), "troll", db.session.get(User, moderator.id))
        events = [d.event for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))]
    assert [e["type"] for e in events] == ["author.sanctioned", "author.sanction_lifted"]
    assert events[0]["author_id"] == "troll"
    assert events[0]["sanction"]["kind"] == "suspend" and events[0]["sanction"]["reason"] == "spam links"
    assert events[0]["sanction"]["active"] is True and events[0]["sanction"]["expires_at"]
    assert events[1]["sanction"]["active"] is False and events[1]["sanction"]["lifted_at"]


def test_a_new_sanction_supersedes_the_one_in_force(app, site, moderator):
    with app.app_context():
        first = sanction(site.id, moderator.id, "premoderate")
        sanction(site.id, moderator.id, "ban", reason="threats")
        assert current_sanction(db.session, site.id, "troll").kind == "ban"
        assert db.session.get(AuthorSanction, first.id).lift_reason == "superseded by banned"
        assert post_and_score(site.id, "troll").status == "rejected"


def test_pre_moderation_for_good_waits_beneath_a_suspension_and_applies_when_it_ends(app, site, moderator):
    """A re-check: pre-moderated, then suspended for a day, the author was free to post a day later."""
    with app.app_context():
        first = sanction(site.id, moderator.id, "premoderate")
        sanction(site.id, moderator.id, "suspend", days=1, reason="raid")
        later = now() + timedelta(days=2)
        assert [current_sanction(db.session, site.id, "troll").kind,
                current_sanction(db.session, site.id, "troll", later).kind] == ["suspend", "premoderate"]
        assert db.session.get(AuthorSanction, first.id).lifted_at is None
        # A ban for good supersedes both ways: nothing weaker waits beneath a sanction that never ends.
        sanction(site.id, moderator.id, "ban", reason="threats")
        assert current_sanction(db.session, site.id, "troll", later).kind == "ban"
        assert db.session.get(AuthorSanction, first.id).lifted_at is None  # beneath the ban, which outlasts it


def test_a_bulk_pre_moderation_waiting_beneath_a_suspension_tells_the_site_when_it_applies(app, hooked, moderator):
    """Nothing is sent when the suspension ends and the pre-moderation beneath it applies, so its
    event says when: it had read `active: true` beside a suspension the site knew outranked it."""
    from moderation.domain.sanctions import sanction_in_bulk

    with app.app_context():
        comment = post_and_score(hooked.id, "troll")
        suspension = sanction(hooked.id, moderator.id, "suspend", days=1, reason="raid")
        _, _, deliveries = sanction_in_bulk(db.session, [comment], "premoderate", "raid",
                                            db.session.get(User, moderator.id))
        db.session.commit()
        assert len(deliveries) == 1 and deliveries[0].event["sanction"]["kind"] == "premoderate"
        assert deliveries[0].event["applies_from"] == suspension.expires_at.isoformat()
        lasting = sanction(hooked.id, moderator.id, "premoderate", author_id="someone-else")
        event = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id.desc())).first().event
        assert event["sanction"]["id"] == lasting.id and "applies_from" not in event  # in force now


@pytest.mark.parametrize("kind, kwargs, field", [
    ("mute", {}, "kind"),
    ("ban", {"reason": "  "}, "reason"),
    ("suspend", {}, "days"),
    ("suspend", {"days": 0}, "days"),
    ("ban", {"author_id": ""}, "author_id"),
])
def test_invalid_sanctions_are_refused_and_store_nothing(app, site, moderator, kind, kwargs, field):
    with app.app_context():
        with pytest.raises(ValidationFailed) as error:
            sanction(site.id, moderator.id, kind, **kwargs)
        assert error.value.field == field
        db.session.rollback()
        assert db.session.scalars(select(AuthorSanction)).all() == []


def test_two_moderators_sanctioning_at_once_leave_one_sanction_in_force(app, site, moderator, admin):
    import threading

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def apply(user_id: int, kind: str) -> None:
        try:
            with app.app_context():
                barrier.wait()
                sanction(site.id, user_id, kind, days=2 if kind == "suspend" else None)
                db.session.remove()
        except BaseException as error:  # reported below: a thread's exception would vanish
            errors.append(error)

    threads = [threading.Thread(target=apply, args=args) for args in ((moderator.id, "ban"), (admin.id, "suspend"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        rows = db.session.scalars(select(AuthorSanction)).all()
        assert len(rows) == 2
        assert len([r for r in rows if r.lifted_at is None]) == 1
