"""A moderator's decision on a queued comment: approve or reject, once.

Two moderators may open the same item. The comment row is locked (SELECT ... FOR UPDATE, for the
length of this one transaction, never across requests) and the version the moderator saw is
compared with the current one: the first decision wins, the second gets AlreadyDecided.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from moderation.domain.dispatch import send_webhooks
from moderation.domain.errors import AlreadyDecided, NotFound, ValidationFailed
from moderation.domain.report_outcomes import resolve_reports
from moderation.domain.membership import can_see_site
from moderation.domain.status import change_status, now
from moderation.models import AuditEntry, Comment, LabelledExample, User

ACTIONS = {"approve": "approved", "reject": "rejected"}
# Statuses a moderator may still decide; approved and rejected are final.
DECIDABLE = ("held", "published", "pending")
MAX_REASON_LENGTH = 2000


def _last_actor(session: Session, comment: Comment) -> str | None:
    if comment.decider is not None:
        return comment.decider.username
    actor = session.scalar(
        select(AuditEntry.actor).where(AuditEntry.comment_id == comment.id).order_by(AuditEntry.id.desc()).limit(1)
    )
    return actor.removeprefix("user:") if actor else None


def decide(
    session: Session,
    comment_id: int,
    *,
    user: User,
    action: str,
    reason: str | None,
    expected_version: int,
) -> Comment:
    """Decide, commit, then queue the webhook. Raises ValidationFailed, NotFound or AlreadyDecided."""
    if action not in ACTIONS:
        raise ValidationFailed("action must be 'approve' or 'reject'", field="action")
    reason = (reason or "").strip() or None
    if action == "reject" and not reason:
        raise ValidationFailed("a reason is required to reject a comment", field="reason")
    if reason and len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed(f"the reason must be at most {MAX_REASON_LENGTH} characters", field="reason")

    # populate_existing: read the row as it is now that we hold the lock, not as this session last saw it.
    # Not created_at: a row stored before it was range-checked may not load with it.
    comment = session.scalar(
        select(Comment).where(Comment.id == comment_id).options(defer(Comment.created_at))
        .with_for_update(of=Comment).execution_options(populate_existing=True)
    )
    # Another site's comment is refused exactly like a missing one: its existence is not the moderator's business.
    if comment is None or not can_see_site(session, user, comment.site_id):
        session.rollback()
        raise NotFound(f"comment {comment_id} does not exist")
    if comment.version != expected_version or comment.status not in DECIDABLE:
        who = _last_actor(session, comment)
        if comment.decision:
            message = f"This comment was already decided by {who or 'someone else'} ({comment.status})."
        else:
            message = f"This comment changed since you opened it (now {comment.status}"
            message += f", by {who})." if who else ")."
        session.rollback()
        raise AlreadyDecided(message)

    new_status = ACTIONS[action]
    # Decision fields first, so the webhook event that change_status serialises carries them.
    comment.decision = new_status
    comment.decision_reason = reason
    comment.decider = session.get(User, user.id)
    comment.decided_at = now()
    delivery = change_status(session, comment, new_status, actor=f"user:{user.username}", reason=reason,
                             previous_version=expected_version)
    resolved = resolve_reports(session, comment, comment.decided_at)
    # Every decision is a human label the classifier can be retrained on.
    session.add(LabelledExample(
        site_id=comment.site_id,
        comment_id=comment.id,
        text=comment.text,
        labels={"toxicity": 1 if new_status == "rejected" else 0},
        source="moderator",
    ))
    session.commit()
    send_webhooks([delivery, *resolved])
    return comment
