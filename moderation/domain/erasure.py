"""Erasing comment text, and an author's texts and names, from every place they are kept.

`erase_everywhere` holds the one list of those places; a new table that copies a comment's text
or its author's name gets its line there, and retention (domain/retention.py), deletion with a
zero-day retention (domain/removal.py) and an author's erasure all follow it. What stays: the
comment row with its ids, scores, decision, status history and hashes (`body_hash`, and
`text_sha256` taken just before the text goes), so moderation records and counts still add up.

What people wrote about a comment goes with its text, since it so often quotes it
(erasure_copies.py finds those strings and blanks their copies): a
moderator's note after the guideline reason ("Personal attack or insult: called her 'a ...'"),
the notes of readers' reports against it, the reasons of rules that name what they found
(`threat of violence: "hope you die"`), and, for an author's erasure, the reasons of the sanctions
put on them. Every JSON copy of any of those strings (audit details, webhook events, a bulk
decision's entry) is blanked too.

Places that hold no text, and so need no line: shadow_scores and drift_reports (scores only),
model artifacts (hashed features), training runs (the temporary CSV is deleted after the run, or
by the next run if its trainer was killed).
Exports (`moderation dataset export`, training on a site's labels) read labelled_examples at the
time they run, so deleting those rows keeps the text out of every later export; a suggestscore
label is a row of its own, with no comment, and goes when its text is an erased comment's.
"""
from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Text, bindparam, case, cast, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, JSONPATH
from sqlalchemy.orm import Session

from moderation.domain.audit_actions import AUTHOR_ACTIONS, BULK_ENTRY_ACTIONS
from moderation.domain.comments import COMMENT_IDS_LOCK
from moderation.domain.erasure_copies import ERASED, copies_of, erased_reason, moderators_words, scrub_json
from moderation.domain.labels import SUGGESTSCORE
from moderation.domain.legal_holds import refuse_erasure_if_held
from moderation.domain.lifecycle import DELETED, REMOVAL, audit, change_status, now
from moderation.domain.report_outcomes import close_reports_of_deleted
from moderation.models import (AuditEntry, AuthorErasure, AuthorSanction, Comment, CommentRevision, LabelledExample,
                               Report, Site, WebhookDelivery)

# Keys under which a copy of a comment's text (or its author's name) may sit in JSON we keep.
# "team_note": what moderators wrote about the comment or its reader (team_notes.py).
TEXT_KEYS = frozenset({"text", "old_text", "new_text", "previous_text", "excerpt", "team_note"})
NAME_KEYS = frozenset({"author_name"})


def erase_everywhere(session: Session, comment_ids: Collection[int], *, at: datetime, names: bool = False,
                     also: Iterable[str] = (), related_comment_ids: Iterable[int] = ()) -> dict[str, int]:
    """Erase these comments' texts (and with `names`, their authors' names) wherever they are kept,
    with what was written about them (the module's docstring says which).

    `also` adds strings to remove from the JSON places (an author's report notes);
    `related_comment_ids` are further comments whose audit entries and events may hold them.
    Returns how many rows each place changed, every place named even when nothing was there (a
    site reads the same keys for an author who never posted). The caller commits.
    """
    ids = sorted(comment_ids)
    if not ids and not also:
        return dict.fromkeys(ERASED_PLACES, 0)
    session.flush()
    rows = _stored(session, ids)
    per_comment = copies_of(rows, names)
    for comment_id, reason in moderators_words(session, ids):
        per_comment.setdefault(comment_id, {}).setdefault(reason, erased_reason(reason))
    notes = _notes_on(session, ids)
    for comment_id, note in notes:
        per_comment.setdefault(comment_id, {})[note] = ERASED
    common = {v: ERASED for v in also if v}
    keys = TEXT_KEYS | NAME_KEYS if names else TEXT_KEYS
    related = sorted(set(related_comment_ids) - set(ids))
    every_copy = common | {k: v for copies in per_comment.values() for k, v in copies.items()}
    counts = {
        "comments": _erase_comment_rows(session, rows, at, names),
        "reports": _erase_notes(session, ids) if notes else 0,
        "labelled_examples": _delete(session, LabelledExample, LabelledExample.comment_id.in_(ids))
        + _delete_suggested(session, rows),
        # A reader's earlier texts (domain/edits.py), with the author name they had: deleted outright.
        "comment_revisions": _delete(session, CommentRevision, CommentRevision.comment_id.in_(ids)),
        # Every text and name under these comments; on the related ones (comments the author reported),
        # only the author's own words: erasing one reader had blanked the names of those they reported
        # in the events sent about them (a data protection officer's walk).
        "webhook_deliveries": scrub_json(session, WebhookDelivery, "event", WebhookDelivery.comment_id.in_(ids),
                                         common, keys, per_comment)
        + scrub_json(session, WebhookDelivery, "event", WebhookDelivery.comment_id.in_(related), common),
        "audit_log": scrub_json(session, AuditEntry, "details", AuditEntry.comment_id.in_(ids),
                                common, keys, per_comment)
        + scrub_json(session, AuditEntry, "details", AuditEntry.comment_id.in_(related), common)
        + scrub_json(session, AuditEntry, "details", _bulk_entries_of(ids), every_copy, keys),
    }
    _stamp_unsent_events(session, ids)
    session.expire_all()  # the bulk updates above bypassed the objects this session holds
    return counts


