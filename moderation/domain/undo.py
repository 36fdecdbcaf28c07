"""Taking a decision back: a moderator undoes their own for a while, an admin reverses any.

The comment returns to the status it had before the decision (read from its audit log: the last
status change is the decision, or the comment changed since and nothing is undone), its version
goes up, the decision fields clear and the site gets a `comment.status_changed` event with
`"reversal": true`. The reports the decision resolved are open again (a `report.reopened` event
each, so a site that told the reader "upheld" can take it back), and the labelled examples the
decision and those reports added are deleted (domain/labels.py), so retraining never learns a
label a human withdrew.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from moderation.domain.errors import Conflict, NotFound, SiteDeactivated
from moderation.domain.lifecycle import (
    DECIDED,
    HELD,
    REJECTED,
    SENT_TO_REVIEW,
    UNDO,
    audit,
    can_change,
    change_status,
    commit_and_send,
    now,
    parse_status_action,
    refuse_if_deactivated,
)
from moderation.domain.labels import withdraw_decision
from moderation.domain.membership import can_see_site
from moderation.domain.pseudonyms import moderator_reference
from moderation.domain.reasons import clean_reason
from moderation.domain.report_outcomes import OUTCOMES
from moderation.domain.reports import REMOVED, hold_if_reported, reopen_reports
from moderation.models import AuditEntry, Comment, User

UNDO_ACTION = "decision:undone"
REVERSE_ACTION = "decision:reversed"


class UndoRefused(Conflict):
    code = "undo_refused"


# Another site's comment is not found for a site admin (`locked_visible`), so the role is the whole check.
REVERSERS = ("admin", "site_admin")


def can_undo(comment: Comment, user: User, *, window: timedelta) -> bool:
    """Whether to offer `user` an Undo button: their own decision, still standing, within the window,
    on a text retention has not erased (the undo is refused then; the button was offered anyway)."""
    return (comment.decision is not None and comment.status == comment.decision and comment.text_erased_at is None
            and comment.decided_by == user.id and comment.decided_at is not None
            and now() - comment.decided_at <= window)


def can_reverse(comment: Comment, user: User) -> bool:
    """An admin reverses any decision; a site admin their sites' (the only comments they can see)."""
    return (user.role in REVERSERS and comment.decision is not None and comment.status == comment.decision
            and comment.text_erased_at is None)


def undo_decision(session: Session, comment_id: int, *, user: User, expected_version: int,
                  window: timedelta, reason: str | None = None) -> Comment:
    """A moderator takes back their own decision within `window`. Commits, then sends the webhooks.

    Raises ValidationFailed, NotFound (also for another site's comment) or UndoRefused.
    """
    reason = clean_reason(reason)
    comment = _locked_decided(session, comment_id, user, expected_version)
    if comment.decided_by != user.id:
        who = comment.decider.username if comment.decider else "someone else"
        session.rollback()
        raise UndoRefused(f"Only {who} can undo their decision on comment #{comment_id}; an admin can reverse it.")
    if comment.decided_at is None or now() - comment.decided_at > window:
        session.rollback()
        raise UndoRefused(f"Comment #{comment_id} was decided more than {_minutes(window)} ago, too long to undo; "
                          "an admin can reverse it.")
    return _take_back(session, comment, user, UNDO_ACTION, reason)


def reverse_decision(session: Session, comment_id: int, *, user: User, expected_version: int,
                     reason: str | None) -> Comment:
    """An admin (or the site's site admin) reverses anyone's decision, at any time, saying why. Commits,
    then sends the webhooks."""
    if user.role not in REVERSERS:
        raise UndoRefused("Only an admin or the site's site admin can reverse a decision.")
    reason = clean_reason(reason, required=True, to="reverse a decision")
    comment = _locked_decided(session, comment_id, user, expected_version)
    return _take_back(session, comment, user, REVERSE_ACTION, reason)




def can_review_again(comment: Comment) -> bool:
    """A rejection no person made (an author's sanction, the model's auto-reject, a reject rule) that a
    moderator may send to review: no one could ever approve one, even after the ban was lifted or the
    rule seen to be wrong, and a banned reader's crisis comment stayed rejected (a moderator's walk)."""
    return comment.status == REJECTED and comment.decision is None and comment.text_erased_at is None


def review_again(session: Session, comment_id: int, *, user: User, expected_version: int, reason: str | None) -> Comment:
    """Send a comment the policy rejected to review (held, hidden as before), saying why. Commits,
    then sends the webhook. Raises ValidationFailed, NotFound (also another site's) or UndoRefused."""
    reason = clean_reason(reason, required=True, to="send a rejection to review")
    comment = locked_visible(session, comment_id, user)
    if comment.decision is not None and comment.status == comment.decision:
        session.rollback()
        raise UndoRefused(f"Comment #{comment_id} was decided by a person: its moderator may undo it, or an admin "
                          "reverse it.")
    if not can_review_again(comment) or comment.version != expected_version:
        status = comment.status
        session.rollback()
        raise UndoRefused(f"Comment #{comment_id} changed since you opened it (it is {status} now); reload it.")
    _refuse_if_deactivated(session, comment)
    comment.flagged = sorted({*(comment.flagged or []), SENT_TO_REVIEW})  # hidden while held, whatever the mode
    # Who and why in the site's event too, as its docs said: it carried neither, and the site could not
    # tell its reader why the comment came back (a standards editor's walk).
    delivery = change_status(session, comment, HELD, actor=f"user:{user.username}", by=UNDO,
                             reason=f"sent to review: {reason}",
                             event_fields={"sent_to_review": {"moderator": moderator_reference(user, comment.site),
                                                              "reason": reason}})
    # The reports its rejection answered as "removed" wait for the person's decision now, which tells
    # each reporter; closed, a reporter heard "removed" of a comment a moderator then approved.
    reopened = reopen_reports(session, comment, [r for r in comment.reports if r.outcome == REMOVED])
    commit_and_send(session, [delivery, *reopened])
    return comment


