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
  when their weight reaches the threshold and two named readers filed them, the comment is held
  again for another look, and stays shown (REPORTED_AFTER_APPROVAL); one reader whose reports were
  upheld before hides it; one untried reader alone leaves it approved.
* rejected: recorded, nothing else changes.

Holding a published or approved comment hides it on a pre-moderated site, so one reader alone may
not: it takes two named reporters, or one whose reports here moderators have upheld before. A
head of community's walk had a new reader id hide ten civil comments in a minute with one "hate"
report each, and reader ids cost a troll nothing. Past the threshold with one untried reporter, a
published comment stays shown and waits in the Reported tab (lifecycle.in_review_queue) for a
moderator, first in line by its report weight.

Anonymous reports (no reporter_id) weigh at most half a named one (ReportLimits.anonymous_factor),
and all of a comment's anonymous reports together stay below its site's report threshold (at most
anonymous_threshold_share of it, and at most anonymous_weight_cap): anyone can file them, so they
can move a comment up the queue or tip it over with a named report, but never hide it on their own.
Later ones are kept with weight 0; a repeat from the same reporter returns the first. Beyond
ReportLimits' per-minute rates, per comment (named and anonymous reports each) and per reporter id on
a site, filing is refused (RateLimited, a 429), and report weight's share of priority is capped
(policy.REPORT_PRIORITY_CAP): one caller cannot buy a comment unbounded weight and queue priority.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.domain.comments import MAX_ID
from moderation.domain.errors import Conflict, NotFound, RateLimited
from moderation.domain.policy import (MODEL_BANDS, REPORT_PRIORITY_CAP, REPORTS, UNTRIED_REPORT_PRIORITY_CAP,
                                      overdue_priority, reports_reach_threshold, with_reports)
from moderation.domain.report_wait import late_reports_lift, report_window
from moderation.domain.reporter_weights import any_trusted, reporter_weight
from moderation.domain.settings import domain_settings
from moderation.domain.lifecycle import (APPROVED, AUTO_REJECTED, DELETED, HELD, PUBLISHED, REJECTED, REPORT,
                                         REPORTED_AFTER_APPROVAL, WOULD_REJECT, CommentDeleted, change_status,
                                         hide_reported_after_approval, now, site_event)
from moderation.models import Comment, Report, Site, WebhookDelivery

REPORT_WEIGHTS: dict[str, float] = {
    "uncivil": 1.0,
    "off_topic": 1.0,
    "spam": 1.0,
    "harassment": 2.0,
    "hate": 2.0,
    "personal_information": 2.0,
    "self_harm": 2.0,  # a reader at risk, or one urged to harm themselves
    "other": 1.0,
}


# What a named reader's open self_harm report of some weight adds to a comment's priority, once however
# many there are: with threats, below a reader the at_risk rule found (100). A crime desk's walk: one reader's
# self_harm report on "I'm Josh's mum. I can't do this. ... Nobody would miss me now." (which the rule
# then missed) left it 76th of 90, at 1.20. Below the rule's 100, as a report may be wrong or a
# raid's; it still comes before every insult. Added, not a floor, so the decision that resolves the
# report takes it away and an undo gives it back, as they do the reports' weight (a floor of 4 had
# stayed as 3 after a moderator dismissed the report).
AT_RISK_REPORT_LIFT = 4.0
# The lift while no reporter of the comment has had a report upheld on the site: five new reader ids
# with one self_harm report each had put five civil comments above every held threat (a moderator's
# night shift). With a report's own share, above held group hate (3) and below threats (4); a
# reader the rules missed still comes before every insult.
UNTRIED_AT_RISK_LIFT = 2.0
# ...and never past that with a comment's own scores under it: an auto-rejected insult (1.96) that
# a reader's self_harm report brings back to review rose to 4.96, and a raid's fresh reader ids put
# every such comment above the held threats (a re-check). The lift stops below them, the model's
# own (policy.MODEL_BANDS) as the rules': at 3.99 one new reader id put "the minister looks rather
# foolish today" above "Find them and kill them." (3.95), which only the model held (a re-check of the
# bands). What the comment's scores, rules and reports gave it already stays.
UNTRIED_AT_RISK_CEILING = MODEL_BANDS["threat"][0] - 0.01


