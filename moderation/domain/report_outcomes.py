"""Telling reporters what came of their reports.

When a moderator decides a comment, each of its open reports is resolved: "upheld" when the
comment is rejected, "dismissed" when it is approved. Reports resolved earlier keep their outcome
(a comment approved, reported again and then rejected upholds only the later reports). Each
resolution is a `report.resolved` webhook event, in the decision's transaction, so the site can
tell the reader; the outcome also feeds the reporter's weight (see reporter_weights.py).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from moderation.domain.lifecycle import APPROVED, REJECTED
from moderation.domain.reports import serialize_report
from moderation.models import Comment, WebhookDelivery

OUTCOMES = {REJECTED: "upheld", APPROVED: "dismissed"}


def resolve_reports(session: Session, comment: Comment, at: datetime) -> list[WebhookDelivery]:
    """Give the comment's open reports the outcome of its new status; the caller commits and sends."""
    outcome = OUTCOMES.get(comment.status)
    if outcome is None:
        return []
    deliveries: list[WebhookDelivery] = []
    for report in comment.reports:
        if report.outcome is not None:
            continue
        report.outcome = outcome
        report.resolved_at = at
        if comment.site.webhook_url:
            event = {
                "type": "report.resolved",
                "report_id": report.id,
                "reporter_id": report.reporter_id,
                "comment_id": comment.id,
                "outcome": outcome,
                "report": serialize_report(report),
                "occurred_at": at.isoformat(),
            }
            delivery = WebhookDelivery(site_id=comment.site_id, comment_id=comment.id, event=event)
            session.add(delivery)
            deliveries.append(delivery)
    return deliveries
