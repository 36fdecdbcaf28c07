"""How much a reader's report weighs: its reason's weight times the reporter's track record.

A reporter whose earlier reports on this site moderators mostly dismissed weighs less, so a
brigade of reports on a civil comment loses force:

    factor = max(floor, (upheld + 1) / (upheld + dismissed + 1))

New reporters (and anonymous reports, which have no history) start at the reason's weight
(factor 1). The +1 keeps one dismissal from halving a good reporter at once; the floor
(REPORTER_WEIGHT_FLOOR, 0.25 by default; 1 turns discounting off) keeps a reporter who was
often wrong from being silenced altogether. Only decided reports count: open ones say nothing yet.
"""
from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from moderation.domain.settings import domain_settings
from moderation.models import Comment, Report

# What an untried reader's weight says: their reports on the site, none decided yet.
UNTRIED = "no earlier reports decided"


def track_record(session: Session, site_id: int, reporter_id: str) -> tuple[int, int]:
    """(upheld, dismissed) among this reporter's decided reports on the site."""
    rows = session.execute(
        select(Report.outcome, func.count())
        .join(Comment, Comment.id == Report.comment_id)
        .where(Report.reporter_id == reporter_id, Comment.site_id == site_id, Report.outcome.is_not(None))
        .group_by(Report.outcome)
    ).all()
    counts = dict(rows)
    return counts.get("upheld", 0), counts.get("dismissed", 0)


def any_trusted(session: Session, site_id: int, reporter_ids: Collection[str]) -> bool:
    """Whether a report of any of these readers on the site was upheld: one query, where asking each
    reader's track record took one per reader a raid had sent."""
    if not reporter_ids:
        return False
    return bool(session.scalar(select(exists().where(
        Report.reporter_id.in_(list(reporter_ids)), Report.outcome == "upheld",
        Report.comment_id == Comment.id, Comment.site_id == site_id))))


def reporter_weight(
    session: Session, site_id: int, reporter_id: str | None, reason: str, base: float
) -> tuple[float, str]:
    """The report's weight and the sentence that explains it to a moderator."""
    if reporter_id is None:
        return base, f"{reason} {base:g}: anonymous report"
    upheld, dismissed = track_record(session, site_id, reporter_id)
    decided = upheld + dismissed
    if decided == 0:
        return base, f"{reason} {base:g}: {UNTRIED}"
    factor = min(1.0, max(domain_settings(session).reporter_weight_floor, (upheld + 1) / (decided + 1)))
    weight = round(base * factor, 4)
    plural = "s" if decided > 1 else ""
    return weight, f"{reason} {base:g} × {factor:.2g}: {dismissed} of {decided} earlier report{plural} dismissed"
