"""Backtesting a candidate against the active model on a site's own decided comments.

Two fake models whose scores are written out per comment, so every number has a known answer.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from backtest_data import ACTIVE, CANDIDATE, DECIDED, START, TableModel, add_comment
from moderation import db
from moderation.cli.backtest_commands import format_result
from moderation.domain.backtest import backtest
from moderation.domain.lifecycle import APPROVED, PUBLISHED, REJECTED
from moderation.models import Comment, Site


@pytest.fixture
def decided_site(app, site):
    with app.app_context():
        for i, (text, (decision, _, _)) in enumerate(DECIDED.items()):
            # Received over four days (first at day 0, last at day 4), so each model's held count / 4 a day.
            add_comment(site.id, text, status=decision, decision=decision, day=i * 4 / (len(DECIDED) - 1))
        # Not decided by a moderator, or no longer: none of these counts.
        add_comment(site.id, "published, never decided", status=PUBLISHED, day=1)
        add_comment(site.id, "auto-rejected by the policy", status=REJECTED, day=1)
        add_comment(site.id, "approved, then the decision was undone", status=PUBLISHED, decision=APPROVED, day=1)
        db.session.commit()
    return site


def run(app, site_id: int, **kwargs):
    with app.app_context():
        return backtest(db.session, db.session.get(Site, site_id), CANDIDATE, ACTIVE, **kwargs)


def test_it_scores_only_the_comments_whose_moderator_decision_stands(app, decided_site):
    result = run(app, decided_site.id)
    assert (result.comments, result.rejected, result.approved) == (8, 4, 4)
    assert result.days == pytest.approx(4.0)


def test_decisions_from_under_a_day_count_held_per_day_over_their_real_span(app, site):
    """Floored at a day, the backtest said 29 a day where the thresholds page said 792 for the same
    threshold and comments (a moderator's walk): both now count the real span, at least an hour."""
    with app.app_context():
        for i, (text, (decision, _, _)) in enumerate(DECIDED.items()):
            add_comment(site.id, text, status=decision, decision=decision, day=i * 2 / (len(DECIDED) - 1) / 24)
        db.session.commit()
    result = run(app, site.id)
    assert result.days == pytest.approx(2 / 24)
    assert result.active.held_per_day == pytest.approx(4 * 12)  # four held in two hours
    assert "over 2.0 hours" in format_result(result.to_dict())  # it said "over 0.1 days" (a re-check)


def test_it_reports_each_models_ranking_and_precision_recall_at_the_sites_thresholds(app, decided_site):
    result = run(app, decided_site.id)
    # Active: 12 of the 16 (rejected, approved) pairs ranked right; held r1, r2, a1, a4.
    assert result.active.roc_auc == pytest.approx(0.75)
    assert (result.active.held, result.active.precision, result.active.recall) == (4, 0.5, 0.5)
    assert result.active.held_per_day == pytest.approx(1.0)
    # The candidate separates them perfectly and holds exactly the four rejected ones.
    assert result.candidate.roc_auc == pytest.approx(1.0)
    assert result.candidate.pr_auc == pytest.approx(1.0)
    assert (result.candidate.held, result.candidate.precision, result.candidate.recall) == (4, 1.0, 1.0)
    # Only reliable attributes count: the fake 0.99 insult holds nothing.
    assert result.active.thresholds == {"toxicity": 0.5}


def test_the_command_says_when_a_difference_is_beyond_chance_and_when_it_is_not(app, site):
    """A model admin's walk: a poisoned candidate read better on 19 decisions, with no word of doubt."""
    decisions = {f"comment {i}": REJECTED if i % 2 else APPROVED for i in range(60)}
    # The candidate ranks every rejection first, the active model every one last.
    candidate = TableModel("new-2", {t: 0.9 if d == REJECTED else 0.1 for t, d in decisions.items()})
    active = TableModel("old-1", {t: 0.2 if d == REJECTED else 0.8 for t, d in decisions.items()})
    with app.app_context():
        for i, (text, decision) in enumerate(decisions.items()):
            add_comment(site.id, text, status=decision, decision=decision, day=i / 30)
        db.session.commit()
        said = format_result(backtest(db.session, db.session.get(Site, site.id), candidate, active).to_dict())
        few = format_result(backtest(db.session, db.session.get(Site, site.id), candidate, active, limit=5).to_dict())
    assert ("Candidate minus active ROC AUC: +1.000 on these 60 decisions (30 rejected), 95 % interval +1.000 to "
            "+1.000: the candidate ranks rejected comments better, beyond chance.") in said and "WARNING" not in said
    # Ranked perfectly, five comments give an interval of nothing, which says nothing.
    assert "WARNING: Candidate minus active ROC AUC: +1.000 on these 5 decisions" in few
    assert "too few decisions to tell the two models apart" in few


def test_it_counts_and_shows_the_comments_that_would_change_status_both_ways(app, decided_site):
    result = run(app, decided_site.id)
    assert result.changed == {"published_to_held": 2, "held_to_published": 2}
    assert sorted(e["text"] for e in result.examples["published_to_held"]) == ["r3", "r4"]
    assert sorted(e["text"] for e in result.examples["held_to_published"]) == ["a1", "a4"]
    example = next(e for e in result.examples["held_to_published"] if e["text"] == "a1")
    assert example["decision"] == APPROVED
    assert example["active"] == {"toxicity": 0.7} and example["candidate"] == {"toxicity": 0.1}


def test_the_sites_own_threshold_overrides_the_models(app, decided_site):
    with app.app_context():
        db.session.get(Site, decided_site.id).thresholds = {"toxicity": 0.75}
        db.session.commit()
    result = run(app, decided_site.id)
    assert (result.active.held, result.active.precision, result.active.recall) == (2, 1.0, 0.5)
    assert result.changed == {"published_to_held": 2, "held_to_published": 0}


def test_a_comment_the_sites_rules_held_is_held_under_either_model(app, decided_site):
    """An admin's walk: the active model "held 60 of 170" where the site, with its rules, had held 110."""
    with app.app_context():
        for text in ("r3", "a2"):  # both models publish r3's and a2's scores... but a rule held them
            comment = db.session.query(Comment).filter_by(site_id=decided_site.id, external_id=text).one()
            comment.rule_hits = [{"rule": "threats", "action": "hold", "reason": "threat words", "kind": "threat"}]
        flagged_only = db.session.query(Comment).filter_by(site_id=decided_site.id, external_id="a3").one()
        flagged_only.rule_hits = [{"rule": "links", "action": "flag", "reason": "a link", "kind": "link"}]
        db.session.commit()
    result = run(app, decided_site.id)
    assert result.held_by_rules == 2
    # Active held r1, r2, a1, a4; now r3 and a2 too. The candidate held the r*s; now a2 too.
    assert (result.active.held, result.active.precision, result.active.recall) == (6, 0.5, 0.75)
    assert (result.candidate.held, result.candidate.recall) == (5, 1.0)
    assert result.changed == {"published_to_held": 1, "held_to_published": 2}  # r4 only; r3 is held by both
    assert result.active.roc_auc == pytest.approx(0.75)  # the ranking is the model's alone
    assert "2 held by the site's rules" in format_result(result.to_dict())


def test_limit_takes_the_most_recent_decisions(app, decided_site):
    result = run(app, decided_site.id, limit=4)
    assert result.comments == 4 and result.approved == 4  # the a* ones were decided last


def test_a_site_with_no_decisions_gives_empty_numbers_not_an_error(app, site):
    result = run(app, site.id)
    assert result.comments == 0 and result.active.roc_auc is None and result.active.precision is None
    assert result.changed == {"published_to_held": 0, "held_to_published": 0}
    said = format_result(result.to_dict())
    assert "no decided comments to judge the models on" in said and "over 1" not in said  # no day made up for none


class SiteTrained(TableModel):
    """The candidate as `train --site` makes it: its card says it learnt the site's own decisions."""

    def __init__(self, site_name: str, trained_at: datetime, read_at: datetime | None = None) -> None:
        super().__init__("own-3", CANDIDATE.table)
        own = {"rows": 4, **({"read_at": read_at.isoformat()} if read_at else {})}
        self.card = {"trained_at": trained_at.isoformat(), "training_data": {"own_labels": {f"site:{site_name}": own}}}


def test_a_candidate_trained_on_the_sites_decisions_is_judged_only_on_later_ones(app, decided_site):
    # Trained two days in: it read r1-r4's decisions and would score itself perfect on them.
    candidate = SiteTrained(decided_site.name, START + timedelta(days=2))
    with app.app_context():
        result = backtest(db.session, db.session.get(Site, decided_site.id), candidate, ACTIVE)
    assert (result.comments, result.rejected, result.approved, result.left_out) == (4, 0, 4, 4)
    assert result.learnt_by == ["candidate"] and result.learnt_until.startswith("2026-11-03")
    assert "left out: 4 comments decided up to 2026-11-03" in format_result(result.to_dict())


def test_decisions_made_while_the_candidate_trained_are_judged_not_left_out(app, decided_site):
    """It read the decisions two days in and finished training five days later: the cut is at the
    reading, where cutting at trained_at had left out decisions it never saw."""
    candidate = SiteTrained(decided_site.name, START + timedelta(days=7), read_at=START + timedelta(days=2))
    with app.app_context():
        result = backtest(db.session, db.session.get(Site, decided_site.id), candidate, ACTIVE)
    assert (result.comments, result.left_out) == (4, 4) and result.learnt_until.startswith("2026-11-03")


def test_a_candidate_trained_after_every_decision_is_judged_on_nothing_and_the_command_says_so(app, decided_site):
    candidate = SiteTrained(decided_site.name, START + timedelta(days=30))
    with app.app_context():
        result = backtest(db.session, db.session.get(Site, decided_site.id), candidate, ACTIVE)
    assert (result.comments, result.left_out) == (0, 8)
    printed = format_result(result.to_dict())
    assert printed.endswith("nothing decided since to judge it on") and "ROC AUC" not in printed


def test_a_candidate_trained_on_another_sites_decisions_leaves_nothing_out(app, decided_site):
    candidate = SiteTrained("another-site", START + timedelta(days=2))
    with app.app_context():
        result = backtest(db.session, db.session.get(Site, decided_site.id), candidate, ACTIVE)
    assert (result.comments, result.left_out, result.learnt_until) == (8, 0, None)
    assert "left out" not in format_result(result.to_dict())


def test_a_later_comment_repeating_a_text_the_candidate_learnt_from_is_left_out_too(app, decided_site):
    """An admin's walk: judged on 54 comments decided after it read the site's decisions, every one a
    repost of a text it had trained on, the candidate looked far better than it was."""
    candidate = SiteTrained(decided_site.name, START + timedelta(days=2))
    with app.app_context():
        # r1 again: a repost, decided after the candidate read the site's decisions, r1 among them
        add_comment(decided_site.id, "r1", status=APPROVED, decision=APPROVED, day=3.5).external_id = "r1-again"
        db.session.commit()
        result = backtest(db.session, db.session.get(Site, decided_site.id), candidate, ACTIVE)
    assert (result.comments, result.left_out, result.repeats_left_out) == (4, 4, 1)
    assert "and 1 decided since whose text is one of those" in format_result(result.to_dict())


def test_a_site_that_auto_rejects_is_told_how_many_each_model_rejects_unseen_and_how_many_were_approved(
        app, decided_site):
    """A migrating site's walk: its old policy had a hold and a reject number, and nothing previewed the
    second: the rejections counted in "held", the same with auto-reject on or off."""
    assert run(app, decided_site.id).active.rejected_unseen is None  # no auto-reject: no such row
    with app.app_context():
        row = db.session.get(Site, decided_site.id)
        row.auto_reject, row.reject_thresholds = True, {"toxicity": 0.65}
        db.session.commit()
    result = run(app, decided_site.id)
    assert (result.active.rejected_unseen, result.active.rejected_unseen_approved) == (3, 1)  # r1, r2 and a1
    assert (result.candidate.rejected_unseen, result.candidate.rejected_unseen_approved) == (4, 0)
    assert "rejected unseen (auto-reject)" in format_result(result.to_dict()) and "3 (1 approved)" in format_result(
        result.to_dict())


def test_a_score_at_the_threshold_by_six_places_is_held_in_the_backtest_as_when_scored(app, site):
    """A re-check: scoring compares scores to six places, the backtest did not, so a comment held live at
    exactly the threshold counted as published here."""
    from backtest_data import TableModel

    with app.app_context():
        add_comment(site.id, "edge", status=REJECTED, decision=REJECTED, day=0)
        add_comment(site.id, "fine", status=APPROVED, decision=APPROVED, day=1)
        db.session.commit()
    edge = TableModel("edge-1", {"edge": 0.4999996, "fine": 0.1})
    with app.app_context():
        result = backtest(db.session, db.session.get(Site, site.id), edge, edge)
    assert (result.candidate.held, result.candidate.recall) == (1, 1.0)


def test_a_comment_in_a_language_the_model_cannot_read_is_not_counted_as_rejected_unseen(app, decided_site):
    """A re-check: live scoring holds it for a person rather than auto-reject it (routing.route), and
    the backtest still counted it, arguing wrongly against turning auto-reject on."""
    from sqlalchemy import update

    from moderation.models import Comment

    with app.app_context():
        row = db.session.get(Site, decided_site.id)
        row.auto_reject, row.reject_thresholds = True, {"toxicity": 0.65}
        db.session.execute(update(Comment).where(Comment.site_id == decided_site.id, Comment.text == "r1").values(
            rule_hits=[{"rule": "other-language", "action": "hold", "reason": "not in English", "kind": "other_language"}]))
        db.session.commit()
    result = run(app, decided_site.id)
    assert (result.active.rejected_unseen, result.active.rejected_unseen_approved) == (2, 1)  # r2 and a1, not r1
    with app.app_context():  # nor a reader who may be at risk, whom live scoring holds too (the next re-check)
        db.session.execute(update(Comment).where(Comment.site_id == decided_site.id, Comment.text == "a1").values(
            rule_hits=[{"rule": "at-risk", "action": "hold", "reason": "a reader at risk", "kind": "at_risk"}]))
        db.session.commit()
    result = run(app, decided_site.id)
    assert (result.active.rejected_unseen, result.active.rejected_unseen_approved) == (1, 0)


def test_a_difference_whose_interval_holds_zero_is_called_chance():
    from moderation.domain.backtest import difference_said

    said, doubtful = difference_said({"comments": 40, "rejected": 20, "approved": 20,
                                      "roc_auc_difference": {"difference": 0.04, "low": -0.03, "high": 0.11}})
    assert doubtful and said == ("Candidate minus active ROC AUC: +0.040 on these 40 decisions (20 rejected), 95 % interval "
                                 "-0.030 to +0.110: within what chance gives, too few decisions or too close to tell the "
                                 "two models apart. Decide more comments before promoting on these numbers.")
    assert difference_said({"comments": 40, "rejected": 20, "approved": 20, "roc_auc_difference": None}) is None


def test_one_rejection_among_thirty_says_no_auc_is_worth_trusting():
    """A re-check: 1 rejected and 30 approved read ROC AUC 1.000 for both models with no warning."""
    from moderation.domain.backtest import difference_said

    said, doubtful = difference_said({"comments": 31, "rejected": 1, "approved": 30, "roc_auc_difference": None})
    assert doubtful and "no ROC AUC is worth trusting: fewer than 10 of each" in said


def _rejections_only(site_id: int) -> tuple[TableModel, TableModel]:
    """25 rejected, none approved, as on a news site whose moderators decide only what was held: the
    candidate holds 19 of them, the active model 13."""
    texts = [f"insult {i}" for i in range(25)]
    with_scores = {t: (0.9 if i < 19 else 0.1, 0.9 if i < 13 else 0.1) for i, t in enumerate(texts)}
    for i, text in enumerate(texts):
        add_comment(site_id, text, status=REJECTED, decision=REJECTED, day=i / 10)
    return (TableModel("new-2", {t: c for t, (c, _) in with_scores.items()}),
            TableModel("old-1", {t: a for t, (_, a) in with_scores.items()}))


def test_with_no_approvals_it_still_says_how_many_rejected_each_model_would_hold(app, site):
    """A data scientist's walk: 25 rejected, 0 approved, every AUC "—" and a warning, and no word that
    the candidate caught 19 where the active model caught 13."""
    with app.app_context():
        candidate, active = _rejections_only(site.id)
        db.session.commit()
        result = backtest(db.session, db.session.get(Site, site.id), candidate, active).to_dict()
    printed = format_result(result)
    assert "WARNING: On these 25 decisions (25 rejected, 0 approved) no ROC AUC is worth trusting" in printed
    assert ("What these decisions do tell: of the 25 rejected, the candidate holds 19 and the active model 13; "
            "no approved comment to count what each would hold wrongly.") in printed


def test_with_no_rejections_it_says_how_many_approved_each_model_would_publish(app, site):
    with app.app_context():
        for i, (text, publish) in enumerate([("fine 1", True), ("fine 2", True), ("fine 3", False)]):
            add_comment(site.id, text, status=APPROVED, decision=APPROVED, day=i)
        db.session.commit()
        candidate = TableModel("new-2", {"fine 1": 0.1, "fine 2": 0.1, "fine 3": 0.1})
        active = TableModel("old-1", {"fine 1": 0.1, "fine 2": 0.9, "fine 3": 0.9})
        result = backtest(db.session, db.session.get(Site, site.id), candidate, active).to_dict()
    assert ("no rejected comment to count what each would miss; of the 3 approved, the candidate publishes 3 and "
            "the active model 1.") in format_result(result)


def test_with_enough_of_each_decision_the_counts_are_not_repeated(app, decided_site):
    from moderation.domain.backtest import counts_said

    result = run(app, decided_site.id).to_dict()
    result.update(rejected=10, approved=10)  # as if there were enough of each
    assert counts_said(result) is None
