"""Reporters are told what came of their reports, and a reporter who is mostly wrong weighs less."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from fake_model import FakeModel
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.decisions import decide
from moderation.domain.reports import file_report
from moderation.domain.scoring import score_pending
from moderation.models import Comment, Report, Site, SiteMember, User, WebhookDelivery

CIVIL = "I disagree with the council, but the reporting is fair."


@pytest.fixture
def hooked(make_site):
    return make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")


def published(site_id: int, n: int, text: str = CIVIL) -> int:
    site = db.session.get(Site, site_id)
    comment_id = submit_comment(db.session, site, CommentInput(
        external_id=f"c{n}", story_id="s", author_id=f"author-{n}", text=text)).comment.id
    score_pending(db.session, FakeModel, [comment_id], batch_size=10)
    return comment_id


def report(site_id: int, comment_id: int, reporter_id: str | None, reason: str = "harassment") -> Report:
    filing = file_report(db.session, db.session.get(Site, site_id), comment_id, reason=reason, reporter_id=reporter_id)
    db.session.commit()
    return filing.report


def moderate(comment_id: int, user_id: int, action: str) -> None:
    """A moderator of the comment's site decides it."""
    comment = db.session.get(Comment, comment_id)
    db.session.refresh(comment)
    db.session.merge(SiteMember(user_id=user_id, site_id=comment.site_id))
    db.session.commit()
    decide(db.session, comment_id, user=db.session.get(User, user_id), action=action,
           reason="Harassment" if action == "reject" else None, expected_version=comment.version)


def test_reports_are_upheld_when_the_comment_is_rejected_and_the_site_is_told(app, hooked, moderator):
    with app.app_context():
        comment_id = published(hooked.id, 1, "You idiot.")  # held by the model
        first, second = report(hooked.id, comment_id, "r1"), report(hooked.id, comment_id, "r2", "uncivil")
        moderate(comment_id, moderator.id, "reject")
        db.session.expire_all()
        assert {r.outcome for r in db.session.scalars(select(Report))} == {"upheld"}
        assert all(r.resolved_at is not None for r in db.session.scalars(select(Report)))
        events = [d.event for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
                  if d.event["type"] == "report.resolved"]
    assert [(e["report_id"], e["reporter_id"], e["comment_id"], e["outcome"]) for e in events] == [
        (first.id, "r1", comment_id, "upheld"), (second.id, "r2", comment_id, "upheld")]
    # The site's own id too: a site that never kept ours had to look the comment up (an integrator's walk).
    with app.app_context():
        external = db.session.get(Comment, comment_id).external_id
    assert {e["site_comment_id"] for e in events} == {external}


def test_reports_are_dismissed_when_the_comment_is_approved(app, hooked, moderator):
    with app.app_context():
        comment_id = published(hooked.id, 1)
        report(hooked.id, comment_id, "r1")  # harassment weighs 2: two readers hold the comment
        report(hooked.id, comment_id, "r2")
        assert db.session.get(Comment, comment_id).status == "held"
        moderate(comment_id, moderator.id, "approve")
        db.session.expire_all()
        assert db.session.scalars(select(Report.outcome)).all() == ["dismissed", "dismissed"]
        resolved = [d.event for d in db.session.scalars(select(WebhookDelivery)) if d.event["type"] == "report.resolved"]
    assert sorted((e["reporter_id"], e["outcome"]) for e in resolved) == [("r1", "dismissed"), ("r2", "dismissed")]


def test_a_later_decision_resolves_only_the_reports_still_open(app, site, moderator):
    with app.app_context():
        comment_id = published(site.id, 1)
        report(site.id, comment_id, "early")
        moderate(comment_id, moderator.id, "approve")
        report(site.id, comment_id, "late-1", "hate")  # two readers reopen review after the approval
        report(site.id, comment_id, "late-2", "hate")
        assert db.session.get(Comment, comment_id).status == "held"
        moderate(comment_id, moderator.id, "reject")
        db.session.expire_all()
        outcomes = dict(db.session.execute(select(Report.reporter_id, Report.outcome)).all())
    assert outcomes == {"early": "dismissed", "late-1": "upheld", "late-2": "upheld"}


def test_a_reporter_whose_reports_are_mostly_dismissed_cannot_alone_hold_a_civil_comment(app, site, moderator):
    with app.app_context():
        # The brigadier reported three civil comments, and moderators approved each.
        for n in range(3):
            comment_id = published(site.id, n)
            report(site.id, comment_id, "brigadier")
            moderate(comment_id, moderator.id, "approve")
        target = published(site.id, 99)
        discounted = report(site.id, target, "brigadier")
        assert discounted.weight == pytest.approx(0.5)
        assert discounted.weight_reason == "harassment 2 × 0.25: 3 of 3 earlier reports dismissed"
        assert db.session.get(Comment, target).status == "published"
        # A reporter without a history still weighs the reason's full weight, and holds it.
        fresh = report(site.id, target, "newcomer")
        assert fresh.weight == 2.0 and fresh.weight_reason == "harassment 2: no earlier reports decided"
        assert db.session.get(Comment, target).status == "held"


def test_an_upheld_history_keeps_the_full_weight(app, site, moderator):
    with app.app_context():
        comment_id = published(site.id, 1, "You idiot.")
        report(site.id, comment_id, "careful")
        moderate(comment_id, moderator.id, "reject")
        assert report(site.id, published(site.id, 2), "careful", "uncivil").weight == 1.0


