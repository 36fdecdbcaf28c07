"""comments:analyze raises the attributes the plain-words matchers speak for: a Perspective client
asks for one attribute and holds above its threshold, and the comment API's rules never reached it.

A migrating site's walk (2026-12-05), Coral's body at docs/perspective.md's threshold of 51: "We should hang
every journalist." scored toxicity 0.34, "Someone should shoot the mayor." 0.26, "Go back to your
country." 0.41 and "kys" 0.05, all published.
"""
from __future__ import annotations

import pytest
from perspective_helpers import ANALYZE, analyze_body

from moderation.perspective.plain_words import FLOOR

CORAL_THRESHOLD = 0.51


def _scores(client, site, text: str, *attributes: str, **extra) -> dict:
    answer = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(text, *attributes, **extra))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["attributeScores"]


@pytest.mark.parametrize("text, also", [
    ("We should hang every journalist.", "THREAT"),
    ("Someone should shoot the mayor.", "THREAT"),
    ("Go back to your country.", "IDENTITY_ATTACK"),
    ("kys", "SEVERE_TOXICITY"),
])
def test_what_the_rules_hold_on_the_comment_api_scores_above_any_coral_threshold(client, site, text, also):
    scores = _scores(client, site, text, "TOXICITY", also)
    assert scores["TOXICITY"]["summaryScore"]["value"] >= FLOOR > CORAL_THRESHOLD
    assert scores[also]["summaryScore"]["value"] >= FLOOR


@pytest.mark.parametrize("text", ["The killing of the journalist was a tragedy and the police must investigate.",
                                  "I'm going to kill myself tonight.",  # at risk: no toxicity of theirs
                                  "This film is killer, I'd shoot it again."])
def test_what_no_matcher_reads_keeps_the_models_score(client, site, text):
    assert _scores(client, site, text, "TOXICITY", "THREAT")["THREAT"]["summaryScore"]["value"] < FLOOR


def test_only_the_sentence_the_matcher_reads_is_raised_among_the_spans(client, site):
    scores = _scores(client, site, "Thanks for the careful reporting. Someone should shoot the mayor.", "THREAT",
                     spanAnnotations=True)
    first, second = scores["THREAT"]["spanScores"]
    assert first["score"]["value"] < CORAL_THRESHOLD and second["score"]["value"] >= FLOOR
