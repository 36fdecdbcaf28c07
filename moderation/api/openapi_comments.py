"""The OpenAPI parts for editing, listing and counting comments, their changes feed, and reports by the site's id.

Kept apart from openapi.py like openapi_people.py; `extend` adds these schemas and paths.
"""
from __future__ import annotations

import copy
from typing import Any

from moderation.api.openapi_patterns import NO_NUL, NOT_BLANK, NOT_BLANK_ID
from moderation.api.query_input import STATUS_LIST_PATTERN
from moderation.domain import change_feed
from moderation.domain.comments import MAX_ID
from moderation.domain.lifecycle import STATUSES
from moderation.domain.story_comments import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

INCLUDE_PARAM = {"name": "include", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": ["text"]},
                 "description": "`text` adds the comment's current text to the answer; it is left out otherwise."}

ECHOED = {
    "parent_id": {"type": "string", "nullable": True, "description": "As posted."},
    "author_name": {"type": "string", "nullable": True, "description": "As posted."},
    "text": {"type": "string", "description": "The current text; only with `?include=text`."},
}


def _schemas(max_text_length: int) -> dict[str, Any]:
    return {
        "CommentEdit": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string", "maxLength": max_text_length,
                                    "pattern": NOT_BLANK,
                                    "description": "The reader's new text; the same rules as on POST."}},
        },
        "CommentPage": {
            "type": "object",
            "properties": {
                "comments": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
                "next_after": {"type": "integer", "nullable": True,
                               "description": "Pass as `after` for the next page; null on the last page."},
                "next": {"type": "string", "nullable": True, "description": "The next page's URL, or null."},
            },
        },
        "ChangesPage": {
            "type": "object",
            "properties": {
                "comments": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"},
                             "description": "Each as it is now, in the order their changes committed."},
                "next_after": {"type": "string", "description": "Pass as `after` next time: never null."},
                "more": {"type": "boolean",
                         "description": "Another page is there already: ask again at once, not after a pause."},
                "next": {"type": "string", "description": "This query from `next_after`: the next poll's URL."},
            },
        },
        "Story": {
            "type": "object",
            "properties": {
                "story_id": {"type": "string"},
                "closed": {"type": "boolean", "description": (
                    "New comments, and every edit that changes the text (one that only removes words too), are "
                    "refused (409 story_closed); the same text again, or one a page draws the same, answers 200 "
                    "unchanged; deletes still go through.")},
                "premoderated": {"type": "boolean", "description": "Every new comment is held for review (the story's "
                                 "own setting)."},
                "site_premoderated": {"type": "boolean", "description": (
                    "The site holds every comment for review (its moderation mode `hold_all`, set on /admin), this "
                    "story's too whatever `premoderated` says (flag `site_premoderated`). False: a story without its "
                    "own setting is open, and what the model and the site's rules pass is published.")},
                "strict": {"type": "boolean", "description": "New comments are held at half the site's hold thresholds."},
                "storm": {"type": "object", "nullable": True,
                          "description": "The story's storm mode while it lasts (new comments held until calm), else null.",
                          "properties": {"id": {"type": "integer"}, "story_id": {"type": "string"},
                                         "active": {"type": "boolean"}, "trigger": {"type": "string"},
                                         "started_at": {"type": "string", "format": "date-time"},
                                         "ended_at": {"type": "string", "format": "date-time", "nullable": True}}},
                "comments": {"type": "object", "properties": {
                    "total": {"type": "integer"},
                    "by_status": {"type": "object", "properties": {s: {"type": "integer"} for s in STATUSES}},
                    "visible": {"type": "integer", "description": "How many the site should show now."},
                    "in_review": {"type": "integer", "description": "How many wait for a moderator (held, "
                                  "or published but reported past the threshold)."},
                }},
            },
        },
    }


