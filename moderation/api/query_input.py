"""Query strings and the edit body of the comment routes, validated into plain values.

As in validation.py, anything wrong is a ValidationFailed naming the parameter (a 400), never a guess.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moderation.api.validation import MAX_ID_LENGTH, _check_string, _text
from moderation.domain.comments import MAX_ID
from moderation.domain.errors import ValidationFailed
from moderation.domain.lifecycle import STATUSES
from moderation.domain.story_comments import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

INCLUDES = ("text",)


def include_text(args: Mapping[str, str]) -> bool:
    """`?include=text` (comma-separated, for more later): the text is echoed only when asked."""
    wanted = {part.strip() for part in args.get("include", "").split(",") if part.strip()}
    unknown = wanted - set(INCLUDES)
    if unknown:
        raise ValidationFailed(f"include may name only: {', '.join(INCLUDES)}", field="include")
    return "text" in wanted


def _int(args: Mapping[str, str], name: str, *, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    # isascii: str.isdigit accepts "²" and "٣", which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ValidationFailed(f"{name} must be a whole number from {low} to {high}", field=name)
    return int(raw)


def listing_query(args: Mapping[str, str]) -> dict[str, Any]:
    story_id = args.get("story_id")
    if story_id is not None:
        story_id = _check_string(story_id, "story_id", MAX_ID_LENGTH).strip()
        if not story_id:
            raise ValidationFailed("story_id must not be empty", field="story_id")
    statuses = [part.strip() for part in args.get("status", "").split(",") if part.strip()]
    if any(status not in STATUSES for status in statuses):
        raise ValidationFailed(f"status must be one or more of: {', '.join(STATUSES)}", field="status")
    return {
        "story_id": story_id,
        "statuses": statuses,
        "after": _int(args, "after", default=0, low=0, high=MAX_ID),
        "limit": _int(args, "limit", default=DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE),
    }


def edit_input(body: Mapping[str, Any], *, max_text_length: int) -> str:
    """The new text of an edited comment (other fields are ignored, as on POST)."""
    return _text(body, max_text_length)
