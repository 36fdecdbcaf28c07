"""Comments set aside by scoring (see domain/scoring.py), for an admin to retry or reject.

A set-aside row may be one the ORM cannot load (a created_at psycopg cannot convert), so the
list reads named columns, retry is a plain UPDATE by id, and reject loads the row without
created_at, which nothing here needs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, defer

from moderation.domain.errors import AlreadyDecided, NotFound
from moderation.domain.lifecycle import DECISION, PENDING, REJECTED, audit, change_status, now, refuse_if_deactivated
from moderation.domain.reason_labels import SET_ASIDE_REJECTION
from moderation.domain.reasons import clean_reason
from moderation.models import Comment, Site, User, WebhookDelivery

EXCERPT_LENGTH = 200


@dataclass(frozen=True)
class SetAside:
    id: int
    site_name: str
    site_comment_id: str
    excerpt: str
    length: int
    error: str | None
    attempts: int
    failed_at: datetime
    received_at: datetime


def set_aside_condition():  # noqa: ANN201 (a SQL condition)
    """Set aside, on an active site: a deactivated one's are neither listed, counted, retried nor
    rejected, since the site would never hear of it (a re-check)."""
    return ((Comment.status == PENDING) & Comment.scoring_failed_at.is_not(None)
            & Comment.site_id.in_(select(Site.id).where(Site.active.is_(True))))


def set_aside_comments(session: Session, *, limit: int = 200) -> list[SetAside]:
    rows = session.execute(
        select(Comment.id, Site.name, Comment.external_id, func.left(Comment.text, EXCERPT_LENGTH),
               func.length(Comment.text), Comment.scoring_error, Comment.scoring_attempts,
               Comment.scoring_failed_at, Comment.received_at)
        .join(Site, Site.id == Comment.site_id)
        .where(set_aside_condition())
        .order_by(Comment.scoring_failed_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return [SetAside(*row) for row in rows]


def retry_scoring(session: Session, comment_id: int, *, user: User) -> None:
    """Clear the mark so claiming takes the comment again; the caller commits and sends it for scoring."""
    done = session.execute(
        update(Comment)
        .where(Comment.id == comment_id, set_aside_condition())
        .values(scoring_failed_at=None, scoring_attempts=0)
        .returning(Comment.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    if done is None:
        raise NotFound(f"comment {comment_id} is not set aside, or its site is deactivated")
    audit(session, f"user:{user.username}", "scoring:retry", comment_id=comment_id)


def reject_set_aside(session: Session, comment_id: int, *, user: User, reason: str | None) -> WebhookDelivery | None:
    """Reject a set-aside comment without scoring it. The caller commits, then sends the webhook."""
    reason = f"{SET_ASIDE_REJECTION}: {clean_reason(reason, required=True, to='reject a comment')}"
    comment = session.scalar(
        select(Comment).where(Comment.id == comment_id).options(defer(Comment.created_at))
        .with_for_update(of=Comment).execution_options(populate_existing=True)
    )
    if comment is None:
        raise NotFound(f"comment {comment_id} does not exist")
    refuse_if_deactivated(comment.site, "reject its comments")
    if comment.status != PENDING or comment.scoring_failed_at is None:
        raise AlreadyDecided(f"This comment is no longer set aside (now {comment.status}).")
    comment.decision = REJECTED
    comment.decision_reason = reason
    comment.decider = session.get(User, user.id)
    comment.decided_at = now()
    return change_status(session, comment, REJECTED, actor=f"user:{user.username}", by=DECISION, reason=reason,
                         set_aside_error=comment.scoring_error)
