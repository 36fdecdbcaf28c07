"""An identity attack is toxic: toxicity is never below 0.7 x the identity-attack score, and its
highlights say why."""

from __future__ import annotations

import numpy as np
import pytest

from classifiers import CivilityModel
from classifiers.attributes import ATTRIBUTES
from classifiers.floors import ScoreFloors

TOXICITY, IDENTITY_ATTACK = ATTRIBUTES.index("toxicity"), ATTRIBUTES.index("identity_attack")
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