def _minutes(window: timedelta) -> str:
    minutes = round(window.total_seconds() / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}" if minutes else f"{int(window.total_seconds())} seconds"


def locked_visible(session: Session, comment_id: int, user: User) -> Comment:
    """The comment locked as a decision locks it (domain/decisions.py), so an undo and a report or a
    second undo serialise; another site's reads as missing."""
    comment = session.scalar(
        select(Comment).where(Comment.id == comment_id).options(defer(Comment.created_at))
        .with_for_update(of=Comment).execution_options(populate_existing=True)
    )
    if comment is None or not can_see_site(session, user, comment.site_id):
        session.rollback()
        raise NotFound(f"comment {comment_id} does not exist")
    return comment


def _refuse_if_deactivated(session: Session, comment: Comment) -> None:
    try:
        refuse_if_deactivated(comment.site, "change its comments' decisions")
    except SiteDeactivated:
        session.rollback()
        raise


def _locked_decided(session: Session, comment_id: int, user: User, expected_version: int) -> Comment:
    comment = locked_visible(session, comment_id, user)
    if comment.decision is None:
        status = comment.status
        session.rollback()
        raise UndoRefused(f"Comment #{comment_id} has no decision to take back (it is {status}).")
    _refuse_if_deactivated(session, comment)
    if comment.status not in DECIDED or comment.status != comment.decision or comment.version != expected_version:
        status = comment.status
        session.rollback()
        raise UndoRefused(f"Comment #{comment_id} changed since that decision (it is {status} now); "
                          "reload it and decide again.")
    if comment.text_erased_at is not None:
        # Undone, a rejection whose text retention had erased came back published and shown, with
        # nothing for a moderator to read if a report brought it back (a re-check).
        erased = comment.text_erased_at.date().isoformat()
        session.rollback()
        raise UndoRefused(f"Comment #{comment_id}'s text was erased on {erased} (the site's retention), so "
                          "there is nothing to read or show again: its decision stands.")
    return comment


def _status_before(session: Session, comment: Comment) -> tuple[str, bool]:
    """The status the decision moved the comment from, and whether it was shown while held then."""
    last = session.execute(
        select(AuditEntry.action, AuditEntry.details)
        .where(AuditEntry.comment_id == comment.id, AuditEntry.action.like("status:%"))
        .order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    change = parse_status_action(last.action if last else "")
    if change is None or change[1] != comment.status or not can_change(comment.status, change[0], by=UNDO):
        session.rollback()
        raise UndoRefused(f"The history of comment #{comment.id} does not show what it was before the decision.")
    return change[0], bool((last.details or {}).get("was_shown_while_held"))


def _take_back(session: Session, comment: Comment, user: User, action: str, reason: str | None) -> Comment:
    previous, shown_while_held = _status_before(session, comment)
    outcome = OUTCOMES.get(comment.status)
    reversed_decision = {
        "action": comment.decision,
        "reason": comment.decision_reason,
        "moderator": moderator_reference(comment.decider, comment.site),
        "decided_at": comment.decided_at.isoformat() if comment.decided_at else None,
    }
    # The reports this decision resolved (same outcome, same instant), and those filed on it since,
    # answered "removed" as they came; earlier ones keep theirs.
    resolved = [r for r in comment.reports if comment.decided_at is not None and r.resolved_at is not None and (
        (r.outcome == outcome and r.resolved_at == comment.decided_at)
        or (r.outcome == REMOVED and r.resolved_at >= comment.decided_at))]
    examples = withdraw_decision(session, comment)
    audit(session, f"user:{user.username}", action, comment_id=comment.id, reason=reason,
          decision=comment.decision, decided_by=comment.decider.username if comment.decider else None,
          decision_reason=comment.decision_reason, restored_status=previous,
          reports_reopened=[r.id for r in resolved], labelled_examples_removed=examples)

    comment.decision = None
    comment.decision_reason = None
    comment.decided_by = None
    comment.decider = None
    comment.decided_at = None
    delivery = change_status(session, comment, previous, actor=f"user:{user.username}", by=UNDO, reason=reason,
                             shown_while_held=shown_while_held,
                             event_fields={"reversal": True, "reversed_decision": reversed_decision,
                                           # Who took it back and why: an appeal's outcome the site
                                           # tells its reader, which the audit log alone held (a DSA walk).
                                           "reversed_by": {"moderator": moderator_reference(user, comment.site),
                                                           "reason": reason, "undo": action == UNDO_ACTION}})
    reopened = reopen_reports(session, comment, resolved)
    # Back to published with its reports open again, and with those filed since the decision, the
    # comment meets them as if they were filed now.
    held = hold_if_reported(session, comment)
    commit_and_send(session, [delivery, *reopened, held])
    return comment
