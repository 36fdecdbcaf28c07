"""The OpenAPI parts for authors, report outcomes and their webhook events.

Kept apart from openapi.py so the comment routes' document stays readable; `extend` adds these
schemas and paths to it.
"""
from __future__ import annotations

from typing import Any

from moderation.api.openapi_patterns import NOT_BLANK
from moderation.domain.authors import REPORT_COUNTS
from moderation.domain.reasons import MAX_REASON_LENGTH
from moderation.domain.lifecycle import STATUSES
from moderation.models import SANCTION_KINDS

# In OpenAPI 3.0.3 `nullable` adds null only to a schema with a `type`: beside a bare oneOf or allOf
# a strict client refused the null the server sends or takes (an integrator's walk). This is the
# null a oneOf offers beside the real thing.
NULL_SCHEMA = {"type": "string", "nullable": True, "enum": [None]}

_DT = {"type": "string", "format": "date-time"}
_DT_NULL = {"type": "string", "format": "date-time", "nullable": True}

SCHEMAS: dict[str, Any] = {
    "Report": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "comment_id": {"type": "integer"},
            "reason": {"type": "string"}, "reporter_id": {"type": "string", "nullable": True},
            "note": {"type": "string", "nullable": True},
            "weight": {"type": "number", "description": "The reason's weight times the reporter's track record on this site."},
            "created_at": _DT,
            "outcome": {"type": "string", "enum": ["upheld", "dismissed", "removed", None], "nullable": True,
                        "description": "Set when a moderator decides the comment: upheld (rejected) or dismissed "
                                       "(approved); removed when the comment was deleted (by the site, its reader or "
                                       "an erasure) before anyone decided it, or rejected with no person deciding "
                                       "it, or already rejected when the report came."},
            "resolved_at": _DT_NULL,
        },
    },
    "ReportList": {
        "type": "object",
        "properties": {"comment_id": {"type": "integer"},
                       "reports": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}}},
    },
    "Sanction": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": list(SANCTION_KINDS),
                     "description": "premoderate: every comment is held for review; suspend: comments are rejected "
                                    "until expires_at; ban: comments are rejected."},
            "reason": {"type": "string"},
            "active": {"type": "boolean"},
            "created_at": _DT, "expires_at": _DT_NULL, "lifted_at": _DT_NULL,
            "lift_reason": {"type": "string", "nullable": True},
            "by": {"type": "string", "enum": ["moderator", "site"],
                   "description": "Who put it in force: one of our moderators, or the site through POST /api/v1/sanctions."},
            "lifted_by": {"type": "string", "enum": ["moderator", "site", None], "nullable": True,
                          "description": "Who lifted it (null while not lifted): a moderator, or the site through "
                                         "POST /api/v1/sanctions/lift. A site syncing both ways drops its own lifts "
                                         "by this, not by `by`."},
        },
    },
    "Author": {
        "type": "object",
        "properties": {
            "author_id": {"type": "string"},
            "comments": {"type": "object", "properties": {
                "total": {"type": "integer"},
                "by_status": {"type": "object", "properties": {s: {"type": "integer"} for s in STATUSES}},
            }},
            "reports_against": {"type": "object", "properties": {
                k: {"type": "integer"} for k in REPORT_COUNTS}},
            "reports_filed": {"type": "object", "properties": {k: {"type": "integer"} for k in REPORT_COUNTS},
                              "description": "The reports this reader filed on the site's comments, by outcome. "
                                             "A reader who only reports has a record too."},
            "sanction": {"oneOf": [{"$ref": "#/components/schemas/Sanction"}, NULL_SCHEMA],
                         "description": "The sanction in force, if any (null when none)."},
            "sanctions": {"type": "array", "items": {"$ref": "#/components/schemas/Sanction"},
                          "description": "Every sanction, newest first."},
        },
    },
}

WEBHOOKS_TEXT = (
    "\n\nBesides `comment.status_changed`, events are: `report.resolved` (`report_id`, `reporter_id`, "
    "`comment_id`, `site_comment_id`, `outcome` upheld|dismissed, `report`), one per report when a moderator decides its comment; "
    "`author.sanctioned` and `author.sanction_lifted` (`author_id`, `sanction`; a pre-moderation waiting "
    "beneath a suspension adds `applies_from`; a suspension over a lasting pre-moderation adds `then`). Events with no `version` are ordered by `delivery_id` per "
    "report or author: keep the largest applied."
    " A decision undone by its moderator or reversed by an admin is a `comment.status_changed` back to the "
    "status before the decision, with `\"reversal\": true` and `reversed_decision` (`action`, `reason`, "
    "`moderator`, `decided_at`); each report that decision resolved is open again, announced as "
    "`report.reopened` (`report_id`, `reporter_id`, `comment_id`, `site_comment_id`, `previous_outcome`, `report`)."
    " A site switched between pre- and post-moderation shows or hides its pending and held comments: each is a "
    "`comment.status_changed` with its status unchanged, a new `version` and `\"visibility_changed\": true`."
    " A comment deleted before anyone decided it closes its open reports as `removed`, with no event of their own;"
    " one rejected with no person deciding it (or already rejected when reported) answers them `removed`, each"
    " with a `report.resolved` event."
)


