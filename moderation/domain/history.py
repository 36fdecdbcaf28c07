"""A comment's full history for the detail page, in words: scoring, reports, decisions, undo and
reversal, the reader's edits (with each earlier text), the author's sanctions on that site, and
every webhook event sent about it."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.ban_evasion import RULE as BAN_EVASION_RULE
from moderation.domain.lifecycle import (
    APPROVED, DECIDED, DELETED, PUBLISHED, REJECTED, VISIBILITY_ACTION, actor_in_words, parse_status_action,
)
from moderation.domain.team_notes import NOTE_ACTION, NOTE_KEY
from moderation.domain.undo import REVERSE_ACTION, UNDO_ACTION
from moderation.models import AuditEntry, AuthorSanction, Comment, CommentRevision, WebhookDelivery

_LABELS = {"scoring": "Scored", "report": "Reports reached the threshold", "deletion": "Deleted"}
# Same instant (one transaction): the reader's edit or report first, then the status change it
# caused (the audit entry), then what that caused.
_RANK = {"revision": 0, "report": 0, "audit": 1, "sanction": 2, "webhook": 3}
EDITED_ACTION = "comment:edited"  # domain/edits.py; shown from the revision row, which has the text


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    kind: str  # scoring, report, decision, undo, sanction, webhook, other
    who: str
    what: str
    why: str | None = None
    source: str = "audit"
    order: int = 0


def _who(actor: str) -> str:
    # A site acts in a comment's history through its readers' reports (edits and deletions are named apart).
    return "readers' reports" if actor.startswith("site:") else actor_in_words(actor)


def _from_audit(entry: AuditEntry) -> HistoryEvent:
    details = entry.details or {}
    why = details.get("reason")
    change = parse_status_action(entry.action)
    if entry.action in (UNDO_ACTION, REVERSE_ACTION):
        decider = details.get("decided_by")
        verb = ("Undid their decision" if entry.action == UNDO_ACTION
                else f"Reversed {decider}'s decision" if decider else "Reversed the decision")
        what = f"{verb} ({details.get('decision')}); back to {details.get('restored_status')}"
        return HistoryEvent(entry.at, "undo", _who(entry.actor), what, why, order=entry.id)
    if entry.action == NOTE_ACTION:
        return HistoryEvent(entry.at, "note", _who(entry.actor), "Note for the team (not sent to the site)",
                            details.get(NOTE_KEY), order=entry.id)
    if entry.action == VISIBILITY_ACTION:
        shown = "Shown on the site" if details.get("visible") else "Hidden on the site"
        # A mode switch, or a trusted reader's report on a comment shown while held (its reason):
        # the latter read "the site's moderation mode became None" (a re-check).
        because = (f"the site's moderation mode became {details['moderation_mode']}" if "moderation_mode" in details
                   else why or "its visibility changed")
        return HistoryEvent(entry.at, "status", _who(entry.actor), f"{shown}: {because}", None, order=entry.id)
    if change is not None:
        old, new = change
        if entry.actor == "system:scorer":
            kind = "scoring"
        elif entry.actor.startswith("site:") and "revision" in details:
            return HistoryEvent(entry.at, "edit", "the reader", f"Back to scoring after the edit: {old} → {new}",
                                why, order=entry.id)
        elif new == DELETED:
            kind = "deletion"
        elif entry.actor.startswith("site:"):
            kind = "report"
        elif new in DECIDED and entry.actor.startswith("user:"):
            kind = "decision"
        else:
            kind = "status"
        if kind == "decision":
            what = f"{'Approved' if new == APPROVED else 'Rejected'} ({old} → {new})"
        else:
            label = _LABELS.get(kind, "Status")
            if kind == "report" and old == REJECTED:  # reports.file_report: one reader's word, no threshold
                label = "A reader reported its author may be at risk"
            what = f"{label}: {old} → {new}"
        if details.get("model_version"):
            what += f" (model {details['model_version']}" + _model_alone(details) + ")"
        if kind == "scoring" and new == PUBLISHED and why:
            # A flag rule's reason beside "published" read as the reason it was published (counsel's walk).
            why = f"Flagged, not held: {why}"
        who = ("the site" if kind == "deletion" and entry.actor.startswith("site:")
               else _scored_by(details) if kind == "scoring" else _who(entry.actor))
        return HistoryEvent(entry.at, kind, who, what, why, order=entry.id)
    return HistoryEvent(entry.at, "other", _who(entry.actor), entry.action.replace("_", " "), why, order=entry.id)


_OWN_CHECKS = {BAN_EVASION_RULE: "the ban-evasion check"}
_CAUSES_IN_WORDS = {"reports": "readers' reports", "sanction": "the author's sanction",
                    "edit": "the edit policy (edited after a moderator's decision)", "storm": "storm mode"}


def _scored_by(details: dict) -> str:
    """Who set a scored comment's status (routing.cause): "the model" had been said of a comment a
    site's court-order rule rejected (a standards editor's walk). Entries from before it was
    recorded say the model, as they did."""
    found = details.get("cause")
    if found == "rules" and details.get("rules"):
        # The service's own checks by what they are, not by a code name (the ban-evasion hold read
        # "rule sanctioned_author_text").
        names = [_OWN_CHECKS.get(str(name), str(name)) for name in details["rules"]]
        if all(name in _OWN_CHECKS.values() for name in names):
            return ", ".join(names)
        return ("rule " if len(names) == 1 else "rules ") + ", ".join(names)
    return _CAUSES_IN_WORDS.get(found, "the model")


def _thresholds(found: object) -> str:
    if not isinstance(found, dict):
        return ""
    # Three places, as the settings page shows them: six read as noise on every scoring line (the audit
    # entry keeps them all).
    return ", ".join(f"{a.replace('_', ' ')} off" if t >= 1 else f"{a.replace('_', ' ')} ≥ {f'{t:.3f}'.rstrip('0').rstrip('.')}"
                     for a, t in sorted(found.items()) if isinstance(t, (int, float)))


def _model_alone(details: dict) -> str:
    alone = details.get("model_status")
    said = f"; at the site's thresholds it would have been {alone}" if alone and details.get("cause") != "model" else ""
    if held_at := _thresholds(details.get("hold_at")):
        said += f"; held then at {held_at}"
    if details.get("rules_version") is not None:
        said += f"; rules version {details['rules_version']}"
    at = details.get("auto_reject_at")
    if rejected_at := _thresholds(at):
        said += "; rejected unseen at " + rejected_at
    return said


def _from_webhook(delivery: WebhookDelivery) -> HistoryEvent:
    event = delivery.event or {}
    name = str(event.get("type", "event"))
    if name == "comment.status_changed":
        name += f" v{event.get('version')}"
        if event.get("reversal"):
            name += " (reversal)"
    elif event.get("outcome") or event.get("previous_outcome"):
        name += f" ({event.get('outcome') or 'was ' + str(event.get('previous_outcome'))})"
    if delivery.delivered_at:
        state = "delivered"
    elif delivery.failed:
        state = f"failed after {delivery.attempts} attempts"
    else:
        state = f"not delivered yet ({delivery.attempts} attempts)" if delivery.attempts else "queued"
    return HistoryEvent(delivery.created_at, "webhook", "to the site", f"Webhook {name}: {state}",
                        delivery.last_error, source="webhook", order=delivery.id)


def _from_sanction(sanction: AuthorSanction) -> Iterable[HistoryEvent]:
    # No user: the site through its API, as the author page and the audit log say (a DSA walk read
    # "a moderator" here for the site's own ban).
    who = sanction.creator.username if sanction.creator else "the site (API)"
    yield HistoryEvent(sanction.created_at, "sanction", who, f"Author sanctioned: {sanction.kind}",
                       sanction.reason, source="sanction", order=sanction.id)
    if sanction.lifted_at:
        lifter = sanction.lifter.username if sanction.lifter else "the site (API)"
        yield HistoryEvent(sanction.lifted_at, "sanction", lifter, f"Sanction lifted: {sanction.kind}",
                           sanction.lift_reason, source="sanction", order=sanction.id)


def _scored(scores: dict | None) -> str:
    """An earlier text's scores, highest first: what the model said of the text a moderator decided,
    which a lawyer asked for after the reader edited it and no page showed (a standards editor's walk)."""
    if not scores:
        return ""
    ranked = sorted(((k, v) for k, v in scores.items() if isinstance(v, (int, float))), key=lambda kv: -kv[1])
    return "; scored " + ", ".join(f"{name.replace('_', ' ')} {value:.2f}" for name, value in ranked)


def comment_history(session: Session, comment: Comment, audit_entries: Iterable[AuditEntry]) -> list[HistoryEvent]:
    """Everything that happened to the comment, oldest first (the caller has its audit entries)."""
    audit_entries = list(audit_entries)
    # An undo's own entry says where the comment went back to; the status change it wrote in the
    # same transaction (same actor, same now()) would say it again on the next row.
    taken_back = {(e.at, e.actor) for e in audit_entries if e.action in (UNDO_ACTION, REVERSE_ACTION)}
    events = [_from_audit(entry) for entry in audit_entries if entry.action != EDITED_ACTION
              and not (parse_status_action(entry.action) and (entry.at, entry.actor) in taken_back)]
    for revision in session.scalars(select(CommentRevision).where(CommentRevision.comment_id == comment.id)):
        events.append(HistoryEvent(revision.replaced_at, "edit", "the reader",
                                   f"Edited the text; before (text revision {revision.revision}, {revision.status}"
                                   f"{_scored(revision.scores)}):", revision.text, source="revision",
                                   order=revision.revision))
    for report in comment.reports:
        what = f"Reported: {report.reason.replace('_', ' ')} (weight {report.weight:.2g})"
        if report.outcome:
            what += f", {report.outcome}"
        events.append(HistoryEvent(report.created_at, "report", report.reporter_id or "anonymous reader", what,
                                   report.note, source="report", order=report.id))
    deliveries = session.scalars(select(WebhookDelivery).where(WebhookDelivery.comment_id == comment.id))
    events.extend(_from_webhook(d) for d in deliveries)
    sanctions = session.scalars(select(AuthorSanction).where(
        AuthorSanction.site_id == comment.site_id, AuthorSanction.author_id == comment.author_id))
    for sanction in sanctions:
        events.extend(_from_sanction(sanction))
    return sorted(events, key=lambda e: (e.at, _RANK[e.source], e.order))
