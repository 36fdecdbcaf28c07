"""A site keeps comment text N days after the final decision; then only scores, decision and hashes remain."""
from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from sqlalchemy import func, select, update

from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.decisions import decide
from moderation.domain.label_export import export_site_labels
from moderation.domain.lifecycle import PUBLISHED, SCORER, change_status, now
from moderation.domain.removal import delete_comment
from moderation.domain.retention import erase_expired_texts
from moderation.models import AuditEntry, Comment, LabelledExample, Report, Site, SiteMember, User

DAYS = 30


def comment(site: Site, n: int, text: str | None = None) -> Comment:
    return submit_comment(db.session, site, CommentInput(
        external_id=f"c{n}", story_id="s", author_id=f"a{n}", text=text or f"Comment number {n} about the budget.")).comment


def decided(site: Site, user: User, n: int, action: str) -> Comment:
    c = comment(site, n)
    c.scores = {"toxicity": 0.9}
    c.explanations = {"toxicity": [{"begin": 0, "end": 7, "score": 0.9, "text": c.text[:7]}]}
    db.session.commit()
    return decide(db.session, c.id, user=user, action=action, reason="Harassment" if action == "reject" else None,
                  expected_version=c.version)


def forgetful_site(make_site, moderator) -> tuple[Site, User]:
    """A site keeping texts DAYS days, and a moderator of it."""
    site = db.session.get(Site, make_site("forgets-in-30-days").id)
    site.retention_days = DAYS
    user = db.session.get(User, moderator.id)
    db.session.add(SiteMember(user_id=user.id, site_id=site.id))
    return site, user


def texts() -> dict[str, str]:
    db.session.expire_all()
    return {c.external_id: c.text for c in db.session.scalars(select(Comment))}


def test_texts_are_erased_only_once_the_sites_retention_after_the_final_decision_has_passed(
        app, make_site, moderator, tmp_path):
    with app.app_context():
        kept = db.session.get(Site, make_site("keeps-everything").id)
        site = db.session.get(Site, make_site("forgets-in-30-days").id)
        site.retention_days, site.allow_text_export = DAYS, True
        user = db.session.get(User, moderator.id)
        for s in (site, kept):
            db.session.add(SiteMember(user_id=user.id, site_id=s.id))
        db.session.commit()
        approved = decided(site, user, 1, "approve")
        rejected = decided(site, user, 2, "reject")
        deleted = comment(site, 3)
        delete_comment(db.session, site, deleted.id, actor=f"site:{site.id}")
        db.session.commit()
        published = comment(site, 4)
        change_status(db.session, published, PUBLISHED, actor="system:scorer", by=SCORER)
        pending = comment(site, 5)
        elsewhere = decided(kept, user, 6, "approve")
        db.session.commit()
        before = texts()
        original = before["c1"]

        # The clock moves: a day short of the period, nothing goes.
        assert erase_expired_texts(db.session, at=now() + timedelta(days=DAYS - 1)) == 0
        assert texts() == before

        # A day past it: the rejected and the deleted comment lose their text. Those the site shows,
        # approved or published, keep theirs for a moderator a report brings them to; so does the pending one.
        assert erase_expired_texts(db.session, at=now() + timedelta(days=DAYS + 1)) == 2
        after = texts()
        assert after["c2"] == after["c3"] == ""
        assert {k: after[k] for k in ("c1", "c4", "c5", "c6")} == {k: before[k] for k in ("c1", "c4", "c5", "c6")}

        erased = db.session.get(Comment, rejected.id)
        assert erased.decision == "rejected" and erased.scores == {"toxicity": 0.9} and erased.body_hash
        assert erased.text_sha256 == hashlib.sha256(before["c2"].encode()).hexdigest()
        assert erased.text_erased_at is not None and erased.explanations is None
        assert db.session.get(Comment, approved.id).text_erased_at is None
        # Its training label goes with its text; the approved one's and the other site's stay.
        labelled = set(db.session.scalars(select(LabelledExample.comment_id)))
        assert labelled == {approved.id, elsewhere.id}
        out = tmp_path / "labels.csv"
        export_site_labels(db.session, site, out)
        assert before["c2"] not in out.read_text() and original in out.read_text()
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "retention:texts_erased")).one()
        assert sorted(entry.details["comment_ids"]) == sorted([rejected.id, deleted.id])

        # Running again finds nothing left to do.
        assert erase_expired_texts(db.session, at=now() + timedelta(days=DAYS + 2)) == 0
        assert published and pending


