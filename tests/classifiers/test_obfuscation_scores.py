"""Hand-written obfuscated/plain pairs: the shipped model must score them alike."""

from __future__ import annotations

import pytest

from classifiers import ATTRIBUTES, CivilityModel, load_model

PAIRS = [
    ("You are an idiot", "You are an id10t"),
    ("You are an idiot", "You are an ιdιοt"),
    ("What a stupid comment", "What a s t u p i d comment"),
    ("What a stupid comment", "What a stuuuuupid comment"),
    ("Fuck you", "F*ck you"),
    ("Fuck off", "F**k off"),
    ("Shut up you moron", "Shut up you ｍｏｒｏｎ"),
    ("You are a stupid idiot", "You are a 𝐬𝐭𝐮𝐩𝐢𝐝 idiot"),
    ("You idiot", "You id\u200biot"),
    ("This is bullshit", "This is bullsh!t"),
    ("What a bitch", "What a b1tch"),
    ("You are pathetic", "You are раthetiс"),
    ("You dumb loser", "You d-u-m-b loser"),
    ("Great article, thanks", "ＧＲＥＡＴ article, thanks"),
    ("I enjoyed the interview with the mayor", "I enjoyed the interview with the mayor\u200b\u200b"),
    # A right-to-left override: a browser draws the letters after it backwards, so they read as here
    ("You are a stupid idiot.", "\u202e.toidi diputs a era uoY\u202c"),
    ("you are a moron", "you are a \u202enorom\u202c"),
]


@pytest.fixture(scope="module")
def shipped() -> CivilityModel:
    return load_model()


@pytest.mark.parametrize(("plain", "obfuscated"), PAIRS)
def test_obfuscation_does_not_change_scores(shipped: CivilityModel, plain: str, obfuscated: str) -> None:
    plain_scores, obfuscated_scores = shipped.score([plain, obfuscated])
    for attribute in ATTRIBUTES:
        assert abs(plain_scores[attribute] - obfuscated_scores[attribute]) <= 0.1, attribute


def test_the_pairs_are_not_trivially_identical(shipped: CivilityModel) -> None:
    # A model that scored everything alike would pass the test above; this one must not.
    abusive, civil = shipped.score(["You are a worthless idiot", "Great article, thanks"])
    assert abusive["toxicity"] - civil["toxicity"] > 0.5