def extend(document: dict[str, Any], *, errors: dict[str, Any], json_ref: Any, comment_id_param: dict[str, Any]) -> dict[str, Any]:
    document["info"]["description"] += WEBHOOKS_TEXT
    document["components"]["schemas"].update(SCHEMAS)
    # A filed report carries its outcome too: one Report schema for both answers.
    document["components"]["schemas"]["ReportResult"]["properties"]["report"] = {"$ref": "#/components/schemas/Report"}
    paths = document["paths"]
    paths["/api/v1/comments/{comment_id}/reports"]["get"] = {
        "summary": "A comment's reports and their outcomes",
        "parameters": [comment_id_param],
        "responses": {"200": json_ref("ReportList", "The reports, oldest first."), **errors},
    }
    paths["/api/v1/authors/{author_id}"] = {
        "get": {
            "summary": "An author on this site: comments by status, reports against them, sanctions",
            "parameters": [{"name": "author_id", "in": "path", "required": True, "schema": {"type": "string"},
                            "description": "The `author_id` the site posts with comments (URL-encoded)."}],
            "responses": {"200": json_ref("Author", "The author's record."),
                          "400": {**errors["404"], "description": "A blank author id."},
                          "401": errors["401"],
                          "404": {**errors["404"], "description": "No comment or sanction of this author on this site."}},
        }
    }
    # The author's id as a new comment takes it (a string or an integer).
    posted = document["components"]["schemas"]["NewComment"]["properties"]["author_id"]
    paths.update(_sanction_paths(errors, json_ref, posted))
    return document


def _sanction_paths(errors: dict[str, Any], json_ref: Any, posted_id: dict[str, Any]) -> dict[str, Any]:
    refused = lambda description: {**errors["404"], "description": description}  # noqa: E731
    author_id = {**posted_id, "description": "The `author_id` the site posts with comments, taken as POST "
                                             "/api/v1/comments takes one: not \".\" or \"..\" between slashes."}
    answers = {"401": errors["401"], "429": refused("Too many requests from this key.")}
    return {
        "/api/v1/sanctions": {"post": {
            "summary": "Ban, suspend or pre-moderate an author, from the site's own tools",
            "description": (
                "As a moderator does on the author's page, and with the same effect: a banned or suspended author's "
                "new comments are rejected (but for a reader who may be at risk, held for a person), a pre-moderated "
                "author's are held for review; comments already decided are left alone. It supersedes the sanction "
                "in force, and the site is sent `author.sanctioned` as for any sanction, with `\"by\": \"site\"`. "
                "The same ban or pre-moderation already in force, or the same suspension the site sent within the hour, "
                "is left as it is: 200, and no event (a retry). A site's measure never weakens a moderator's "
                "(409). "
                "An author with no comments yet may be sanctioned. Audited as the site."),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": False, "required": ["author_id", "kind", "reason"],
                "properties": {
                    "author_id": author_id,
                    "kind": {"type": "string", "enum": list(SANCTION_KINDS)},
                    "reason": {"type": "string", "maxLength": MAX_REASON_LENGTH, "pattern": NOT_BLANK,
                               "description": "Shown to moderators and kept in the audit log."},
                    "days": {"type": "integer", "minimum": 1, "maximum": 3650, "nullable": True,
                             "description": "A suspension's length; required for `suspend`, refused otherwise "
                                            "(null is as if left out)."}}}}}},
            "responses": {"201": json_ref("Author", "Sanctioned: the author's record, the new sanction in force."),
                          "200": json_ref("Author", "The same sanction was already in force: nothing changed."),
                          "400": refused("Malformed JSON, a field not listed, a missing reason, or days with a ban "
                                         "or pre-moderation (named in `field`)."),
                          "409": refused("A moderator's stronger measure is in force (a ban over a suspension or "
                                         "pre-moderation, or a suspension ending later): the site's would weaken "
                                         "it, so nothing changed."),
                          **answers},
        }},
        "/api/v1/sanctions/lift": {"post": {
            "summary": "Lift an author's sanctions, from the site's own tools",
            "description": "Ends every sanction the site put in force on the author; `author.sanction_lifted` is sent "
                           "for each. A moderator's stays. Audited as the site.",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": False, "required": ["author_id"],
                "properties": {"author_id": author_id,
                               "reason": {"type": "string", "maxLength": MAX_REASON_LENGTH, "nullable": True}}}}}},
            "responses": {"200": json_ref("Author", "Lifted: the author's record."),
                          "400": refused("Malformed JSON or a field not listed (named in `field`)."),
                          "404": refused("The author has no sanction in force on this site."),
                          "409": refused("Only a moderator's measure is in force: the site lifts its own, a moderator "
                                         "theirs on the author's page."),
                          **answers},
        }},
    }
