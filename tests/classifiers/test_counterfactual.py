from __future__ import annotations

import numpy as np

from classifiers.attributes import ATTRIBUTES
from classifiers.counterfactual import GROUP_ADJECTIVES, GROUP_PLURALS, counterfactual_copies, swapped
from classifiers.recipe import is_held_out

ATTACK = ATTRIBUTES.index("identity_attack")


def _labels(rows: list[dict[str, float]]) -> np.ndarray:
    out = np.full((len(rows), len(ATTRIBUTES)), np.nan)
    for i, row in enumerate(rows):
        for name, value in row.items():
            out[i, ATTRIBUTES.index(name)] = value
    return out


def test_a_swap_keeps_the_form_and_keeps_distinct_groups_distinct() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        text = swapped("Muslims and women are welcome, said the gay teacher", rng)
        words = text.lower().replace(",", "").split()
        assert words[0] in GROUP_PLURALS and words[0] != "muslims"
        assert words[2] in GROUP_PLURALS and words[2] != "women" and words[2] != words[0]
        assert words[-2] in GROUP_ADJECTIVES and words[-2] != "gay"
        assert text[0].isupper()


def test_a_text_naming_no_group_has_no_swap() -> None:
    assert swapped("the weather is nice", np.random.default_rng(0)) is None
    assert swapped("blackberry whitelist", np.random.default_rng(0)) is None  # whole words only


def test_copies_carry_only_the_identity_attack_label_and_the_rows_weight() -> None:
    texts = ["muslims are lovely neighbours", "I hate jews", "no group here", "gay people", "women and men"]
    labels = _labels([
        {"toxicity": 0, "identity_attack": 0}, {"toxicity": 1, "identity_attack": 1}, {"identity_attack": 0},
        {"toxicity": 0}, {"identity_attack": 1}])
    weights = np.array([0.5, 2.0, 1.0, 1.0, 3.0])
    copies, copy_labels, copy_weights = counterfactual_copies(texts, labels, weights, copies=2, copy_weight=0.5)
    assert copies and len(copies) <= 6  # rows 0, 1 and 4; row 3's identity_attack is unknown
    assert np.isnan(np.delete(copy_labels, ATTACK, axis=1)).all()
    by_origin = {"lovely neighbours": (0.0, 0.25), "i hate": (1.0, 1.0), " and ": (1.0, 1.5)}
    for text, label, weight in zip(copies, copy_labels[:, ATTACK], copy_weights):
        origin = next(key for key in by_origin if key in text.lower())
        assert (label, weight) == by_origin[origin]
        assert text not in texts and not is_held_out(text)
