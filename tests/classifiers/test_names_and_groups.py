"""Naming a group by its noun, or a politician or party, is not a reason to hold a comment."""

from __future__ import annotations

import numpy as np
import pytest

from classifiers import CivilityModel
from classifiers.debias import GROUP_NOUNS, PARTY_NAMES, PEOPLE_NAMES, RELIGION_NAMES, neutralise_identity_terms
from classifiers.features import CivilityFeatures
from classifiers.heads import MaskedLinearHeads
from classifiers.ngram_cache import char_ngrams, hash_column

# Each scored at or above the toxicity threshold before group nouns and political names were
# neutralised ("My neighbours are Jews." 0.80, "I voted for Joe Biden." 0.91).
CIVIL = [
    "My neighbours are Jews.",
    "Jews celebrate Hanukkah this week.",
    "Islam is a religion.",
    "Many blacks voted in the election.",
    "Gays live in this town.",
    "The school welcomes homosexuals.",
    "I voted for Joe Biden.",
    "My dad likes Joe Biden.",
    "Joe Biden will visit our town next week.",
    "Trump is in cahoots with the Russians and the aliens!",
]


@pytest.mark.parametrize("text", CIVIL)
def test_a_civil_comment_naming_a_group_or_a_politician_is_not_flagged_as_toxic(shipped: CivilityModel, text: str) -> None:
    assert shipped.score([text])[0]["toxicity"] < shipped.card["thresholds"]["toxicity"]


def test_abuse_that_names_a_group_or_a_politician_is_still_flagged(shipped: CivilityModel) -> None:
    threshold = shipped.card["thresholds"]["toxicity"]
    for text in ("Jews are disgusting vermin", "Biden is a senile idiot", "shut up you stupid liberal"):
        assert shipped.score([text])[0]["toxicity"] >= threshold, text


def test_group_nouns_and_parties_lose_their_word_column_only_and_people_their_ngrams_too() -> None:
    features = CivilityFeatures()
    heads = MaskedLinearHeads()
    heads.attributes_ = ["toxicity", "insult", "identity_attack"]
    heads.weights_ = np.ones((features.n_features, 3))
    done = neutralise_identity_terms(features, heads, RELIGION_NAMES + PEOPLE_NAMES, word_only=GROUP_NOUNS + PARTY_NAMES)
    word, char = 1 << features.word_bits, 1 << features.char_bits

    def column(gram: str) -> int:
        return word + hash_column(gram, char)

    for name in ("liberals", "jews", "biden"):
        assert heads.weights_[hash_column(name, word), :2].tolist() == [0.0, 0.0], name
    assert heads.weights_[column("eral"), 0] == 1.0  # of "liberal", and of "general": kept
    # A short noun's n-grams that are the whole word (" jews", "jews ") are the word itself.
    assert all(heads.weights_[column(g), 0] == 0.0 for g in char_ngrams("jews", 3, 5) if g.strip() == "jews")
    assert heads.weights_[column("ews "), 0] == 1.0  # the end of "news" too: kept
    for name in ("islam", "biden"):
        assert all(heads.weights_[column(g), 0] == 0.0 for g in char_ngrams(name, 3, 5) if len(g.strip()) >= 4)
    assert heads.weights_[:, 2].min() == 1.0  # identity_attack keeps every weight
    assert "liberals" in done["word_only"] and "biden" in done["terms"]


def test_severe_toxicity_loses_the_groups_nouns_but_not_the_other_identity_words() -> None:
    """Severe toxicity is learnt from hate-speech labels: "Jews" alone scored 0.99 there."""
    features = CivilityFeatures()
    heads = MaskedLinearHeads()
    heads.attributes_ = ["toxicity", "severe_toxicity"]
    heads.weights_ = np.ones((features.n_features, 2))
    done = neutralise_identity_terms(features, heads, RELIGION_NAMES + PEOPLE_NAMES, word_only=GROUP_NOUNS)
    word = 1 << features.word_bits

    assert heads.weights_[hash_column("jews", word)].tolist() == [0.0, 0.0]
    assert heads.weights_[hash_column("islam", word)].tolist() == [0.0, 1.0]
    assert done["heads"] == ["toxicity"] and done["word_only_heads"] == ["toxicity", "severe_toxicity"]


def test_a_civil_sentence_naming_a_group_is_not_severely_toxic(shipped: CivilityModel) -> None:
    threshold = shipped.card["thresholds"]["severe_toxicity"]
    for text in ("Jews", "Jews and Muslims marched together for peace.", "My neighbours are Jews."):
        assert shipped.score([text])[0]["severe_toxicity"] < 0.5 * threshold, text


# An identity-bias auditor's walk (2026-12-06): held before health and disability words were
# neutralised (0.81, 0.58, 0.70, 0.67 with model 95664974).
HEALTH = [
    "People with mental illness deserve better care than this.",
    "I am a person with mental illness.",
    "I am mentally ill.",
    "My neighbour is a person with mental illness.",
]
# Said to someone, the same words still are: "mentally" is kept for these.
AIMED = ["You're clearly mentally ill, get help.", "You are mentally ill.", "You autistic moron.",
         "Are you disabled or just stupid?"]


@pytest.mark.parametrize("text", HEALTH)
def test_a_reader_naming_their_own_illness_is_not_flagged_as_toxic(shipped: CivilityModel, text: str) -> None:
    assert shipped.score([text])[0]["toxicity"] < shipped.card["thresholds"]["toxicity"]


@pytest.mark.parametrize("text", AIMED)
def test_illness_or_disability_thrown_at_someone_is_still_flagged(shipped: CivilityModel, text: str) -> None:
    assert shipped.score([text])[0]["toxicity"] >= shipped.card["thresholds"]["toxicity"]
