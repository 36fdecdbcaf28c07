"""A reader's report waiting past the desk's window (REPORT_WAIT_MINUTES) lifts its comment above the
model's holds, below hate, threats and a reader at risk. An election night's walk: reported published
threats sat 39th to 270th of 276 under model-held insults, and 37 of 64 reports were open 18 minutes on."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from fake_model import FakeModel
from moderation import db
from moderation.domain.decisions import decide
from moderation.domain.queue import review_queue
from moderation.domain.report_wait import WAITING
from moderation.domain.reports import file_report
from moderation.domain.rule_sets import save_rules
from moderation.domain.rules import validate_rules
from moderation.domain.scoring import score_pending
from moderation.domain.status import now
from moderation.domain.sweep import lift_overdue_reports, sweep
from moderation.models import Comment, Report, Site, User
from test_scoring import add_comment


def _report(site_id: int, comment_id: int, reporter: str, minutes_ago: float = 0, reason: str = "harassment") -> None:
    filing = file_report(db.session, db.session.get(Site, site_id), comment_id, reason=reason, reporter_id=reporter)
    db.session.flush()
    if minutes_ago:
        db.session.execute(update(Report).where(Report.id == filing.report.id)
                           .values(created_at=now() - timedelta(minutes=minutes_ago)))
    db.session.commit()


def _priorities(*ids: int) -> list[float]:
    db.session.expire_all()
    return [db.session.get(Comment, i).priority for i in ids]


@pytest.fixture
def night(app, site):
    """A threat and hate the rules hold, a phone number, a model-held insult, and two published
    menaces the rules and the model miss, each reported by one reader."""
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), validate_rules([
            {"name": "threats", "kind": "threat_words"}, {"name": "group-hate", "kind": "group_attack"},
            {"name": "phones", "kind": "phone"}]), actor="test")
        db.session.commit()
        ids = {name: add_comment(site.id, text, name) for name, text in (
            ("threat", "I know where the mayor lives and I will hurt him."),
            ("hate", "Immigrants are vermin."),
            ("phone", "Ring her on 07700 900123 and tell her."),
            ("insult", "You vile idiot."),
            # Published: neither the model nor, since an election night's patterns, the rules hold them.
            ("late", "Somebody ought to sort Okafor out properly."),
            ("fresh", "The poll workers will regret tonight."))}
        score_pending(db.session, lambda: FakeModel(), list(ids.values()), batch_size=10)
        yield ids


def test_a_report_past_the_window_lifts_its_comment_above_model_holds_and_below_hate(app, site, night):
    with app.app_context():
        _report(site.id, night["late"], "reader-1")
        _report(site.id, night["fresh"], "reader-2")
        threat, hate, phone, insult, late = _priorities(*(night[k] for k in ("threat", "hate", "phone", "insult", "late")))
        assert late < insult  # a fresh report: where the walk found them, under the model's insults

        db.session.execute(update(Report).where(Report.comment_id == night["late"])
                           .values(created_at=now() - timedelta(minutes=16)))
        db.session.commit()
        assert lift_overdue_reports(db.session) == 1
        threat, hate, phone, insult, late, fresh = _priorities(*night.values())
        assert insult < phone < late < hate < threat
        assert fresh < insult  # 0 minutes: not yet
        assert lift_overdue_reports(db.session) == 0  # lifted once, not again every sweep


def test_the_lift_stays_through_another_report_and_goes_with_the_decision(app, site, admin, night):
    with app.app_context():
        _report(site.id, night["late"], "reader-1", minutes_ago=20)
        lift_overdue_reports(db.session)
        _report(site.id, night["late"], "reader-3", reason="uncivil")  # ranked afresh on filing
        [late, insult, hate] = _priorities(night["late"], night["insult"], night["hate"])
        assert insult < late < hate
        comment = db.session.get(Comment, night["late"])
        decide(db.session, comment.id, user=db.session.get(User, admin.id), action="reject", reason="Threat",
               expected_version=comment.version)
        assert _priorities(night["late"])[0] < 1  # answered: its scores alone rank it


def test_a_comment_the_site_deletes_loses_its_late_reports_lift(app, client, site, admin, night):
    """A review: deleted by the site after its report waited past the window, a comment still ranked at
    2.9 on the All tab, above every held insult, though no report of it waits for anyone now."""
    with app.app_context():
        _report(site.id, night["late"], "reader-1", minutes_ago=20)
        lift_overdue_reports(db.session)
        assert _priorities(night["late"])[0] >= 2.9
        assert client.delete(f"/api/v1/comments/{night['late']}", headers=site.headers).status_code == 200
        assert _priorities(night["late"])[0] < 1  # its scores alone rank it, as after a decision
        everything = review_queue(db.session, viewer=db.session.get(User, admin.id), tab="all").items
        ids = [c.id for c in everything]
        assert ids.index(night["insult"]) < ids.index(night["late"])
        assert lift_overdue_reports(db.session) == 0  # nor does the sweep lift it again


def test_the_queue_counts_reports_past_the_window_and_lists_the_oldest_first(app, site, admin, night):
    with app.app_context():
        _report(site.id, night["fresh"], "reader-2", minutes_ago=3)
        _report(site.id, night["late"], "reader-1", minutes_ago=40)
        _report(site.id, night["late"], "reader-4", minutes_ago=17)
        _report(site.id, night["insult"], "reader-5", minutes_ago=25)
        viewer = db.session.get(User, admin.id)
        page = review_queue(db.session, viewer=viewer)
        assert (page.waiting.reports, page.waiting.comments) == (3, 2)
        assert now() - page.waiting.oldest > timedelta(minutes=39)

        first = review_queue(db.session, viewer=viewer, tab="reported", sort=WAITING, page_size=2)
        assert [c.id for c in first.items] == [night["late"], night["insult"]]
        rest = review_queue(db.session, viewer=viewer, tab="reported", sort=WAITING, page_size=2,
                            after=first.next_cursor)
        assert [c.id for c in rest.items] == [night["fresh"]] and rest.next_cursor is None


def test_the_sweep_lifts_every_late_comment_batch_by_batch(app, site, night, monkeypatch):
    monkeypatch.setattr("moderation.domain.sweep.OVERDUE_LIFT_BATCH", 1)
    with app.app_context():
        _report(site.id, night["late"], "reader-1", minutes_ago=16)
        _report(site.id, night["fresh"], "reader-2", minutes_ago=30)
        assert sweep(db.session, FakeModel, pending_after=30, batch_size=10).overdue_lifted == 2
        assert min(_priorities(night["late"], night["fresh"])) > max(_priorities(night["insult"], night["phone"]))


def test_late_reports_lighter_than_the_sites_threshold_lift_nothing(app, site, night):
    """A re-check: one anonymous report (weight 0.5), 20 minutes old, lifted a held insult to 2.92,
    above the model's held threats; reports that do not reach the site's threshold do not send a
    comment to review, nor lift it there."""
    with app.app_context():
        filing = file_report(db.session, db.session.get(Site, site.id), night["insult"], reason="harassment",
                             reporter_id=None)
        db.session.flush()
        db.session.execute(update(Report).where(Report.id == filing.report.id)
                           .values(created_at=now() - timedelta(minutes=20)))
        db.session.commit()
        before = _priorities(night["insult"])
        lift_overdue_reports(db.session)
        after = _priorities(night["insult"])
    assert after == before and after[0] < 2.9


def test_the_sweep_lifts_late_reports_while_the_model_will_not_load(app, site, night):
    # A re-check: scoring raised first, and nothing was lifted through a scoring outage.
    def no_model():
        raise RuntimeError("the model would not load")

    with app.app_context():
        _report(site.id, night["late"], "reader-1", minutes_ago=16)
        add_comment(site.id, "Waiting for a model that will not load.", "stuck")  # something to score
        db.session.execute(update(Comment).where(Comment.external_id == "stuck")
                           .values(received_at=now() - timedelta(minutes=5)))
        db.session.commit()
        with pytest.raises(RuntimeError):
            sweep(db.session, no_model, pending_after=30, batch_size=10)
        assert _priorities(night["late"])[0] >= 2.9


# (open or "dismissed", weight, minutes ago) per report, the site's threshold, whether the late reports lift.
LIFT_CASES = [
    ([], 2.0, False),
    ([(None, 2.0, 20)], 2.0, True),
    ([(None, 2.0, 5)], 2.0, False),  # not late yet
    ([(None, 2.0, 15)], 2.0, True),  # exactly the window
    ([(None, 1.0, 20)], 2.0, False),  # too light
    ([(None, 1.0, 20), (None, 1.0, 1)], 2.0, True),  # the oldest is late, together they weigh enough
    ([(None, 0.0, 40), (None, 2.0, 1)], 2.0, True),  # a capped anonymous report is late, and open
    ([("dismissed", 2.0, 30), (None, 0.5, 20)], 2.0, False),  # what was answered weighs nothing now
    ([("dismissed", 2.0, 30), (None, 2.0, 1)], 2.0, False),  # nor is its age the open ones'
    ([(None, 2.0, 16), (None, 1.0, 2)], 3.0, True),
    ([(None, 2.0, 16)], 3.0, False),
]


def test_rank_and_the_sweep_ask_the_same_condition_of_late_reports(app, site):
    """The condition is written once (report_wait._lift_condition): here its Python and SQL forms agree."""
    from moderation.domain.report_wait import late_reports_lift, late_reports_lift_condition, report_window

    with app.app_context():
        current = now()
        cutoff = current - report_window(db.session)
        for n, (reports, threshold, lifts) in enumerate(LIFT_CASES):
            db.session.get(Site, site.id).report_threshold = threshold
            comment_id = add_comment(site.id, f"Case {n}: a comment readers reported.", f"case-{n}")
            db.session.add_all(Report(comment_id=comment_id, reason="other", reporter_id=f"r{i}", weight=weight,
                                      outcome=outcome, created_at=current - timedelta(minutes=minutes))
                               for i, (outcome, weight, minutes) in enumerate(reports))
            db.session.flush()
            in_python = late_reports_lift(
                [r for r in db.session.get(Comment, comment_id).reports if r.outcome is None], threshold, cutoff)
            in_sql = db.session.scalar(select(Comment.id).join(Site, Site.id == Comment.site_id)
                                       .where(Comment.id == comment_id, late_reports_lift_condition(cutoff)))
            assert (in_python, in_sql is not None) == (lifts, lifts), (n, reports, threshold)


def test_the_sweep_leaves_a_comment_whose_open_reports_are_too_light_to_lift(app, site, admin, night):
    """A review: the sweep chose by every report ever filed, so an approved comment whose reports were
    dismissed, with one anonymous report since, was taken, ranked, left unlifted, and counted lifted
    again at every sweep."""
    with app.app_context():
        _report(site.id, night["late"], "reader-1", minutes_ago=30)
        comment = db.session.get(Comment, night["late"])
        decide(db.session, comment.id, user=db.session.get(User, admin.id), action="approve", reason=None,
               expected_version=comment.version)
        _report(site.id, night["late"], None, minutes_ago=20, reason="uncivil")  # 0.5: under the threshold
        before = _priorities(night["late"])
        assert lift_overdue_reports(db.session) == 0
        assert lift_overdue_reports(db.session) == 0
        assert _priorities(night["late"]) == before and before[0] < 2.9