def says_at_risk(report: Report) -> bool:
    """A named reader's self_harm report that weighs something: it lifts the comment (at_risk_lift)
    and leaves it for its own card in bulk (bulk.at_risk_comment)."""
    return report.reason == "self_harm" and report.reporter_id is not None and report.weight > 0


def at_risk_lift(reports: Iterable[Report], trusted: bool = True) -> float:
    """What these reports add for a reader at risk: AT_RISK_REPORT_LIFT (UNTRIED_AT_RISK_LIFT where
    no reporter is `trusted`) if one is a named reader's self_harm report that weighs something, else
    0. Not an anonymous one: one per comment, with no account, had put any comment a raid chose above
    the held threats (a re-check); it still weighs, and the queue's self-harm filter lists the comment."""
    if not any(map(says_at_risk, reports)):
        return 0.0
    return AT_RISK_REPORT_LIFT if trusted else UNTRIED_AT_RISK_LIFT


def rank(session: Session, comment: Comment, open_now: Sequence[Report], report_threshold: float,
         at: datetime | None = None) -> None:
    """Set the comment's queue priority from what its scores and rules gave it and the reports open now:
    every change to either (scoring, a saved rule's hold, a report filed, resolved or reopened, a new
    threshold) ranks it here, afresh. Adding and taking away what each changed had drifted: a rule's
    hold had to recover the scored part by subtraction, and a changed threshold took away a share
    other than the one added (a re-check: 0.0 after an approval, where its scores rank it at 0.2).
    An open report older than the desk's window lifts it (policy.overdue_priority): the sweep ranks
    again those whose reports only grew older (sweep.lift_overdue_reports), as of `at`."""
    named = {r.reporter_id for r in open_now if r.reporter_id is not None and r.weight > 0}
    trusted = bool(named) and any_trusted(session, comment.site_id, named)
    cap = REPORT_PRIORITY_CAP if trusted else UNTRIED_REPORT_PRIORITY_CAP
    weight = sum(r.weight for r in open_now)
    lifted = with_reports(comment.scored_priority or 0.0, weight, report_threshold, at_risk_lift(open_now, trusted),
                          cap=cap)
    if not trusted:
        lifted = max(with_reports(comment.scored_priority or 0.0, weight, report_threshold, cap=cap),
                     min(lifted, UNTRIED_AT_RISK_CEILING))
    # The condition the sweep asks in SQL, written once there (report_wait._lift_condition), so that
    # what the sweep picks out to lift is what this lifts.
    if open_now and late_reports_lift(open_now, report_threshold, (at or now()) - report_window(session)):
        lifted = overdue_priority(lifted)
    comment.priority = lifted


def open_reports(session: Session, comment: Comment) -> list[Report]:
    return list(session.scalars(select(Report).where(Report.comment_id == comment.id, Report.outcome.is_(None))))


RATE_WINDOW = timedelta(minutes=1)
REPORTER_LOCK = 0x7265  # "re": with a hash of (site, reporter id), one reporter's reports count in turn
MAX_ANONYMOUS_FACTOR = 0.5  # the rule: an anonymous report weighs at most half a named one
MAX_ANONYMOUS_SHARE = 0.9  # of the threshold: anonymous reports alone must never reach it


@dataclass(frozen=True)
class ReportLimits:
    """Defaults mirror moderation.config; 0 turns a limit off."""

    per_comment: int = 30  # reports per comment per minute
    per_reporter: int = 10  # reports per reporter id per site per minute
    anonymous_weight_cap: float = 4.0  # total weight of anonymous reports on one comment
    anonymous_factor: float = 0.5  # an anonymous report's weight against a named one; at most 0.5
    anonymous_threshold_share: float = 0.5  # of the site's report threshold; kept below 1

    def anonymous_cap(self, report_threshold: float) -> float:
        """The most all anonymous reports on one comment may weigh: always below the threshold."""
        share = min(max(self.anonymous_threshold_share, 0.0), MAX_ANONYMOUS_SHARE)
        by_threshold = max(report_threshold, 0.0) * share
        return min(self.anonymous_weight_cap, by_threshold) if self.anonymous_weight_cap > 0 else by_threshold


