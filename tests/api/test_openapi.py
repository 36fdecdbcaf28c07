"""The OpenAPI document describes exactly the routes the blueprint serves."""
from __future__ import annotations

import re


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z0-9]+:)?([a-z0-9_]+)>", r"{\1}", rule)


def test_the_openapi_document_lists_every_api_route_and_nothing_else(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    served = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert served == documented


def test_the_openapi_document_needs_no_key(client):
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_every_documented_schema_reference_exists(client):
    document = client.get("/api/v1/openapi.json").get_json()
    refs = set(re.findall(r'"#/components/schemas/(\w+)"', client.get("/api/v1/openapi.json").get_data(as_text=True)))
    assert refs <= set(document["components"]["schemas"])
