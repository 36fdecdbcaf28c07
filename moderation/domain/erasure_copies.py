"""What quotes or names a comment that is being erased, and blanking it in the JSON we keep.

People write about a comment in words taken from it: a moderator's note after the guideline reason,
an undo's or a reversal's reason, a rule's reason quoting what it found. erasure.py takes these
strings with the comment's text and name, and `scrub_json` blanks every copy of them, whole or
inside a longer string, in audit details and webhook events.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from moderation.domain.reason_labels import GUIDELINE_REASONS
from moderation.models import AuditEntry

ERASED = "[erased]"


def copies_of(rows: list[Any], names: bool) -> dict[int, dict[str, str]]:
    """By comment, each string that quotes or names what is erased, and what its copies become."""
    by_comment: dict[int, dict[str, str]] = {}
    for row in rows:
        copies = by_comment.setdefault(row.id, {})
        if row.text:
            copies[row.text] = ERASED
        if names and row.author_name:
            copies[row.author_name] = ERASED
        if row.decision_reason and erased_reason(row.decision_reason) != row.decision_reason:
            copies[row.decision_reason] = erased_reason(row.decision_reason)
        for hit in row.rule_hits or ():
            if isinstance(hit, dict) and isinstance(hit.get("reason"), str):
                copies[hit["reason"]] = ERASED
    return by_comment


# Keys under which an audit entry keeps what a person wrote about the comment: a decision's reason,
# an undo's or a reversal's, and the undone decision's.
_REASON_KEYS = ("reason", "decision_reason")


def moderators_words(session: Session, ids: list[int]) -> list[tuple[int, str]]:
    """Every reason people gave about these comments, from their audit entries: the current
    decision's is on the row, but an undone or reversed one's, and the undo's own ("because she
    wrote ..."), were left in the audit log and the events of the earlier decision (a re-check walk)."""
    if not ids:
        return []
    found = []
    for comment_id, details in session.execute(select(AuditEntry.comment_id, AuditEntry.details).where(
            AuditEntry.comment_id.in_(ids), AuditEntry.actor.like("user:%"))):
        for key in _REASON_KEYS:
            value = details.get(key) if isinstance(details, dict) else None
            if isinstance(value, str) and value and erased_reason(value) != value:
                found.append((comment_id, value))
    return found


def erased_reason(reason: str | None) -> str | None:
    """A decision's reason without the moderator's own words: the guideline reason chosen before the
    colon stays (what the comment broke), the note after it goes."""
    if reason is None:
        return None
    choice = reason.split(":", 1)[0].strip()
    if choice not in GUIDELINE_REASONS:
        return ERASED
    return choice if reason.strip() == choice else f"{choice}: {ERASED}"


def scrub_json(session: Session, model: type, column: str, where: ColumnElement[bool], copies: dict[str, str],
               keys: frozenset[str] = frozenset(), per_comment: dict[int, dict[str, str]] | None = None) -> int:
    """Blank, in `column` of the rows `where` picks, every string value under `keys` and every
    copy `copies` names (with `per_comment`'s for the row's comment), whole or inside a longer
    string ("reports; threat of violence: ..."): it becomes what the copy maps to. How many rows changed."""
    changed = 0
    for row in session.scalars(select(model).where(where).with_for_update()):
        own = copies | per_comment.get(row.comment_id, {}) if per_comment else copies
        before = getattr(row, column)
        after = _scrub(before, own, sorted((k for k in own if len(k) >= MIN_QUOTED), key=len, reverse=True), keys)
        if after != before:
            setattr(row, column, after)
            changed += 1
    session.flush()
    return changed


# Shorter copies are replaced only where they are a whole value: "ok" inside "booked" is no quote.
MIN_QUOTED = 8


def _scrub(value: Any, copies: dict[str, str], inside: list[str], keys: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: (None if k in keys and isinstance(v, str) else _scrub(v, copies, inside, keys))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, copies, inside, keys) for v in value]
    if isinstance(value, str):
        if value in copies:
            return copies[value]
        for copy in inside:
            if copy in value:
                value = value.replace(copy, copies[copy])
    return value
