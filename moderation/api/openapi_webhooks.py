"""The OpenAPI parts for the webhook events a site receives: a schema per event type, and the
POST each arrives as under `x-webhooks` (the 3.0 spelling of 3.1's `webhooks`, which Redoc reads).

A site generating its receiver's types from the document had the comment API and no event: the
events were described only in the README. tests/api/test_webhook_event_schemas.py holds every
event the code writes to these schemas, closed to fields they do not name.
"""
from __future__ import annotations

import copy
from typing import Any

from moderation.domain.lifecycle import STATUSES

_DELIVERY_ID = {"type": "integer", "description": "The same on every retry and replay: ignore an id you have seen. "
                "For events without `version`, the larger id happened later."}
_AT = {"type": "string", "format": "date-time", "description": "When it happened (UTC)."}
_REPORT_FIELDS = {
    "comment_id": {"type": "integer"},
    "site_comment_id": {"type": "string", "description": "The `id` the site posted the comment with."},
    "report_id": {"type": "integer"},
    "reporter_id": {"type": "string", "nullable": True},
    "report": {"$ref": "#/components/schemas/Report"},
}


def _event(type_: str, description: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "required": ["type", "delivery_id", "occurred_at", *required],
        "properties": {"type": {"type": "string", "enum": [type_]}, "delivery_id": _DELIVERY_ID,
                       **properties, "occurred_at": _AT},
        "additionalProperties": False,
    }


