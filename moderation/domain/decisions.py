"""A moderator's decision on a queued comment: approve or reject, once.

Two moderators may open the same item. The comment row is locked (SELECT ... FOR UPDATE, for the
length of this one transaction, never across requests) and the version the moderator saw is
compared with the current one: the first decision wins, the second gets AlreadyDecided.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, selectinload

from moderation.domain.claims import end_for_decision
from moderation.domain.labels import record_decision
from moderation.domain.errors import AlreadyDecided, DomainError, NotFound, ValidationFailed
from moderation.domain.report_outcomes import resolve_reports
from moderation.domain.membership import can_see_site
from moderation.domain.reasons import clean_reason
from moderation.domain.lifecycle import (
    APPROVED, DECIDABLE, DECISION, REJECTED, actor_in_words, change_status, commit_and_send, now,
    only_visibility_changed, refuse_if_deactivated,
)
from moderation.models import AuditEntry, Comment, User, WebhookDelivery

ACTIONS = {"approve": APPROVED, "reject": REJECTED}


def _last_actor(session: Session, comment: Comment) -> str | None:
    if comment.decider is not None:
        return comment.decider.username
    actor = session.scalar(
        select(AuditEntry.actor).where(AuditEntry.comment_id == comment.id).order_by(AuditEntry.id.desc()).limit(1)
    )
    return actor_in_words(actor) if actor else None


def checked_reason(action: str, reason: str | None) -> str | None:
    """The reason to record, or ValidationFailed if the action or the reason will not do."""
    if action not in ACTIONS:
        raise ValidationFailed("action must be 'approve' or 'reject'", field="action")
    return clean_reason(reason, required=action == "reject", to="reject a comment")


def waits_for_decision(session: Session, comment_id: int) -> bool:
    """Whether the comment is still one a moderator can decide (a refused decision's card stays
    in view only then; decided by someone else, it has left the queue)."""
    return session.scalar(select(Comment.status).where(Comment.id == comment_id)) in DECIDABLE


def own_repeat(session: Session, comment_id: int, *, user: User, action: str, expected_version: int) -> Comment | None:
    """The comment, when this user's own decision is already the one they send again, made on the
    very version they sent it from: a key pressed twice, or a form sent twice. It told them "already
    decided by" themselves and lost the Undo button."""
    comment = session.get(Comment, comment_id)
    if (comment is not None and comment.decided_by == user.id and comment.decision == ACTIONS.get(action)
            and comment.version == expected_version + 1):
        return comment
    return None


def lock_for_decision(session: Session, comment_ids: list[int], *, skip_locked: bool = False) -> list[Comment]:
    """The comments, locked for this transaction. skip_locked (bulk) leaves out rows another
    transaction is deciding right now instead of waiting for it."""
    # populate_existing: read the row as it is now that we hold the lock, not as this session last saw it.
    # Not created_at: a row stored before it was range-checked may not load with it. Reports up front:
    # loading them one comment at a time would flush the previous comment's writes each time.
    return list(session.scalars(
        select(Comment).where(Comment.id.in_(comment_ids))
        .options(defer(Comment.created_at), selectinload(Comment.reports))
        .with_for_update(of=Comment, skip_locked=skip_locked).execution_options(populate_existing=True)
    ))


def apply_decision(
    session: Session, comment: Comment, *, user: User, action: str, reason: str | None, expected_version: int,
    reports_seen: int | None = None,
) -> list[WebhookDelivery]:
    """One decision on a comment the caller locked and checked the user may see; every refusal
    (AlreadyDecided) comes before any change. The caller commits, then sends the deliveries.
    decide() and bulk decisions both go through here, so they follow the same rules."""
    stale = comment.version != expected_version and not only_visibility_changed(session, comment, expected_version)
    if stale or comment.status not in DECIDABLE:
        who = _last_actor(session, comment)
        if comment.decision:
            message = f"This comment was already decided by {who or 'someone else'} ({comment.status})."
        else:
            message = f"This comment changed since you opened it (now {comment.status}"
            message += f", by {who})." if who else ")."
        raise AlreadyDecided(message)
    refuse_unread_reports(comment, reports_seen, action)
    refuse_if_deactivated(comment.site, "decide its comments")
    # Another moderator's live claim refuses the decision (ClaimedByOther, a kind of AlreadyDecided),
    # so a bulk action skips comments someone else has open; deciding ends the claim.
    end_for_decision(session, comment, user, at=now())

    new_status = ACTIONS[action]
    # Decision fields first, so the webhook event that change_status serialises carries them.
    comment.decision = new_status
    comment.decision_reason = reason
    comment.decider = session.get(User, user.id)
    comment.decided_at = now()
    delivery = change_status(session, comment, new_status, actor=f"user:{user.username}", by=DECISION, reason=reason,
                             previous_version=expected_version)
    resolved = resolve_reports(session, comment, comment.decided_at)
    # Every decision, and every report it resolves, is a human label the classifier can be retrained on.
    record_decision(session, comment, comment.decider,
                    [r for r in comment.reports if r.outcome is not None and r.resolved_at == comment.decided_at])
    return [d for d in (delivery, *resolved) if d is not None]


def newest_report_id(comment: Any) -> int:
    """What a page drawing the comment says it showed (`reports_seen`): its newest report's id, 0 for
    none. A row that carries it (bulk.author_held_comments) says it itself."""
    carried = getattr(comment, "newest_report_id", None)
    if carried is not None:
        return int(carried)
    return max((report.id for report in comment.reports), default=0)


def refuse_unread_reports(comment: Comment, reports_seen: int | None, action: str) -> None:
    """A report filed after the page was drawn changes no version, and the decision resolved it unread:
    a reader's self-harm report ("they told me they have pills ready tonight") was dismissed by an
    Approve on a card that never showed it (a moderator's walk). `reports_seen` is the newest report
    id the page showed (0 for none); None, from a page or client that does not say, is not checked.

    A rejection upholds what a report asks, so it is refused only by a self-harm report or one with a
    note, which may say the same in other words ("he has pills ready tonight", filed as "other": a
    re-check): its author may need a person, not a removal. A banned author's take-down was refused
    for a spam report filed after the page was drawn (a re-check)."""
    if reports_seen is None:
        return
    unread = [r for r in comment.reports if r.outcome is None and r.id > reports_seen
              and (ACTIONS.get(action) != REJECTED or r.reason == "self_harm" or (r.note or "").strip())]
    if unread:
        reasons = ", ".join(sorted({r.reason.replace("_", " ") for r in unread}))
        raise AlreadyDecided(f"{len(unread)} report{'s' if len(unread) != 1 else ''} ({reasons}) came in since you "
                             "opened this comment: read them, then decide.")


def decide(
    session: Session,
    comment_id: int,
    *,
    user: User,
    action: str,
    reason: str | None,
    expected_version: int,
    reports_seen: int | None = None,
) -> Comment:
    """Decide, commit, then queue the webhook. Raises ValidationFailed, NotFound or AlreadyDecided."""
    reason = checked_reason(action, reason)
    comment = next(iter(lock_for_decision(session, [comment_id])), None)
    # Another site's comment is refused exactly like a missing one: its existence is not the moderator's business.
    if comment is None or not can_see_site(session, user, comment.site_id):
        session.rollback()
        raise NotFound(f"comment {comment_id} does not exist")
    try:
        deliveries = apply_decision(session, comment, user=user, action=action, reason=reason,
                                    expected_version=expected_version, reports_seen=reports_seen)
    except DomainError:
        session.rollback()
        raise
    commit_and_send(session, deliveries)
    return comment
