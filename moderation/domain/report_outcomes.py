"""Telling reporters what came of their reports.

When a moderator decides a comment, each of its open reports is resolved: "upheld" when the
comment is rejected, "dismissed" when it is approved. Reports resolved earlier keep their outcome
(a comment approved, reported again and then rejected upholds only the later reports). Each
resolution is a `report.resolved` webhook event, in the decision's transaction, so the site can
tell the reader; the outcome also feeds the reporter's weight (see reporter_weights.py).

A comment deleted before any moderator decided it (by the site, its reader or an erasure) leaves
nothing to decide: its open reports close as "removed". The comment's own `deleted` event tells
the site, so there is no event per report, and "removed" weighs neither way in a reporter's track
record: the site may have deleted it for reasons of its own. Reports on a comment rejected with no
person deciding (the model's auto-reject, a rule, a sanction), while it waited or after, close as
"removed" too, each with its event (reports.resolve_removed), and open again if a moderator sends
it to review.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from moderation.domain.lifecycle import APPROVED, REJECTED, site_event
from moderation.domain.reports import REMOVED, rank, serialize_report
from moderation.models import Comment, WebhookDelivery

OUTCOMES = {REJECTED: "upheld", APPROVED: "dismissed"}


def resolve_reports(session: Session, comment: Comment, at: datetime) -> list[WebhookDelivery]:
    """Give the comment's open reports the outcome of its new status; the caller commits and sends."""
    outcome = OUTCOMES.get(comment.status)
    if outcome is None:
        return []
    deliveries: list[WebhookDelivery] = []
    resolved = [report for report in comment.reports if report.outcome is None]
    # Their share of the priority goes with them, and the lift for a reader at risk.
    rank(session, comment, [], comment.site.report_threshold)
    for report in resolved:
        report.outcome = outcome
        report.resolved_at = at
        # With the site's own id too: a site that never kept ours had to look the comment up (an integrator's walk).
        delivery = site_event(session, comment.site, "report.resolved", at=at, comment_id=comment.id,
                              site_comment_id=comment.external_id, report_id=report.id, reporter_id=report.reporter_id, outcome=outcome,
                              report=serialize_report(report))
        if delivery is not None:
            deliveries.append(delivery)
    return deliveries


def close_reports_of_deleted(session: Session, comments: Iterable[Comment], at: datetime) -> int:
    """Close the open reports of comments just deleted; how many. The caller commits."""
    closed = 0
    for comment in comments:
        # Their share of the priority goes with them, and the late reports' lift: a deleted comment
        # had stayed at 2.9 on the All tab, above every held insult, with no report left to read.
        rank(session, comment, [], comment.site.report_threshold)
        for report in comment.reports:
            if report.outcome is None:
                report.outcome = REMOVED
                report.resolved_at = at
                closed += 1
    return closed