EVENTS: dict[str, tuple[str, dict[str, Any]]] = {
    "comment.status_changed": ("CommentStatusChangedEvent", _event(
        "comment.status_changed",
        "A comment's status changed, or whether it is visible (the site's moderation mode switched). "
        "Apply it only if `version` is newer than the version you hold for the comment.",
        {"version": {"type": "integer", "description": "The comment's version after the change."},
         "previous_status": {"type": "string", "enum": list(STATUSES)},
         "reversal": {"type": "boolean", "description": "An undo or an admin's reversal of a decision."},
         "reversed_decision": {},  # the Comment schema's `decision`, filled in by `extend`
         "reversed_by": {"type": "object", "description": "With `reversal`: who took the decision back (as the "
                         "Comment's `decision.moderator`), why (an admin's reversal always says; an undo may "
                         "not), and whether it was its own moderator's undo rather than an admin's reversal.",
                         "properties": {"moderator": {"type": "string", "nullable": True},
                                        "reason": {"type": "string", "nullable": True},
                                        "undo": {"type": "boolean"}}},
         "sent_to_review": {"type": "object", "description": "A rejection no person made (an author's sanction, "
                            "the model's auto-reject, a reject rule), held for review again by a moderator: who "
                            "(as the Comment's `decision.moderator`) and why.",
                            "properties": {"moderator": {"type": "string", "nullable": True},
                                           "reason": {"type": "string"}}},
         "visibility_changed": {"type": "boolean",
                                "description": "The status is the same; whether the site shows it changed."},
         "comment": {"$ref": "#/components/schemas/Comment"}},
        ["version", "previous_status", "comment"])),
    "report.resolved": ("ReportResolvedEvent", _event(
        "report.resolved", "A moderator's decision answered a reader's report.",
        {**_REPORT_FIELDS, "outcome": {"type": "string", "enum": ["upheld", "dismissed", "removed"]}},
        ["comment_id", "report_id", "outcome", "report"])),
    "report.reopened": ("ReportReopenedEvent", _event(
        "report.reopened", "The decision that resolved a report was undone: the report is open again.",
        {**_REPORT_FIELDS, "previous_outcome": {"type": "string", "enum": ["upheld", "dismissed", "removed"]}},
        ["comment_id", "report_id", "previous_outcome", "report"])),
    "author.sanctioned": ("AuthorSanctionedEvent", _event(
        "author.sanctioned", "A moderator premoderated, suspended or banned an author.",
        {"author_id": {"type": "string"}, "sanction": {"$ref": "#/components/schemas/Sanction"},
         "applies_from": {"type": "string", "format": "date-time",
                          "description": "A sanction waiting beneath a suspension: when it takes over."},
         "then": {"type": "string", "enum": ["premoderate"],
                  "description": "A suspension over a lasting pre-moderation: the kind in force again when it ends."}},
        ["author_id", "sanction"])),
    "author.sanction_lifted": ("AuthorSanctionLiftedEvent", _event(
        "author.sanction_lifted", "An author's sanction was lifted before it expired.",
        {"author_id": {"type": "string"}, "sanction": {"$ref": "#/components/schemas/Sanction"}},
        ["author_id", "sanction"])),
    "comment.text_erased": ("CommentTextErasedEvent", _event(
        "comment.text_erased", "The site's retention period erased a rejected or deleted comment's text. "
        "The comment's status and version are as they were; erase your copy of the text.",
        {"comment_id": {"type": "integer"}, "site_comment_id": {"type": "string"},
         "text_sha256": {"type": "string", "description": "The erased text's SHA-256, to match your copy by."},
         "text_erased_at": {"type": "string", "format": "date-time"},
         "reason": {"type": "string", "enum": ["retention"]}},
        ["comment_id", "site_comment_id", "text_sha256", "text_erased_at", "reason"])),
    "story.storm_mode": ("StoryStormModeEvent", _event(
        "story.storm_mode", "A story entered storm mode (its new comments are held for review) or left it.",
        {"story_id": {"type": "string"},
         "storm": {"type": "object", "properties": {
             "id": {"type": "integer"}, "story_id": {"type": "string"}, "active": {"type": "boolean"},
             "trigger": {"type": "string"}, "started_at": {"type": "string", "format": "date-time"},
             "ended_at": {"type": "string", "format": "date-time", "nullable": True}}}},
        ["story_id", "storm"])),
    "database.restored": ("DatabaseRestoredEvent", _event(
        "database.restored",
        "The service's database was restored from a backup: what happened after `backup_last_action_at` is "
        "undone. Every comment's version was raised past any sent before: read them again (the changes feed "
        "from the start, or GET). A comment you hold whose id is above `comments_through` and below "
        "`first_new_comment_id` is gone: post it again.",
        {"backup_last_action_at": {"type": "string", "format": "date-time", "nullable": True},
         "comments_through": {"type": "integer", "nullable": True,
                              "description": "Your highest comment id in the backup; null if it held none."},
         "first_new_comment_id": {"type": "integer", "description": "New comments' ids start here."}},
        ["backup_last_action_at", "comments_through", "first_new_comment_id"])),
    "webhook.test": ("WebhookTestEvent", _event(
        "webhook.test", "Sent when an admin asks (`/admin`, `moderation webhooks test`): answer 2xx. "
        "Never stored or retried.", {"site": {"type": "string"}}, ["site"])),
}
EVENTS["webhook.test"][1]["properties"]["delivery_id"] = {
    "type": "string", "pattern": "^test-[0-9a-f]+$", "description": "`test-` and hex: not a number, never repeated."}

_HEADERS = [
    {"name": "X-Moderation-Timestamp", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "Unix seconds when it was signed; refuse one more than 5 minutes from your clock."},
    {"name": "X-Moderation-Signature", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "`v1=<hex HMAC-SHA256(webhook secret, \"<timestamp>.<raw body>\")>`, comma-separated: "
                    "two while a rotated secret's grace lasts. Accept it if either matches."},
    {"name": "X-Moderation-Delivery", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "The body's `delivery_id`."},
]


def extend(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    hooks = {}
    for event_type, (name, schema) in EVENTS.items():
        schema = copy.deepcopy(schema)
        if "reversed_decision" in schema["properties"]:
            schema["properties"]["reversed_decision"] = {**schemas["Comment"]["properties"]["decision"],
                                                         "description": "With `reversal`: the decision undone."}
        schemas[name] = schema
        hooks[event_type] = {"post": {
            "summary": schema["description"].split(". ")[0].rstrip("."),
            "description": schema["description"],
            "parameters": _HEADERS,
            "requestBody": {"required": True,
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}},
            "responses": {"2XX": {"description": "Taken. Anything else (a redirect too) is retried with backoff."}},
        }}
    document["x-webhooks"] = hooks
    return document
