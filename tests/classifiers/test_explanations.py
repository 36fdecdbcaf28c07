from __future__ import annotations

import numpy as np
import pytest

from classifiers import ATTRIBUTES, CivilityModel



def test_the_top_toxicity_span_is_the_insult(shipped: CivilityModel) -> None:
    spans = shipped.explain("you are an idiot")["toxicity"]
    assert "idiot" in spans[0]["text"]


@pytest.mark.parametrize(
    ("text", "offending"),
    [
        ("you are an id10t", "id10t"),
        ("you are a s t u p i d person", "s t u p i d"),
        ("what a ѕtuріd take", "ѕtuріd"),
        ("Well, you   IDIOTTTT!!", "IDIOTTTT"),
    ],
)
def test_spans_of_obfuscated_words_point_into_the_original_text(
    shipped: CivilityModel, text: str, offending: str
) -> None:
    top = shipped.explain(text, ["toxicity"])["toxicity"][0]
    assert text[top["begin"] : top["end"]] == top["text"] == offending


def test_spans_are_positive_sorted_and_limited(shipped: CivilityModel) -> None:
    result = shipped.explain("You are a worthless idiot and I hope you die", top_k=3)
    assert set(result) == set(shipped.attributes)
    for spans in result.values():
        scores = [s["score"] for s in spans]
        assert len(spans) <= 3 and all(s > 0 for s in scores) and scores == sorted(scores, reverse=True)


def test_a_civil_comment_has_no_strong_toxic_span(shipped: CivilityModel) -> None:
    spans = shipped.explain("Thanks for the thoughtful article, I learned a lot about the city budget.")["toxicity"]
    assert all(s["score"] < 1.0 for s in spans)


def test_span_scores_account_for_the_raw_score(tiny_model: CivilityModel) -> None:
    text = "stupid idiot, thanks"  # no function word, which is never marked (below)
    spans = tiny_model.explain(text, ["toxicity"], top_k=100)["toxicity"]
    raw = tiny_model.heads.decision_function(tiny_model.features.transform([text]))[0, 0]
    # Spans carry only the positive contributions, so together they reach at least the raw
    # log-odds above the intercept.
    assert sum(s["score"] for s in spans) >= raw - tiny_model.heads.intercept_[0] - 1e-6
    assert {s["text"] for s in spans[:2]} == {"stupid", "idiot"}


def test_insufficient_attributes_are_explained_by_the_head_they_copy(tiny_model: CivilityModel) -> None:
    assert "threat" not in tiny_model.attributes
    result = tiny_model.explain("you are a stupid idiot", ["threat", "toxicity"])
    assert result["threat"] == result["toxicity"]
    assert result["toxicity"]


def test_the_shipped_model_scores_all_six_attributes_with_heads_of_their_own(shipped: CivilityModel) -> None:
    assert set(shipped.attributes) == set(ATTRIBUTES)
    result = shipped.explain("I will kill you, you fucking idiot", ["threat", "profanity", "toxicity"])
    assert result["threat"] != result["toxicity"]
    assert {s["text"].lower() for s in result["threat"][:2]} & {"kill"}
    assert {s["text"].lower() for s in result["profanity"][:2]} & {"fucking"}


def test_it_rejects_unknown_attributes(shipped: CivilityModel) -> None:
    with pytest.raises(ValueError):
        shipped.explain("hello", ["rudeness"])


def test_explanations_leave_out_words_that_add_little(shipped: CivilityModel) -> None:
    spans = shipped.explain(
        "What a stupid, pathetic excuse for journalism. The author is a moron.", attributes=["toxicity"])
    highlighted = {s["text"].lower() for s in spans["toxicity"]}
    assert {"stupid", "moron"} <= highlighted
    assert not highlighted & {"the", "is", "a", "journalism", "what"}


