"""What the service holds about one reader of one site, for their subject access request.

`GET /api/v1/comments?author_id=` and `GET /api/v1/authors/<id>` give a site its reader's current
texts and the reports against them; a data protection officer's walk found they left out the
texts the reader had before editing, the reports the reader filed (whose notes held her e-mail
address) and the record of any erasure. This is all of it, as one document.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.domain.erasure import author_hash
from moderation.domain.lifecycle import now, parse_status_action, serialize_comment
from moderation.domain.sanctions import serialize_sanction
from moderation.domain.team_notes import NOTE_ACTION, NOTE_KEY
from moderation.domain.undo import REVERSE_ACTION, UNDO_ACTION
from moderation.models import (
    AuditEntry, AuthorErasure, AuthorSanction, Comment, CommentRevision, LabelledExample, Report, Site,
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def subject_access(session: Session, site: Site, author_id: str, *, story_id: str | None = None) -> dict[str, Any]:
    """Every comment the reader wrote on the site with its text and earlier texts, every report they
    filed, their sanctions and any erasure of them. Moderators' names stay out, as for the site.
    `story_id`: their comments and reports on that story only (a production order names one thread:
    counsel had cut the whole file by hand)."""
    on_story = [Comment.story_id == story_id] if story_id is not None else []
    comments = list(session.scalars(select(Comment).where(Comment.site_id == site.id, Comment.author_id == author_id,
                                                          *on_story).order_by(Comment.id)))
    revisions: dict[int, list[dict[str, Any]]] = {}
    for revision in session.scalars(select(CommentRevision).where(CommentRevision.comment_id.in_([c.id for c in comments]))
                                    .order_by(CommentRevision.comment_id, CommentRevision.revision)):
        revisions.setdefault(revision.comment_id, []).append({
            "revision": revision.revision, "text": revision.text, "author_name": revision.author_name,
            # What the text had when it was replaced: a decision on it was about these (a standards editor's walk).
            "status": revision.status, "scores": revision.scores, "replaced_at": _iso(revision.replaced_at)})
    filed = session.execute(
        select(Report, Comment.external_id).join(Comment, Comment.id == Report.comment_id)
        .where(Comment.site_id == site.id, Report.reporter_id == author_id, *on_story).order_by(Report.id)).all()
    sanctions = session.scalars(select(AuthorSanction).where(AuthorSanction.site_id == site.id,
                                                             AuthorSanction.author_id == author_id)
                                .order_by(AuthorSanction.id))
    erasures = session.scalars(select(AuthorErasure).where(AuthorErasure.site_id == site.id,
                                                           AuthorErasure.author_hash == author_hash(author_id))
                               .order_by(AuthorErasure.id))
    what_happened = _what_happened(session, [c.id for c in comments])
    return {
        "site": site.name,
        "author_id": author_id,
        **({"story_id": story_id} if story_id is not None else {}),
        "made_at": now().isoformat(),
        "comments": [{**serialize_comment(c, include_text=True), "earlier_texts": revisions.get(c.id, []),
                      "what_happened": what_happened.get(c.id, [])} for c in comments],
        "reports_filed": [{"comment_id": report.comment_id, "site_comment_id": external_id, "reason": report.reason,
                           "note": report.note, "created_at": _iso(report.created_at), "outcome": report.outcome}
                          for report, external_id in filed],
        "reports_against": session.scalar(select(func.count(Report.id)).join(Comment, Comment.id == Report.comment_id)
                                          .where(Comment.site_id == site.id, Comment.author_id == author_id, *on_story)),
        # Their comments' copies kept to train the site's model (a moderator's decision on each, and the
        # reports it answered): a readers' editor found a deleted comment's text there, and the export
        # silent about it.
        "training_examples": [{"comment_id": example.comment_id, "kind": example.kind, "labels": example.labels,
                               "text": example.text, "created_at": _iso(example.created_at)}
                              for example in session.scalars(select(LabelledExample).where(
                                  LabelledExample.site_id == site.id,
                                  LabelledExample.comment_id.in_([c.id for c in comments])).order_by(LabelledExample.id))],
        "sanctions": [serialize_sanction(s) for s in sanctions],
        "erasures": [{"erased_at": _iso(e.erased_at), "counts": e.counts} for e in erasures],
        # What moderators wrote to each other about the reader's comments (team_notes.py): data about
        # the reader too, without the moderators' names.
        "moderators_notes": [{"comment_id": entry.comment_id, "note": (entry.details or {}).get(NOTE_KEY),
                              "written_at": _iso(entry.at)}
                             for entry in session.scalars(select(AuditEntry).where(
                                 AuditEntry.action == NOTE_ACTION,
                                 AuditEntry.comment_id.in_([c.id for c in comments])).order_by(AuditEntry.id))],
    }


def _by_whom(actor: str) -> str:
    """Who acted, as the reader may be told: a kind of actor, never a moderator's name."""
    if actor.startswith("user:"):
        return "a moderator"
    if actor.startswith("site:"):
        return "the site, or its readers' reports"
    return "the service (its model and the site's rules)" if actor.startswith("system:") else "the service"


def _what_happened(session: Session, comment_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each comment's status changes and reversals, with their reasons: a readers' editor found a removal
    later reversed, and the reason given for it, missing from the export (the comment's current
    decision only)."""
    found: dict[int, list[dict[str, Any]]] = {}
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.comment_id.in_(comment_ids))
                                 .order_by(AuditEntry.id)):
        change = parse_status_action(entry.action)
        if change is None and entry.action not in (UNDO_ACTION, REVERSE_ACTION):
            continue
        details = entry.details or {}
        event = ({"change": f"{change[0]} -> {change[1]}"} if change else
                 {"change": "decision undone" if entry.action == UNDO_ACTION else "decision reversed",
                  "decision": details.get("decision")})
        found.setdefault(entry.comment_id, []).append(
            {"at": _iso(entry.at), **event, "by": _by_whom(entry.actor), "reason": details.get("reason")})
    return found
