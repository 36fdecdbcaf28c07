"""Turning a request body into validated domain input, or a ValidationFailed naming the field.

Ids may be strings or integers (stored as strings); any other type is an error, not a guess.
Unknown fields are ignored, so a site may send more than we use. Every string is checked for NUL
bytes and unpaired surrogates, which PostgreSQL cannot store: refusing them here is a 400, not a 500.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from classifiers.normalise import mapped_length
from moderation.api.openapi_patterns import INVISIBLE
from moderation.domain.comments import CommentInput
from moderation.domain.errors import DomainError, ValidationFailed
from moderation.domain.lookalikes import shows_something
from moderation.domain.reasons import MAX_REASON_LENGTH
from moderation.json_numbers import finite_numbers, unique_keys
from moderation.models import REPORT_REASONS, SANCTION_KINDS

MAX_ID_LENGTH = 200
MAX_URL_LENGTH = 2000
MAX_TITLE_LENGTH = 1000
MAX_NAME_LENGTH = 200
MAX_NOTE_LENGTH = 2000
# created_at must be a time a comment can have been written. PostgreSQL stores years Python
# cannot read back (9999-12-31T23:59:59-14:00 is year 10000 in UTC), and one such row stopped
# scoring for every site. The year is checked as written, so the OpenAPI document can state the
# rule as a pattern a client (or a fuzzer) can check; any offset then keeps it in Python's range.
# "Not after tomorrow" would be tighter, but no schema can say it, and a site whose clock runs
# fast should not lose comments over it.
CREATED_AT_YEARS = (1970, 2099)
# A date-time of RFC 3339 (a space for the T, as it allows); without an offset it is taken as UTC.
# ASCII digits: \d also takes "２０２６", which passed the pattern and was then "not a real date" (a security review).
_RFC3339 = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?")


# Something a reader can see: the OpenAPI document's NOT_BLANK says the same.
_VISIBLE = re.compile(f"[^\\s{INVISIBLE}]")


class MalformedJson(ValidationFailed):
    code = "malformed_json"


_NUMBERS = finite_numbers(lambda what: MalformedJson(f"the request body is not valid JSON: {what}"))
_UNIQUE_KEYS = unique_keys(lambda key: MalformedJson(
    f"the request body is not valid JSON: the key {json.dumps(key)[:60]} comes twice in one object"))


def parse_json_object(raw: bytes) -> dict[str, Any]:
    if not raw or not raw.strip():
        raise MalformedJson("the request body must be a JSON object")
    try:
        body = json.loads(raw, object_pairs_hook=_UNIQUE_KEYS, **_NUMBERS)
    except RecursionError:
        raise MalformedJson("the request body nests arrays or objects too deeply") from None
    except json.JSONDecodeError as exc:  # where it broke, in JSON's own words
        raise MalformedJson(f"the request body is not valid JSON: {exc}") from None
    except ValueError as exc:  # UTF-8 that does not decode, or a number of thousands of digits
        if raw[:2] == b"\x1f\x8b":  # gzip's magic bytes: a client that compresses what it sends
            raise MalformedJson("the request body is compressed (gzip): say so with Content-Encoding: gzip, or "
                                "send it uncompressed") from None
        # Where: an import's 500-comment batch with one Latin-1 byte had its engineer bisecting it.
        reason = (f"it is not UTF-8 (byte {exc.start:,}: {exc.object[max(0, exc.start - 30):exc.start].decode('utf-8', 'replace')!r} "
                  f"comes before it)" if isinstance(exc, UnicodeDecodeError) else "a number in it is too long")
        raise MalformedJson(f"the request body is not valid JSON: {reason}") from None
    if not isinstance(body, dict):
        raise MalformedJson("the request body must be a JSON object")
    return body


def _check_string(value: str, name: str, max_length: int) -> str:
    if "\x00" in value:
        raise ValidationFailed(f"{name} must not contain NUL characters", field=name)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationFailed(f"{name} contains an invalid character (an unpaired surrogate)", field=name) from None
    if len(value) > max_length:
        raise ValidationFailed(f"{name} must be at most {max_length} characters", field=name)
    return value


def _id(body: Mapping[str, Any], name: str, *, required: bool) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise ValidationFailed(f"{name} is required", field=name)
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationFailed(f"{name} must be a string or an integer", field=name)
    text = _check_string(str(value), name, MAX_ID_LENGTH).strip()
    if not _VISIBLE.search(text):
        raise ValidationFailed(f"{name} must not be empty or only whitespace or invisible characters", field=name)
    if "\ufffd" in text:
        # What bytes that are not UTF-8 become: a path cannot tell it from them, so such an author
        # could be posted but never read or erased by its id (a re-check).
        raise ValidationFailed(f"{name} must not hold U+FFFD, the replacement character: send it as the text "
                               "it was meant to be", field=name)
    return text


def _path_safe_id(body: Mapping[str, Any], name: str) -> str:
    """An id that goes in URL paths (a comment's, its story's, its author's). Not one with "." or ".."
    between slashes: curl and Python's clients resolve "a/../b" to "b" before sending, and erasing
    author "x/../victim" erased "victim" (a re-check). Refused when sent, not when asked for in a
    path: a reader stored before then can still be read and erased."""
    text = _id(body, name, required=True) or ""
    if {".", ".."} & set(text.split("/")):
        raise ValidationFailed(f'{name} must not have "." or ".." between slashes, which HTTP clients resolve '
                               "away in a URL path", field=name)
    return text


def new_path_id(value: str, name: str) -> str:
    """An id from a URL path that will be stored (a story a site closes before any comment on it): as
    path_id reads it, and refused as a posted one is (_path_safe_id). PATCH /stories had stored
    "a/../b", "\u200b" and "\ufffd\ufffd", ids no comment can have (a security review)."""
    return _path_safe_id({name: path_id(value, name)}, name)


def path_id(value: str, name: str) -> str:
    """An id from a URL path, read as a body's is stored: less the whitespace around it, and never
    blank (erasing author " " was accepted, though no comment can have that author). The URL's
    bytes that are not UTF-8 arrive as U+FFFD, which no stored id was sent as: erasing author
    "%C0%AF" answered 200, erasing an author "\ufffd"."""
    if "\ufffd" in value:
        raise ValidationFailed(f"{name} in the URL is not valid UTF-8 once percent-decoded", field=name)
    return _id({name: value}, name, required=True) or ""


def _optional_string(body: Mapping[str, Any], name: str, max_length: int) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationFailed(f"{name} must be a string", field=name)
    return _check_string(value, name, max_length) or None


def _shown_name(body: Mapping[str, Any], name: str, max_length: int) -> str | None:
    """An author's name or a story's title as the site sent it, or None when nothing in it is visible:
    a card showed "by " and an empty link, hiding its author from moderators behind "   " or a
    zero-width space. Without one the pages show the author's id or the story's id."""
    value = _optional_string(body, name, max_length)
    return value if value is not None and shows_something(value) else None


# How far past the length limit a text may expand once normalised (NFKC and friends).
READ_FACTOR = 2


def _text(body: Mapping[str, Any], max_length: int) -> str:
    value = body.get("text")
    if value is None:
        raise ValidationFailed("text is required", field="text")
    if not isinstance(value, str):
        raise ValidationFailed("text must be a string", field="text")
    _check_string(value, "text", max_length)
    read = mapped_length(value)
    if read > max_length * READ_FACTOR:
        # What the model and rules read costs by characters once normalised: 260 comments of 20,000
        # U+FDFA (18 each once read) kept both scoring processes busy for four minutes, every
        # site's comments pending meanwhile (a chaos walk). A real comment's few ligatures pass.
        raise ValidationFailed(f"text is too long once read: its characters expand to {read:,} when normalised "
                               f"(U+FDFA alone is 18), past {max_length * READ_FACTOR:,}", field="text")
    if not _VISIBLE.search(value):
        raise ValidationFailed("text must show a reader something: not empty, nor only whitespace, invisible "
                               "characters or combining marks alone", field="text")
    return value


def _timestamp(body: Mapping[str, Any], name: str) -> datetime | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationFailed(f"{name} must be an RFC 3339 date-time string", field=name)
    _check_string(value, name, 64)
    # RFC 3339, as the OpenAPI document's date-time says, and no more: fromisoformat alone also took a
    # bare date, a week date and basic format, each read as some midnight (an integrator's walk).
    if not _RFC3339.fullmatch(value):
        raise ValidationFailed(f"{name} must be an RFC 3339 date-time, like 2026-11-28T09:30:00Z", field=name)
    try:
        parsed = datetime.fromisoformat(value.upper())  # RFC 3339 allows a lower-case t and z
    except ValueError:  # a 31st of February, an hour 25
        raise ValidationFailed(f"{name} is not a real date and time", field=name) from None
    # A time without an offset is taken as UTC, the only reading that needs no guess about the site.
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    first, last = CREATED_AT_YEARS
    if not first <= parsed.year <= last:
        raise ValidationFailed(f"{name} must be in the years {first} to {last}", field=name)
    return parsed  # as sent; CommentInput.same_body reads it both as sent and in UTC


_COMMENT_FIELDS = ("id", "story_id", "author_id", "text", "parent_id", "story_url", "story_title", "author_name",
                   "created_at", "imported_decision")
IMPORTED_DECISIONS = ("approved", "rejected")


def _imported_decision(body: Mapping[str, Any], *, in_batch: bool) -> str | None:
    """The decision the site's old system made on an archived comment: an import's, so a batch's alone
    (a live comment sent one at a time is for the model and the moderators to decide)."""
    value = body.get("imported_decision")
    if value is None:
        return None
    if not in_batch:
        raise ValidationFailed("imported_decision is for an import: send archived comments in comments:batch",
                               field="imported_decision")
    if value not in IMPORTED_DECISIONS:
        raise ValidationFailed(f"imported_decision must be one of: {', '.join(IMPORTED_DECISIONS)}",
                               field="imported_decision")
    return value
_REPORT_FIELDS = ("reason", "reporter_id", "note")


def _refuse_camel_case(body: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    """A field of ours spelt in camelCase ("parentId") is refused, naming ours: ignored like any
    unknown field, a reply was stored as top-level and a named report as an anonymous one at half
    weight, while comments:analyze took both spellings (an integrator's walk)."""
    for name in fields:
        head, *rest = name.split("_")
        camel = head + "".join(part.title() for part in rest)
        if rest and camel in body and name not in body:
            raise ValidationFailed(f"{camel} is spelt {name} here (this API's fields are snake_case)", field=name)


# A comment's fields an edit cannot change, each read as a POST reads it. Not `id`: the API's own
# comment carries ours there, the site's being `site_comment_id`.
_FIXED_ON_EDIT = {
    "story_id": lambda body: _id(body, "story_id", required=False),
    "author_id": lambda body: _id(body, "author_id", required=False),
    "parent_id": lambda body: _id(body, "parent_id", required=False),
    "story_url": lambda body: _optional_string(body, "story_url", MAX_URL_LENGTH),
    "story_title": lambda body: _shown_name(body, "story_title", MAX_TITLE_LENGTH),
    "author_name": lambda body: _shown_name(body, "author_name", MAX_NAME_LENGTH),
}


def refuse_changed_fields(body: Mapping[str, Any], comment: Any) -> None:
    """An edit changes the text alone: another field of ours sent with a value other than the stored
    one is refused, naming it. A PATCH with a new story_id, author_name and parent_id had answered 200
    with none of them changed and no word (a Node integrator's walk). Each is read as a POST reads
    it, so the comment as stored (or as the API returned it) sent back with a new text still passes:
    compared as sent, "Jane " and our own `id` had been refused (a re-check)."""
    for name, read in _FIXED_ON_EDIT.items():
        head, *rest = name.split("_")
        for spelt in dict.fromkeys((name, head + "".join(part.title() for part in rest))):
            if body.get(spelt) is None:  # not sent, or null: nothing asked of it
                continue
            if read({name: body[spelt]}) != getattr(comment, name):
                raise ValidationFailed(f"{spelt} cannot be changed by an edit: only text can; the comment keeps its "
                                       f"{name}", field=name)


def comment_input(body: Mapping[str, Any], *, max_text_length: int, in_batch: bool = False) -> CommentInput:
    _refuse_camel_case(body, _COMMENT_FIELDS)
    external_id = _path_safe_id(body, "id")
    if external_id is not None and external_id.endswith("/reports"):
        # /comments/by-site-id/<id>/reports is its reports: "a/reports" was stored, then its own path
        # answered 405 and "/reports" 404 (a re-check).
        raise ValidationFailed("id must not end in /reports, which its path by site id would read as its reports",
                               field="id")
    parent_id = _id(body, "parent_id", required=False)
    if parent_id is not None and parent_id == external_id:
        # Its card showed it replying to itself (a moderator's walk). A parent we never received is
        # taken: a reply's parent may predate the integration.
        raise ValidationFailed("parent_id must not be the comment's own id", field="parent_id")
    return CommentInput(
        external_id=external_id,
        story_id=_path_safe_id(body, "story_id"),
        author_id=_path_safe_id(body, "author_id"),
        text=_text(body, max_text_length),
        parent_id=parent_id,
        story_url=_optional_string(body, "story_url", MAX_URL_LENGTH),
        story_title=_shown_name(body, "story_title", MAX_TITLE_LENGTH),
        author_name=_shown_name(body, "author_name", MAX_NAME_LENGTH),
        created_at=_timestamp(body, "created_at"),
        imported_decision=_imported_decision(body, in_batch=in_batch),
    )


def report_input(body: Mapping[str, Any]) -> dict[str, str | None]:
    _refuse_camel_case(body, _REPORT_FIELDS)
    reason = body.get("reason")
    if reason is None:
        raise ValidationFailed("reason is required", field="reason")
    if not isinstance(reason, str) or reason not in REPORT_REASONS:
        raise ValidationFailed(f"reason must be one of: {', '.join(REPORT_REASONS)}", field="reason")
    return {
        "reason": reason,
        "reporter_id": _id(body, "reporter_id", required=False),
        "note": _optional_string(body, "note", MAX_NOTE_LENGTH),
    }


def batch_items(body: Mapping[str, Any], *, max_items: int, max_text_length: int) -> list[CommentInput | DomainError]:
    """`{"comments": [...]}`: each item validated on its own, a failure kept as that item's result.

    Only a body that is not a list of 1..max_items comments fails as a whole."""
    items = body.get("comments")
    if not isinstance(items, list):
        raise ValidationFailed("comments must be an array of comment objects", field="comments")
    if not items:
        raise ValidationFailed("comments must not be empty", field="comments")
    if len(items) > max_items:
        raise ValidationFailed(f"at most {max_items} comments per batch (got {len(items)})", field="comments")
    parsed: list[CommentInput | DomainError] = []
    for item in items:
        try:
            if not isinstance(item, dict):
                raise ValidationFailed("each comment must be a JSON object")
            parsed.append(comment_input(item, max_text_length=max_text_length, in_batch=True))
        except ValidationFailed as invalid:
            parsed.append(invalid)
    return parsed


def edit_input(body: Mapping[str, Any], *, max_text_length: int) -> str:
    """The new text of an edited comment (its other fields: refuse_changed_fields)."""
    return _text(body, max_text_length)


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
