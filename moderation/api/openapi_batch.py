"""The OpenAPI parts for POST /api/v1/comments:batch; `extend_batch` adds them to the document."""
from __future__ import annotations

from typing import Any, Callable

from moderation.domain.batch_submission import MAX_BATCH_ITEMS

SCHEMAS: dict[str, Any] = {
    "NewCommentBatch": {
        "type": "object",
        "required": ["comments"],
        "properties": {"comments": {"type": "array", "minItems": 1, "maxItems": MAX_BATCH_ITEMS,
                                    "items": {
                                        # Any item is accepted into the batch: one that is not a valid
                                        # NewComment gets its own 400 in `results`, the others are stored.
                                        "anyOf": [{"$ref": "#/components/schemas/NewBatchComment"}, {}],
                                        "description": "A NewComment, as POST /api/v1/comments takes, with an archived comment's `imported_decision`. An item "
                                        "that is not one is refused alone (its result has status 400); the "
                                        "others are still stored."}}},
    },
    "BatchResult": {
        "type": "object",
        "properties": {
            "results": {"type": "array", "description": "One per item, in the order sent.", "items": {
                "type": "object",
                "properties": {
                    "index": {"type": "integer", "description": "The item's position in `comments`, from 0."},
                    "id": {"type": "string", "nullable": True, "description": "The item's `id` as sent, if it had one."},
                    "status": {"type": "integer", "enum": [202, 200, 400, 409],
                               "description": "What POST /api/v1/comments of this item alone would have answered."},
                    "comment": {"$ref": "#/components/schemas/Comment"},
                    "error": {"type": "object", "description": "With 400 and 409, instead of `comment`.", "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"},
                        "field": {"type": "string", "nullable": True}}},
                },
            }},
            "created": {"type": "integer", "description": "Items stored now (202)."},
            "existing": {"type": "integer", "description": "Items stored before with the same body (200)."},
            "failed": {"type": "integer", "description": "Items refused (400, 409)."},
        },
    },
}


IMPORTED_DECISION = {"type": "string", "enum": ["approved", "rejected"], "nullable": True,
                     "description": "An import's: the decision the site's earlier system made on an archived comment. "
                     "It is scored, then takes this status as decided, with no review, no rules and no webhook event; "
                     "its decision's reason reads \"decided before the import\", with no moderator."}


def extend_batch(document: dict[str, Any], *, json_ref: Callable[[str, str], dict[str, Any]],
                 error: Callable[[str], dict[str, Any]], retry_errors: dict[str, Any], max_bytes: int) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    schemas.update(SCHEMAS)
    # A NewComment, and an archived one's decision besides (which a single POST refuses).
    single = schemas["NewComment"]
    schemas["NewBatchComment"] = {**single, "properties": {**single["properties"], "imported_decision": IMPORTED_DECISION}}
    document["paths"]["/api/v1/comments:batch"] = {"post": {
        "summary": f"Submit up to {MAX_BATCH_ITEMS} comments at once",
        "description": (
            "For imports and high-volume sites. Each item is validated and stored as POST /api/v1/comments "
            "would (same fields and rules), and one item's failure does not affect the others: the answer "
            "is 200 with a result per item. Idempotent by `id`: sending the same batch again returns every "
            "comment with status 200 and stores nothing twice; an `id` repeated within one batch is treated as "
            f"a second POST of it. The body may be up to {max_bytes} bytes."
        ),
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/NewCommentBatch"}}}},
        "responses": {
            "200": json_ref("BatchResult", "Every item's outcome."),
            "400": error(f"Malformed JSON, or `comments` is not an array of 1 to {MAX_BATCH_ITEMS} items; nothing stored."),
            "401": error("Missing or invalid API key."),
            "413": error("Body larger than BATCH_MAX_BYTES."),
            **retry_errors,
        },
    }}
    return document
