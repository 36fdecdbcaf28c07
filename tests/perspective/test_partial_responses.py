"""`?fields=`: Google's partial responses, on comments:analyze and comments:suggestscore."""
from __future__ import annotations

import pytest
from perspective_helpers import ANALYZE, SUGGEST, analyze_body
from sqlalchemy import func, select

from moderation import db
from moderation.models import LabelledExample
from moderation.perspective.partial import parse_fields, select_fields


def test_a_client_that_asks_for_one_score_gets_only_that_score(client, site):
    body = analyze_body("You are an idiot.", "TOXICITY", "INSULT", spanAnnotations=True)
    full = client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()
    assert set(full) >= {"attributeScores", "languages"} and "spanScores" in full["attributeScores"]["TOXICITY"]

    only = client.post(f"{ANALYZE}?key={site.api_key}&fields=attributeScores/TOXICITY/summaryScore", json=body)
    assert only.status_code == 200
    assert only.get_json() == {"attributeScores": {"TOXICITY": {"summaryScore": full["attributeScores"]["TOXICITY"]["summaryScore"]}}}

    both = client.post(f"{ANALYZE}?key={site.api_key}&fields=attributeScores(*/summaryScore/value),languages",
                       json=body).get_json()
    assert both == {"languages": full["languages"], "attributeScores": {
        a: {"summaryScore": {"value": full["attributeScores"][a]["summaryScore"]["value"]}} for a in ("TOXICITY", "INSULT")}}


@pytest.mark.parametrize("fields", ["attributeScores(TOXICITY", "attributeScores/", ",languages", "a b/(c)", "x" * 1001,
                                    "a/" * 499 + "b", "a(" * 300 + "b" + ")" * 300, "attributeScores/TOXICITY/ünïcode"])
def test_a_selection_that_does_not_parse_is_refused_and_a_suggestion_is_not_stored(client, app, site, fields):
    analyzed = client.post(ANALYZE, query_string={"key": site.api_key, "fields": fields},
                           json=analyze_body("Hello."))
    assert analyzed.status_code == 400 and analyzed.get_json()["error"]["status"] == "INVALID_ARGUMENT"
    suggested = client.post(SUGGEST, query_string={"key": site.api_key, "fields": fields}, json={
        "comment": {"text": "You idiot."}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
        "languages": ["en"]})
    assert suggested.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LabelledExample)) == 0


def test_selections_merge_and_unknown_names_select_nothing():
    assert parse_fields("a/b,a/c") == {"a": {"b": None, "c": None}}
    assert parse_fields("a/b, a") == {"a": None}
    answer = {"a": {"b": 1, "c": 2, "d": 3}, "e": [{"f": 1, "g": 2}]}
    assert select_fields(answer, parse_fields("a(b,c),e/f,nothing")) == {"a": {"b": 1, "c": 2}, "e": [{"f": 1}]}
    assert select_fields(answer, parse_fields("")) is answer
