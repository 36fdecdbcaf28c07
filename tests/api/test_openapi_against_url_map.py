"""Every /api/v1 route in the Flask URL map is documented, and every documented path is served,
whichever blueprint or module adds it."""
from __future__ import annotations

import re

from werkzeug.routing import RequestRedirect
from werkzeug.exceptions import MethodNotAllowed, NotFound

SAMPLE = {"comment_id": "1", "site_comment_id": "c-1", "story_id": "s-1", "author_id": "a-1",
          "client_token": "comment:1", "text_sha256": "0" * 64}


def _served(app) -> set[tuple[str, str]]:
    return {
        (re.sub(r"<(?:[a-z0-9]+:)?([a-z0-9_]+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_api_route_is_documented(app, client):
    documented = {(p, m) for p, item in client.get("/api/v1/openapi.json").get_json()["paths"].items() for m in item}
    assert sorted(_served(app) - documented) == []


def test_every_documented_operation_reaches_its_own_route(app, client):
    """Routed by the URL map itself, so a path that would land on another route (or none) fails."""
    adapter = app.url_map.bind("localhost")
    document = client.get("/api/v1/openapi.json").get_json()
    wrong = []
    for path, item in document["paths"].items():
        url = re.sub(r"\{([a-z0-9_]+)\}", lambda m: SAMPLE[m.group(1)], path)
        for method in item:
            try:
                endpoint, _ = adapter.match(url, method=method.upper())
            except (NotFound, MethodNotAllowed, RequestRedirect) as exc:
                wrong.append(f"{method.upper()} {path}: {type(exc).__name__}")
                continue
            rule = next(r for r in app.url_map.iter_rules(endpoint))
            if re.sub(r"<(?:[a-z0-9]+:)?([a-z0-9_]+)>", r"{\1}", rule.rule) != path:
                wrong.append(f"{method.upper()} {path}: served by {rule.rule}")
    assert wrong == []


def test_every_documented_operation_says_what_it_answers(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary") and operation.get("responses"), f"{method} {path}"
