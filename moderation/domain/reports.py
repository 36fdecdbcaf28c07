"""Reader reports: weighted, one per reporter, and able to send a comment back to review.

Weights by reason (REPORT_WEIGHTS): hate, harassment and personal information weigh 2, because
one such report is already serious; uncivil, off-topic, spam and other weigh 1. A comment goes to
review (`held`) when its report weight reaches the site's `report_threshold` (2 by default: one
serious report or two ordinary ones).

What a report does depends on where the comment is:
* pending: the weight is recorded; the scorer takes it into account when it scores the comment.
* published: held as soon as the total weight reaches the threshold (a webhook tells the site).
* held: recorded, and the review priority goes up.
* approved: a moderator already looked at it, so only reports filed after that decision count;
  when their weight reaches the threshold, the comment is held again for another look.
* rejected: recorded, nothing else changes.

Anonymous reports (no reporter_id) all count; a repeat from the same reporter returns the first.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.comments import MAX_ID
from moderation.domain.errors import NotFound
from moderation.domain.policy import REPORTS, reports_reach_threshold
from moderation.domain.reporter_weights import reporter_weight
from moderation.domain.status import change_status, now
from moderation.models import Comment, Report, Site, WebhookDelivery

REPORT_WEIGHTS: dict[str, float] = {
    "uncivil": 1.0,
    "off_topic": 1.0,
    "spam": 1.0,
    "harassment": 2.0,
    "hate": 2.0,
    "personal_information": 2.0,
    "other": 1.0,
}


@dataclass(frozen=True)
class Filing:
    report: Report
    comment: Comment
    created: bool
    delivery: WebhookDelivery | None = None  # send after commit


def file_report(
    session: Session,
    site: Site,
    comment_id: int,
    *,
    reason: str,
    reporter_id: str | None = None,
    note: str | None = None,
) -> Filing:
    """Record a report and apply its consequences; the caller commits, then sends the webhook."""
    # Locking the comment row serialises reports on one comment, so weights add up and a
    # reporter's repeat cannot race its first report.
    comment = session.scalar(
        select(Comment)
        .where(Comment.id == comment_id, Comment.site_id == site.id)
        .with_for_update(of=Comment)
        .execution_options(populate_existing=True)
    ) if 0 < comment_id <= MAX_ID else None
    if comment is None:
        raise NotFound(f"no comment with id {comment_id}", field="id")
    if reporter_id is not None:
        earlier = session.scalar(
            select(Report).where(Report.comment_id == comment.id, Report.reporter_id == reporter_id)
        )
        if earlier is not None:
            return Filing(earlier, comment, created=False)

    weight, weight_reason = reporter_weight(session, site.id, reporter_id, reason, REPORT_WEIGHTS[reason])
    report = Report(
        comment_id=comment.id,
        reason=reason,
        reporter_id=reporter_id,
        note=note,
        weight=weight,
        weight_reason=weight_reason,
        created_at=now(),
    )
    session.add(report)
    comment.report_weight = (comment.report_weight or 0.0) + report.weight
    session.flush()

    delivery = None
    threshold = comment.site.report_threshold
    if comment.status == "held":
        comment.priority = (comment.priority or 0.0) + _report_priority(report.weight, threshold)
    elif comment.status in ("published", "approved"):
        weight = comment.report_weight if comment.status == "published" else _weight_since_decision(comment)
        if reports_reach_threshold(weight, threshold):
            comment.flagged = sorted(set(comment.flagged or []) | {REPORTS})
            comment.priority = (comment.priority or 0.0) + _report_priority(weight, threshold)
            delivery = change_status(
                session, comment, "held", actor=f"site:{site.id}", reason="reports", report_weight=weight
            )
    return Filing(report, comment, created=True, delivery=delivery)


def _report_priority(weight: float, threshold: float) -> float:
    return weight / threshold if threshold > 0 else weight


def _weight_since_decision(comment: Comment) -> float:
    since = comment.decided_at or comment.status_changed_at
    return sum(r.weight for r in comment.reports if since is None or r.created_at > since)


def serialize_report(report: Report) -> dict[str, object]:
    return {
        "id": report.id,
        "comment_id": report.comment_id,
        "reason": report.reason,
        "reporter_id": report.reporter_id,
        "note": report.note,
        "weight": report.weight,
        "created_at": report.created_at.isoformat() if report.created_at else None,
        # "upheld" (the comment was rejected) or "dismissed" (approved); null until decided.
        "outcome": report.outcome,
        "resolved_at": report.resolved_at.isoformat() if report.resolved_at else None,
    }
