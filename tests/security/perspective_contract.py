"""What the Perspective endpoint accepts, as OpenAPI schemas for the two request bodies.

The discovery document cannot say it (Google's format has no "required" body fields, no allowed map
keys, no ranges), so a fuzzer reading only the discovery document sends almost nothing but 400s and
never reaches scoring or storage. These schemas restate the rules in moderation/perspective/
(fields.py, analyze.py, suggest.py); the fuzz test lays them over the converted document so
schemathesis can send bodies that get through, and check that they do.
"""
from __future__ import annotations

from typing import Any

from moderation.perspective.fields import ATTRIBUTE_NAMES
from moderation.perspective.suggest import DECISION_NAMES

NOT_BLANK = "\\S"  # comment.text must hold something besides whitespace
ENGLISH = "^[eE][nN]([-_][A-Za-z0-9]{1,8})?$"  # "en", "EN", "en-GB", "en_US"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON gateway reads null as "not set", so optional fields may be null."""
    if "enum" in schema:  # JSON Schema checks enum on its own: null must be listed there too
        schema = {**schema, "enum": [*schema["enum"], None]}
    return {**schema, "nullable": True}


def _keyed_by(names: list[str], value: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": dict.fromkeys(names, value), "additionalProperties": False,
            "minProperties": 1}


COMMENT = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "pattern": NOT_BLANK},
        "type": _nullable({"type": "string", "enum": ["TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT"]}),
    },
}

ATTRIBUTE_PARAMETERS = {
    "type": "object",
    "properties": {
        "scoreType": _nullable({"type": "string", "enum": ["PROBABILITY"]}),
        "scoreThreshold": _nullable({"type": "number", "minimum": 0, "maximum": 1}),
    },
}

SUGGESTED_SCORE = {
    "type": "object",
    "required": ["summaryScore"],
    "properties": {"summaryScore": {"type": "object", "required": ["value"],
                                    "properties": {"value": {"type": "number", "minimum": 0, "maximum": 1}}}},
}

STRING = _nullable({"type": "string"})
# A bool, or a string protobuf's safe_strtob reads as one in any case (Coral Talk v4 sends "true"), or null.
_WORDS = "|".join("".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in word)
                  for word in ("true", "t", "yes", "y", "1", "false", "f", "no", "n", "0"))
BOOL = {"nullable": True, "anyOf": [{"type": "boolean"}, {"type": "string", "pattern": f"^\\s*({_WORDS})\\s*$"}]}
TOKEN = _nullable({"type": "string", "maxLength": 200})
LANGUAGES = _nullable({"type": "array", "items": {"type": "string", "pattern": ENGLISH}})
# Without languages the server detects the text's and refuses one not English (classifiers/language.py).
# No schema can say which generated text reads as English, but the detector leaves alone a text of
# fewer than 4 letters, or of fewer than 10 that are all Latin.
_OTHER = "[\\W\\d_]"
FEW_LETTERS = (f"^(?:{_OTHER}*(?:[^\\W\\d_]{_OTHER}*){{0,3}}"
               f"|{_OTHER}*(?:[A-Za-z\\u00aa-\\u024f]{_OTHER}*){{0,9}})$")
DETECTED_ENGLISH = {
    "if": {"anyOf": [{"not": {"required": ["languages"]}}, {"properties": {"languages": {"maxItems": 0}}},
                     {"properties": {"languages": {"type": "null"}}}]},
    "then": {"properties": {"comment": {"properties": {"text": {"pattern": FEW_LETTERS}}}}},
}
CONTEXT = _nullable({"type": "object"})  # analyze reads only its type: it never changes a score
# suggestscore stores what it is sent, and PostgreSQL holds no NUL in text or JSONB: it refuses them.
NO_NUL = "^[^\\x00]*$"
STORED_TOKEN = _nullable({"type": "string", "maxLength": 200, "pattern": NO_NUL})
STORED_JSON = {"nullable": True, "anyOf": [
    {"type": "string", "pattern": NO_NUL}, {"type": "number"}, {"type": "boolean"},
    {"type": "array", "items": _ref("StoredJson")},
    {"type": "object", "propertyNames": {"pattern": NO_NUL}, "additionalProperties": _ref("StoredJson")},
]}
STORED_COMMENT = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "allOf": [{"pattern": NOT_BLANK}, {"pattern": NO_NUL}]},
        "type": COMMENT["properties"]["type"],
    },
}

CONTRACT: dict[str, Any] = {
    "AcceptedComment": COMMENT,
    "AcceptedAttributeParameters": ATTRIBUTE_PARAMETERS,
    "StoredComment": STORED_COMMENT,
    "StoredJson": STORED_JSON,
    "AnalyzeCommentRequest": {
        "type": "object",
        "required": ["comment", "requestedAttributes"],
        **DETECTED_ENGLISH,
        "properties": {
            "comment": _ref("AcceptedComment"),
            "context": CONTEXT,
            "requestedAttributes": _keyed_by(list(ATTRIBUTE_NAMES), _nullable(_ref("AcceptedAttributeParameters"))),
            "spanAnnotations": BOOL,
            "languages": LANGUAGES,
            "doNotStore": BOOL,
            "dropUnsupportedAttributes": BOOL,
            "clientToken": STRING,
            "sessionId": STRING,
            "communityId": STRING,
        },
    },
    "SuggestCommentScoreRequest": {
        "type": "object",
        "required": ["comment", "attributeScores"],
        **DETECTED_ENGLISH,
        "properties": {
            "comment": _ref("StoredComment"),
            "context": _nullable({"type": "object", "propertyNames": {"pattern": NO_NUL},
                                  "additionalProperties": _ref("StoredJson")}),
            # A comment approved (or featured) and deleted at once is refused: no decision to learn.
            "attributeScores": {**_keyed_by([*ATTRIBUTE_NAMES, *DECISION_NAMES], SUGGESTED_SCORE),
                                "not": {"anyOf": [{"required": [approved, "DELETED"]}
                                                  for approved in DECISION_NAMES if approved != "DELETED"]}},
            "languages": LANGUAGES,
            "clientToken": STORED_TOKEN,
            "sessionId": STRING,
            "communityId": STORED_TOKEN,
        },
    },
}


def with_contract(openapi: dict[str, Any]) -> dict[str, Any]:
    openapi["components"]["schemas"].update(CONTRACT)
    return openapi
