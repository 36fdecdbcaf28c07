"""Every answer has the fields its schema marks `required`, and nothing it does not describe.

An integrator's walk: no answer schema had `required`, so generated clients typed `version`,
`status` and the feed's `next_after` as perhaps absent, and a poller comparing versions met `Unset`.
"""
from __future__ import annotations

import hashlib

import jsonschema_rs
from test_comment_lookup_and_reports import move, submit
from test_openapi import _strict


def _closed(schema, components):
    """The schema read strictly, and closed: a field it does not name is an error too."""
    strict = _strict(schema, components)
    if strict.get("type") == "object" and "properties" in strict:
        strict.setdefault("additionalProperties", False)
    return strict


def test_each_answer_has_every_required_field(app, client, site):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]

    def check(name: str, answer) -> None:
        assert schemas[name].get("required"), f"{name} lists no required field"
        jsonschema_rs.validator_for(_closed({"$ref": f"#/components/schemas/{name}"}, schemas)).validate(answer)

    headers = site.headers
    first = submit(client, site, id="c-1", story_id="s-1", author_id="a-1")
    move(app, first, "held")
    check("Comment", client.get(f"/api/v1/comments/{first}", headers=headers).get_json())
    check("Comment", client.get(f"/api/v1/comments/{first}?include=text", headers=headers).get_json())
    check("ReportResult", client.post(f"/api/v1/comments/{first}/reports", json={"reason": "spam"},
                                      headers=headers).get_json())
    check("ReportList", client.get(f"/api/v1/comments/{first}/reports", headers=headers).get_json())
    check("BatchResult", client.post("/api/v1/comments:batch", headers=headers, json={"comments": [
        {"id": "c-2", "story_id": "s-1", "author_id": "a-2", "text": "Fine."}, {"id": "c-3"}]}).get_json())
    check("CommentPage", client.get("/api/v1/comments?story_id=s-1", headers=headers).get_json())
    check("ChangesPage", client.get("/api/v1/comments/changes", headers=headers).get_json())
    check("Story", client.get("/api/v1/stories/s-1", headers=headers).get_json())
    check("Story", client.patch("/api/v1/stories/s-1", json={"closed": True}, headers=headers).get_json())
    check("Author", client.get("/api/v1/authors/a-1", headers=headers).get_json())
    check("Error", client.get("/api/v1/comments/999999", headers=headers).get_json())
    check("AuthorErasure", client.delete("/api/v1/authors/a-2", headers=headers).get_json())
    digest = hashlib.sha256(b"a suggestion never made").hexdigest()
    check("SuggestionErasure", client.delete(f"/api/v1/suggestions/by-text-sha256/{digest}", headers=headers).get_json())