ERASED_PLACES = ("comments", "reports", "labelled_examples", "comment_revisions", "webhook_deliveries", "audit_log")


def _stored(session: Session, ids: list[int]) -> list[Any]:
    if not ids:
        return []
    return list(session.execute(select(Comment.id, Comment.site_id, Comment.text, Comment.author_name,
                                       Comment.decision_reason, Comment.rule_hits).where(Comment.id.in_(ids))))


def _notes_on(session: Session, ids: list[int]) -> list[tuple[int, str]]:
    if not ids:
        return []
    return [(row.comment_id, row.note) for row in session.execute(
        select(Report.comment_id, Report.note).where(Report.comment_id.in_(ids), Report.note.is_not(None)))]


def _erase_notes(session: Session, ids: list[int]) -> int:
    """Readers' notes on reports against these comments ("He called her a ..."): other readers
    wrote them, about words that are going."""
    result = session.execute(update(Report).where(Report.comment_id.in_(ids), Report.note.is_not(None))
                             .values(note=None).execution_options(synchronize_session=False))
    return result.rowcount or 0


def _delete_suggested(session: Session, rows: list[Any]) -> int:
    """suggestscore labels (Perspective's clients send a comment's text and a verdict, no comment
    id) whose text is one of these comments' texts, on the same site."""
    by_site: dict[int, set[str]] = {}
    for row in rows:
        if row.text:
            by_site.setdefault(row.site_id, set()).add(row.text)
    deleted = 0
    for site_id, texts in by_site.items():
        ours = (LabelledExample.kind == SUGGESTSCORE) & (LabelledExample.site_id == site_id)
        deleted += _delete(session, LabelledExample, ours & LabelledExample.text.in_(sorted(texts)))
        # ... and another reader's label that carried one as its context (a Perspective client sends the
        # parent comment there): the context goes, the label stays (a data protection officer's walk).
        quoted = func.jsonb_path_exists(LabelledExample.context, cast("$.entries[*].text ? (@ == $texts[*])", JSONPATH),
                                        func.jsonb_build_object("texts", func.to_jsonb(
                                            bindparam("erased_texts", sorted(texts), type_=ARRAY(Text)))))
        deleted += session.execute(update(LabelledExample).where(ours, LabelledExample.context.is_not(None), quoted)
                                   .values(context=None).execution_options(synchronize_session=False)).rowcount or 0
    return deleted


def _bulk_entries_of(ids: list[int]) -> ColumnElement[bool]:
    """A bulk decision's own audit entry (bulk.py): no comment_id, its reason and the ids it decided."""
    return text("audit_log.action = ANY(:bulk_actions) AND EXISTS (SELECT 1 FROM "
                "jsonb_array_elements_text(audit_log.details -> 'decided') AS decided(id) "
                "WHERE decided.id::bigint = ANY(:erased_ids))").bindparams(
        bindparam("erased_ids", ids, type_=ARRAY(BigInteger)),
        bindparam("bulk_actions", list(BULK_ENTRY_ACTIONS), type_=ARRAY(Text)))


