"""How long readers' reports have waited for a moderator's answer, against the desk's window
(REPORT_WAIT_MINUTES, 15 by default).

An election night's walk (two moderators, 276 comments to review): readers' reports on published
threats sat 39th to 270th of the To review tab, under model-held insults; no card said when a report
came in, and the waits were on an admin page alone. 18 minutes on, 37 of 64 reports were still open,
past the editor's "within 15 minutes", and nothing had said so. So:

* A comment whose oldest open report waited past the window ranks at policy.OVERDUE_REPORT_PRIORITY
  at least: reports.rank lifts it on every change, and the sweep lifts those whose reports only grew
  older (sweep.lift_overdue_reports). Priority stays a stored, indexed column: ordered at read time,
  every page of the queue would compute each comment's oldest report before its keyset could start.
  Both ask `late_reports_lift` (rank, in Python) and `late_reports_lift_condition` (the sweep, in SQL),
  the one condition written once (`_lift_condition`): spelled in each, the sweep had chosen comments
  by all the reports ever filed, which rank then left unlifted, and chose them again at every sweep.
* The queue says how many open reports are past the window and how old the oldest is (`waiting_past`).
* The Reported tab lists the oldest open report first on request (`WAITING`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, distinct, exists, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from moderation.domain.errors import ValidationFailed
from moderation.domain.lifecycle import APPROVED, HELD, PUBLISHED
from moderation.domain.settings import domain_settings
from moderation.models import Comment, Report, Site

PRIORITY, WAITING = "priority", "waiting"
# The orders a tab may be listed in, and the tab the oldest report's order is for.
SORTS = (PRIORITY, WAITING)
WAITING_TAB = "reported"


def report_window(session: Session) -> timedelta:
    return timedelta(minutes=domain_settings(session).report_wait_minutes)


def oldest_report_at(open_reports: Iterable[Report]) -> datetime | None:
    """When the oldest of these (open) reports came in; None if none has a time yet."""
    return min((r.created_at for r in open_reports if r.created_at is not None), default=None)


def waited_past(open_reports: Iterable[Report], window: timedelta, at: datetime) -> bool:
    oldest = oldest_report_at(open_reports)
    return oldest is not None and oldest <= at - window


def _lift_condition(open_weight, oldest_open, report_threshold, cutoff, all_of: Callable):
    """Whether a comment's open reports lift it: they weigh the site's report threshold, as they must to
    send a comment to review (any late report had lifted one anonymous report's held insult above the
    model's held threats: a re-check), and the oldest came in at `cutoff` (the window before now) or
    earlier. Written once for numbers (all_of: all) and for SQL expressions (all_of: and_)."""
    return all_of(open_weight >= report_threshold, oldest_open <= cutoff)


def late_reports_lift(open_reports: Sequence[Report], report_threshold: float, cutoff: datetime) -> bool:
    """`_lift_condition` of these open reports (reports.rank)."""
    oldest = oldest_report_at(open_reports)
    return oldest is not None and _lift_condition(sum(r.weight for r in open_reports), oldest, report_threshold,
                                                  cutoff, lambda *parts: all(parts))


def late_reports_lift_condition(cutoff: datetime) -> ColumnElement[bool]:
    """`_lift_condition` of each comment's open reports, in SQL (sweep.lift_overdue_reports); the query
    joins Site. No open report, no group, no row: as late_reports_lift says of none."""
    report, late = aliased(Report), aliased(Report)
    grouped = exists(select(report.comment_id).where(report.comment_id == Comment.id, report.outcome.is_(None))
                     .group_by(report.comment_id)
                     .having(_lift_condition(func.sum(report.weight), func.min(report.created_at),
                                             Site.report_threshold, cutoff, and_)))
    # Implied by the grouped one, and no part of the rule: PostgreSQL joins this one off ix_reports_open's
    # few late rows, where the grouped one alone is asked of every reported comment in turn.
    return and_(exists().where(late.comment_id == Comment.id, late.outcome.is_(None), late.created_at <= cutoff),
                grouped)


@dataclass(frozen=True)
class Waiting:
    """Open reports past the window in a queue's scope: how many, on how many comments, the oldest's time."""
    reports: int
    comments: int
    oldest: datetime | None
    window: timedelta


def with_open_report() -> ColumnElement[bool]:
    """The Reported tab's condition (queue_filters.tab_condition) for a comment known to have an open
    report, where its three sets come to this: the tab's own subqueries on reports, evaluated for every
    shown or approved comment, had cost 40 ms of a count of late reports (bench/queue_pages.py)."""
    # Each status alone, so PostgreSQL reads the held and published ones off their partial indexes.
    return or_(*(and_(Comment.status == status, Comment.report_weight > 0) for status in (HELD, PUBLISHED, APPROVED)))


def waiting_past(session: Session, where: list[ColumnElement[bool]], window: timedelta, at: datetime) -> Waiting:
    """Open reports filed at least `window` before `at` on the comments of the Reported tab under
    `where` (queue.queue_scope: the viewer's sites and filters), where the link to it finds them."""
    # An alias: the filters' own subqueries on reports correlate with the comment alone.
    report = aliased(Report)
    reports, comments, oldest = session.execute(
        select(func.count(report.id), func.count(distinct(report.comment_id)), func.min(report.created_at))
        .select_from(report).join(Comment, Comment.id == report.comment_id).join(Site, Comment.site_id == Site.id)
        .where(*where, with_open_report(), report.outcome.is_(None), report.created_at <= at - window)
    ).one()
    return Waiting(reports=reports, comments=comments, oldest=oldest, window=window)


def parse_sort(args: Mapping[str, str], tab: str) -> str:
    """The order asked for: the queue's priority (the default), or the oldest open report first, on
    the Reported tab alone (on others most comments have none)."""
    sort = (args.get("sort") or "").strip() or PRIORITY
    if sort not in SORTS:
        raise ValidationFailed(f"Order must be one of {', '.join(SORTS)}", field="sort")
    if sort == WAITING and tab != WAITING_TAB:
        raise ValidationFailed("Order by the oldest report is for the Reported tab", field="sort")
    return sort


def oldest_first(query: Select, after: str | None) -> Select:
    """The Reported tab's comments of `query` by their oldest open report, then id, after the cursor.
    Joined to each comment's oldest open report, not a subquery per comment in ORDER BY: that read the
    whole tab, every shown and approved comment, before the first row (bench/queue_pages.py)."""
    ages = (select(Report.comment_id, func.min(Report.created_at).label("oldest"))
            .where(Report.outcome.is_(None)).group_by(Report.comment_id).subquery("open_report_ages"))
    query = query.join(ages, ages.c.comment_id == Comment.id).where(with_open_report())
    if after:
        oldest, comment_id = _decode(after)
        query = query.where(or_(ages.c.oldest > oldest, and_(ages.c.oldest == oldest, ages.c.comment_id > comment_id)))
    # The reports' own columns: ordered on that side alone, a page reads comments one by one until it
    # has its 25, instead of every reported comment first.
    return query.order_by(ages.c.oldest.asc(), ages.c.comment_id.asc())


def encode_waiting_cursor(comment: Comment) -> str:
    """oldest_first's key of the last comment shown, from its loaded reports."""
    oldest = oldest_report_at(r for r in comment.reports if r.outcome is None)
    return f"{WAITING}~{oldest.isoformat() if oldest else ''}~{comment.id}"


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        sort, oldest, comment_id = cursor.split("~")
        key = datetime.fromisoformat(oldest), int(comment_id)
    except ValueError:
        key = None
    if key is None or sort != WAITING or key[0].tzinfo is None or not 0 <= key[1] <= 2**63 - 1:  # a BIGINT id
        raise ValidationFailed("after must be a cursor from the previous page", field="after")
    return key