def test_notes_about_an_expired_comment_go_with_its_text_and_old_suggestscore_labels_go_too(app, make_site, moderator):
    """A privacy walk found a report note and the moderator's note quoting an erased comment still
    served by the API, and suggestscore labels (no comment of ours) kept for good."""
    from moderation.domain.labels import SUGGESTSCORE

    with app.app_context():
        site, user = forgetful_site(make_site, moderator)
        c = comment(site, 1, "Gribbleworth is a fraud and a crook.")
        db.session.add(Report(comment_id=c.id, reason="harassment", reporter_id="r-1", weight=2.0,
                              note="It calls Gribbleworth a crook"))
        for decision in ("rejected", "approved"):  # Coral's approvals go too, as the site page says
            db.session.add(LabelledExample(site_id=site.id, text=f"Old suggestscore text of Wobblethorpe, {decision}",
                                           labels={decision: 1.0}, source=SUGGESTSCORE, kind=SUGGESTSCORE,
                                           created_at=now() - timedelta(days=2)))
        db.session.commit()
        decide(db.session, c.id, user=user, action="reject", expected_version=c.version,
               reason="Personal attack or insult: fraud and crook, of Gribbleworth")
        assert erase_expired_texts(db.session, at=now() + timedelta(days=DAYS + 1)) == 1
        db.session.expire_all()
        row = db.session.get(Comment, c.id)
        assert row.decision_reason == "Personal attack or insult: [erased]"
        assert db.session.scalars(select(Report.note)).one() is None
        for entry in db.session.scalars(select(AuditEntry)):
            assert "Gribbleworth" not in str(entry.details), entry.action
        assert db.session.scalars(select(LabelledExample.text)).all() == []


def test_beat_runs_the_retention_task_in_a_real_worker(app, make_site, start_worker):
    with app.app_context():
        site = db.session.get(Site, make_site("forgets-in-a-day").id)
        site.retention_days = 1
        c = comment(site, 1)
        delete_comment(db.session, site, c.id, actor=f"site:{site.id}")
        db.session.commit()
        # The row's clock moves back instead: the worker runs on the real one.
        db.session.execute(update(Comment).where(Comment.id == c.id)
                           .values(status_changed_at=now() - timedelta(days=2)))
        db.session.commit()
        comment_id = c.id
    start_worker(beat=True, RETENTION_INTERVAL="1")
    deadline = time.monotonic() + 60
    with app.app_context():
        while True:
            db.session.expire_all()
            if db.session.get(Comment, comment_id).text_erased_at is not None:
                break
            assert time.monotonic() < deadline, "the retention task did not erase the text within 60 s"
            time.sleep(0.5)
        assert db.session.get(Comment, comment_id).text == ""


def test_webhook_events_go_after_their_days_delivered_or_never_to_be(app, make_site):
    """A privacy walk found every event ever sent kept, each with the comment and its author's name;
    the next, that dead letters and events closed with their site were kept for good."""
    from moderation.domain.retention import delete_delivered_events
    from moderation.models import WebhookDelivery

    with app.app_context():
        site = db.session.get(Site, make_site("hooked").id)
        old, recent, dead, waiting, old_dead, old_waiting = (
            WebhookDelivery(site_id=site.id, event={"type": "comment.status_changed", "n": n}) for n in range(6))
        old.delivered_at = now() - timedelta(days=31)
        recent.delivered_at = now() - timedelta(days=29)
        dead.failed = old_dead.failed = True
        old_dead.created_at = old_waiting.created_at = now() - timedelta(days=31)
        db.session.add_all([old, recent, dead, waiting, old_dead, old_waiting])
        db.session.commit()
        assert delete_delivered_events(db.session, days=0) == 0  # 0 keeps them for good
        assert delete_delivered_events(db.session, days=30) == 2
        # A recent dead letter stays to be replayed, and an event still being retried is not given up.
        assert sorted(d.event["n"] for d in db.session.scalars(select(WebhookDelivery))) == [1, 2, 3, 5]


