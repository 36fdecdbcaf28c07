"""The OpenAPI parts for deleting a comment, erasing an author and erasing suggestscore texts
(moderation/api/erasure_routes.py)."""
from __future__ import annotations

from typing import Any

ERASURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "author_id": {"type": "string"},
        "author_hash": {"type": "string", "description": "SHA-256 (hex) of the author id's UTF-8 bytes: all the "
                                                         "erasure record keeps of who asked."},
        "erased_at": {"type": "string", "format": "date-time"},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"},
                   "description": "Rows changed in each place: comments_deleted, report_notes (of reports the "
                                  "author filed), comments, reports (notes on reports against the author's "
                                  "comments), author_sanctions (their reasons), labelled_examples, "
                                  "comment_revisions, webhook_deliveries, audit_log."},
    },
}


def extend(document: dict[str, Any], *, errors: dict[str, Any], retry_errors: dict[str, Any], json_ref: Any,
           comment_id_param: dict[str, Any]) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    schemas["AuthorErasure"] = ERASURE_SCHEMA
    schemas["Comment"]["properties"]["text_erased_at"] = {
        "type": "string", "format": "date-time", "nullable": True,
        "description": "When the text was erased (the site's retention period ended, or its author was erased); "
                       "scores, decision and hashes remain."}
    schemas["Comment"]["properties"]["text_sha256"] = {
        "type": "string", "nullable": True, "pattern": "^[0-9a-f]{64}$",
        "description": "Once the text is erased: the SHA-256 (hex) of its UTF-8 bytes, taken just before, so a "
                       "site can match its own copy; null until then."}
    paths = document["paths"]
    paths["/api/v1/comments/{comment_id}/reports"]["post"]["responses"]["409"] = {
        **errors["404"], "description": "The comment was deleted (code `comment_deleted`, as an edit of it gets): "
                                       "nothing left to report; or this reader reported it already, or it is "
                                       "their own comment (code `conflict`)."}
    paths["/api/v1/comments/{comment_id}"]["delete"] = {
        "summary": "Delete a comment (the reader or the site removed it)",
        "description": (
            "The comment becomes `deleted` (a `comment.status_changed` webhook event says so), leaves the review "
            "queue for good and stays in the audit log. Its text is erased when the site's retention period after "
            "the deletion ends (at once with a retention of 0 days). Deleting again returns the same comment."),
        "parameters": [comment_id_param,
                       {"name": "by", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["site", "author"], "default": "site"},
                        "description": "Who asked for the deletion, for the audit log."}],
        "responses": {"200": json_ref("Comment", "The deleted comment."),
                      "400": {**errors["404"], "description": "`by` is neither site nor author."},
                      **errors, **retry_errors},
    }
    paths["/api/v1/authors/{author_id}"]["delete"] = {
        "summary": "Erase an author: their texts and names everywhere (a reader's erasure request)",
        "description": (
            "Every comment of the author on this site becomes `deleted`; its text and author name are removed from "
            "comments, training labels and exports, webhook events and the audit log, as are the notes of reports "
            "they filed. Ids, scores, decisions and hashes remain. The erasure itself is recorded (with the author "
            "id's SHA-256) and audited. Asking again is harmless. Refused whole (409 `legal_hold`, nothing erased) "
            "while an admin's legal hold covers any of the author's comments: tell the reader the site keeps them "
            "for a legal claim, and ask again once the hold is lifted."),
        "parameters": [{"name": "author_id", "in": "path", "required": True, "schema": {"type": "string"},
                        "description": "The `author_id` the site posts with comments (URL-encoded)."}],
        "responses": {"200": json_ref("AuthorErasure", "What was erased."),
                      "400": {**errors["404"], "description": "A blank author id (read as a posted one: whitespace "
                              "around it is dropped)."},
                      "401": errors["401"],
                      "409": {**errors["404"], "description": "`legal_hold`: an admin's legal hold covers comments of "
                              "this author (the message names it); nothing was erased."},
                      **retry_errors},
    }
    schemas["SuggestionErasure"] = {"type": "object", "properties": {
        "deleted": {"type": "integer", "description": "suggestscore labels deleted (0 when none matched)."},
        "erased_at": {"type": "string", "format": "date-time"}}}
    description = ("A Perspective client sends no author, so an author's erasure finds these only through the "
                   "comment API. Recorded and audited; a training run that read them is discarded, as for an "
                   "author's erasure. Asking again is harmless.")
    for path, name, schema, what in (
            ("/api/v1/suggestions/by-client-token/{client_token}", "client_token",
             {"type": "string", "minLength": 1, "maxLength": 200}, "whose `clientToken` is this (Coral sends "
             "`comment:<its comment id>`; URL-encoded)"),
            ("/api/v1/suggestions/by-text-sha256/{text_sha256}", "text_sha256",
             {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "whose text's UTF-8 SHA-256 (lower-case hex) is this")):
        paths[path] = {"delete": {
            "summary": f"Erase the texts sent to comments:suggestscore {what.split(' (')[0]}",
            "description": f"Deletes this site's suggestscore labels {what}. {description}",
            "parameters": [{"name": name, "in": "path", "required": True, "schema": schema}],
            "responses": {"200": json_ref("SuggestionErasure", "How many were deleted."),
                          "400": {**errors["404"], "description": "A malformed token or hash."},
                          "401": errors["401"], **retry_errors},
        }}
    return document
