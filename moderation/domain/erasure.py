"""Erasing comment text, and an author's texts and names, from every place they are kept.

`erase_everywhere` holds the one list of those places; a new table that copies a comment's text
or its author's name gets its line there, and retention (domain/retention.py), deletion with a
zero-day retention (domain/removal.py) and an author's erasure all follow it. What stays: the
comment row with its ids, scores, decision, status history and hashes (`body_hash`, and
`text_sha256` taken just before the text goes), so moderation records and counts still add up.

Places that hold no text, and so need no line: shadow_scores and drift_reports (scores only),
model artifacts (hashed features), training runs (the temporary CSV is deleted after the run).
Exports (`moderation dataset export`, training on a site's labels) read labelled_examples at the
time they run, so deleting those rows keeps the text out of every later export.
"""
from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, select, update
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import DELETED, REMOVAL, audit, change_status, now
from moderation.models import (AuditEntry, AuthorErasure, Comment, CommentRevision, LabelledExample, Report, Site,
                               WebhookDelivery)

# Keys under which a copy of a comment's text (or its author's name) may sit in JSON we keep.
TEXT_KEYS = frozenset({"text", "old_text", "new_text", "previous_text", "excerpt"})
NAME_KEYS = frozenset({"author_name"})
ERASED = "[erased]"


def erase_everywhere(session: Session, comment_ids: Collection[int], *, at: datetime, names: bool = False,
                     also: Iterable[str] = (), related_comment_ids: Iterable[int] = ()) -> dict[str, int]:
    """Erase these comments' texts (and with `names`, their authors' names) wherever they are kept.

    `also` adds strings to remove from the JSON places (an author's report notes);
    `related_comment_ids` are further comments whose audit entries and events may hold them.
    Returns how many rows each place changed, every place named even when nothing was there (a
    site reads the same keys for an author who never posted). The caller commits.
    """
    ids = sorted(comment_ids)
    if not ids and not also:
        return dict.fromkeys(ERASED_PLACES, 0)
    session.flush()
    values = _stored_values(session, ids, names) | {v for v in also if v}
    keys = TEXT_KEYS | NAME_KEYS if names else TEXT_KEYS
    json_ids = sorted(set(ids) | set(related_comment_ids))
    counts = {
        "comments": _erase_comment_rows(session, ids, at, names),
        "labelled_examples": _delete(session, LabelledExample, LabelledExample.comment_id.in_(ids)),
        # A reader's earlier texts (domain/edits.py), with the author name they had: deleted outright.
        "comment_revisions": _delete(session, CommentRevision, CommentRevision.comment_id.in_(ids)),
        "webhook_deliveries": _scrub_json(session, WebhookDelivery, "event",
                                          WebhookDelivery.comment_id.in_(json_ids), values, keys),
        "audit_log": _scrub_json(session, AuditEntry, "details", AuditEntry.comment_id.in_(json_ids), values, keys),
    }
    _stamp_unsent_events(session, ids)
    session.expire_all()  # the bulk updates above bypassed the objects this session holds
    return counts


ERASED_PLACES = ("comments", "labelled_examples", "comment_revisions", "webhook_deliveries", "audit_log")


def _stored_values(session: Session, ids: list[int], names: bool) -> set[str]:
    if not ids:
        return set()
    rows = session.execute(select(Comment.text, Comment.author_name).where(Comment.id.in_(ids)))
    values: set[str] = set()
    for text, author_name in rows:
        if text:
            values.add(text)
        if names and author_name:
            values.add(author_name)
    return values


