"""Query strings and the edit body of the comment routes, validated into plain values.

As in validation.py, anything wrong is a ValidationFailed naming the parameter (a 400), never a guess.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moderation.api.validation import _check_string, _id, _path_safe_id, _text, path_id
from moderation.domain import change_feed
from moderation.domain.comments import MAX_ID
from moderation.domain.errors import ValidationFailed
from moderation.domain.lifecycle import STATUSES
from moderation.domain.reasons import MAX_REASON_LENGTH
from moderation.domain.story_comments import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from moderation.models import SANCTION_KINDS

INCLUDES = ("text",)
# One status or several, comma-separated: what listing_query accepts, for the OpenAPI document.
STATUS_LIST_PATTERN = "^({0})(,({0}))*$".format("|".join(STATUSES))


def include_text(args: Mapping[str, str]) -> bool:
    """`?include=text`: the text is echoed only when asked. Strict, as the OpenAPI enum says."""
    wanted = args.get("include")
    if wanted is not None and wanted not in INCLUDES:
        raise ValidationFailed(f"include may only be: {', '.join(INCLUDES)}", field="include")
    return wanted == "text"


def _int(args: Mapping[str, str], name: str, *, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    # isascii: str.isdigit accepts "²" and "٣", which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ValidationFailed(f"{name} must be a whole number from {low} to {high}", field=name)
    return int(raw)


def listing_query(args: Mapping[str, str]) -> dict[str, Any]:
    story_id, author_id = (_listing_id(args, name) for name in ("story_id", "author_id"))
    raw_status = args.get("status")
    statuses = raw_status.split(",") if raw_status is not None else []
    if any(status not in STATUSES for status in statuses):
        raise ValidationFailed(f"status must be one or more of {', '.join(STATUSES)}, comma-separated",
                               field="status")
    return {
        "story_id": story_id,
        "author_id": author_id,
        "statuses": statuses,
        "after": _int(args, "after", default=0, low=0, high=MAX_ID),
        "limit": _int(args, "limit", default=DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE),
    }


def changes_query(args: Mapping[str, str]) -> dict[str, Any]:
    """The changes feed's `after` (absent: from the start) and `limit`."""
    raw_after = args.get("after")
    return {
        "after": None if raw_after is None else change_feed.parse_cursor(raw_after),
        "limit": _int(args, "limit", default=change_feed.DEFAULT_PAGE_SIZE, low=1, high=change_feed.MAX_PAGE_SIZE),
    }


STORY_SETTINGS = ("closed", "premoderated")


def story_settings_input(body: Mapping[str, Any]) -> dict[str, bool]:
    """A story's settings to change: `closed`, `premoderated` or both, each true or false. Another
    field is refused rather than ignored: a misspelt `"close": true` had left the story open unsaid."""
    unknown = sorted(set(body) - set(STORY_SETTINGS))
    if unknown:
        raise ValidationFailed(f"a story's settings are {' and '.join(STORY_SETTINGS)}; not {unknown[0]}",
                               field=unknown[0])
    if not body:
        raise ValidationFailed(f"give {' or '.join(STORY_SETTINGS)}, true or false", field=STORY_SETTINGS[0])
    for name, value in body.items():
        if not isinstance(value, bool):
            raise ValidationFailed(f"{name} must be true or false", field=name)
    return dict(body)


SANCTION_FIELDS = ("author_id", "kind", "reason", "days")


def sanction_input(body: Mapping[str, Any]) -> dict[str, Any]:
    """A site's measure against an author: `author_id` as its comments give it, `kind`, `reason`, and
    `days` for a suspension alone. Another field, or `days` with a ban, is refused rather than
    ignored: a ban sent with days would have been for good where the site meant a week."""
    unknown = sorted(set(body) - set(SANCTION_FIELDS))
    if unknown:
        raise ValidationFailed(f"a sanction's fields are {', '.join(SANCTION_FIELDS)}; not {unknown[0]}", field=unknown[0])
    author_id = _path_safe_id(body, "author_id")
    kind, reason, days = body.get("kind"), body.get("reason"), body.get("days")
    if kind not in SANCTION_KINDS:
        raise ValidationFailed(f"kind must be one of {', '.join(SANCTION_KINDS)}", field="kind")
    if not isinstance(reason, str):
        raise ValidationFailed("reason is required: a string the moderators and the audit log show", field="reason")
    _check_string(reason, "reason", MAX_REASON_LENGTH)  # a NUL or a lone surrogate was a 500 (a security review)
    if kind == "suspend" and days is None:
        raise ValidationFailed("a suspension needs days", field="days")
    if kind != "suspend" and days is not None:
        raise ValidationFailed(f"days is for a suspension only; a {kind} is for good until lifted", field="days")
    return {"author_id": author_id, "kind": kind, "reason": reason, "days": days}


def lift_input(body: Mapping[str, Any]) -> dict[str, Any]:
    """Whose sanctions to lift (`author_id`) and, if given, why (`reason`); nothing else."""
    unknown = sorted(set(body) - {"author_id", "reason"})
    if unknown:
        raise ValidationFailed(f"lifting takes author_id and reason; not {unknown[0]}", field=unknown[0])
    author_id = _id(body, "author_id", required=True)
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ValidationFailed("reason must be a string", field="reason")
    if reason is not None:
        _check_string(reason, "reason", MAX_REASON_LENGTH)
    return {"author_id": author_id, "reason": reason}


def _listing_id(args: Mapping[str, str], name: str) -> str | None:
    """An id to list by, read as a posted one is stored (validation.path_id): an invisible-only
    author_id, which no comment can have, answered 200 with nothing."""
    value = args.get(name)
    return None if value is None else path_id(value, name)


def edit_input(body: Mapping[str, Any], *, max_text_length: int) -> str:
    """The new text of an edited comment (other fields are ignored, as on POST)."""
    return _text(body, max_text_length)
