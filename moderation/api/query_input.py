"""Query strings and the edit body of the comment routes, validated into plain values.

As in validation.py, anything wrong is a ValidationFailed naming the parameter (a 400), never a guess.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moderation.api.validation import path_id
from moderation.domain import change_feed
from moderation.domain.comments import MAX_ID
from moderation.domain.errors import ValidationFailed
from moderation.domain.lifecycle import STATUSES
from moderation.domain.story_comments import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from moderation.domain.stories import SETTINGS as STORY_SETTINGS

INCLUDES = ("text",)
# The parameters that take several values, in one, comma-separated.
LISTS = {"status": "held,published"}
# One status or several, comma-separated: what listing_query accepts, for the OpenAPI document.
STATUS_LIST_PATTERN = "^({0})(,({0}))*$".format("|".join(STATUSES))


def one_arg(args: Mapping[str, str], name: str) -> str | None:
    """A query parameter that takes one value, or None when absent; sent twice, a 400 naming it.
    `status=held&status=published` listed held comments alone, with no error: axios, Python's
    requests and Go's url.Values send a list so, and only the first value was read (an API contract walk)."""
    values = args.getlist(name) if hasattr(args, "getlist") else ([args[name]] if name in args else [])
    if len(values) > 1:
        several = (f"; for several, give them once, comma-separated ({name}={LISTS[name]})" if name in LISTS
                   else "; give it once")
        raise ValidationFailed(f"{name} is given {len(values)} times{several}", field=name)
    return values[0] if values else None


def include_text(args: Mapping[str, str]) -> bool:
    """`?include=text`: the text is echoed only when asked. Strict, as the OpenAPI enum says."""
    wanted = one_arg(args, "include")
    if wanted is not None and wanted not in INCLUDES:
        raise ValidationFailed(f"include may only be: {', '.join(INCLUDES)}", field="include")
    return wanted == "text"


def _int(args: Mapping[str, str], name: str, *, default: int, low: int, high: int) -> int:
    raw = one_arg(args, name)
    if raw is None:
        return default
    # isascii: str.isdigit accepts "²" and "٣", which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ValidationFailed(f"{name} must be a whole number from {low} to {high}", field=name)
    return int(raw)


def listing_query(args: Mapping[str, str]) -> dict[str, Any]:
    story_id, author_id = (_listing_id(args, name) for name in ("story_id", "author_id"))
    raw_status = one_arg(args, "status")
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
    raw_after = one_arg(args, "after")
    return {
        "after": None if raw_after is None else change_feed.parse_cursor(raw_after),
        "limit": _int(args, "limit", default=change_feed.DEFAULT_PAGE_SIZE, low=1, high=change_feed.MAX_PAGE_SIZE),
    }


def story_settings_input(body: Mapping[str, Any]) -> dict[str, bool]:
    """A story's settings to change: `closed`, `premoderated`, `strict` or several, each true or false.
    Another field is refused rather than ignored: a misspelt `"close": true` had left the story open unsaid."""
    unknown = sorted(set(body) - set(STORY_SETTINGS))
    if unknown:
        raise ValidationFailed(f"a story's settings are {', '.join(STORY_SETTINGS[:-1])} and {STORY_SETTINGS[-1]}; "
                               f"not {unknown[0]}", field=unknown[0])
    if not body:
        raise ValidationFailed(f"give {' or '.join(STORY_SETTINGS)}, true or false", field=STORY_SETTINGS[0])
    for name, value in body.items():
        if not isinstance(value, bool):
            raise ValidationFailed(f"{name} must be true or false", field=name)
    return dict(body)


def _listing_id(args: Mapping[str, str], name: str) -> str | None:
    """An id to list by, read as a posted one is stored (validation.path_id): an invisible-only
    author_id, which no comment can have, answered 200 with nothing."""
    value = one_arg(args, name)
    return None if value is None else path_id(value, name)
