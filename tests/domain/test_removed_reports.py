"""Every reader's report gets an outcome: on a comment rejected with no person deciding it, filed
while it waited or after, the report is answered "removed" with its event; a moderator who sends
the rejection to review answers it again (a DSA walk: report 33 stayed open for ever, in no queue)."""
from __future__ import annotations

from sqlalchemy import select
from test_rules_in_scoring import model, post, row, score  # noqa: F401 - the model fixture

from moderation import db
from moderation.domain.decisions import decide
from moderation.domain.reports import file_report
from moderation.domain.undo import review_again
from moderation.models import Report, Site, SiteMember, User, WebhookDelivery


def _report_events(comment_id: int) -> list[tuple[str, int, str | None]]:
    return [(d.event["type"], d.event["report_id"], d.event.get("outcome") or d.event.get("previous_outcome"))
            for d in db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.comment_id == comment_id)
                                        .order_by(WebhookDelivery.id))
            if d.event["type"].startswith("report.")]


def _outcomes(comment_id: int) -> list[str | None]:
    db.session.expire_all()
    return [r.outcome for r in db.session.scalars(select(Report).where(Report.comment_id == comment_id)
                                                  .order_by(Report.id))]


def _auto_rejecting(app, make_site, name: str) -> int:
    """A site with a webhook that auto-rejects at toxicity 0.9: its id."""
    hooked = make_site(name, webhook_url="https://hooks.example/moderation")
    with app.app_context():
        site = db.session.get(Site, hooked.id)
        site.auto_reject, site.reject_thresholds = True, {"toxicity": 0.9}
        db.session.commit()
    return hooked.id


def test_a_report_on_a_comment_rejected_unseen_is_answered_removed_and_again_by_the_moderator(app, make_site, model,
                                                                                              moderator):
    site_id = _auto_rejecting(app, make_site, "hooked")
    with app.app_context():
        site = db.session.get(Site, site_id)
        db.session.add(SiteMember(user_id=moderator.id, site_id=site.id))
        db.session.commit()
        comment_id = post(site.id, "You vile idiot, nobody wants to read your rubbish here.")
        waiting = file_report(db.session, site, comment_id, reason="harassment", reporter_id="r1").report.id
        db.session.commit()

        assert score(model, [comment_id]) == {comment_id: "rejected"}
        assert _outcomes(comment_id) == ["removed"]
        late = file_report(db.session, db.session.get(Site, site.id), comment_id, reason="uncivil", reporter_id="r2")
        db.session.commit()
        assert (late.created, late.report.outcome) == (True, "removed")
        assert late.delivery is not None and late.delivery.event["outcome"] == "removed"
        assert _report_events(comment_id) == [("report.resolved", waiting, "removed"),
                                              ("report.resolved", late.report.id, "removed")]

        user = db.session.get(User, moderator.id)
        review_again(db.session, comment_id, user=user, expected_version=row(comment_id).version,
                     reason="a reader appealed")
        assert _outcomes(comment_id) == [None, None]
        decide(db.session, comment_id, user=user, action="reject", reason="Harassment",
               expected_version=row(comment_id).version)
        assert _outcomes(comment_id) == ["upheld", "upheld"]
        assert [kind for kind, _, _ in _report_events(comment_id)][2:] == ["report.reopened", "report.reopened",
                                                                           "report.resolved", "report.resolved"]


def test_a_reader_saying_the_author_may_be_at_risk_brings_a_rejection_no_person_made_to_one(app, make_site, model):
    """A re-check: a named reader's self_harm report ("he wants to kill himself") on an auto-rejected
    comment was answered "removed" at once, and no person ever read it."""
    from moderation.domain.lifecycle import is_visible

    site_id = _auto_rejecting(app, make_site, "hooked-at-risk")
    with app.app_context():
        site = db.session.get(Site, site_id)
        rejected = post(site.id, "You vile idiot, I am done with all of you and with everything.")
        waiting = post(site.id, "You vile idiots, this is the last thing I will ever write here.", author="b")
        file_report(db.session, site, waiting, reason="self_harm", reporter_id="worried-1",
                    note="he wants to kill himself")
        db.session.commit()
        assert score(model, [rejected, waiting]) == {rejected: "rejected", waiting: "held"}

        file_report(db.session, db.session.get(Site, site.id), rejected, reason="self_harm",
                    reporter_id="worried-2", note="says he is done with everything")
        db.session.commit()
        for comment_id in (rejected, waiting):
            held = row(comment_id)
            assert held.status == "held" and "would_reject" in held.flagged and not is_visible(held)
            assert _outcomes(comment_id) == [None]  # open, for the person who reads it
            # Untried readers' word lifts it above the insults, not above the held threats (4): a
            # raid's fresh reader ids had put every auto-rejected comment first (a re-check).
            assert 2.0 < held.priority < 4.0, held.priority
        # A reader's notice brought it back: said as a statement of reasons reads it (the next re-check).
        assert "reports" in row(rejected).flagged
        from moderation.domain.history import comment_history
        from moderation.models import AuditEntry

        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == rejected)).all()
        whats = [e.what for e in comment_history(db.session, row(rejected), entries)]
        assert "A reader reported its author may be at risk: rejected → held" in whats, whats


def test_reports_answered_removed_open_again_when_a_readers_at_risk_report_brings_the_comment_back(
        app, make_site, model):
    """A re-check: the harassment report answered "removed" stayed so when a self_harm report brought
    the comment back and a moderator approved it: its reader was told "already removed" of a comment shown."""
    site_id = _auto_rejecting(app, make_site, "hooked-reopen")
    with app.app_context():
        site = db.session.get(Site, site_id)
        comment_id = post(site.id, "You vile idiot, shut up.")
        assert score(model, [comment_id]) == {comment_id: "rejected"}
        file_report(db.session, db.session.get(Site, site.id), comment_id, reason="harassment", reporter_id="r-a")
        db.session.commit()
        assert _outcomes(comment_id) == ["removed"]
        filing = file_report(db.session, db.session.get(Site, site.id), comment_id, reason="self_harm",
                             reporter_id="r-b")
        db.session.commit()
        assert _outcomes(comment_id) == [None, None]
        assert [d.event["type"] for d in filing.also] == ["report.reopened"]
