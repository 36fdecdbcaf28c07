"""Long and expanding texts: every accepted character is scored, and explaining costs a bounded amount."""
from __future__ import annotations

import pytest

from classifiers import CivilityModel
from classifiers.normalise import mapped_length
from classifiers.pooling import pooled_scores

INSULT = "You are a worthless idiot and I hope you die"
CIVIL = "Thanks for the thoughtful article, I learned a lot about the city budget. "
PADDING = {
    "spaces": " " * 5000,
    "zero-width spaces": "\u200b" * 5000,
    "civil text": (CIVIL * 100)[:5000] + " ",
}



@pytest.mark.parametrize("padding", PADDING.values(), ids=PADDING.keys())
def test_an_insult_after_5000_characters_is_scored(shipped: CivilityModel, padding: str) -> None:
    text = padding + INSULT
    toxicity = shipped.score([text])[0]["toxicity"]
    assert toxicity > 0.85 > shipped.thresholds["toxicity"]


@pytest.mark.parametrize("padding", PADDING.values(), ids=PADDING.keys())
def test_the_explanation_of_a_long_text_points_at_the_insult(shipped: CivilityModel, padding: str) -> None:
    text = padding + INSULT
    top = shipped.explain(text, ["toxicity"])["toxicity"][0]
    assert top["begin"] >= len(padding)
    assert text[top["begin"] : top["end"]] == top["text"] and top["text"] in INSULT.split()


def test_an_insult_in_the_middle_of_20000_characters_is_scored(shipped: CivilityModel) -> None:
    text = (CIVIL * 300)[:11000] + " " + INSULT + " " + (CIVIL * 300)[:9000]
    assert shipped.score([text])[0]["toxicity"] > shipped.thresholds["toxicity"]


def test_a_batch_mixing_long_and_short_texts_keeps_each_texts_score(shipped: CivilityModel) -> None:
    short = ["Thanks, a fine article.", INSULT]
    long = " " * 6000 + INSULT
    mixed = shipped.score([short[0], long, short[1]])
    alone = shipped.score(short)
    assert mixed[0] == alone[0] and mixed[2] == alone[1]
    assert mixed[1]["toxicity"] > 0.85


def test_texts_the_model_reads_at_once_score_exactly_as_the_pipeline_does(shipped: CivilityModel) -> None:
    texts = [INSULT, (CIVIL * 100)[:5000], "ﬁne ｗｏｒｋ 👍", "what a ѕtuріd take"]
    # The pipeline, then the card's sentence pooling (classifiers/pooling.py): nothing of windows.
    expected = pooled_scores(shipped.features, shipped.heads, texts, shipped.pooling)
    assert (shipped.predict_matrix(texts) == expected).all()


EXPANDING = {
    "U+FDFA": "\ufdfa" * 20000,
    "U+FDFB": "\ufdfb" * 20000,
    "squared words": "\u337f\u3300\u3331" * 6666,
    "mixed with an insult": "\ufdfa" * 19000 + " " + INSULT,
}


@pytest.mark.parametrize("text", EXPANDING.values(), ids=EXPANDING.keys())
def test_explaining_expanding_characters_stays_within_the_budget(shipped: CivilityModel, text: str) -> None:
    assert mapped_length(text) > 4 * shipped.explain_budget  # expands far beyond what is explained
    windows = shipped.explanation_windows(text, shipped.attributes)
    assert windows and sum(mapped_length(text[a:b]) for a, b in windows) <= shipped.explain_budget
    explained = shipped.explain(text)
    assert set(explained) == set(shipped.attributes)


def test_an_insult_after_expanding_characters_is_scored_and_explained(shipped: CivilityModel) -> None:
    text = EXPANDING["mixed with an insult"]
    assert shipped.score([text])[0]["toxicity"] > shipped.thresholds["toxicity"]
    top = shipped.explain(text, ["toxicity"])["toxicity"][0]
    assert top["begin"] > 19000 and text[top["begin"] : top["end"]] in INSULT.split()


def test_a_long_text_without_a_window_worth_explaining_may_get_fewer_spans_never_an_error(shipped: CivilityModel) -> None:
    text = " ".join(["fine"] * 9000)
    assert shipped.explain(text, budget=0) == {a: [] for a in shipped.attributes}
