"""The review queue: what moderators should look at, most urgent first.

A comment is in the queue ("To review") when the policy held it, or when it was published but
readers reported it past its site's report threshold. Decided comments (approved/rejected) leave
it; the other tabs (queue_filters.TABS) show them, and the backlog not scored yet.
Everything here is scoped to the sites the viewer may see (domain/membership.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, defer, selectinload
from sqlalchemy.sql.elements import ColumnElement

from moderation.domain.errors import ValidationFailed
from moderation.domain.membership import visible_site_ids
from moderation.domain.queue_filters import TABS, QueueFilters, tab_condition
from moderation.models import AuditEntry, Comment, Site, User

DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class QueuePage:
    items: list[Comment]
    tab: str
    # Every tab's count under the same filters, so the tabs say where the work is.
    counts: dict[str, int]
    # Where the next page starts (see encode_cursor); None on the last page.
    next_cursor: str | None
    page_size: int
    # A moderator who is a member of no site: the page says so instead of "nothing to review".
    no_sites: bool = False

    @property
    def total(self) -> int:
        return self.counts.get(self.tab, 0)


def encode_cursor(comment: Comment) -> str:
    """The sort key of the last item shown: the next page starts after it, however the queue moved meanwhile."""
    return f"{comment.priority!r}~{comment.received_at.isoformat()}~{comment.id}"


def _decode_cursor(cursor: str) -> tuple[float, datetime, int]:
    try:
        priority, received_at, comment_id = cursor.split("~")
        key = float(priority), datetime.fromisoformat(received_at), int(comment_id)
    except ValueError:
        raise ValidationFailed("after must be a cursor from the previous page", field="after") from None
    if not math.isfinite(key[0]) or key[1].tzinfo is None:
        raise ValidationFailed("after must be a cursor from the previous page", field="after")
    return key


def _after(cursor: str) -> ColumnElement[bool]:
    # Keyset, not OFFSET: a page costs the same deep in a 100,000-item queue, and items decided by
    # others meanwhile neither skip nor repeat anything. Mixed sort directions rule out a row comparison.
    priority, received_at, comment_id = _decode_cursor(cursor)
    return or_(
        Comment.priority < priority,
        and_(Comment.priority == priority,
             or_(Comment.received_at > received_at, and_(Comment.received_at == received_at, Comment.id > comment_id))),
    )


def review_queue(
    session: Session, *, viewer: User, tab: str = "review", filters: QueueFilters = QueueFilters(),
    after: str | None = None, page_size: int = DEFAULT_PAGE_SIZE,
) -> QueuePage:
    """One page of a tab of the viewer's queue: highest priority first, then the oldest, then by id."""
    if tab not in TABS:
        raise ValidationFailed(f"tab must be one of {', '.join(TABS)}", field="tab")
    visible = visible_site_ids(session, viewer)
    if visible is not None and not visible:
        return QueuePage(items=[], tab=tab, counts=dict.fromkeys(TABS, 0), next_cursor=None, page_size=page_size,
                         no_sites=True)
    where = [Site.active.is_(True), *filters.conditions()]
    if visible is not None:
        where.append(Comment.site_id.in_(visible))
    conditions = {name: tab_condition(name) for name in TABS}
    row = session.execute(
        select(*(func.count(Comment.id).filter(c) if c is not None else func.count(Comment.id)
                 for c in conditions.values()))
        .select_from(Comment).join(Site, Comment.site_id == Site.id).where(*where)
    ).one()
    counts = dict(zip(TABS, row, strict=True))
    if conditions[tab] is not None:
        where.append(conditions[tab])
    if after:
        where.append(_after(after))
    rows = session.scalars(
        select(Comment)
        .join(Site, Comment.site_id == Site.id)
        .where(*where)
        .options(selectinload(Comment.reports), defer(Comment.created_at))
        .order_by(Comment.priority.desc(), Comment.received_at.asc(), Comment.id.asc())
        .limit(page_size + 1)
    ).unique().all()
    items = list(rows[:page_size])
    next_cursor = encode_cursor(items[-1]) if len(rows) > page_size else None
    return QueuePage(items=items, tab=tab, counts=counts, next_cursor=next_cursor, page_size=page_size)


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
