"""How much a reader's report weighs: its reason's weight times the reporter's track record.

A reporter whose earlier reports on this site moderators mostly dismissed weighs less, so a
brigade of reports on a civil comment loses force:

    factor = max(floor, (upheld + 1) / (upheld + dismissed + 1))

New reporters (and anonymous reports, which have no history) start at the reason's weight
(factor 1). The +1 keeps one dismissal from halving a good reporter at once; the floor
(REPORTER_WEIGHT_FLOOR, 0.25 by default; 1 turns discounting off) keeps a reporter who was
often wrong from being silenced altogether. Only decided reports count: open ones say nothing yet.

An upheld report earns trust only when it found something: filed while the comment was shown
(published, or approved). Reports on a comment the model, a rule or other readers had already held
told the moderators nothing, and upheld counted in full they made a "trusted" reader for free (a
trust and safety walk: three reports on insults the model held, and that reader's lone report hid
civil comments and put one above every held threat). They count neither way, as removed ones do.
"""
from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import APPROVED, PUBLISHED
from moderation.domain.sanctions import BARRING_KINDS, KIND_LABELS, current_sanction, in_force_condition
from moderation.domain.settings import domain_settings
from moderation.models import AuthorSanction, Comment, Report

# The statuses in which a report finds something no one had seen to (see above).
FINDS_ON = (PUBLISHED, APPROVED)

# What an untried reader's weight says: their reports on the site, none decided yet.
UNTRIED = "no earlier reports decided"


def _found_something() -> ColumnElement[bool]:
    return or_(Report.filed_on_status.is_(None), Report.filed_on_status.in_(FINDS_ON))


class Record(NamedTuple):
    upheld: int
    dismissed: int
    upheld_on_held: int  # upheld, but filed on a comment already held: counted neither way


def track_record(session: Session, site_id: int, reporter_id: str) -> Record:
    """This reporter's decided reports on the site."""
    rows = session.execute(
        select(Report.outcome, Report.filed_on_status, func.count())
        .join(Comment, Comment.id == Report.comment_id)
        .where(Report.reporter_id == reporter_id, Comment.site_id == site_id, Report.outcome.is_not(None))
        .group_by(Report.outcome, Report.filed_on_status)
    ).all()
    upheld = dismissed = on_held = 0
    for outcome, filed_on, n in rows:
        if outcome == "dismissed":
            dismissed += n
        elif outcome == "upheld" and (filed_on is None or filed_on in FINDS_ON):
            upheld += n
        elif outcome == "upheld":
            on_held += n
    return Record(upheld, dismissed, on_held)


def any_trusted(session: Session, site_id: int, reporter_ids: Collection[str]) -> bool:
    """Whether a report of any of these readers on the site was upheld: one query, where asking each
    reader's track record took one per reader a raid had sent."""
    if not reporter_ids:
        return False
    barred = exists().where(AuthorSanction.site_id == site_id, AuthorSanction.author_id == Report.reporter_id,
                            AuthorSanction.kind.in_(BARRING_KINDS), in_force_condition(func.now()))
    return bool(session.scalar(select(exists().where(
        Report.reporter_id.in_(list(reporter_ids)), Report.outcome == "upheld", _found_something(),
        Report.comment_id == Comment.id, Comment.site_id == site_id, ~barred))))


def reporter_weight(
    session: Session, site_id: int, reporter_id: str | None, reason: str, base: float
) -> tuple[float, str]:
    """The report's weight and the sentence that explains it to a moderator."""
    if reporter_id is None:
        return base, f"{reason} {base:g}: anonymous report"
    barred = current_sanction(session, site_id, reporter_id)
    if barred is not None and barred.kind in BARRING_KINDS:
        # A reader the site banned from commenting kept full weight and trust as a reporter, and a
        # banned farmer's self-harm report put a civil comment above every held threat (a T&S walk).
        floor = domain_settings(session).reporter_weight_floor
        return round(base * floor, 4), f"{reason} {base:g} × {floor:g}: the reader is {KIND_LABELS[barred.kind]} on this site"
    upheld, dismissed, on_held = track_record(session, site_id, reporter_id)
    decided = upheld + dismissed
    # Before the record, as brigade_note reads an untried reader's sentence by its end.
    uncounted = f"{on_held} upheld on comments already held not counted, " if on_held else ""
    if decided == 0:
        return base, f"{reason} {base:g}: {uncounted}{UNTRIED}"
    factor = min(1.0, max(domain_settings(session).reporter_weight_floor, (upheld + 1) / (decided + 1)))
    weight = round(base * factor, 4)
    plural = "s" if decided > 1 else ""
    return weight, f"{reason} {base:g} × {factor:.2g}: {uncounted}{dismissed} of {decided} earlier report{plural} dismissed"