@dataclass(frozen=True)
class Filing:
    report: Report
    comment: Comment
    created: bool
    delivery: WebhookDelivery | None = None  # send after commit
    also: list[WebhookDelivery] = field(default_factory=list)  # reports opened again, sent after it


def file_report(
    session: Session,
    site: Site,
    comment_id: int,
    *,
    reason: str,
    reporter_id: str | None = None,
    note: str | None = None,
    limits: ReportLimits = ReportLimits(),
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
    if comment.status == DELETED:
        raise CommentDeleted("this comment was deleted; there is nothing left to report", field="id")
    if reporter_id is not None and reporter_id == comment.author_id:
        # Reporting one's own abusive comment, upheld when a moderator rejected it, was the cheapest way
        # to a reporter whose lone report holds anyone's comment (an integrator's walk).
        raise Conflict("a reader cannot report their own comment; to take it down, delete it "
                       "(DELETE with ?by=author)", field="reporter_id")
    if reporter_id is not None:
        earlier = session.scalar(
            select(Report).where(Report.comment_id == comment.id, Report.reporter_id == reporter_id)
        )
        if earlier is not None and earlier.reason != reason:
            # Answered 200 with the old report, a reader escalating spam to hate was told "reported as
            # hate" by the site, and the new reason was dropped unsaid (an integrator's walk).
            raise Conflict(f"this reader reported this comment already, as {earlier.reason}: one report per reader "
                           "per comment, which a moderator's decision answers", field="reason")
        if earlier is not None:
            # A trusted reader who reported before the approval hides it now, as a first report would
            # (the re-check after: it had returned the old report and left the comment shown).
            return Filing(earlier, comment, created=False, delivery=_hidden_by_trusted(session, site, comment, reporter_id))
    _check_rates(session, site, comment, reporter_id, limits)

    weight, weight_reason = reporter_weight(session, site.id, reporter_id, reason, REPORT_WEIGHTS[reason])
    if reporter_id is None:
        factor = min(max(limits.anonymous_factor, 0.0), MAX_ANONYMOUS_FACTOR)
        weight = round(weight * factor, 4)
        weight_reason = f"{weight_reason} × {factor:g}"
        cap = limits.anonymous_cap(comment.site.report_threshold)
        capped = _within_anonymous_cap(session, comment, weight, cap)
        if capped < weight:
            weight_reason = f"{weight_reason}; anonymous reports on this comment are capped at {cap:g}"
        weight = capped
    report = Report(
        comment_id=comment.id,
        reason=reason,
        reporter_id=reporter_id,
        note=note,
        weight=weight,
        weight_reason=weight_reason,
        filed_on_status=comment.status,
        # created_at: the server's transaction time, as the audit entry of a hold this report causes
        # gets, so the comment's history shows the report before the hold.
    )
    already_open = open_reports(session, comment)
    session.add(report)
    comment.report_weight = (comment.report_weight or 0.0) + report.weight
    session.flush()
    if comment.status == REJECTED and comment.decision is None and says_at_risk(report):
        # A reader says the author may be at risk, of a comment no person has read: one does now,
        # held and hidden, as the at_risk rule holds what it finds (a re-check: answered "removed"
        # at once, "he wants to kill himself" reached no one).
        # `reports`: a reader's notice brought it to the moderator, as the site's statement of reasons
        # reads it (docs/api.md), though one report reaches no threshold (a re-check).
        comment.flagged = sorted({*(comment.flagged or []), WOULD_REJECT, REPORTS} - {AUTO_REJECTED})
        held = change_status(session, comment, HELD, actor=f"site:{comment.site_id}", by=REPORT,
                             reason="a reader reported the author may be at risk", report_weight=comment.report_weight)
        # The reports its rejection answered "removed" wait for the person too, as after Send to review:
        # a reader told "already removed" of a comment then approved heard nothing more (a re-check).
        reopened = reopen_reports(session, comment, [r for r in comment.reports if r.outcome == REMOVED])
        rank(session, comment, open_reports(session, comment), comment.site.report_threshold)
        return Filing(report, comment, created=True, delivery=held, also=reopened)
    if comment.status == REJECTED:
        # Not shown already: the notice is answered at once, and the site told, so it can tell the
        # reader. Left open, a report on what the model, a rule or a moderator had rejected waited for
        # ever in no queue (a DSA walk: report 33 still open ten minutes on, no event). An undo of
        # the rejection opens it again, with its weight, as it opens those the rejection answered.
        answered = resolve_removed(session, comment, [report], now())
        return Filing(report, comment, created=True, delivery=answered[0] if answered else None)

    threshold = comment.site.report_threshold
    # By the open reports, not all ever filed: a comment whose dismissed reports had reached the cap
    # gained nothing from new ones (a re-check). In every status, so a rejected comment's undo ranks
    # it by its reports too (it had been left at 3.0 where they rank it at 4.6).
    rank(session, comment, [*already_open, report], threshold)
    delivery = _hidden_by_trusted(session, site, comment, reporter_id) or hold_if_reported(session, comment)
    return Filing(report, comment, created=True, delivery=delivery)


REMOVED = "removed"


def reopen_reports(session: Session, comment: Comment, reports: list[Report]) -> list[WebhookDelivery]:
    """Open the reports again and tell the site, which may have told each reader the outcome."""
    at = now()
    deliveries: list[WebhookDelivery] = []
    # Their share of the priority comes back with them, with reports filed since: together never past
    # the cap (a re-check found 5.958 where the open weight ranks the comment at 4.958).
    rank(session, comment, [*open_reports(session, comment), *reports], comment.site.report_threshold)
    for report in reports:
        outcome, report.outcome, report.resolved_at = report.outcome, None, None
        delivery = site_event(session, comment.site, "report.reopened", at=at, comment_id=comment.id,
                              site_comment_id=comment.external_id,
                              report_id=report.id, reporter_id=report.reporter_id, previous_outcome=outcome,
                              report=serialize_report(report))
        if delivery is not None:
            deliveries.append(delivery)
    return deliveries


def resolve_removed(session: Session, comment: Comment, reports: Sequence[Report], at: datetime) -> list[WebhookDelivery]:
    """Close `reports` as "removed": their comment is not shown, and no person decided it after them
    (rejected by the model, a rule or a sanction, or rejected before they were filed). Each is told
    to the site as a `report.resolved` event; "removed" weighs neither way in a reporter's track
    record. The caller commits."""
    rank(session, comment, [r for r in open_reports(session, comment) if r not in reports], comment.site.report_threshold)
    deliveries: list[WebhookDelivery] = []
    for report in reports:
        report.outcome, report.resolved_at = REMOVED, at
        delivery = site_event(session, comment.site, "report.resolved", at=at, comment_id=comment.id,
                              site_comment_id=comment.external_id, report_id=report.id,
                              reporter_id=report.reporter_id, outcome=REMOVED, report=serialize_report(report))
        if delivery is not None:
            deliveries.append(delivery)
    return deliveries


def hold_if_reported(session: Session, comment: Comment) -> WebhookDelivery | None:
    """Hold a published or approved comment whose reports reach its site's threshold, hidden if
    reporters_may_hide, as a report filed now would. Also after an undo, which reopens reports: an
    approval, a second named report and an undo had left a comment shown with two named readers'
    reports open (a helper's walk). Held and shown because untried readers sent it back after an
    approval, it is hidden if a trusted reader's report is open (an undo had kept it shown: a
    re-check). The caller commits."""
    if comment.status == HELD and REPORTED_AFTER_APPROVAL in (comment.flagged or ()):
        named = {r.reporter_id for r in open_reports(session, comment) if r.reporter_id is not None}
        if named and any_trusted(session, comment.site_id, named):
            return hide_reported_after_approval(session, comment, actor=f"site:{comment.site_id}")
        return None
    if comment.status == HELD:
        # Held already: the reports change nothing a reader sees, but the `reports` flag says a notice
        # came, which a site's statement of reasons reads (a readers' editor's walk found it missing).
        open_weight = sum(r.weight for r in open_reports(session, comment))  # not the dismissed ones
        if reports_reach_threshold(open_weight, comment.site.report_threshold):
            comment.flagged = sorted(set(comment.flagged or []) | {REPORTS})
        return None
    if comment.status not in (PUBLISHED, APPROVED):
        return None
    weight = comment.report_weight if comment.status == PUBLISHED else _weight_since_decision(comment)
    if not reports_reach_threshold(weight, comment.site.report_threshold):
        return None
    trusted, named = _reporters(session, comment)
    hide = trusted or (comment.status == PUBLISHED and named >= REPORTERS_TO_HIDE)
    comment.flagged = sorted(set(comment.flagged or []) | {REPORTS})
    # An approved comment goes back to review when as many readers report it as would hide a
    # published one, shown meanwhile unless one is trusted: one new reader id had sent any
    # approved comment back (a re-check), and two new ones had hidden it again and again.
    if not (hide or (comment.status == APPROVED and named >= REPORTERS_TO_HIDE)):
        return None
    return change_status(session, comment, HELD, actor=f"site:{comment.site_id}", by=REPORT, reason="reports",
                         shown_while_held=not hide, report_weight=weight)


REPORTERS_TO_HIDE = 2


def _hidden_by_trusted(session: Session, site: Site, comment: Comment, reporter_id: str | None) -> WebhookDelivery | None:
    """A comment shown while it waits, because readers no moderator trusted yet sent it back after its
    approval, hidden when a reader whose reports were upheld reports it, as they could have hidden the
    approved comment (a re-check)."""
    if comment.status != HELD or REPORTED_AFTER_APPROVAL not in (comment.flagged or ()) or reporter_id is None:
        return None
    if not any_trusted(session, comment.site_id, [reporter_id]):
        return None
    return hide_reported_after_approval(session, comment, actor=f"site:{site.id}")


def reporters_may_hide(session: Session, comment: Comment) -> bool:
    """Whether the reports that count may hide the comment: REPORTERS_TO_HIDE named reporters, or one
    whose reports on the site were upheld before. An approved comment's (reports since its decision
    count) only the latter: a moderator looked at it, and new reader ids cost a raid nothing."""
    trusted, named = _reporters(session, comment)
    return trusted or (comment.status != APPROVED and named >= REPORTERS_TO_HIDE)


def reweigh_barred_reporter(session: Session, site: Site, reporter_id: str, sanction: str) -> int:
    """A reader just banned or suspended: their open reports weigh the floor, as one they filed now
    would, and their comments are ranked again; how many. A second re-check: the reader reported, then
    was banned, and their self-harm report kept a civil comment above every held threat. A comment
    their reports held stays held for a moderator. The caller commits."""
    floor = domain_settings(session).reporter_weight_floor
    touched: dict[int, Comment] = {}
    for report in session.scalars(select(Report).join(Comment, Comment.id == Report.comment_id).where(
            Comment.site_id == site.id, Report.reporter_id == reporter_id, Report.outcome.is_(None))):
        base = REPORT_WEIGHTS[report.reason]
        weight = round(base * floor, 4)
        if weight >= report.weight:
            continue
        comment = report.comment
        comment.report_weight = max(0.0, (comment.report_weight or 0.0) - (report.weight - weight))
        report.weight = weight
        report.weight_reason = f"{report.reason} {base:g} × {floor:g}: the reader was {sanction} on this site after reporting"
        touched[comment.id] = comment
    for comment in touched.values():
        rank(session, comment, open_reports(session, comment), comment.site.report_threshold)
    return len(touched)


def reports_may_hide(session: Session, comment: Comment, weight: float, report_threshold: float) -> bool:
    """What scoring's verdict takes as `reports_may_hide`: below the threshold they hide nothing either
    way; at it, only as reporters_may_hide says. Live scoring and the shadow both ask here: a shadow of
    the very live model had said "would hold" of comments one untried reader reported (a newcomer's walk)."""
    return not reports_reach_threshold(weight, report_threshold) or reporters_may_hide(session, comment)


def _reporters(session: Session, comment: Comment) -> tuple[bool, int]:
    """(whether one is trusted, how many) of the named readers whose reports count: on an approved
    comment, those filed since its decision."""
    since = comment.decided_at if comment.status == APPROVED else None
    named = set(session.scalars(select(Report.reporter_id).where(
        Report.comment_id == comment.id, Report.reporter_id.is_not(None),
        *([Report.created_at > since] if since is not None else []))))
    return any_trusted(session, comment.site_id, named), len(named)


def _check_rates(session: Session, site: Site, comment: Comment, reporter_id: str | None,
                 limits: ReportLimits) -> None:
    """Counted in the reports table under the comment's row lock, so concurrent reports see each other.
    A comment's named and anonymous reports have a per-minute allowance each: 30 anonymous reports a
    minute, most weighing nothing past their cap, had kept the reader a threat named from reporting it
    (a raid's walk)."""
    since = now() - RATE_WINDOW
    if limits.per_comment > 0:
        same_kind = Report.reporter_id.is_(None) if reporter_id is None else Report.reporter_id.is_not(None)
        oldest, count = session.execute(
            select(func.min(Report.created_at), func.count(Report.id))
            .where(Report.comment_id == comment.id, Report.created_at > since, same_kind)
        ).one()
        if count >= limits.per_comment:
            kind = "anonymous" if reporter_id is None else "named"
            raise RateLimited(f"this comment has had {count} {kind} reports in the last minute; try again later",
                              retry_after=_retry_after(oldest), field=None)  # the comment is the path's, no field sent
    if reporter_id is not None and limits.per_reporter > 0:
        # A reporter's reports on other comments hold other rows' locks: this one, until the commit,
        # makes them count in turn (a raid's walk: 40 at once from one id took 13 and 14 of a limit of 10).
        session.execute(select(func.pg_advisory_xact_lock(REPORTER_LOCK, func.hashtext(f"{site.id}:{reporter_id}"))))
        oldest, count = session.execute(
            select(func.min(Report.created_at), func.count(Report.id))
            .join(Comment, Report.comment_id == Comment.id)
            .where(Report.reporter_id == reporter_id, Comment.site_id == site.id, Report.created_at > since)
        ).one()
        if count >= limits.per_reporter:
            raise RateLimited(f"reporter {reporter_id!r} has filed {count} reports in the last minute; try again later",
                              retry_after=_retry_after(oldest), field="reporter_id")


def _retry_after(oldest) -> int:
    """Seconds until the oldest report in the window leaves it."""
    if oldest is None:
        return 1
    return max(1, int((oldest + RATE_WINDOW - now()).total_seconds() + 0.999))


def _within_anonymous_cap(session: Session, comment: Comment, weight: float, cap: float) -> float:
    so_far = session.scalar(
        select(func.coalesce(func.sum(Report.weight), 0.0))
        .where(Report.comment_id == comment.id, Report.reporter_id.is_(None))
    ) or 0.0
    return max(0.0, min(weight, cap - so_far))


def rerank_for_threshold(session: Session, site: Site) -> int:
    """Rank the site's comments with open reports by its report threshold now (`rank`); how many.
    The caller commits."""
    with_open = select(Report.comment_id).join(Comment, Comment.id == Report.comment_id).where(
        Comment.site_id == site.id, Report.outcome.is_(None))
    comments = list(session.scalars(select(Comment).where(Comment.id.in_(with_open))
                                    .order_by(Comment.id).with_for_update(of=Comment)))
    open_now = open_reports_by_comment(session, comments)
    for comment in comments:
        rank(session, comment, open_now.get(comment.id, []), site.report_threshold)
    return len(comments)


def open_reports_by_comment(session: Session, comments: Sequence[Comment]) -> dict[int, list[Report]]:
    """Per comment, its reports no moderator has resolved (dismissed or upheld): what scoring weighs
    against the site's threshold and ranks by. A comment approved with a report dismissed and then
    edited is back in review for its new text, not for that report. One query, only for comments
    with reports (few in a scoring batch)."""
    ids = [c.id for c in comments if c.report_weight]
    found: dict[int, list[Report]] = {}
    if ids:
        for report in session.scalars(select(Report).where(Report.comment_id.in_(ids), Report.outcome.is_(None))
                                      .order_by(Report.id)):
            found.setdefault(report.comment_id, []).append(report)
    return found


def open_report_weights(session: Session, comments: Sequence[Comment]) -> dict[int, float]:
    """Per comment with open reports, their weight (`open_reports_by_comment`)."""
    return {comment_id: sum(r.weight for r in reports)
            for comment_id, reports in open_reports_by_comment(session, comments).items()}


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
        # "upheld" (the comment was rejected), "dismissed" (approved) or "removed" (deleted before a
        # decision: domain/report_outcomes.py); null while open.
        "outcome": report.outcome,
        "resolved_at": report.resolved_at.isoformat() if report.resolved_at else None,
    }
