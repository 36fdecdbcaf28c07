"""Answering readers' reports on an approved comment without deciding it again.

One untried reader's or an anonymous report on an approved comment does not send it back to review
(reports.hold_if_reported), so nothing answered it: it waited on no list and its reader was never
told (a DSA walk, then a re-check that found such cards on the Reported tab with no button). A
moderator who has read it keeps it approved and dismisses its open reports, each told to the site
as a `report.resolved` event, as an approval would have; an admin may still reverse the approval.
Only reports the card showed: one filed after it was drawn changes no version, and was dismissed
unread (a review's finding), as a decision's had been (decisions.refuse_unread_reports).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from moderation.domain.decisions import refuse_unread_reports
from moderation.domain.errors import AlreadyDecided, Conflict
from moderation.domain.lifecycle import APPROVED, audit, commit_and_send, now
from moderation.domain.report_outcomes import resolve_reports
from moderation.domain.reports import open_reports
from moderation.domain.undo import locked_visible
from moderation.models import User


def dismiss_reports_of_approved(session: Session, comment_id: int, *, user: User, expected_version: int,
                                reports_seen: int | None = None) -> int:
    """Dismiss the open reports of an approved comment; how many. Commits, then sends the events.
    Raises NotFound (also another site's comment), Conflict (not approved as seen, or none open) or
    AlreadyDecided (a report came in after `reports_seen`, the newest report id the card showed)."""
    comment = locked_visible(session, comment_id, user)
    if comment.status != APPROVED or comment.version != expected_version:
        status = comment.status
        session.rollback()
        raise Conflict(f"comment #{comment_id} changed since you opened it (it is {status} now); reload it")
    waiting = open_reports(session, comment)
    if not waiting:
        session.rollback()
        raise Conflict(f"no reader's report waits on comment #{comment_id}")
    try:
        refuse_unread_reports(comment, reports_seen, "approve")  # dismissing is what an approval does to them
    except AlreadyDecided:
        session.rollback()
        raise
    deliveries = resolve_reports(session, comment, now())
    audit(session, f"user:{user.username}", "reports:dismissed", comment_id=comment.id,
          reports=[r.id for r in waiting], kept="approved")
    commit_and_send(session, deliveries)
    return len(waiting)
