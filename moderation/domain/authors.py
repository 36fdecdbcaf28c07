"""One author on one site, as the site (GET /api/v1/authors/<id>) and the moderators see them:
their comments by status, the reports against them, the sanction in force and past ones."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session, lazyload, load_only, selectinload

from moderation.domain.errors import NotFound
from moderation.domain.lifecycle import REJECTED, STATUSES
from moderation.domain.sanctions import is_active, serialize_sanction, strongest
from moderation.domain.status import now
from moderation.models import AuthorSanction, Comment, Report

AUTHOR_PAGE_COMMENTS = 100
REPORT_COUNTS = ("total", "upheld", "dismissed", "removed", "open")


@dataclass(frozen=True)
class AuthorRecord:
    author_id: str
    author_name: str | None
    comments_by_status: dict[str, int]
    reports: dict[str, int]  # REPORT_COUNTS
    sanction: AuthorSanction | None
    history: list[AuthorSanction]
    # The reports this reader filed on the site (REPORT_COUNTS), on the author page only: "someone keeps
    # reporting all my comments" had no page to answer it (a readers' editor's walk).
    reports_filed: dict[str, int] | None = None

    @property
    def comments(self) -> int:
        return sum(self.comments_by_status.values())

    @property
    def rejections(self) -> int:
        return self.comments_by_status.get(REJECTED, 0)


def author_records(
    session: Session, pairs: Iterable[tuple[int, str]], at: datetime | None = None
) -> dict[tuple[int, str], AuthorRecord]:
    """Records for many (site, author) pairs in three queries: a queue page's author lines.
    Authors with neither comments nor sanctions are left out."""
    at = at or now()
    pairs = list(set(pairs))
    if not pairs:
        return {}
    by_status: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for site_id, author_id, status, n in session.execute(
        select(Comment.site_id, Comment.author_id, Comment.status, func.count())
        .where(tuple_(Comment.site_id, Comment.author_id).in_(pairs))
        .group_by(Comment.site_id, Comment.author_id, Comment.status)
    ):
        by_status[(site_id, author_id)][status] = n
    reports: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(REPORT_COUNTS, 0))
    for site_id, author_id, outcome, n in session.execute(
        select(Comment.site_id, Comment.author_id, Report.outcome, func.count())
        .join(Comment, Comment.id == Report.comment_id)
        .where(tuple_(Comment.site_id, Comment.author_id).in_(pairs))
        .group_by(Comment.site_id, Comment.author_id, Report.outcome)
    ):
        counts = reports[(site_id, author_id)]
        counts[outcome or "open"] += n
        counts["total"] += n
    histories: dict[tuple[int, str], list[AuthorSanction]] = defaultdict(list)
    for sanction in session.scalars(
        select(AuthorSanction)
        .where(tuple_(AuthorSanction.site_id, AuthorSanction.author_id).in_(pairs))
        .order_by(AuthorSanction.created_at.desc(), AuthorSanction.id.desc())
    ):
        histories[(sanction.site_id, sanction.author_id)].append(sanction)
    records = {}
    for pair in pairs:
        if pair not in by_status and pair not in histories:
            continue
        history = histories.get(pair, [])
        records[pair] = AuthorRecord(
            author_id=pair[1], author_name=None,
            comments_by_status={s: by_status[pair].get(s, 0) for s in STATUSES} if pair in by_status
            else dict.fromkeys(STATUSES, 0),
            reports=reports[pair] if pair in reports else dict.fromkeys(REPORT_COUNTS, 0),
            sanction=strongest(s for s in history if is_active(s, at)),
            history=history,
        )
    return records


def author_record(session: Session, site_id: int, author_id: str, at: datetime | None = None) -> AuthorRecord:
    """NotFound when the author has neither comments, sanctions nor reports filed on this site: another
    site's author is none of the caller's business."""
    filed = reports_filed(session, site_id, author_id)
    record = author_records(session, [(site_id, author_id)], at).get((site_id, author_id))
    if record is None and not filed["total"]:
        raise NotFound(f"no author {author_id!r} on this site", field="author_id")
    if record is None:  # a reader who only reports
        record = AuthorRecord(author_id=author_id, author_name=None, comments_by_status=dict.fromkeys(STATUSES, 0),
                              reports=dict.fromkeys(REPORT_COUNTS, 0), sanction=None, history=[])
    record = replace(record, reports_filed=filed)
    name = session.scalar(
        select(Comment.author_name).where(Comment.site_id == site_id, Comment.author_id == author_id,
                                          Comment.author_name.is_not(None))
        .order_by(Comment.id.desc()).limit(1)
    )
    return replace(record, author_name=name)


def reports_filed(session: Session, site_id: int, reporter_id: str) -> dict[str, int]:
    """The reports `reporter_id` filed on the site's comments, by outcome (REPORT_COUNTS)."""
    counts = dict.fromkeys(REPORT_COUNTS, 0)
    for outcome, n in session.execute(
        select(Report.outcome, func.count()).join(Comment, Comment.id == Report.comment_id)
        .where(Comment.site_id == site_id, Report.reporter_id == reporter_id).group_by(Report.outcome)
    ):
        counts[outcome or "open"] += n
        counts["total"] += n
    return counts


def serialize_author(record: AuthorRecord, at: datetime | None = None) -> dict[str, Any]:
    return {
        "author_id": record.author_id,
        "comments": {"total": record.comments, "by_status": record.comments_by_status},
        "reports_against": record.reports,
        "reports_filed": record.reports_filed or dict.fromkeys(REPORT_COUNTS, 0),
        "sanction": serialize_sanction(record.sanction, at) if record.sanction else None,
        "sanctions": [serialize_sanction(s, at) for s in record.history],
    }


def author_comments(session: Session, site_id: int, author_id: str, limit: int = AUTHOR_PAGE_COMMENTS) -> list[Comment]:
    """The author's latest comments on the site, with their reports, for the author page."""
    return list(session.scalars(
        select(Comment)
        .where(Comment.site_id == site_id, Comment.author_id == author_id)
        .options(selectinload(Comment.reports), lazyload(Comment.site),
                 load_only(Comment.id, Comment.status, Comment.received_at, Comment.text, Comment.text_erased_at))
        .order_by(Comment.received_at.desc(), Comment.id.desc())
        .limit(limit)
    ))