def _erase_comment_rows(session: Session, ids: list[int], at: datetime, names: bool) -> int:
    if not ids:
        return 0
    fresh = Comment.text_erased_at.is_(None)
    changes: dict[str, Any] = {
        # Hashed by PostgreSQL in the same statement that blanks the text: it never leaves the server.
        "text_sha256": case((fresh, func.encode(func.sha256(func.convert_to(Comment.text, "UTF8")), "hex")),
                            else_=Comment.text_sha256),
        "text": "",
        # The reviewer's highlights quote the words they point at.
        "explanations": None,
        # So do the reasons of banned-word and link rules (the words, the link's host).
        "rule_hits": None,
        "text_erased_at": func.coalesce(Comment.text_erased_at, at),
    }
    if names:
        changes["author_name"] = None
    result = session.execute(update(Comment).where(Comment.id.in_(ids)).values(**changes)
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0


def _stamp_unsent_events(session: Session, ids: list[int]) -> None:
    """The events not yet delivered of comments just erased say when, as GET does: the `deleted`
    event of an erasure is queued before the texts are erased, and said `text_erased_at: null`, so a
    site mirroring comments from webhooks never learnt the text was gone (no later event corrects it)."""
    if not ids:
        return
    erased = {row.id: row.text_erased_at for row in session.execute(
        select(Comment.id, Comment.text_erased_at).where(Comment.id.in_(ids)))}
    for delivery in session.scalars(select(WebhookDelivery).where(
            WebhookDelivery.comment_id.in_(ids), WebhookDelivery.delivered_at.is_(None)).with_for_update()):
        comment = delivery.event.get("comment") if isinstance(delivery.event, dict) else None
        when = erased.get(delivery.comment_id)
        if isinstance(comment, dict) and comment.get("text_erased_at") is None and when is not None:
            delivery.event = {**delivery.event, "comment": {**comment, "text_erased_at": when.isoformat()}}
    session.flush()


def _delete(session: Session, model: type, where: ColumnElement[bool]) -> int:
    result = session.execute(delete(model).where(where).execution_options(synchronize_session=False))
    return result.rowcount or 0


def _scrub_json(session: Session, model: type, column: str, where: ColumnElement[bool],
                values: set[str], keys: frozenset[str]) -> int:
    changed = 0
    for row in session.scalars(select(model).where(where).with_for_update()):
        before = getattr(row, column)
        after = _scrub(before, values, keys)
        if after != before:
            setattr(row, column, after)
            changed += 1
    session.flush()
    return changed


def _scrub(value: Any, values: set[str], keys: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: (None if k in keys and isinstance(v, str) else _scrub(v, values, keys)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, values, keys) for v in value]
    if isinstance(value, str) and value in values:
        return ERASED
    return value


def author_hash(author_id: str) -> str:
    """What an erasure record keeps of the author: a site can hash its own id to find the record."""
    return hashlib.sha256(author_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Erased:
    record: AuthorErasure
    deliveries: list  # webhook events of the comments this deleted; send after commit


def erase_author(session: Session, site: Site, author_id: str, *, actor: str, at: datetime | None = None) -> Erased:
    """A reader's erasure request: their comments on this site are deleted and their texts and name
    erased everywhere, the notes of reports they filed too, and the erasure is recorded. The caller commits.

    Asking again is harmless: it finds nothing left to erase and records the new request.
    """
    at = at or now()
    comments = list(session.scalars(
        select(Comment).where(Comment.site_id == site.id, Comment.author_id == author_id)
        .order_by(Comment.id).with_for_update(of=Comment)))
    deliveries = [change_status(session, c, DELETED, actor=actor, by=REMOVAL, reason="the author's erasure request")
                  for c in comments if c.status != DELETED]
    reports = list(session.scalars(
        select(Report).join(Comment, Comment.id == Report.comment_id)
        .where(Comment.site_id == site.id, Report.reporter_id == author_id, Report.note.is_not(None))
        .with_for_update(of=Report)))
    notes = {r.note for r in reports if r.note}
    for report in reports:
        report.note = None
    counts = erase_everywhere(session, [c.id for c in comments], at=at, names=True, also=notes,
                              related_comment_ids=[r.comment_id for r in reports])
    counts = {"comments_deleted": len(deliveries), "report_notes": len(reports), **counts}
    record = AuthorErasure(site_id=site.id, author_hash=author_hash(author_id), requested_by=actor,
                           erased_at=at, counts=counts)
    session.add(record)
    audit(session, actor, "author:erased", site_id=site.id, author_hash=record.author_hash, counts=counts)
    session.flush()
    return Erased(record, deliveries)


def serialize_erasure(record: AuthorErasure) -> dict[str, Any]:
    return {"author_hash": record.author_hash, "erased_at": record.erased_at.isoformat(), "counts": record.counts}
