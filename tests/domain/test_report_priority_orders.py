"""A comment's queue priority is what its scores and rules give it, plus its open reports' share and
the lift for a reader at risk on top, whichever came first: a report filed before scoring, after it,
or before a saved rule held the comment (an adversarial re-check found one comment and one report
at 100.05, 104.01 and 105.00 in those three orders)."""
from __future__ import annotations

import pytest

from fake_model import FakeModel
from moderation import db
from moderation.domain.decisions import decide
from moderation.domain.reports import AT_RISK_REPORT_LIFT, file_report
from moderation.domain.rule_backfill import hold_published_matches
from moderation.domain.rule_sets import save_rules
from moderation.domain.rules import validate_rules
from moderation.domain.scoring import score_pending
from moderation.models import Comment, Site, User
from test_scoring import add_comment


def _report(site_id: int, comment_id: int, reason: str = "self_harm", reporter: str | None = "r-1") -> None:
    file_report(db.session, db.session.get(Site, site_id), comment_id, reason=reason, reporter_id=reporter)
    db.session.commit()


def _rules(site_id: int, *rules: dict) -> None:
    save_rules(db.session, db.session.get(Site, site_id), validate_rules(list(rules)), actor="test")
    db.session.commit()


def _score(*ids: int) -> None:
    score_pending(db.session, lambda: FakeModel(), list(ids), batch_size=10)


def _priority(comment_id: int) -> float:
    db.session.expire_all()
    return db.session.get(Comment, comment_id).priority


@pytest.mark.parametrize(("rule", "text", "reason"), [
    ({"name": "risk", "kind": "at_risk"}, "I can't do this any more. Nobody would miss me now.", "self_harm"),
    ({"name": "phones", "kind": "phone"}, "Ring 020 7946 0123 now.", "hate"),
])
def test_a_report_before_scoring_after_it_or_before_a_saved_rule_ranks_a_comment_alike(app, site, rule, text,
                                                                                    reason):
    with app.app_context():
        backfilled = add_comment(site.id, text, "backfilled")
        _score(backfilled)  # published: no rules yet
        _report(site.id, backfilled, reason)
        _rules(site.id, rule)
        hold_published_matches(db.session, db.session.get(Site, site.id), actor="test")
        db.session.commit()
        before = add_comment(site.id, text, "before")
        _report(site.id, before, reason)
        _score(before)
        after = add_comment(site.id, text, "after")
        _score(after)
        _report(site.id, after, reason)
        ranks = [_priority(c) for c in (backfilled, before, after)]
        assert ranks == pytest.approx([ranks[2]] * 3)
        assert db.session.get(Comment, backfilled).status == "held"


def test_dismissing_the_report_of_a_comment_a_saved_rule_held_leaves_it_at_the_rules_floor(app, site, admin):
    with app.app_context():
        held = add_comment(site.id, "Ring 020 7946 0123 now.")
        _score(held)
        scored = _priority(held)
        _report(site.id, held)
        assert _priority(held) == pytest.approx(scored + 1.0 + AT_RISK_REPORT_LIFT)
        _rules(site.id, {"name": "phones", "kind": "phone"})
        hold_published_matches(db.session, db.session.get(Site, site.id), actor="test")
        db.session.commit()
        comment = db.session.get(Comment, held)
        decide(db.session, held, user=db.session.get(User, admin.id), action="approve", reason=None,
               expected_version=comment.version)
        assert _priority(held) >= 2.0  # the phone rule's floor, its reports' share and lift gone


def test_an_anonymous_self_harm_report_weighs_but_does_not_lift_a_comment_above_the_held_threats(app, site):
    with app.app_context():
        civil = add_comment(site.id, "Lovely weather for the fete.")
        _score(civil)
        scored = _priority(civil)
        _report(site.id, civil, reporter=None)
        assert scored < _priority(civil) < 4.0
        _report(site.id, civil, reporter="r-2")  # a named reader's does
        assert _priority(civil) > 4.0