def _changes(errors: dict[str, Any], retry_errors: dict[str, Any], json_ref: Any, error_ref: Any) -> dict[str, Any]:
    return {
        "summary": "Comments whose status changed (or text was erased), in the order the changes committed",
        "description": (
            "For a site that polls rather than takes webhooks: every outcome, a moderator's decision on an old "
            "comment included, comes here once it has committed, with the comment as it is then. Follow `next` "
            "(or pass `next_after` as `after`): while `more` is true at once, then every few seconds. A comment "
            "that changes again comes again; apply it only if its `version` is newer than the one you hold. "
            "Without `after`, from the start (every comment the site has); with `after=now`, from now. "
            "A change still being written holds the feed back until it commits, so none is skipped. "
            "After a restore of the database, a cursor from before it starts again from the start."
        ),
        "parameters": [
            {"name": "after", "in": "query", "required": False,
             "schema": {"type": "string", "pattern": "^(now|(0|[1-9][0-9]{0,19})(-(0|[1-9][0-9]{0,19})){3})$"},
             "description": "A `next_after` this endpoint returned to this site, or `now`. A cursor is ours to "
                            "make: one of that shape that we did not return (another site's, or past any "
                            "change the database has made) is a 400."},
            {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": change_feed.MAX_PAGE_SIZE,
                        "default": change_feed.DEFAULT_PAGE_SIZE}},
            INCLUDE_PARAM,
        ],
        "responses": {"200": json_ref("ChangesPage", "One page, perhaps empty."),
                      "400": error_ref("An invalid parameter (named in `field`)."),
                      "401": errors["401"], **retry_errors},
    }


