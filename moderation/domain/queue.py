"""The review queue: what moderators should look at, most urgent first.

A comment is in the queue when the policy held it, or when it was published but readers reported
it past its site's report threshold. Decided comments (approved/rejected) leave the queue.
Everything here is scoped to the sites the viewer may see (domain/membership.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, defer, selectinload

from moderation.domain.membership import visible_site_ids
from moderation.models import AuditEntry, Comment, Site, User

DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class QueuePage:
    items: list[Comment]
    total: int
    page: int
    page_size: int
    # A moderator who is a member of no site: the page says so instead of "nothing to review".
    no_sites: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _in_queue():
    return or_(
        Comment.status == "held",
        and_(Comment.status == "published", Comment.report_weight > 0, Comment.report_weight >= Site.report_threshold),
    )


def review_queue(
    session: Session, *, viewer: User, site_id: int | None = None, page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> QueuePage:
    """One page of the viewer's queue: highest priority first, then the oldest, then by id for a stable order."""
    page = max(1, page)
    visible = visible_site_ids(session, viewer)
    if visible is not None and not visible:
        return QueuePage(items=[], total=0, page=page, page_size=page_size, no_sites=True)
    where = [_in_queue(), Site.active.is_(True)]
    if visible is not None:
        where.append(Comment.site_id.in_(visible))
    if site_id is not None:
        where.append(Comment.site_id == site_id)
    total = session.scalar(select(func.count(Comment.id)).join(Site, Comment.site_id == Site.id).where(*where)) or 0
    items = session.scalars(
        select(Comment)
        .join(Site, Comment.site_id == Site.id)
        .where(*where)
        .options(selectinload(Comment.reports))
        .order_by(Comment.priority.desc(), Comment.received_at.asc(), Comment.id.asc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).unique().all()
    return QueuePage(items=list(items), total=total, page=page, page_size=page_size)


def is_in_queue(comment: Comment) -> bool:
    return comment.status == "held" or (
        comment.status == "published" and 0 < comment.report_weight >= comment.site.report_threshold
    )


@dataclass(frozen=True)
class CommentDetail:
    comment: Comment
    history: list[AuditEntry]
    in_queue: bool


def comment_detail(session: Session, comment_id: int, *, viewer: User) -> CommentDetail | None:
    """One comment with its reports and its audit history, oldest first; None if the viewer may not see it."""
    # Not created_at: nothing shows it, and rows stored before it was range-checked may not load with it.
    comment = session.scalar(select(Comment).where(Comment.id == comment_id)
                             .options(selectinload(Comment.reports), defer(Comment.created_at)))
    visible = visible_site_ids(session, viewer)
    # Another site's comment looks exactly like a missing one, so ids do not reveal what exists.
    if comment is None or (visible is not None and comment.site_id not in visible):
        return None
    history = session.scalars(
        select(AuditEntry).where(AuditEntry.comment_id == comment_id).order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return CommentDetail(comment, list(history), is_in_queue(comment))