def test_audit_entries_go_after_the_operators_days_oldest_first_in_batches(app, make_site):
    """The audit log grows by an entry for every comment scored and had no period at all (an open
    note from a privacy walk). By default nothing goes."""
    from moderation.domain.retention import delete_old_audit_entries

    with app.app_context():
        site = db.session.get(Site, make_site("audited").id)
        kept = comment(site, 1)
        db.session.commit()
        db.session.execute(update(AuditEntry).values(at=now()))
        db.session.add_all([AuditEntry(actor="user:old", action="status:held->approved", at=now() - timedelta(days=400 + n),
                                       details={"n": n}) for n in range(7)])
        db.session.commit()
        before = db.session.scalar(select(func.count()).select_from(AuditEntry))
        assert delete_old_audit_entries(db.session, days=0) == 0  # the default: kept for good
        assert delete_old_audit_entries(db.session, days=365, batch_size=3, max_batches=2) == 6  # a run's bound
        assert [e.details["n"] for e in db.session.scalars(select(AuditEntry).where(AuditEntry.actor == "user:old"))] == [0]
        assert delete_old_audit_entries(db.session, days=365, batch_size=3) == 1  # the next run carries on
        after = db.session.scalars(select(AuditEntry)).all()
        assert len(after) == before - 7 and all(e.actor != "user:old" for e in after)
        assert db.session.get(Comment, kept.id) is not None  # entries go, never what they were about


def test_a_site_with_a_webhook_is_told_of_each_text_retention_erased_without_the_text(app, make_site, moderator):
    """A webhook site learnt of retention's erasures only by polling each comment (the README told it to
    keep a changes cursor for it), and so kept the texts its readers' data was meant to lose."""
    from moderation.models import WebhookDelivery

    hooked = make_site("hooked-forgets", webhook_url="https://hooks.example/moderation")
    with app.app_context():
        site = db.session.get(Site, hooked.id)
        site.retention_days = DAYS
        user = db.session.get(User, moderator.id)
        db.session.add(SiteMember(user_id=user.id, site_id=site.id))
        db.session.commit()
        rejected = decided(site, user, 1, "reject")
        text = rejected.text
        sent = []
        db.session.info["dispatcher"] = type("D", (), {"send_webhooks": lambda self, by_site, bulk=False: sent.append(by_site)})()

        assert erase_expired_texts(db.session, at=now() + timedelta(days=DAYS + 1)) == 1

        [event] = [d.event for d in db.session.scalars(select(WebhookDelivery))
                   if d.event["type"] == "comment.text_erased"]
        assert event["comment_id"] == rejected.id and event["site_comment_id"] == "c1" and event["reason"] == "retention"
        assert event["text_sha256"] == hashlib.sha256(text.encode()).hexdigest() and text not in str(event)
        assert sent and rejected.id in [d.comment_id for d in db.session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.id.in_(sent[-1][site.id])))]


def test_retention_blanks_what_a_rule_quoted_but_keeps_which_rule_held_the_comment(app, make_site, moderator):
    """Counsel's walk: retention emptied a rule-held rejection's rules, and the decisions page moved it
    from "a rule" to "nothing: shown, and a moderator found it", its statement of reasons' automated
    detection turning from yes to no after the fact."""
    from moderation.domain.decision_report import held_by_what

    with app.app_context():
        site, user = forgetful_site(make_site, moderator)
        c = comment(site, 1, "Kyle Mercer lives at 14 Elm Grove.")
        c.rule_hits = [{"rule": "court-order", "action": "hold", "kind": "banned_words", "reason": 'banned word: "kyle mercer"'},
                       {"rule": "addresses", "action": "hold", "kind": "street_address", "reason": "street address"}]
        db.session.commit()
        held_before = held_by_what([], c.rule_hits)
        decide(db.session, c.id, user=user, action="reject", reason="Harassment", expected_version=c.version)
        assert erase_expired_texts(db.session, at=now() + timedelta(days=DAYS + 1)) == 1
        db.session.expire_all()
        hits = db.session.get(Comment, c.id).rule_hits
    assert hits == [{"rule": "court-order", "action": "hold", "kind": "banned_words", "reason": "[erased]"},
                    {"rule": "addresses", "action": "hold", "kind": "street_address", "reason": "[erased]"}]
    assert held_by_what([], hits) == held_before != held_by_what([], None)
