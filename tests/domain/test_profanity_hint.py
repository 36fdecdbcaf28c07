"""A backtest says when the candidate holds approvals for profanity alone, which no retraining publishes.

A data scientist's walk: a sports desk retrained on 95 approved joy-swears, and its backtest said
"held -> published: 0" with no word that profanity, not the model's toxicity, held them.
"""
from __future__ import annotations

from backtest_data import TableModel, add_comment
from moderation import db
from moderation.cli.backtest_commands import format_result
from moderation.domain.backtest import backtest
from moderation.domain.lifecycle import APPROVED, REJECTED
from moderation.domain.profanity_holds import training_hint
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


def test_a_site_whose_moderators_approved_comments_the_candidate_holds_for_profanity_alone_is_told_the_lever(app, site):
    with app.app_context():
        _decided(site.id, TEXTS)
        db.session.commit()
    hint, printed = _said(app, site.id)
    # The three approved, the one stored as held for toxicity too among them: the shipped model had held
    # joy-swears for both, the retrained one for profanity alone, and counting stored flags missed them
    # (a re-check). Not the rejection, which the candidate holds for toxicity as well.
    assert hint.startswith("3 comments your moderators approved the candidate holds for profanity alone: "
                           "retraining does not change profanity's holds")
    assert "they rejected" not in hint
    assert hint.endswith("To publish swearing, set the \"Hold at\" threshold of profanity on the site's settings page "
                         f"(/admin/sites/{site.id}; docs/moderation.md#a-sites-settings) to 1.")
    assert f"NOTE: {hint}" in printed


def test_a_site_without_such_approvals_is_not_told(app, site):
    with app.app_context():
        _decided(site.id, {t: v for t, v in TEXTS.items() if v[0] == REJECTED})
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
    assert hint.startswith("2 comments your moderators approved the candidate holds for profanity alone")


def test_where_the_lever_would_publish_as_many_rejected_the_hint_says_leave_it(app, site):
    """A re-check: 3 approved and 16 rejected swearing comments still got "set it to 1"."""
    rejected = {f"you absolute {n} clown": (REJECTED, ["profanity"]) for n in range(3)}
    texts = {**{t: v for t, v in TEXTS.items() if v[0] == APPROVED}, **rejected}
    calm = SwearingModel("swear-2", {t: 0.1 for t in texts})  # toxicity holds none of them
    with app.app_context():
        _decided(site.id, texts)
        db.session.commit()
        hint = backtest(db.session, db.session.get(Site, site.id), calm, calm).to_dict()["profanity_hint"]
    assert hint.endswith("to 1 would publish them, and 3 they rejected that it holds for profanity alone too: leave "
                         "it, and decide those by hand.")


def test_a_site_that_auto_rejects_profanity_is_told_to_raise_that_threshold_too(app, site):
    """A re-check: the hint said to set Hold at to 1, which the settings page refuses while profanity's
    auto-reject threshold (0.9) is below it."""
    with app.app_context():
        _decided(site.id, TEXTS)
        row = db.session.get(Site, site.id)
        row.auto_reject, row.reject_thresholds = True, {"profanity": 0.9}
        db.session.commit()
    hint, _ = _said(app, site.id)
    assert hint.startswith("3 comments your moderators approved the candidate holds or rejects for profanity alone")
    assert 'the "Hold at" threshold of profanity and its auto-reject threshold on the site\'s settings page' in hint


def test_a_site_that_already_holds_profanity_at_1_is_not_told(app, site):
    with app.app_context():
        _decided(site.id, TEXTS)
        db.session.get(Site, site.id).thresholds = {"profanity": 1}
        db.session.commit()
    hint, _ = _said(app, site.id)
    assert hint is None
    with app.app_context():  # before training, with no model yet, the site's own setting is read
        assert training_hint(db.session, db.session.get(Site, site.id)) is None
        db.session.get(Site, site.id).thresholds = {}
        # Approvals held with profanity among the reasons, the one toxicity held too included.
        said = training_hint(db.session, db.session.get(Site, site.id))
    assert said.startswith("3 comments your moderators approved were held with profanity among the reasons")
    # No lever before the candidate exists: set now, it would publish rejections toxicity no longer holds
    # and none of the approvals toxicity still holds (a re-check).
    assert said.endswith("Backtest the candidate: it says how many it still holds for profanity alone, and the "
                         "threshold that would publish them.")
