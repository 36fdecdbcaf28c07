"""One author on one site, as the site (GET /api/v1/authors/<id>) and the moderators see them:
their comments by status, the reports against them, the sanction in force and past ones."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, selectinload

from moderation.domain.errors import NotFound
from moderation.domain.sanctions import current_sanction, sanction_history, serialize_sanction
from moderation.domain.status import now
from moderation.models import STATUSES, AuthorSanction, Comment, Report

AUTHOR_PAGE_COMMENTS = 100


@dataclass(frozen=True)
class AuthorRecord:
    author_id: str
    author_name: str | None
    comments_by_status: dict[str, int]
    reports: dict[str, int]  # total, upheld, dismissed, open
    sanction: AuthorSanction | None
    history: list[AuthorSanction]

    @property
    def comments(self) -> int:
        return sum(self.comments_by_status.values())

    @property
    def rejections(self) -> int:
        return self.comments_by_status.get("rejected", 0)


def author_record(session: Session, site_id: int, author_id: str, at: datetime | None = None) -> AuthorRecord:
    """NotFound when the author has neither comments nor sanctions on this site: another site's
    author is none of the caller's business."""
    at = at or now()
    by_status = dict(session.execute(
        select(Comment.status, func.count())
        .where(Comment.site_id == site_id, Comment.author_id == author_id)
        .group_by(Comment.status)
    ).all())
    history = sanction_history(session, site_id, author_id)
    if not by_status and not history:
        raise NotFound(f"no author {author_id!r} on this site", field="author_id")
    report_rows = {outcome or "open": n for outcome, n in session.execute(
        select(Report.outcome, func.count())
        .join(Comment, Comment.id == Report.comment_id)
        .where(Comment.site_id == site_id, Comment.author_id == author_id)
        .group_by(Report.outcome)
    ).all()}
    reports = {"total": sum(report_rows.values()), "upheld": report_rows.get("upheld", 0),
               "dismissed": report_rows.get("dismissed", 0), "open": report_rows.get("open", 0)}
    name = session.scalar(
        select(Comment.author_name).where(Comment.site_id == site_id, Comment.author_id == author_id,
                                          Comment.author_name.is_not(None))
        .order_by(Comment.id.desc()).limit(1)
    )
    return AuthorRecord(author_id, name, {s: by_status.get(s, 0) for s in STATUSES}, reports,
                        current_sanction(session, site_id, author_id, at), history)


def serialize_author(record: AuthorRecord, at: datetime | None = None) -> dict[str, Any]:
    return {
        "author_id": record.author_id,
        "comments": {"total": record.comments, "by_status": record.comments_by_status},
        "reports_against": record.reports,
        "sanction": serialize_sanction(record.sanction, at) if record.sanction else None,
        "sanctions": [serialize_sanction(s, at) for s in record.history],
    }


def author_comments(session: Session, site_id: int, author_id: str, limit: int = AUTHOR_PAGE_COMMENTS) -> list[Comment]:
    """The author's latest comments on the site, with their reports, for the author page."""
    return list(session.scalars(
        select(Comment)
        .where(Comment.site_id == site_id, Comment.author_id == author_id)
        .options(selectinload(Comment.reports), defer(Comment.created_at))
        .order_by(Comment.received_at.desc(), Comment.id.desc())
        .limit(limit)
    ))


def author_lines(session: Session, comments: list[Comment]) -> dict[tuple[int, str], AuthorRecord]:
    """The author's line for each card of a page (one record per distinct author)."""
    records: dict[tuple[int, str], AuthorRecord] = {}
    for comment in comments:
        key = (comment.site_id, comment.author_id)
        if key not in records:
            records[key] = author_record(session, *key)
    return records
