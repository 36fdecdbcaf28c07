"""comments:analyze reads the whole text it accepts, and explains crafted text at a bounded cost."""
from __future__ import annotations

import pytest
from perspective_helpers import ANALYZE, analyze_body

INSULT = "You are a worthless idiot and I hope you die"
PADDING = {
    "spaces": " " * 5000,
    "zero-width spaces": "\u200b" * 5000,
    "civil text": ("Thanks for the thoughtful article, I learned a lot about the city budget. " * 100)[:5000] + " ",
}


@pytest.mark.parametrize("padding", PADDING.values(), ids=PADDING.keys())
def test_an_insult_after_5000_characters_scores_high_and_its_spans_point_at_it(client, site, padding):
    text = padding + INSULT
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(text, spanAnnotations=True))

    assert response.status_code == 200
    toxicity = response.get_json()["attributeScores"]["TOXICITY"]
    assert toxicity["summaryScore"]["value"] > 0.85
    top = max(toxicity["spanScores"], key=lambda s: s["score"]["value"])
    # The sentence it ends, not the padding before it (the civil padding is cut mid-sentence).
    assert text[top["begin"]:top["end"]].endswith(INSULT) and top["begin"] > len(padding) - 80


@pytest.mark.parametrize("char", ["\ufdfa", "\ufdfb", "\u337f"])
def test_span_annotations_of_expanding_characters_are_answered(client, site, char):
    text = char * 6000 + " " + INSULT  # 18 KB of UTF-8, under the 20 KB limit; 108,000 characters once expanded
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(text, spanAnnotations=True))

    assert response.status_code == 200
    assert response.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.85
