"""What each model version flagged on each site: of the comments it scored, the share whose scores
reached the site's thresholds (held, or rejected by auto-reject), day by day and per version.

Compare and the shadow say what a candidate would do; after a promotion an admin had no page saying
what it did (last stop's admin walk: "did holds go up on the gazette since Tuesday?"), only the
dashboard's held rate with no version on it. Read from the comments themselves: each keeps the
version that scored it and the attributes its scores flagged, whatever a moderator decided since.
A comment scored again after an edit counts on the day and version of its last scoring.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Date, and_, cast, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Text

from classifiers.attributes import ATTRIBUTES
from moderation.domain.lifecycle import HELD, PUBLISHED, now
from moderation.models import Comment

DAYS = 30


@dataclass(frozen=True)
class DayShare:
    site_id: int
    day: date
    version: str
    scored: int
    flagged: int
    first_at: datetime | None = None  # its first and last scoring that day
    last_at: datetime | None = None


@dataclass(frozen=True)
class VersionSpan:
    """One version's run on one site, within the days read."""
    version: str
    first_day: date
    last_day: date
    scored: int
    flagged: int
    first_at: datetime | None = None
    last_at: datetime | None = None

    @property
    def share(self) -> float:
        return self.flagged / self.scored if self.scored else 0.0


def daily_shares(session: Session, *, days: int = DAYS, at: datetime | None = None) -> list[DayShare]:
    """Per site, UTC day and version, comments scored and those the model's scores flagged."""
    since = (at or now()) - timedelta(days=days)
    day = cast(func.timezone("UTC", Comment.scored_at), Date)
    by_model = Comment.flagged.op("?|")(cast(list(ATTRIBUTES), ARRAY(Text)))
    rows = session.execute(
        select(Comment.site_id, day, Comment.model_version, func.count(), func.count().filter(by_model),
               func.min(Comment.scored_at), func.max(Comment.scored_at))
        .where(Comment.scored_at >= since, Comment.model_version.is_not(None))
        .group_by(Comment.site_id, day, Comment.model_version)
        .order_by(Comment.site_id, day, Comment.model_version))
    return [DayShare(*row) for row in rows]


def by_version(shares: Iterable[DayShare]) -> dict[int, list[VersionSpan]]:
    """Per site, its versions in the order they first scored, to the second: by the day alone, a
    promotion, rollback and promotion again in one day listed the candidate before the shipped
    model, by name, and read as if the shipped model had replaced it (a data scientist's walk)."""
    spans: dict[int, dict[str, list[DayShare]]] = {}
    for share in shares:
        spans.setdefault(share.site_id, {}).setdefault(share.version, []).append(share)
    return {site_id: sorted((_span(version, days) for version, days in versions.items()),
                            key=lambda span: (span.first_day, span.first_at or datetime.min.replace(tzinfo=UTC),
                                              span.last_day))
            for site_id, versions in spans.items()}


def _span(version: str, days: Sequence[DayShare]) -> VersionSpan:
    firsts = [d.first_at for d in days if d.first_at is not None]
    lasts = [d.last_at for d in days if d.last_at is not None]
    return VersionSpan(version, min(d.day for d in days), max(d.day for d in days),
                       sum(d.scored for d in days), sum(d.flagged for d in days),
                       min(firsts, default=None), max(lasts, default=None))


def left_after_rollback(session: Session, version: str | None, site_id: int | None) -> str | None:
    """What a rollback from `version` leaves as it was, in a sentence for the page and the shell, or None."""
    counts = left_by(session, version, site_id) if version else {}
    if not sum(counts.values()):
        return None
    return (f"What {version} scored stays as it is: {counts.get(PUBLISHED, 0):,} published and {counts.get(HELD, 0):,} "
            "held (the queue's Published tab, Scored by version, lists what it published).")


def left_by(session: Session, version: str, site_id: int | None) -> dict[str, int]:
    """How many comments are `version`'s (of_version) that are still published or held (of one site, or
    all): what a rollback leaves as it was, which the rollback said nothing of (an admin's walk)."""
    def count(status: str) -> ColumnElement[int]:
        query = select(func.count()).select_from(Comment).where(Comment.status == status, of_version(version, status))
        return (query.where(Comment.site_id == site_id) if site_id is not None else query).scalar_subquery()

    row = session.execute(select(count(PUBLISHED), count(HELD))).one()
    return {status: n for status, n in zip((PUBLISHED, HELD), row, strict=True) if n}


def of_version(version: str, status: str | None = None) -> ColumnElement[bool]:
    """The comments that are `version`'s, each under one version: a published one under the version
    whose word published it (published_by_version: scoring, or a release on its scores), any other
    under the one that scored it. A held comment scored again and released keeps the version that
    held it as model_version: counted under that one, a rollback said a version had published 9
    where it had made 37 public, and its *what it published* list left the 28 out (a tester's sports site).
    With `status` known, said as the index for it reads it (ix_comments_published_by_version)."""
    if status == PUBLISHED:
        return Comment.published_by_version == version
    if status is not None:
        return Comment.model_version == version
    return or_(and_(Comment.status == PUBLISHED, Comment.published_by_version == version),
               and_(Comment.status != PUBLISHED, Comment.model_version == version))
