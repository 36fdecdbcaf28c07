"""The shipped model's profanity head: an obscenity is profane, however else a comment reads."""

from __future__ import annotations

import pytest

from classifiers import CivilityModel

# Each scored under the profanity threshold (0.547) before obscenities were labelled profane over
# civil_spans' one-type spans (model 22e56566: 0.00, 0.11, 0.01, 0.25).
OBSCENE = ["shut up cunt", "motherfucker", "dickhead", "fucking brilliant article", "what the f*ck"]


@pytest.mark.parametrize("text", OBSCENE)
def test_an_obscenity_is_profane(shipped: CivilityModel, text: str) -> None:
    assert shipped.score([text])[0]["profanity"] >= shipped.thresholds["profanity"]


# Words that hold an obscenity's letters, and a civil disagreement: a threshold chosen at 0.07, as
# the first retrain with the rule had it, held "Shiitake mushrooms are in season" (0.08).
@pytest.mark.parametrize("text", ["Shiitake mushrooms are in season", "Scunthorpe council meets tonight",
                                  "The cocktail bar on Dickens Street opens at 9", "I disagree with the mayor, his plan is dumb"])
def test_words_that_only_look_obscene_are_not(shipped: CivilityModel, text: str) -> None:
    assert shipped.score([text])[0]["profanity"] < shipped.thresholds["profanity"]


def test_a_curse_word_used_kindly_is_profane_but_not_severely_toxic(shipped: CivilityModel) -> None:
    # Severity's derived label reads people's profanity labels, not the word list; reading the list
    # (model 7cf42cb3) gave this 0.58 as severely toxic.
    scores = shipped.score(["holy shit that's great news"])[0]
    assert scores["profanity"] >= shipped.thresholds["profanity"]
    assert scores["severe_toxicity"] < 0.25
