"""What a site publishes about readers' reports and automated removals over a period, for the
decisions page and its CSV: a trust-and-safety officer's transparency report (the EU's Digital
Services Act asks for notices received, the actions taken on them, how long they took, and the
removals made by automated means, per ground). A DSA walk had computed these from one API call per
comment, and found the automated removals in one number.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import AUTHOR_BANNED, AUTHOR_SUSPENDED, AUTO_REJECTED, REJECTED
from moderation.models import Comment, Report

OUTCOMES = ("upheld", "dismissed", "removed")
# What rejected a comment no person decided, in the order it is counted under the first that applies.
AUTOMATED = {"sanction": "the author's ban or suspension", "model": "the model's auto-reject",
             "rule": "a reject rule"}


@dataclass(frozen=True)
class ReportCounts:
    received: int  # reports filed in the period
    by_reason: list[tuple[str, int]]  # most first
    outcomes: dict[str, int]  # of those filed in the period, as they stand now; "open" too
    median_hours: float | None  # from a report to its answer, of those answered in the period
    p90_hours: float | None
    answered: int  # reports answered in the period, whenever filed


def report_counts(session: Session, *, since: datetime, until: datetime,
                  site_ids: Collection[int] | None = None) -> ReportCounts:
    """The readers' reports of [since, until), of every site or of `site_ids`."""
    def of_sites(query):  # noqa: ANN001, ANN202 - a select over Report joined to Comment
        query = query.join(Comment, Comment.id == Report.comment_id)
        return query.where(Comment.site_id.in_(list(site_ids))) if site_ids is not None else query

    filed = (Report.created_at >= since, Report.created_at < until)
    by_reason = session.execute(of_sites(select(Report.reason, func.count()).where(*filed)
                                         .group_by(Report.reason).order_by(func.count().desc(), Report.reason))).all()
    outcomes = dict(session.execute(of_sites(select(func.coalesce(Report.outcome, "open"), func.count())
                                             .where(*filed).group_by(Report.outcome))).all())
    hours = func.extract("epoch", Report.resolved_at - Report.created_at) / 3600.0
    median, p90, answered = session.execute(of_sites(select(
        func.percentile_cont(0.5).within_group(hours), func.percentile_cont(0.9).within_group(hours), func.count())
        .where(Report.resolved_at >= since, Report.resolved_at < until))).one()
    return ReportCounts(received=sum(n for _, n in by_reason), by_reason=[(r, n) for r, n in by_reason],
                        outcomes={name: outcomes.get(name, 0) for name in (*OUTCOMES, "open")},
                        median_hours=None if median is None else float(median),
                        p90_hours=None if p90 is None else float(p90), answered=answered)


def automated_removals(session: Session, *, since: datetime, until: datetime,
                       site_ids: Collection[int] | None = None) -> dict[str, int]:
    """Comments rejected in the period with no person deciding them, standing now, by what rejected
    them (AUTOMATED's keys): the author's sanction, else the model's auto-reject, else a rule."""
    flags = Comment.flagged
    cause = case((flags.contains([AUTHOR_BANNED]) | flags.contains([AUTHOR_SUSPENDED]), "sanction"),
                 (flags.contains([AUTO_REJECTED]), "model"), else_="rule")
    query = (select(cause, func.count()).where(Comment.status == REJECTED, Comment.decision.is_(None),
                                               Comment.status_changed_at >= since, Comment.status_changed_at < until)
             .group_by(cause))
    if site_ids is not None:
        query = query.where(Comment.site_id.in_(list(site_ids)))
    counts = dict(session.execute(query).all())
    return {name: counts.get(name, 0) for name in AUTOMATED}