@pytest.mark.parametrize("text, reason", [
    ("Not all Muslims are terrorists, and pretending otherwise is how Price got elected.", "terrorists"),
    ("Muslims are vermin and shouldn't be allowed to vote.", "vermin"),
    ("Black voters are too stupid to read a ballot.", "stupid"),
    ("the holocaust never happened, jews made it up", "holocaust"),
    ("The muslim's vote is bought, stupid fools.", "stupid"),
    ("Every gay's opinion here is worthless garbage.", "garbage"),
    # Singular nouns, which are no adjective as well: a re-check found "jew's" and "woman's" marked.
    ("That jew's article is pure garbage, stupid fool.", "stupid"),
    ("A woman's opinion here is worthless garbage.", "garbage"),
    ("That immigrant is a filthy parasite.", "parasite"),
    ("The homosexual next door is a disgusting pervert.", "pervert"),
])
def test_a_group_named_is_marked_only_as_the_group_an_attack_is_on(shipped: CivilityModel, text: str, reason: str) -> None:
    # A moderator reads each word marked for toxicity or insult as why the comment was held (an
    # election night's walk); under identity attack the group named says who was attacked.
    spans = shipped.explain(text)
    marked = {s["text"].lower() for attribute, found in spans.items() if attribute != "identity_attack" for s in found}
    assert reason in marked
    assert not marked & {"muslims", "black", "jews", "gay", "white", "muslim's", "gay's", "jew's", "woman's", "immigrant",
                         "homosexual"}


@pytest.mark.parametrize("text, group, reason, named_as_attacked", [
    # Groups classifiers/groups.py's swaps do not know: a re-check found these marked for toxicity,
    # insult or threat beside the insult itself.
    ("The Nigerians here are worthless morons.", "nigerians", "morons", True),
    ("Palestinians are vermin.", "palestinians", "vermin", True),
    ("Germans are stupid.", "germans", "stupid", True),
    ("Aussies are dumb morons.", "aussies", "morons", False),
    ("Israelis are murderous pigs.", "israelis", "pigs", False),
    ("Kiwis are idiots.", "kiwis", "idiots", False),
])
def test_a_nationality_beside_an_insult_is_not_marked_as_the_insult(
    shipped: CivilityModel, text: str, group: str, reason: str, named_as_attacked: bool
) -> None:
    spans = shipped.explain(text)
    marks = {attribute: {s["text"].lower() for s in found} for attribute, found in spans.items()}
    assert reason in marks["toxicity"]
    assert all(group not in found for attribute, found in marks.items() if attribute != "identity_attack")
    if named_as_attacked:
        assert group in marks["identity_attack"]


def test_group_names_are_made_in_both_numbers_and_leave_slurs_out() -> None:
    from classifiers.group_names import GROUP_NAME_PHRASES, GROUP_NAME_WORDS

    assert {"somali", "somalis", "pakistani", "pakistanis", "romanies", "yazidis", "rohingya", "chinese", "swiss", "englishmen", "frenchwoman",
            "migrants", "roma", "travellers", "brits", "poles", "sikhs", "atheists", "lesbians", "amputees"} <= GROUP_NAME_WORDS
    assert ("asylum", "seekers") in GROUP_NAME_PHRASES
    # A slur is the offence, and "seekers" alone is no group ("attention seekers").
    assert not {"paki", "pakis", "kike", "tranny", "retard", "fag", "dyke", "seekers"} & GROUP_NAME_WORDS
    # Names many of the group take for a slur are the offence where they are the whole comment
    # ("You Moslem." was held with no word marked: a re-check).
    assert not {"moslem", "moslems", "gypsy", "gypsies", "gipsy"} & GROUP_NAME_WORDS


@pytest.mark.parametrize("text, left_out", [
    ('The prosecutor read out his texts, which called her a "worthless slag". Disgusting man, glad he\'s going down.',
     {"he's", "his", "her", "a"}),
    ("He absolutely destroyed their full back all afternoon, what a player.", {"their", "all", "a"}),
])
def test_function_words_are_never_marked_as_a_reason(shipped: CivilityModel, text: str, left_out: set[str]) -> None:
    """A trust and safety analyst's cards read "insult: he's" beside "worthless slag", and "their" for a
    footballer's praise: words that tell a moderator nothing."""
    found = shipped.explain(text, ["toxicity", "insult", "threat"])
    marked = {s["text"].lower() for spans in found.values() for s in spans}
    assert not marked & left_out
    assert marked  # the content words stay: "worthless", "destroyed"


@pytest.mark.parametrize("text, attribute, marked", [
    ("Up yours, up yours, up yours!", "toxicity", {"yours"}),  # read "toxicity: '!'" (a re-check)
    ("We know where you are.", "toxicity", {"you"}),  # only function words: they are the reason then
    ("You Moslem.", "toxicity", {"moslem"}),
])
def test_punctuation_is_never_marked_and_function_words_are_when_nothing_else_is(
        shipped: CivilityModel, text: str, attribute: str, marked: set[str]) -> None:
    spans = shipped.explain(text, [attribute])[attribute]
    assert {s["text"].lower() for s in spans} == marked
