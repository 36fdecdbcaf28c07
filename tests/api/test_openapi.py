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


def _strict(schema, components):
    """An OpenAPI 3.0.3 schema as JSON Schema, read as a strict client reads it: `nullable` adds null
    only beside a `type`, and an enum lists every value allowed, null too."""
    if isinstance(schema, list):
        return [_strict(item, components) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return _strict(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    converted = {key: _strict(value, components) for key, value in schema.items() if key != "nullable"}
    if schema.get("nullable") and "type" in schema:
        converted["type"] = [schema["type"], "null"]
    return converted


def test_what_the_api_sends_and_takes_as_null_is_null_in_the_document_read_strictly(client, site):
    """An integrator's walk: openapi-generator clients failed on an open report's "outcome": null and an
    unsanctioned author's "sanction": null, and would not send a null parent_id."""
    import jsonschema_rs

    document = client.get("/api/v1/openapi.json").get_json()
    components = document["components"]["schemas"]

    def validate(name: str, instance) -> None:
        jsonschema_rs.validator_for(_strict(components[name], components)).validate(instance)

    posted = client.post("/api/v1/comments", json={"id": "n-1", "story_id": "s", "author_id": "a", "text": "Hello.",
                                                   "parent_id": None}, headers=site.headers)
    assert posted.status_code == 202
    validate("NewComment", {"id": "n-1", "story_id": "s", "author_id": "a", "text": "Hello.", "parent_id": None})
    filed = client.post("/api/v1/comments/by-site-id/n-1/reports", json={"reason": "spam", "reporter_id": None},
                        headers=site.headers)
    assert filed.status_code == 201 and filed.get_json()["report"]["outcome"] is None
    validate("NewReport", {"reason": "spam", "reporter_id": None})
    validate("Report", filed.get_json()["report"])
    author = client.get("/api/v1/authors/a", headers=site.headers).get_json()
    assert author["sanction"] is None
    validate("Author", author)
