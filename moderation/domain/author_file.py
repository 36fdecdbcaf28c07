"""Everything that happened to one author's comments on a site over a period, each comment with its
whole history, on one page to read or print. A standards editor, asked by a lawyer for "everything
that happened to this author's comments last month", found the author page's current statuses
only, and had to open and print each comment's page one by one."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, defer, selectinload

from moderation.domain.history import HistoryEvent, comment_history
from moderation.domain.written import readable_created_at, written_at
from moderation.models import AuditEntry, AuthorSanction, Comment

# Each comment costs a few queries (its revisions, reports, webhook events): a period of a prolific
# author is read a page at a time, oldest first.
AT_MOST = 100


@dataclass(frozen=True)
class CommentFile:
    comment: Comment
    history: list[HistoryEvent]
    written_at: datetime | None = None  # the site's created_at, where it can be read


@dataclass(frozen=True)
class AuthorFile:
    author_id: str
    since: datetime
    until: datetime
    total: int  # the author's comments received in the period; `comments` holds AT_MOST of them
    comments: list[CommentFile]
    sanctions: list[AuthorSanction]
    before: int = 0  # of `total`, those before this page (ids up to `after`)
    more: bool = False  # whether a page follows: the last page had offered "The next 100" to none
    page_size: int = AT_MOST


def author_file(session: Session, site_id: int, author_id: str, *, since: datetime, until: datetime,
                after: int = 0) -> AuthorFile:
    """The author's comments written or received in [since, until) with id above `after`, in the order
    they arrived, each with its history, and every sanction of theirs on the site made or in force in
    the period. Written: by the site's `created_at` where it sent one before the comment arrived
    (backtest.written_at): a "November" file had missed a comment written on 3 November and imported
    in December (a re-check). Received too: one a CMS dated 1970 had then dropped out of every file
    but 1970's (a second re-check)."""
    written = written_at()
    in_period = (Comment.site_id == site_id, Comment.author_id == author_id,
                 or_(and_(written >= since, written < until),
                     and_(Comment.received_at >= since, Comment.received_at < until)))
    total, before = session.execute(select(func.count(), func.count().filter(Comment.id <= after))
                                    .select_from(Comment).where(*in_period)).one()
    # created_at as it can be read: a row from before it was range-checked had made the file a 500.
    rows = session.execute(
        select(Comment, readable_created_at()).where(*in_period, Comment.id > after)
        .options(selectinload(Comment.reports), defer(Comment.created_at))
        .order_by(Comment.id).limit(AT_MOST + 1)).all()
    more, rows = len(rows) > AT_MOST, rows[:AT_MOST]
    comments = [comment for comment, _ in rows]
    written = {comment.id: at for comment, at in rows}
    entries: dict[int, list[AuditEntry]] = defaultdict(list)
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.comment_id.in_([c.id for c in comments]))
                                 .order_by(AuditEntry.at, AuditEntry.id)):
        entries[entry.comment_id].append(entry)
    sanctions = list(session.scalars(select(AuthorSanction).where(
        AuthorSanction.site_id == site_id, AuthorSanction.author_id == author_id, AuthorSanction.created_at < until,
        (AuthorSanction.lifted_at.is_(None) | (AuthorSanction.lifted_at >= since)))
        .options(selectinload(AuthorSanction.creator), selectinload(AuthorSanction.lifter))
        .order_by(AuthorSanction.created_at)))
    files = [CommentFile(c, [e for e in comment_history(session, c, entries[c.id]) if e.kind != "sanction"],
                         written[c.id]) for c in comments]
    return AuthorFile(author_id, since, until, total, files, sanctions, before=before, more=more,
                      page_size=AT_MOST)
