"""Nigel, Nigella, Nigeria and Nigerians are not read as the slur whose opening they share."""

from __future__ import annotations

import numpy as np
import pytest

from classifiers import CivilityModel
from classifiers.attributes import ATTRIBUTES
from classifiers.name_swaps import name_copies, swapped
from classifiers.recipe import is_held_out

TOXICITY = ATTRIBUTES.index("toxicity")

# A UK tester's sentences (2026-12-06): 2026.12.06-534c8b8a scored the first of each pair 0.52, 0.17,
# 0.14, 0.13 and 0.21, the second 0.15, 0.02, 0.03, 0.04 and 0.03.
PAIRS = [
    ("Nigel Farage should resign.", "Gary Lineker should resign."),
    ("My grandad Nigel passed away last week.", "My grandad Robert passed away last week."),
    ("Nigella Lawson's chocolate cake recipe is still the best one.", "Mary Berry's chocolate cake recipe is still the best one."),
    ("The Nigerian community in Peckham organised the vigil.", "The Ghanaian community in Peckham organised the vigil."),
    ("I went to Niger on a charity trip in 2019.", "I went to Mali on a charity trip in 2019."),
    ("Nigeria's election results are due on Tuesday.", "Kenya's election results are due on Tuesday."),
    ("Nigel, I agree with every word of this.", "Steve, I agree with every word of this."),
]
MARGIN = 0.1


@pytest.mark.parametrize(("named", "other"), PAIRS)
def test_a_civil_sentence_naming_nigel_or_nigeria_scores_as_it_does_with_another_name(
    shipped: CivilityModel, named: str, other: str
) -> None:
    score, baseline = (s["toxicity"] for s in shipped.score([named, other]))
    assert score - baseline < MARGIN, (named, round(score, 3), round(baseline, 3))
    assert score < shipped.card["thresholds"]["toxicity"]


@pytest.mark.parametrize(
    "text", ["nigger", "nigga", "n1gger", "you stupid nigger", "sand nigger", "you n!!!gger", "n i g g e r",
             "n*gger", "fuck you nigga", "nig nog"])
def test_the_slur_is_still_toxic(shipped: CivilityModel, text: str) -> None:
    assert shipped.score([text])[0]["toxicity"] >= shipped.card["thresholds"]["toxicity"]


def test_a_swap_names_nigel_nigella_nigeria_or_nigerians_and_keeps_the_case() -> None:
    rng = np.random.default_rng(0)
    assert swapped("Gary should resign.", rng) == "Nigel should resign."
    assert swapped("Mary Berry's cake", rng) == "Nigella Berry's cake"
    assert swapped("The FRENCH and Canadians", rng) == "The NIGERIAN and Nigerians"
    assert swapped("I went to Kenya.", rng) in ("I went to Nigeria.", "I went to Niger.")


def test_words_that_are_also_names_or_plurals_of_names_are_not_swapped() -> None:
    rng = np.random.default_rng(0)
    for text in ("Mark my words, the bill will pass in May.", "Polish the silver.", "Keeping up with the Joneses",
                 "the johns", "Johnson"):
        assert swapped(text, rng) is None, text


def test_copies_keep_their_rows_labels_toxic_or_not_and_a_share_of_their_weight() -> None:
    """Copies of civil rows alone taught "Nigerians" to be civil: "Nigerians are subhuman." fell to 0.09."""
    texts = ["John wrote a fine piece", "John is a moron", "Kenya won", "no name here", "Ireland lost"]
    labels = np.full((len(texts), len(ATTRIBUTES)), np.nan)
    labels[:, TOXICITY] = [0, 1, 0, 0, np.nan]
    labels[1, ATTRIBUTES.index("insult")] = 1
    weights = np.array([2.0, 1.0, 4.0, 1.0, 1.0])
    copies, copy_labels, copy_weights = name_copies(texts, labels, weights, copy_weight=0.25)
    originals = [0, 1, 2]  # no name in row 3; row 4's toxicity is unknown
    assert [c.split()[0] for c in copies[:2]] == ["Nigel", "Nigel"] and copies[2].split()[0] in ("Nigeria", "Niger")
    np.testing.assert_array_equal(copy_labels, labels[originals])
    assert copy_weights.tolist() == [0.5, 0.25, 1.0]
    assert not any(is_held_out(c) for c in copies)
    assert name_copies(texts, labels, weights, copy_weight=0)[0] == []
