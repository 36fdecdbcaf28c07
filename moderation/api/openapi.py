"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json.

Built in code so it can share constants (reasons, weights, limits) with the implementation;
tests/api/test_openapi.py checks that its paths and methods are exactly the blueprint's routes.
"""
from __future__ import annotations

from typing import Any

from moderation.api import openapi_comments
from moderation.api import openapi_erasure
from moderation.api import openapi_webhooks
from moderation.api.openapi_batch import extend_batch
from moderation.api.openapi_patterns import NO_NUL, NOT_BLANK, NOT_BLANK_ID
from moderation.api.openapi_people import NULL_SCHEMA, extend
from moderation.domain.lifecycle import DECIDED, STATUSES
from moderation.domain.reports import REPORT_WEIGHTS
from moderation.models import REPORT_REASONS

ID_SCHEMA = {"oneOf": [{"type": "string", "maxLength": 200, "pattern": NOT_BLANK_ID,
                        "description": 'Stored less the whitespace around it: " c-7 " is stored, answered and sent '
                                       'in events as "c-7", and "42" and "42 " are one id. '
                                       'Not "." or ".." between slashes (HTTP clients resolve those away in a URL '
                                       "path), nor U+FFFD; percent-encode an id, as UTF-8, when it goes in one."},
                       {"type": "integer"}]}
# Optional fields may be left out or sent as null (NULL_SCHEMA: why not `nullable` here).
OPTIONAL_ID_SCHEMA = {"oneOf": [*ID_SCHEMA["oneOf"], NULL_SCHEMA]}


def _optional_string(max_length: int) -> dict[str, Any]:
    return {"type": "string", "maxLength": max_length, "pattern": NO_NUL, "nullable": True}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(ref: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _retry_later(description: str) -> dict[str, Any]:
    return {**_error(description), "headers": {"Retry-After": {"description": "Seconds to wait before retrying.",
                                                               "schema": {"type": "integer"}}}}


COMMON_ERRORS = {"401": _error("Missing or invalid API key."), "404": _error("No such comment for this site.")}
# Any keyed route may answer these: a site must retry after Retry-After, not treat them as final.
RETRY_ERRORS = {
    "429": _retry_later("Too many requests from this key or address (failed key checks, reports)."),
    "503": _retry_later("Temporarily unavailable (e.g. the database is restarting); nothing was stored."),
}

# Back-pressure's hint on an accepted comment (moderation/api/load.py).
LOAD_HEADERS = {
    "X-Moderation-Load": {"description": "`degraded` while the scoring backlog is past the soft limit; absent otherwise.",
                          "schema": {"type": "string", "enum": ["degraded"]}},
    "X-Moderation-Retry-After": {"description": "While degraded: seconds the backlog above the soft limit needs to "
                                                "drain; wait about this long before sending more, if you can.",
                                 "schema": {"type": "integer", "minimum": 1}},
}

COMMENT_ID_PARAM = {"name": "comment_id", "in": "path", "required": True, "schema": {"type": "integer"},
                    "description": "Our id for the comment, as returned by POST /comments."}


def openapi_document(*, max_text_length: int = 20_000, batch_max_bytes: int = 8 * 1024 * 1024) -> dict[str, Any]:
    weights = ", ".join(f"{reason} {weight:g}" for reason, weight in REPORT_WEIGHTS.items())
    document = {
        "openapi": "3.0.3",
        "info": {
            "title": "Civility moderation API",
            "version": "1",
            "description": (
                "Post every reader comment and report; learn each outcome by webhook, or by polling the changes "
                "feed (`GET /api/v1/comments/changes`; listing with `after` finds new comments, not new decisions "
                "on old ones).\n\n"
                "Authenticate with `Authorization: Bearer <api key>`. Errors are JSON: "
                "`{\"error\": {\"code\", \"message\", \"field\"}}`. A query parameter the operation reads, sent twice "
                "(`status=held&status=published`, as some clients send a list) is a 400 naming it: "
                "a list goes in one parameter, comma-separated.\n\n"
                "Webhooks: each status change is POSTed to the site's webhook URL as a JSON event with headers "
                "`X-Moderation-Timestamp` (unix seconds), `X-Moderation-Delivery` (the same on retries) and "
                "`X-Moderation-Signature: v1=<hex HMAC-SHA256(webhook secret, \"<timestamp>.<raw body>\")>`. "
                "Verify against the raw body and reject timestamps older than 5 minutes "
                "(see moderation.domain.webhooks.verify_signature). Failed deliveries are retried with exponential backoff. "
                "A story entering or leaving storm mode (its new comments held for review) is the event `story.storm_mode`. "
                "Each event's body is described under `x-webhooks`.\n\n"
                "Back-pressure: while the scoring backlog is deep, POST /comments answers 202 with "
                "`X-Moderation-Load: degraded` and `X-Moderation-Retry-After`; past the hard limit 503 `overloaded` "
                "with `Retry-After`, and the comment is not stored."
            ),
        },
        "components": {
            "securitySchemes": {"apiKey": {
                "type": "http", "scheme": "bearer",
                "description": "The site's API key, mk_...; its scoring key, mks_..., is for the Perspective "
                               "endpoint only and is answered 403 key_scope here."}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "object", "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "field": {"type": "string", "nullable": True},
                    }}},
                },
                "NewComment": {
                    "type": "object",
                    "required": ["id", "story_id", "author_id", "text"],
                    "properties": {
                        "id": {**ID_SCHEMA, "description": "The site's own comment id; stored as a string, less the whitespace "
                                                             "around it (the answer's `site_comment_id`, the id to key by)."},
                        "story_id": ID_SCHEMA,
                        "author_id": ID_SCHEMA,
                        "text": {"type": "string", "maxLength": max_text_length, "pattern": NOT_BLANK,
                                 "description": "Not empty or only whitespace, no NUL characters. Plain text, or "
                                                "the HTML a rich-text comment box makes: its tags are scored as "
                                                "spaces and shown dimmed to moderators."},
                        "parent_id": {**OPTIONAL_ID_SCHEMA,
                                      "description": "The site's id of the comment replied to. A parent we have on "
                                                     "another story is refused (400), and so is the comment's own "
                                                     "`id`; one never sent is taken."},
                        "story_url": _optional_string(2000),
                        "story_title": _optional_string(1000),
                        "author_name": _optional_string(200),
                        "created_at": {"type": "string", "format": "date-time", "nullable": True,
                                       "pattern": "^(19[7-9][0-9]|20[0-9][0-9])-",
                                       "description": "RFC 3339 (a space may stand for the T); without an offset it is taken as UTC. "
                                                      "Years 1970 to 2099, as written."},
                        # An import's alone: comments:batch's items take it (openapi_batch.BATCH_ITEM).
                        "imported_decision": {"not": {}, "description": "Refused here (400): an archived comment's "
                                              "decision goes with it in comments:batch."},
                    },
                },
                "Comment": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "site_comment_id": {"type": "string", "description": "The `id` the site posted, as stored: "
                                            "less the whitespace around it. Key by this one."},
                        "story_id": {"type": "string"},
                        "author_id": {"type": "string"},
                        "status": {"type": "string", "enum": list(STATUSES),
                                   "description": "pending until scored; then published, held (for review), approved or rejected; deleted once the site deleted it or erased its author."},
                        "version": {"type": "integer", "description": "Bumped on every status change: apply a webhook "
                                    "event or response only if its version is newer than the one you hold."},
                        "visible": {"type": "boolean", "description": "Whether the site should show the comment now."},
                        "scores": {"type": "object", "nullable": True, "additionalProperties": {"type": "number"}},
                        "flagged": {"type": "array", "items": {"type": "string"},
                                    "description": "Why it was held or rejected, besides `rules`: the model's attribute "
                                    "names (toxicity, insult, ...); \"reports\" (readers' reports reached the site's "
                                    "threshold); \"reported_after_approval\"; \"edited_after_decision\"; the author's "
                                    "sanction (\"author_premoderated\", \"author_suspended\", \"author_banned\"); "
                                    "\"storm\"; \"sent_to_review\"; \"would_reject\" (held and hidden where the policy would have "
                                    "rejected it unseen: a reader who may be at risk, or a comment in a language the model "
                                    "cannot read; `rules` says which); \"auto_rejected\" (rejected by the model's scores at the site's "
                                    "auto-reject thresholds, no person deciding). Empty for a comment held by a rule alone: "
                                    "`rules` says which. New words may be added: treat one you do not know as a reason "
                                    "to show, not an error."},
                        "rules": {"type": "array", "description": "The site's rules that fired when it was scored "
                                  "(set on /admin): their name, what they did and the reason moderators see. "
                                  "\"story_premoderated\" names a pre-moderated story, \"site_premoderated\" a site "
                                  "that holds every comment (moderation mode `hold_all`).",
                                  "items": {"type": "object", "properties": {
                                      "rule": {"type": "string"},
                                      "action": {"type": "string", "enum": ["hold", "reject", "flag"]},
                                      "reason": {"type": "string"},
                                      "kind": {"type": "string", "description": "The rule's kind (threat_words, "
                                               "links ...); absent on comments scored before 2026-12-02."}}}},
                        "model_version": {"type": "string", "nullable": True},
                        "scored_at": {"type": "string", "format": "date-time", "nullable": True},
                        "report_weight": {"type": "number"},
                        "decision": {"type": "object", "nullable": True, "properties": {
                            "action": {"type": "string", "enum": list(DECIDED)},
                            "reason": {"type": "string", "nullable": True},
                            "moderator": {"type": "string", "nullable": True,
                                          "description": "A stable pseudonymous id (mod_...), or the login name "
                                                         "if the site opted in on /admin."},
                            "decided_at": {"type": "string", "format": "date-time"},
                        }},
                        "received_at": {"type": "string", "format": "date-time"},
                        "status_changed_at": {"type": "string", "format": "date-time"},
                    },
                },
                "NewReport": {
                    "type": "object",
                    "required": ["reason"],
                    "properties": {
                        "reason": {"type": "string", "enum": list(REPORT_REASONS)},
                        "reporter_id": {**OPTIONAL_ID_SCHEMA, "description": "One report per reporter per comment; omit for anonymous reports."},
                        "note": _optional_string(2000),
                    },
                },
                "ReportResult": {
                    "type": "object",
                    "properties": {
                        "report": {"type": "object", "properties": {
                            "id": {"type": "integer"}, "comment_id": {"type": "integer"},
                            "reason": {"type": "string"}, "reporter_id": {"type": "string", "nullable": True},
                            "note": {"type": "string", "nullable": True}, "weight": {"type": "number"},
                            "created_at": {"type": "string", "format": "date-time"},
                        }},
                        "comment": {"$ref": "#/components/schemas/Comment"},
                    },
                },
            },
        },
        "security": [{"apiKey": []}],
        "paths": {
            "/api/v1/comments": {
                "post": {
                    "summary": "Submit a comment for moderation",
                    "description": (
                        "Answers 202 with the pending comment. Posting the same `id` with the same body again "
                        "returns the stored comment with 200; a different body under the same `id` is 409."
                    ),
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewComment"}}}},
                    "responses": {
                        "202": {**_json("Comment", "Accepted and stored; scoring follows. While the scoring backlog is past "
                                                   "the soft limit the answer carries `X-Moderation-Load: degraded` and "
                                                   "`X-Moderation-Retry-After`: the comment is stored, but please send slower."),
                                "headers": LOAD_HEADERS},
                        "200": _json("Comment", "Already submitted with this body."),
                        "400": _error("Malformed JSON or an invalid field (named in `field`)."),
                        "401": COMMON_ERRORS["401"],
                        "409": _error("This id was submitted before with a different body (code `conflict`), "
                                      "or the story's comments are closed (code `story_closed`)."),
                        "413": _error("Body larger than 1 MiB."),
                        **RETRY_ERRORS,
                        "503": _retry_later(
                            "Temporarily unavailable; nothing was stored. Error code `overloaded`: the scoring backlog is "
                            "past the hard limit (back-pressure), or `unavailable`: the database is restarting. Send the "
                            "same comment again after Retry-After seconds."),
                    },
                }
            },
            "/api/v1/comments/{comment_id}": {
                "get": {
                    "summary": "A comment's status, scores and decision, by our id",
                    "parameters": [COMMENT_ID_PARAM],
                    "responses": {"200": _json("Comment", "The comment."), **COMMON_ERRORS, **RETRY_ERRORS},
                }
            },
            "/api/v1/comments/by-site-id/{site_comment_id}": {
                "get": {
                    "summary": "A comment's status, scores and decision, by the site's own id",
                    "parameters": [{"name": "site_comment_id", "in": "path", "required": True, "schema": {"type": "string"},
                                    "description": "The `id` the site posted (URL-encoded)."}],
                    "responses": {"200": _json("Comment", "The comment."), **COMMON_ERRORS, **RETRY_ERRORS},
                }
            },
            "/api/v1/comments/{comment_id}/reports": {
                "post": {
                    "summary": "Report a comment",
                    "description": (
                        f"Weights by reason: {weights}. When a comment's report weight reaches the site's report "
                        "threshold it goes to review, even if it was published: held, or, reported by one untried "
                        "reader alone, left published for a moderator; for a comment a moderator approved, only "
                        "reports filed after the decision count: from two named readers it goes back to review and stays "
                        "shown (`visible`, flag `reported_after_approval`), from one whose reports were upheld before it "
                        "is held, and from one untried reader alone it stays approved. "
                        "Reports on a pending comment count "
                        "when it is scored. A repeat from the same `reporter_id` returns the first report with 200. "
                        "An anonymous report (no `reporter_id`) weighs at most half a named one, and a comment's "
                        "anonymous reports together stay below the site's threshold, so they never hold it on their own "
                        "(later ones are kept with weight 0); "
                        "more than 30 named (and 30 anonymous) reports a minute on one comment, or 10 from one "
                        "`reporter_id` (REPORTS_PER_COMMENT_PER_MINUTE, REPORTS_PER_REPORTER_PER_MINUTE), get 429 "
                        "`rate_limited` with Retry-After: queue the reader's report and send it again then (dropped, "
                        "it loses only its weight and note: the reports before it have reached any threshold)."
                    ),
                    "parameters": [COMMENT_ID_PARAM],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewReport"}}}},
                    "responses": {
                        "201": _json("ReportResult", "Report recorded."),
                        "200": _json("ReportResult", "This reporter had reported the comment already."),
                        "400": _error("Malformed JSON or an invalid field."),
                        "429": _error("Too many reports per minute on this comment or from this reporter; see Retry-After."),
                        **COMMON_ERRORS,
                        "413": _error("Body larger than 1 MiB."),
                        **RETRY_ERRORS,
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "The OpenAPI document.", "content": {"application/json": {}}}},
                }
            },
        },
    }
    extend_batch(document, json_ref=_json, error=_error, retry_errors=RETRY_ERRORS, max_bytes=batch_max_bytes)
    document = extend(document, errors=COMMON_ERRORS, json_ref=_json, comment_id_param=COMMENT_ID_PARAM)
    document = openapi_erasure.extend(document, errors=COMMON_ERRORS, retry_errors=RETRY_ERRORS, json_ref=_json,
                                      comment_id_param=COMMENT_ID_PARAM)
    # After erasure's: reports by site id copy the reports route with its 409 for a deleted comment.
    document = openapi_comments.extend(document, errors=COMMON_ERRORS, retry_errors=RETRY_ERRORS, json_ref=_json,
                                       error_ref=_error, comment_id_param=COMMENT_ID_PARAM,
                                       max_text_length=max_text_length)
    return openapi_webhooks.extend(_required(_answers_of_every_keyed_route(_path_ids_as_read(document))))


# The site's ids in a path are read as posted ones are stored (validation.path_id, comment_by_site_id):
# a site whose ids carry spaces was not told that "42 " reaches comment "42" (an API contract walk).
_PATH_IDS = {"site_comment_id", "story_id", "author_id"}


def _path_ids_as_read(document: dict[str, Any]) -> dict[str, Any]:
    for item in document["paths"].values():
        for operation in (operation for operation in item.values() if "parameters" in operation):
            operation["parameters"] = [
                {**parameter, "description": parameter["description"] + " Percent-encoded UTF-8 (other bytes are a "
                                             "400); read as a posted id is stored, less the whitespace around it."}
                if parameter["in"] == "path" and parameter["name"] in _PATH_IDS else parameter
                for parameter in operation["parameters"]]
    return document


# What any keyed operation may answer whatever it does, added where an operation does not say it in
# its own words: GET /authors and the reports lists left out 429 and 503, PATCH /stories and POST
# /sanctions 413, and none listed 403, though every one sends them (an API contract walk). Derived
# here, once, so an operation added later lists them too.
EVERY_KEYED_ROUTE = {
    # A NUL in any query parameter or path id, or a path id not UTF-8 (request_input), on any route.
    "400": _error("An invalid parameter (named in `field`): a NUL, or a path id whose bytes are not UTF-8."),
    "401": COMMON_ERRORS["401"],
    "403": _error("A scoring key (mks_...), which is for the Perspective endpoint only (code `key_scope`)."),
    **RETRY_ERRORS,
}
WITH_A_BODY = {
    "413": _error("Body larger than 1 MiB."),
    "415": _error("A `Content-Encoding` other than gzip (code `unsupported_media_type`, naming it): gzip is the "
                  "one encoding read; send the body gzip-compressed or uncompressed."),
}


def _answers_of_every_keyed_route(document: dict[str, Any]) -> dict[str, Any]:
    for item in document["paths"].values():
        for operation in item.values():
            if operation.get("security") == []:  # the document itself: no key, no body
                continue
            answers = {**EVERY_KEYED_ROUTE, **(WITH_A_BODY if "requestBody" in operation else {})}
            for status, answer in answers.items():
                operation["responses"].setdefault(status, answer)
    return document


# The answers' schemas, and the fields among them sent only when asked for: every other field is
# always sent (null where it has no value), so it is `required`. Without it, generated clients typed
# `version`, `status` and `next_after` as perhaps absent (an integrator's walk).
_SENT_WHEN_ASKED = {"Comment": {"text"}}
_ANSWERS = ("Error", "Comment", "ReportResult", "BatchResult", "Report", "ReportList", "Sanction", "Author",
            "AuthorErasure", "SuggestionErasure", "CommentPage", "ChangesPage", "Story")


def _required(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    for name in _ANSWERS:
        schemas[name]["required"] = sorted(set(schemas[name]["properties"]) - _SENT_WHEN_ASKED.get(name, set()))
    return document
