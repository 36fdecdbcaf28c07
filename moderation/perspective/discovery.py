"""A Google API discovery document for the endpoint, in the shape of Perspective's own
("commentanalyzer", "v1alpha1"), so Google's client libraries can be pointed at us:

    googleapiclient.discovery.build(
        "commentanalyzer", "v1alpha1", developerKey=KEY, static_discovery=False,
        discoveryServiceUrl=BASE_URL + "/$discovery/rest?version={apiVersion}")

rootUrl is the configured PUBLIC_URL (never the request's Host header, which the caller chooses:
a forged Host would send a client's comments and key elsewhere).
"""
from __future__ import annotations

from typing import Any

from moderation.perspective.fields import ATTRIBUTE_NAMES

VERSION = "v1alpha1"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": name}


def _string(description: str) -> dict[str, str]:
    return {"type": "string", "description": description}


_SCHEMAS: dict[str, Any] = {
    "TextEntry": {
        "id": "TextEntry", "type": "object", "description": "Represents a body of text.",
        "properties": {
            "text": _string("UTF-8 encoded text."),
            "type": {"type": "string", "enum": ["TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT", "HTML"],
                     "description": "Type of the text field; only PLAIN_TEXT is supported."},
        },
    },
    "ArticleAndParentComment": {
        "id": "ArticleAndParentComment", "type": "object",
        "properties": {"article": _ref("TextEntry"), "parentComment": _ref("TextEntry")},
    },
    "Context": {
        "id": "Context", "type": "object", "description": "The context of the comment; it does not change scores.",
        "properties": {
            "entries": {"type": "array", "items": _ref("TextEntry")},
            "articleAndParentComment": _ref("ArticleAndParentComment"),
        },
    },
    "AttributeParameters": {
        "id": "AttributeParameters", "type": "object",
        "properties": {
            "scoreType": {"type": "string", "enum": ["SCORE_TYPE_UNSPECIFIED", "PROBABILITY"],
                          "description": "Only PROBABILITY is supported; unset or SCORE_TYPE_UNSPECIFIED means it."},
            "scoreThreshold": {"type": "number", "format": "float",
                               "description": "Leave the attribute out when its score is below this."},
        },
    },
    "Score": {
        "id": "Score", "type": "object",
        "properties": {"value": {"type": "number", "format": "float"}, "type": {"type": "string"}},
    },
    "SpanScore": {
        "id": "SpanScore", "type": "object",
        "properties": {"begin": {"type": "integer", "format": "int32"}, "end": {"type": "integer", "format": "int32"},
                       "score": _ref("Score")},
    },
    "AttributeScores": {
        "id": "AttributeScores", "type": "object",
        "properties": {"summaryScore": _ref("Score"), "spanScores": {"type": "array", "items": _ref("SpanScore")}},
    },
    "AnalyzeCommentRequest": {
        "id": "AnalyzeCommentRequest", "type": "object",
        "properties": {
            "comment": _ref("TextEntry"),
            "context": _ref("Context"),
            "requestedAttributes": {"type": "object", "additionalProperties": _ref("AttributeParameters"),
                                    "description": "Attributes to score: " + ", ".join(ATTRIBUTE_NAMES) + "."},
            "spanAnnotations": {"type": "boolean"},
            "languages": {"type": "array", "items": {"type": "string"}, "description": "Only en is supported."},
            "doNotStore": {"type": "boolean"},
            "dropUnsupportedAttributes": {"type": "boolean"},
            "clientToken": _string("Opaque token echoed in the response."),
            "sessionId": _string("Session ID."),
            "communityId": _string("The client's community."),
        },
    },
    "AnalyzeCommentResponse": {
        "id": "AnalyzeCommentResponse", "type": "object",
        "properties": {
            "attributeScores": {"type": "object", "additionalProperties": _ref("AttributeScores")},
            "languages": {"type": "array", "items": {"type": "string"}},
            "detectedLanguages": {"type": "array", "items": {"type": "string"}},
            "clientToken": {"type": "string"},
        },
    },
    "SuggestCommentScoreRequest": {
        "id": "SuggestCommentScoreRequest", "type": "object",
        "properties": {
            "comment": _ref("TextEntry"),
            "context": _ref("Context"),
            "attributeScores": {"type": "object", "additionalProperties": _ref("AttributeScores")},
            "languages": {"type": "array", "items": {"type": "string"}},
            "clientToken": {"type": "string"},
            "sessionId": {"type": "string"},
            "communityId": {"type": "string"},
        },
    },
    "SuggestCommentScoreResponse": {
        "id": "SuggestCommentScoreResponse", "type": "object",
        "properties": {
            "detectedLanguages": {"type": "array", "items": {"type": "string"}},
            "requestedLanguages": {"type": "array", "items": {"type": "string"}},
            "clientToken": {"type": "string"},
        },
    },
}

_PARAMETERS: dict[str, Any] = {
    "key": {"type": "string", "location": "query", "description": "API key (mk_...)."},
    "alt": {"type": "string", "location": "query", "default": "json", "enum": ["json"]},
    "prettyPrint": {"type": "boolean", "location": "query", "default": "true"},
    "fields": {"type": "string", "location": "query",
               "description": "Selector specifying which fields to include in a partial response."},
    "quotaUser": {"type": "string", "location": "query"},
    "$.xgafv": {"type": "string", "location": "query", "enum": ["1", "2"]},
}


def _method(name: str, request: str, response: str, description: str) -> dict[str, Any]:
    return {
        "id": f"commentanalyzer.comments.{name}",
        "path": f"{VERSION}/comments:{name}",
        "flatPath": f"{VERSION}/comments:{name}",
        "httpMethod": "POST",
        "parameters": {},
        "parameterOrder": [],
        "request": _ref(request),
        "response": _ref(response),
        "description": description,
    }


def discovery_document(root_url: str) -> dict[str, Any]:
    root_url = root_url if root_url.endswith("/") else root_url + "/"
    return {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": f"commentanalyzer:{VERSION}",
        "name": "commentanalyzer",
        "version": VERSION,
        "title": "Perspective Comment Analyzer API (compatible, self-hosted)",
        "description": "Scores comments with this service's civility model, in Perspective's request and response shapes.",
        "protocol": "rest",
        "rootUrl": root_url,
        "servicePath": "",
        "baseUrl": root_url,
        "basePath": "",
        "batchPath": "batch",
        "parameters": _PARAMETERS,
        "schemas": _SCHEMAS,
        "resources": {
            "comments": {
                "methods": {
                    "analyze": _method("analyze", "AnalyzeCommentRequest", "AnalyzeCommentResponse",
                                       "Analyzes the provided text and returns scores for requested attributes."),
                    "suggestscore": _method("suggestscore", "SuggestCommentScoreRequest", "SuggestCommentScoreResponse",
                                            "Suggest comment scores as training data."),
                },
            },
        },
    }