def _rules_without_reasons():  # noqa: ANN202 - an SQL expression
    return text("CASE WHEN jsonb_typeof(comments.rule_hits) = 'array' THEN (SELECT jsonb_agg(CASE WHEN "
                "jsonb_typeof(hit) = 'object' AND hit ? 'reason' THEN hit || jsonb_build_object('reason', "
                "CAST(:erased_reason AS text)) ELSE hit END) FROM jsonb_array_elements(comments.rule_hits) AS hit) "
                "END").bindparams(erased_reason=ERASED)


def _erase_comment_rows(session: Session, rows: list[Any], at: datetime, names: bool) -> int:
    if not rows:
        return 0
    ids = [row.id for row in rows]
    fresh = Comment.text_erased_at.is_(None)
    changes: dict[str, Any] = {
        # Hashed by PostgreSQL in the same statement that blanks the text: it never leaves the server.
        "text_sha256": case((fresh, func.encode(func.sha256(func.convert_to(Comment.text, "UTF8")), "hex")),
                            else_=Comment.text_sha256),
        "text": "",
        # The reviewer's highlights quote the words they point at.
        "explanations": None,
        # So do the reasons of banned-word, threat and link rules (the words, the link's host): those go,
        # and which rule fired stays. Dropped whole, a rule's rejection read on the decisions page as
        # "nothing: shown, and a moderator found it", its statement of reasons' automated detection
        # turning from yes to no after the fact (counsel's walk).
        "rule_hits": _rules_without_reasons(),
        # A scoring error kept before errors were cut to their first line may quote the failing row.
        "scoring_error": func.split_part(Comment.scoring_error, "\n", 1),
        "text_erased_at": func.coalesce(Comment.text_erased_at, at),
    }
    if names:
        changes["author_name"] = None
    result = session.execute(update(Comment).where(Comment.id.in_(ids)).values(**changes)
                             .execution_options(synchronize_session=False))
    notes = [{"id": row.id, "decision_reason": erased_reason(row.decision_reason)}
             for row in rows if row.decision_reason and erased_reason(row.decision_reason) != row.decision_reason]
    if notes:
        session.execute(update(Comment), notes)
    return result.rowcount or 0


def _stamp_unsent_events(session: Session, ids: list[int]) -> None:
    """The events not yet delivered of comments just erased say when, as GET does: the `deleted`
    event of an erasure is queued before the texts are erased, and said `text_erased_at: null`, so a
    site mirroring comments from webhooks never learnt the text was gone (no later event corrects it).
    With the text's SHA-256 too, as GET has it: the event had said `text_sha256: null`, and a site
    that takes webhooks alone could not match its own copy (an integrator's walk)."""
    if not ids:
        return
    erased = {row.id: (row.text_erased_at, row.text_sha256) for row in session.execute(
        select(Comment.id, Comment.text_erased_at, Comment.text_sha256).where(Comment.id.in_(ids)))}
    for delivery in session.scalars(select(WebhookDelivery).where(
            WebhookDelivery.comment_id.in_(ids), WebhookDelivery.delivered_at.is_(None)).with_for_update()):
        comment = delivery.event.get("comment") if isinstance(delivery.event, dict) else None
        when, digest = erased.get(delivery.comment_id, (None, None))
        if isinstance(comment, dict) and comment.get("text_erased_at") is None and when is not None:
            delivery.event = {**delivery.event, "comment": {**comment, "text_erased_at": when.isoformat(),
                                                            "text_sha256": digest}}
    session.flush()


def _delete(session: Session, model: type, where: ColumnElement[bool]) -> int:
    result = session.execute(delete(model).where(where).execution_options(synchronize_session=False))
    return result.rowcount or 0


