"""A backtest says when approvals were held for profanity alone, which no retraining publishes.

A data scientist's walk: a sports desk retrained on 95 approved joy-swears, and its backtest said
"held -> published: 0" with no word that profanity, not the model's toxicity, held them.
"""
from __future__ import annotations

from backtest_data import TableModel, add_comment
from moderation import db
from moderation.cli.backtest_commands import format_result
from moderation.domain.backtest import backtest
from moderation.domain.lifecycle import APPROVED, REJECTED
from moderation.domain.profanity_holds import profanity_hint
from moderation.models import Comment, Site


class SwearingModel(TableModel):
    attributes = ("toxicity", "profanity")
    thresholds = {"toxicity": 0.5, "profanity": 0.5}

    def score(self, texts):
        return [{"toxicity": self.table[t], "profanity": 1.0} for t in texts]


TEXTS = {"GET IN YOU BEAUTY": (APPROVED, ["profanity"]), "What a goal, holy hell": (APPROVED, ["profanity"]),
         "you useless muppet": (REJECTED, ["profanity", "toxicity"]),
         "ref needs glasses, bloody hell": (APPROVED, ["profanity", "toxicity"])}
MODEL = SwearingModel("swear-1", {t: 0.9 if decision == REJECTED else 0.1 for t, (decision, _) in TEXTS.items()})


def _decided(site_id: int, texts: dict[str, tuple[str, list[str]]]) -> None:
    for i, (text, (decision, flagged)) in enumerate(texts.items()):
        comment = add_comment(site_id, text, status=decision, decision=decision, day=i)
        comment.flagged = flagged


def _said(app, site_id: int) -> tuple[str | None, str]:
    with app.app_context():
        result = backtest(db.session, db.session.get(Site, site_id), MODEL, MODEL).to_dict()
    return result["profanity_hint"], format_result(result)


def test_a_site_whose_moderators_approved_comments_held_for_profanity_alone_is_told_the_lever(app, site):
    with app.app_context():
        _decided(site.id, TEXTS)
        db.session.commit()
    hint, printed = _said(app, site.id)
    # The two approved and flagged for profanity only; not the one toxicity held too, nor the rejection.
    assert hint.startswith("2 comments your moderators approved were held for profanity alone: retraining does "
                           "not change that")
    assert f'set the "Hold at" threshold of profanity to 1 on the site\'s settings page (/admin/sites/{site.id}' in hint
    assert f"NOTE: {hint}" in printed


def test_a_site_without_such_approvals_is_not_told(app, site):
    with app.app_context():
        _decided(site.id, {t: v for t, v in TEXTS.items() if v[1] != ["profanity"]})
        db.session.commit()
    hint, printed = _said(app, site.id)
    assert hint is None and "profanity alone" not in printed


def test_an_approval_a_rule_held_as_well_is_not_counted(app, site):
    with app.app_context():
        _decided(site.id, TEXTS)
        for comment in db.session.query(Comment).filter_by(site_id=site.id, external_id="GET IN YOU BEAUTY"):
            comment.rule_hits = [{"rule": "shouting", "action": "hold", "reason": "all capitals", "kind": "words"}]
        db.session.commit()
    hint, _ = _said(app, site.id)
    assert hint.startswith("1 comment your moderators approved was held for profanity alone")


def test_a_site_that_already_holds_profanity_at_1_is_not_told(app, site):
    with app.app_context():
        _decided(site.id, TEXTS)
        db.session.get(Site, site.id).thresholds = {"profanity": 1}
        db.session.commit()
    hint, _ = _said(app, site.id)
    assert hint is None
    with app.app_context():  # before training, with no model yet, the site's own setting is read
        assert profanity_hint(db.session, db.session.get(Site, site.id)) is None
        db.session.get(Site, site.id).thresholds = {}
        assert profanity_hint(db.session, db.session.get(Site, site.id)).startswith("2 comments")
