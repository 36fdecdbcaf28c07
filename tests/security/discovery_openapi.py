"""Google's API discovery format (what Perspective clients read) turned into OpenAPI 3, so
schemathesis can fuzz comments:analyze and comments:suggestscore from the document we serve.

Only what our discovery document uses is converted: schemas with "$ref"/"id", methods under
resources with their own parameters, and the `key` parameter as an API-key security scheme (query
`key` or Google's `X-Goog-Api-Key` header). Google's standard query parameters (alt, prettyPrint,
fields, ...) are listed for the client library's sake and ignored by the endpoint, so they are left
out. Google's error shape, with the statuses moderation/perspective/errors.py answers, becomes
each method's error responses.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# Statuses a Perspective method may answer besides 200, as Google's clients expect them.
ERROR_RESPONSES = {
    "400": "INVALID_ARGUMENT: a malformed body or an unsupported attribute, language or text.",
    "403": "PERMISSION_DENIED: a missing or invalid API key.",
    "429": "RESOURCE_EXHAUSTED: the key's requests per minute are used up (see Retry-After).",
    "503": "UNAVAILABLE: the model is not loaded yet (see Retry-After).",
}

GOOGLE_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "status"],
        "properties": {"code": {"type": "integer"}, "message": {"type": "string"}, "status": {"type": "string"}},
    }},
}

# Discovery keeps these in "type"/"format"; OpenAPI 3.0 has no int32-as-string etc. to worry about here.
_SCHEMA_KEYS = ("type", "format", "description", "enum", "items", "properties", "additionalProperties",
                "minimum", "maximum", "pattern", "required")


def _schema(node: Any) -> Any:
    """A discovery schema as an OpenAPI schema: {"$ref": "Name"} points into components."""
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return {"$ref": f"#/components/schemas/{node['$ref']}"}
    out: dict[str, Any] = {}
    for key in _SCHEMA_KEYS:
        if key not in node:
            continue
        value = node[key]
        if key == "properties":
            out[key] = {name: _schema(prop) for name, prop in value.items()}
        elif key in ("items", "additionalProperties"):
            out[key] = _schema(value)
        else:
            out[key] = value
    return out


def _parameter(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": spec.get("type", "string")}
    if "enum" in spec:
        schema["enum"] = spec["enum"]
    return {"name": name, "in": spec.get("location", "query"), "required": bool(spec.get("required")),
            "description": spec.get("description", ""), "schema": schema}


def _methods(resources: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for resource in resources.values():
        yield from resource.get("methods", {}).values()
        yield from _methods(resource.get("resources", {}))


def _error() -> dict[str, Any]:
    return {"$ref": "#/components/schemas/GoogleError"}


def discovery_to_openapi(discovery: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for method in _methods(discovery.get("resources", {})):
        path = "/" + discovery.get("servicePath", "") + method["path"]
        responses: dict[str, Any] = {"200": {
            "description": "OK",
            "content": {"application/json": {"schema": _schema(method["response"])}},
        }}
        for status, description in ERROR_RESPONSES.items():
            responses[status] = {"description": description,
                                 "content": {"application/json": {"schema": _error()}}}
        operation: dict[str, Any] = {
            "operationId": method["id"],
            "description": method.get("description", ""),
            "parameters": [_parameter(n, s) for n, s in method.get("parameters", {}).items()],
            "responses": responses,
        }
        if "request" in method:
            operation["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": _schema(method["request"])}}}
        paths.setdefault(path, {})[method["httpMethod"].lower()] = operation
    schemas = {name: _schema(schema) for name, schema in discovery.get("schemas", {}).items()}
    schemas["GoogleError"] = GOOGLE_ERROR
    return {
        "openapi": "3.0.3",
        "info": {"title": discovery.get("title", discovery.get("name", "")), "version": discovery.get("version", "")},
        "servers": [{"url": discovery["rootUrl"].rstrip("/")}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "queryKey": {"type": "apiKey", "in": "query", "name": "key"},
                "headerKey": {"type": "apiKey", "in": "header", "name": "X-Goog-Api-Key"},
            },
        },
        "security": [{"queryKey": []}, {"headerKey": []}],
        "paths": paths,
    }