def extend(document: dict[str, Any], *, errors: dict[str, Any], retry_errors: dict[str, Any], json_ref: Any,
           error_ref: Any, comment_id_param: dict[str, Any], max_text_length: int) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    schemas.update(_schemas(max_text_length))
    schemas["Comment"]["properties"].update(ECHOED)
    paths = document["paths"]
    for path, method in (("/api/v1/comments", "post"), ("/api/v1/comments/{comment_id}", "get"),
                         ("/api/v1/comments/by-site-id/{site_comment_id}", "get"),
                         ("/api/v1/comments/{comment_id}/reports", "post")):
        operation = paths[path][method]
        operation.setdefault("parameters", []).append(INCLUDE_PARAM)
        operation["responses"].setdefault("400", error_ref("An invalid parameter (named in `field`)."))
    paths["/api/v1/comments/{comment_id}"]["patch"] = {
        "summary": "The reader edited the comment",
        "description": (
            "The new text replaces the current one, which is kept in the comment's history; the comment goes back "
            "to `pending` and is scored again. A comment a moderator had approved or rejected is then held for "
            "review whatever its scores (flag `edited_after_decision`), unless the policy rejects it outright. "
            "The same text again changes nothing. A site retrying its original POST still gets 200 with this "
            "comment; edits go through PATCH only. Only the text changes: another field of the comment sent with "
            "a value other than the stored one (`story_id`, `author_name`, ...) is a 400 naming it."
        ),
        "parameters": [comment_id_param, INCLUDE_PARAM],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CommentEdit"}}}},
        "responses": {"200": json_ref("Comment", "The comment, pending again if the text changed."),
                      "400": error_ref("Malformed JSON, an invalid text, or another field changed."), **errors,
                      "409": error_ref("The comment was deleted (code `comment_deleted`): it cannot be edited; or "
                                       "its story's comments are closed (code `story_closed`) and the text changed at all."),
                      "413": error_ref("Body larger than 1 MiB."), **retry_errors},
    }
    paths["/api/v1/comments"]["get"] = {
        "summary": "A story's comments with their statuses, a page at a time",
        "description": (
            "Oldest first (by our id). Keyset pagination: pass the answer's `next_after` as `after` (or follow "
            "`next`) until it is null; comments arriving meanwhile are neither skipped nor repeated, so polling "
            "with the largest id seen as `after` misses none: a page is read once the site's comments with "
            "lower ids have committed. Without `story_id`, every story's comments; with `author_id`, one author's."
        ),
        "parameters": [
            {"name": "story_id", "in": "query", "required": False,
             "schema": {"type": "string", "maxLength": 200, "pattern": NOT_BLANK_ID}},
            {"name": "author_id", "in": "query", "required": False,
             "schema": {"type": "string", "maxLength": 200, "pattern": NOT_BLANK_ID},
             "description": "One author's comments (a reader asking what the site holds of theirs)."},
            {"name": "status", "in": "query", "required": False,
             "schema": {"type": "string", "pattern": STATUS_LIST_PATTERN},
             "description": f"One status or several, comma-separated in one parameter "
                            f"(`status=held,published`; sent twice, it is a 400): {', '.join(STATUSES)}."},
            {"name": "after", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}},
            {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}},
            INCLUDE_PARAM,
        ],
        "responses": {"200": json_ref("CommentPage", "One page."),
                      "400": error_ref("An invalid parameter (named in `field`)."),
                      "401": errors["401"], **retry_errors},
    }
    paths["/api/v1/comments/changes"] = {"get": _changes(errors, retry_errors, json_ref, error_ref)}
    paths["/api/v1/stories/{story_id}"] = {
        "get": {
            "summary": "A story's comment counts by status",
            "description": "A story without comments has zeros: it is not an error.",
            "parameters": [{"name": "story_id", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": NO_NUL},
                            "description": "The `story_id` the site posts with comments (URL-encoded)."}],
            "responses": {"200": json_ref("Story", "The counts."),
                          "400": error_ref("A character that cannot be stored (NUL) in the story id."),
                          "401": errors["401"], "404": error_ref("No such route (an empty story id)."),
                          **retry_errors},
        },
        "patch": {
            "summary": "Close a story's comments, pre-moderate them, or hold them more strictly",
            "description": (
                "From the site's CMS, as an admin does on /admin. `closed`: new comments, and edits that change the "
                "text, are refused with 409 `story_closed`, nothing stored; deletes still go through. "
                "`premoderated`: every new comment is held for review (flag `story_premoderated`); a site whose "
                "moderation mode is `hold_all` holds every story's without it (`site_premoderated`). `strict`: new "
                "comments are held at half the site's hold thresholds (a sensitive story). A setting left "
                "out keeps its value; another field is refused. Audited as the site. Answers the story's counts."
            ),
            "parameters": [{"name": "story_id", "in": "path", "required": True,
                            "schema": {"type": "string", "maxLength": 200, "pattern": NOT_BLANK_ID},
                            "description": "The `story_id` the site posts with comments (URL-encoded), taken as "
                                           "POST takes one: not blank, not \".\" or \"..\" between slashes, "
                                           "and valid UTF-8 once percent-decoded."}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": False, "minProperties": 1,
                "properties": {"closed": {"type": "boolean"}, "premoderated": {"type": "boolean"},
                               "strict": {"type": "boolean"}}}}}},
            "responses": {"200": json_ref("Story", "The story as it now is, with its counts."),
                          "400": error_ref("Malformed JSON, a field other than these three, a value not true or "
                                           "false, or a story id longer than 200 characters."),
                          "401": errors["401"], "404": error_ref("No such route (an empty story id)."),
                          **retry_errors},
        },
    }
    by_site = copy.deepcopy(paths["/api/v1/comments/{comment_id}/reports"]["post"])
    by_site["summary"] = "Report a comment, by the site's own id"
    by_site["parameters"] = [
        {"name": "site_comment_id", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "The `id` the site posted (URL-encoded)."}, INCLUDE_PARAM]
    listed = copy.deepcopy(paths["/api/v1/comments/{comment_id}/reports"]["get"])
    listed["summary"] = "A comment's reports and their outcomes, by the site's own id"
    listed["parameters"] = by_site["parameters"][:1]
    paths["/api/v1/comments/by-site-id/{site_comment_id}/reports"] = {"post": by_site, "get": listed}
    # Edit and delete by the site's own id too: the same operations, the path's id the site's.
    site_id_param = paths["/api/v1/comments/by-site-id/{site_comment_id}"]["get"]["parameters"][0]
    for method, summary in (("patch", "The reader edited the comment, by the site's own id"),
                            ("delete", "Delete a comment, by the site's own id")):
        operation = copy.deepcopy(paths["/api/v1/comments/{comment_id}"][method])
        operation["summary"] = summary
        operation["parameters"] = [site_id_param if p.get("name") == "comment_id" else p
                                   for p in operation.get("parameters", [])]
        paths["/api/v1/comments/by-site-id/{site_comment_id}"][method] = operation
    return document
