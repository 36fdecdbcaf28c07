"""Strings PostgreSQL or JSON cannot hold (NUL, unpaired surrogates, NaN) are a 400, never a 500."""
from __future__ import annotations

import json

import pytest
from perspective_helpers import ANALYZE, SUGGEST, analyze_body
from sqlalchemy import func, select
from test_errors import error_of

from moderation import db
from moderation.models import LabelledExample


def suggest_body(**extra: object) -> dict:
    return {"comment": {"text": "You are a pathetic idiot."},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}, **extra}


def post_raw(client, url: str, key: str, body: str):
    return client.post(f"{url}?key={key}", data=body.encode(), content_type="application/json")


BAD_STRINGS = {"nul": "a\\u0000b", "lone surrogate": "a\\ud800b"}


@pytest.mark.parametrize("bad", BAD_STRINGS.values(), ids=BAD_STRINGS.keys())
@pytest.mark.parametrize("where", ["text", "clientToken", "communityId", "context"])
def test_suggestscore_refuses_strings_postgres_cannot_store(app, client, site, bad, where):
    body = json.dumps(suggest_body(clientToken="TOKEN", communityId="COMMUNITY",
                                   context={"entries": [{"text": "CONTEXT"}]}))
    body = body.replace({"text": "You are a pathetic idiot.", "clientToken": "TOKEN",
                         "communityId": "COMMUNITY", "context": "CONTEXT"}[where], bad)

    error_of(post_raw(client, SUGGEST, site.api_key, body), 400, "INVALID_ARGUMENT")
    with app.app_context():
        assert db.session.scalar(select(func.count(LabelledExample.id))) == 0


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])  # the last two overflow to infinity
def test_suggestscore_refuses_nan_and_infinity_in_context(app, client, site, number):
    body = json.dumps(suggest_body(context={"entries": [{"text": "x", "weight": 1}]})).replace('"weight": 1', f'"weight": {number}')

    error_of(post_raw(client, SUGGEST, site.api_key, body), 400, "INVALID_ARGUMENT")
    with app.app_context():
        assert db.session.scalar(select(func.count(LabelledExample.id))) == 0


def test_suggestscore_refuses_a_json5_hex_number_past_pythons_digit_limit(app, client, site):
    """A re-check: 0xfff... (3,700 digits) in the context was read, then failed to be stored, a 500."""
    body = ('{comment: {text: "hi"}, attributeScores: {TOXICITY: {summaryScore: {value: 1}}}, '
            'context: {entries: [{text: "x"}], n: 0x' + "f" * 3700 + '}}')
    error_of(post_raw(client, SUGGEST, site.api_key, body), 400, "INVALID_ARGUMENT")
    with app.app_context():
        assert db.session.scalar(select(func.count(LabelledExample.id))) == 0


def test_analyze_refuses_text_it_cannot_encode(client, site):
    body = json.dumps(analyze_body("Hello there")).replace("Hello there", BAD_STRINGS["lone surrogate"])

    message = error_of(post_raw(client, ANALYZE, site.api_key, body), 400, "INVALID_ARGUMENT")
    assert "surrogate" in message


def test_analyze_still_scores_text_with_nul_which_it_never_stores(client, site):
    body = json.dumps(analyze_body("Hello there")).replace("Hello there", BAD_STRINGS["nul"])

    assert post_raw(client, ANALYZE, site.api_key, body).status_code == 200


def test_suggestscore_refuses_a_context_over_its_size_limit(app, client, site):
    body = suggest_body(context={"entries": [{"text": "x" * (64 * 1024)}]})

    message = error_of(client.post(f"{SUGGEST}?key={site.api_key}", json=body), 400, "INVALID_ARGUMENT")
    assert "context" in message
    with app.app_context():
        assert db.session.scalar(select(func.count(LabelledExample.id))) == 0
