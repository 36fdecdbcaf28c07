"""Status changes: the one place that moves a comment, writes the audit log and queues a webhook.

Callers commit, then pass the returned deliveries to `webhooks.dispatch` so a lost broker
message is the only thing that can be missed, and the sweep resends those.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy.orm import Session

from moderation.domain.pseudonyms import moderator_reference
from moderation.models import AuditEntry, Comment, WebhookDelivery

FINAL_STATUSES = ("published", "approved", "rejected")


def now() -> datetime:
    return datetime.now(timezone.utc)


def is_visible(comment: Comment) -> bool:
    """Whether the site should show the comment right now."""
    if comment.status in ("published", "approved"):
        return True
    if comment.status == "rejected":
        return False
    # pending or held: pre-moderation hides them, post-moderation shows them until rejected.
    return comment.site.moderation_mode == "post"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def serialize_comment(comment: Comment) -> dict[str, Any]:
    decision = None
    if comment.decision:
        decision = {
            "action": comment.decision,
            "reason": comment.decision_reason,
            "moderator": moderator_reference(comment.decider, comment.site),
            "decided_at": _iso(comment.decided_at),
        }
    return {
        "id": comment.id,
        "site_comment_id": comment.external_id,
        "story_id": comment.story_id,
        "author_id": comment.author_id,
        "status": comment.status,
        # Bumped on every status change: a site applies an event only if it is newer than what it holds.
        "version": comment.version,
        "visible": is_visible(comment),
        "scores": comment.scores,
        "flagged": comment.flagged or [],
        "model_version": comment.model_version,
        "scored_at": _iso(comment.scored_at),
        "report_weight": comment.report_weight,
        "decision": decision,
        "received_at": _iso(comment.received_at),
        "status_changed_at": _iso(comment.status_changed_at),
    }


def audit(session: Session, actor: str, action: str, *, comment_id: int | None = None, **details: Any) -> None:
    session.add(AuditEntry(actor=actor, action=action, comment_id=comment_id, details=details))


def change_status(
    session: Session,
    comment: Comment,
    new_status: str,
    *,
    actor: str,
    reason: str | None = None,
    **details: Any,
) -> WebhookDelivery | None:
    """Move the comment, record why, and queue its webhook event in the same transaction."""
    old_status = comment.status
    comment.status = new_status
    comment.version += 1
    comment.status_changed_at = now()
    audit(session, actor, f"status:{old_status}->{new_status}", comment_id=comment.id, reason=reason, **details)
    if not comment.site.webhook_url:
        return None
    # No flush here: a scored batch's rows go to the database together at commit, which is
    # what keeps a batch of hundreds of comments to a few round trips.
    event = {
        "type": "comment.status_changed",
        "version": comment.version,
        "previous_status": old_status,
        "comment": serialize_comment(comment),
        "occurred_at": comment.status_changed_at.isoformat(),
    }
    delivery = WebhookDelivery(site_id=comment.site_id, comment_id=comment.id, event=event)
    session.add(delivery)
    return delivery  # its id is set at commit; send it for delivery after that
