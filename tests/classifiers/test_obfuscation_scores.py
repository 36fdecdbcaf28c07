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
    # Doubled letters and regional indicators standing alone (a red-team walk, 2026-12-06).
    ("I will kill you.", "I will kiillll you."),
    ("You dumb bitch, nobody asked you.", "You du\nmb bi\ntch, nobody asked you."),
    ("Shut up you stupid moron.", "Shut up you sttuuupiiddd moorrronn."),
    ("You are a complete idiot.", "You are a complete \U0001F1EE\u200b\U0001F1E9\u200b\U0001F1EE\u200b\U0001F1F4\u200b\U0001F1F9."),
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


# A wiki-style community signs every post: a reviewer's walk (2026-12-06) saw signed insults scored
# under the hold threshold (4 of 28 held, 11 unsigned), the signature's dozen words against the insult's few.
@pytest.mark.parametrize("signature", [
    " --[[User:Halvorsen|Halvorsen]] ([[User talk:Halvorsen|talk]]) 09:41, 12 May 2026 (UTC)",
    " [[User:Pemberton_J|Pemberton_J]] 23:05, 3 March 2026 (UTC)",
    "\n\n(talk) 03:36, 19 Apr 2005 (UTC)",
    " [[Special:Contributions/192.0.2.7|192.0.2.7]] 08:30, August 3, 2005 (UTC)",
])
def test_a_talk_page_signature_does_not_water_down_a_comment(shipped: CivilityModel, signature: str) -> None:
    for text in ("Shut up. Just shut up. Nobody asked you.", "Thanks for fixing the citation, looks good now."):
        assert shipped.score([text + signature]) == shipped.score([text])