def test_the_discount_can_be_turned_off(app_with, site, moderator):
    app = app_with(REPORTER_WEIGHT_FLOOR=1.0)
    with app.app_context():
        for n in range(2):
            comment_id = published(site.id, n)
            report(site.id, comment_id, "brigadier")
            moderate(comment_id, moderator.id, "approve")
        assert report(site.id, published(site.id, 9), "brigadier").weight == 2.0


def test_a_record_on_another_site_does_not_count(app, site, outsider, moderator):
    with app.app_context():
        for n in range(3):
            comment_id = published(outsider.id, n)
            report(outsider.id, comment_id, "brigadier")
            moderate(comment_id, moderator.id, "approve")
        assert report(site.id, published(site.id, 9), "brigadier").weight == 2.0


def test_reports_upheld_on_comments_already_held_earn_no_trust(app, site, moderator):
    """A trust and safety walk: a reader made "trusted" for free by reporting three insults the model
    had already held, then hid a civil comment alone. Upheld reports on a shown comment earn it."""
    with app.app_context():
        for n in range(3):
            comment_id = published(site.id, n, "You idiot.")
            assert db.session.get(Comment, comment_id).status == "held"  # held by the model
            report(site.id, comment_id, "farmer")
            moderate(comment_id, moderator.id, "reject")
        civil = published(site.id, 10)
        farmed = report(site.id, civil, "farmer", "hate")
        assert farmed.weight_reason == "hate 2: 3 upheld on comments already held not counted, no earlier reports decided"
        assert db.session.get(Comment, civil).status == "published"  # one untried reader hides nothing

        # A report that found what the model had let through earns the trust.
        missed = published(site.id, 20, "You idiot.")
        db.session.get(Comment, missed).status = "published"
        db.session.commit()
        report(site.id, missed, "finder")
        moderate(missed, moderator.id, "reject")
        other = published(site.id, 21)
        report(site.id, other, "finder", "hate")
        assert db.session.get(Comment, other).status == "held"


def test_a_reader_the_site_banned_weighs_the_floor_and_is_trusted_no_more(app, site, moderator):
    """A T&S walk: a banned reader's reports kept full weight and trust, and one self-harm report of
    theirs put a civil comment above every held threat."""
    from moderation.domain.sanctions import sanction_author

    with app.app_context():
        missed = published(site.id, 1)
        report(site.id, missed, "finder")
        moderate(missed, moderator.id, "reject")  # a report that found something: trusted
        sanction_author(db.session, db.session.get(Site, site.id), "finder", "ban", reason="abusive reports",
                        by_user=None)
        db.session.commit()
        civil = published(site.id, 2)
        filed = report(site.id, civil, "finder", "hate")
        assert filed.weight == pytest.approx(0.5)
        assert filed.weight_reason == "hate 2 × 0.25: the reader is banned on this site"
        assert db.session.get(Comment, civil).status == "published"


def test_a_report_filed_before_scoring_earns_trust_if_the_model_let_the_comment_through(app, site, moderator):
    """A re-check: on a post-moderation site a reader's report on a shown, pending insult was the only
    signal, a moderator upheld it, and it never counted; one the model then held still does not."""
    from moderation.domain.comments import CommentInput, submit_comment

    with app.app_context():
        site_row = db.session.get(Site, site.id)
        missed = submit_comment(db.session, site_row, CommentInput(external_id="p1", story_id="s", author_id="a1",
                                                                   text="Nobody asked you, clown.")).comment.id
        held = submit_comment(db.session, site_row, CommentInput(external_id="p2", story_id="s", author_id="a2",
                                                                 text="You idiot.")).comment.id
        report(site.id, missed, "finder")
        report(site.id, held, "follower")
        score_pending(db.session, FakeModel, [missed, held], batch_size=10)
        assert [r.filed_on_status for r in db.session.scalars(select(Report).order_by(Report.id))] == [
            "published", "held"]
        moderate(missed, moderator.id, "reject")
        moderate(held, moderator.id, "reject")
        assert report(site.id, published(site.id, 30), "finder", "hate").weight_reason == (
            "hate 2 × 1: 0 of 1 earlier report dismissed")
        assert report(site.id, published(site.id, 31), "follower", "hate").weight_reason == (
            "hate 2: 1 upheld on comments already held not counted, no earlier reports decided")


def test_a_reader_banned_after_reporting_has_their_open_reports_weigh_the_floor(app, site, moderator):
    """A second re-check: the reader reported, then was banned, and their self-harm report kept a civil
    comment above every held threat."""
    from moderation.domain.sanctions import sanction_author

    with app.app_context():
        missed = published(site.id, 1)
        report(site.id, missed, "farmer")
        moderate(missed, moderator.id, "reject")  # trusted now
        civil = published(site.id, 2)
        filed = report(site.id, civil, "farmer", "self_harm")
        lifted = db.session.get(Comment, civil).priority
        sanction_author(db.session, db.session.get(Site, site.id), "farmer", "ban", reason="abusive reports",
                        by_user=None)
        db.session.expire_all()
        filed = db.session.get(Report, filed.id)
        assert filed.weight == pytest.approx(0.5)
        assert filed.weight_reason == "self_harm 2 × 0.25: the reader was banned on this site after reporting"
        assert db.session.get(Comment, civil).report_weight == pytest.approx(0.5)
        assert db.session.get(Comment, civil).priority < lifted