def author_hash(author_id: str) -> str:
    """What an erasure record keeps of the author: a site can hash its own id to find the record."""
    return hashlib.sha256(author_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Erased:
    record: AuthorErasure
    deliveries: list  # webhook events of the comments this deleted; send after commit


def erase_author(session: Session, site: Site, author_id: str, *, actor: str, at: datetime | None = None,
                 despite_holds: bool = False) -> Erased:
    """A reader's erasure request: their comments on this site are deleted and their texts and name
    erased everywhere, the notes of reports they filed too, and the erasure is recorded. The caller commits.

    Asking again is harmless: it finds nothing left to erase and records the new request.
    """
    at = at or now()
    _wait_for_inserts_in_flight(session, site.id)
    if not despite_holds:  # erasure_replay: one made once no hold stood, which a restored backup's hold predates
        refuse_erasure_if_held(session, site, author_id)
    comments = list(session.scalars(
        select(Comment).where(Comment.site_id == site.id, Comment.author_id == author_id)
        .order_by(Comment.id).with_for_update(of=Comment)))
    deliveries = [change_status(session, c, DELETED, actor=actor, by=REMOVAL, reason="the author's erasure request")
                  for c in comments if c.status != DELETED]
    close_reports_of_deleted(session, comments, at)
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
    counts["author_sanctions"], sanctions = _erase_sanction_reasons(session, site.id, author_id)
    if sanctions:
        counts["audit_log"] += scrub_json(session, AuditEntry, "details", AuditEntry.action.in_(AUTHOR_ACTIONS)
                                          & (AuditEntry.details["site_id"].as_integer() == site.id)
                                          & (AuditEntry.details["author_id"].as_string() == author_id), sanctions)
        counts["webhook_deliveries"] += scrub_json(session, WebhookDelivery, "event", (WebhookDelivery.site_id == site.id)
                                                   & WebhookDelivery.event["type"].as_string().like("author.%")
                                                   & (WebhookDelivery.event["author_id"].as_string() == author_id),
                                                   sanctions)
    record = AuthorErasure(site_id=site.id, author_hash=author_hash(author_id), requested_by=actor,
                           erased_at=at, counts=counts)
    session.add(record)
    audit(session, actor, "author:erased", site_id=site.id, author_hash=record.author_hash, counts=counts)
    session.flush()
    return Erased(record, deliveries)


def _wait_for_inserts_in_flight(session: Session, site_id: int) -> None:
    """Wait until the site's comment INSERTs under way have committed, so their rows are found: an
    erasure sent 80 ms after a 500-comment batch deleted none of its comments (a site developer's walk).
    Each INSERT holds the site's comment-id lock shared (comments.COMMENT_IDS_LOCK); taking it exclusive
    waits for them. Taken for the session and let go at once, not held to the commit, so the site's new
    comments do not wait for the whole erasure."""
    session.execute(select(func.pg_advisory_lock(COMMENT_IDS_LOCK, site_id)))
    session.execute(select(func.pg_advisory_unlock(COMMENT_IDS_LOCK, site_id)))


# Lift reasons the service writes itself: they name a kind of sanction, nothing the author wrote.
_OWN_LIFT_REASONS = ("lifted", "superseded by ")


def _erase_sanction_reasons(session: Session, site_id: int, author_id: str) -> tuple[int, dict[str, str]]:
    """Blank the reasons of the author's sanctions on the site, which moderators write and which
    quote what the author wrote ("keeps calling her ..."); the sanctions stay in force. Returns how
    many changed, and the strings blanked, for their copies."""
    copies: dict[str, str] = {}
    changed = 0
    for sanction in session.scalars(select(AuthorSanction).where(
            AuthorSanction.site_id == site_id, AuthorSanction.author_id == author_id).with_for_update()):
        before = (sanction.reason, sanction.lift_reason)
        if sanction.reason:
            copies[sanction.reason] = sanction.reason = ERASED
        lift = sanction.lift_reason
        if lift and not lift.startswith(_OWN_LIFT_REASONS):
            copies[lift] = sanction.lift_reason = ERASED
        changed += (sanction.reason, sanction.lift_reason) != before
    session.flush()
    copies.pop(ERASED, None)
    return changed, copies


def serialize_erasure(record: AuthorErasure) -> dict[str, Any]:
    return {"author_hash": record.author_hash, "erased_at": record.erased_at.isoformat(), "counts": record.counts}
