"""An identity attack is toxic: toxicity is never below 0.7 x the identity-attack score, and its
highlights say why."""

from __future__ import annotations

import json

import numpy as np
import pytest

from classifiers import CivilityModel, UntrustedModelError
from classifiers.model import load_model_bytes
from classifiers.paths import card_path_for
from classifiers.attributes import ATTRIBUTES
from classifiers.floors import ScoreFloors
from classifiers.pooling import pooled_scores

TOXICITY, IDENTITY_ATTACK = ATTRIBUTES.index("toxicity"), ATTRIBUTES.index("identity_attack")
# The toxicity head has "jews" neutralised and scores these low by their other words alone.
ATTACKS = ["the holocaust never happened, jews made it up", "Jews are behind every war."]


def _unfloored(model: CivilityModel, texts: list[str]) -> np.ndarray:
    return pooled_scores(model.features, model.heads, texts, model.pooling)


def test_an_identity_attack_the_toxicity_head_misses_scores_higher_as_toxicity(shipped: CivilityModel) -> None:
    scores, alone = shipped.predict_matrix(ATTACKS), _unfloored(shipped, ATTACKS)
    assert np.all(scores[:, TOXICITY] >= 0.7 * scores[:, IDENTITY_ATTACK] - 1e-12)
    assert np.all(scores[:, TOXICITY] > alone[:, TOXICITY] + 0.05)


def test_its_toxicity_highlights_are_the_identity_attack_heads_words(shipped: CivilityModel) -> None:
    spans = shipped.explain(ATTACKS[0], ["toxicity", "identity_attack"])
    # The identity-attack head's words, less the group named, which only identity attack marks
    # (classifiers.explain.GROUP_NAMES).
    assert "jews" in [s["text"] for s in spans["identity_attack"]]
    assert spans["toxicity"] == [s for s in spans["identity_attack"] if s["text"] != "jews"] != []
    # Asked for identity attack alone, the window is not scored again to learn what set toxicity.
    assert shipped.explain(ATTACKS[0], ["identity_attack"])["identity_attack"] == spans["identity_attack"]
    assert not shipped.floors.applies_to(["identity_attack", "insult"]) and shipped.floors.applies_to(["toxicity"])


def test_readers_naming_their_own_group_are_not_flagged_as_toxic(shipped: CivilityModel) -> None:
    # The floor lifts the last from 0.10 to 0.34 (identity attack 0.48): at scale 1 a comment like
    # it in cad_reddit crossed the threshold.
    texts = ["I am a proud gay man", "As a gay Jewish man, thank you for writing this.",
             "Hey! Gay Mexican American here! All the love to you!", "Gay white Mexican American here! Much love!"]
    assert np.all(shipped.predict_matrix(texts)[:, TOXICITY] < shipped.thresholds["toxicity"])


def test_training_records_the_floor_and_a_card_without_one_scores_as_before(tiny_model: CivilityModel) -> None:
    assert tiny_model.card["scoring"]["floors"]["pairs"] == [{"attribute": "toxicity", "at_least": "identity_attack", "scale": 0.7}]
    older = CivilityModel(tiny_model.pipeline, {**tiny_model.card, "scoring": {}}, tiny_model.version)
    assert older.floors is None
    texts = ["you are a stupid idiot", "the weather is nice", "those people are vermin"]
    assert np.array_equal(older.predict_matrix(texts), tiny_model.heads.predict_proba(tiny_model.features.transform_raw(texts)))


def test_apply_raises_only_the_scores_below_the_floor() -> None:
    scores = np.zeros((2, len(ATTRIBUTES)))
    scores[0, [TOXICITY, IDENTITY_ATTACK]] = 0.2, 0.9
    scores[1, [TOXICITY, IDENTITY_ATTACK]] = 0.8, 0.9
    floors = ScoreFloors()
    assert floors.raised_by(scores[0]) == {"toxicity": "identity_attack"} and floors.raised_by(scores[1]) == {}
    floors.apply(scores)
    assert scores[:, TOXICITY] == pytest.approx([0.63, 0.8])
    assert ScoreFloors.from_card({"scoring": floors.as_card()}) == floors


@pytest.mark.parametrize("pair", [("toxicity", "toxicity", 0.7), ("toxicity", "rudeness", 0.7), ("toxicity", "identity_attack", 0.0),
                                  ("toxicity", "identity_attack", 1.5)])
def test_floor_settings_are_checked(pair: tuple[str, str, float]) -> None:
    with pytest.raises(ValueError):
        ScoreFloors(pairs=(pair,))


@pytest.mark.parametrize("floors", [{"pairs": [{"attribute": "toxicity", "at_least": "identity_attack"}]},
                                    {"pairs": [{"attribute": "toxicity", "at_least": "identity_attack", "scale": "x"}]},
                                    {"pairs": "toxicity"}])
def test_a_card_with_a_malformed_floor_is_refused_by_name(floors: dict) -> None:
    with pytest.raises(ValueError, match="scoring.floors"):
        ScoreFloors.from_card({"scoring": {"floors": floors}})


def test_loading_a_model_whose_card_has_a_malformed_floor_fails_as_untrusted(tiny_model_path) -> None:
    card = json.loads(card_path_for(tiny_model_path).read_text())
    card["scoring"]["floors"]["pairs"][0].pop("scale")
    with pytest.raises(UntrustedModelError, match="unreadable model card"):
        load_model_bytes(tiny_model_path.read_bytes(), json.dumps(card).encode(), name="candidate")
