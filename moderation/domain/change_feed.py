"""The changes feed: a site's comments in the order their changes committed, for a site that polls.

Each comment carries the id of the transaction that last changed its version (every status
change bumps it) or erased its text, stamped by a trigger (migration 0030_change_feed). A page is
the comments whose (transaction id, comment id) comes after the cursor, in that order.

Transaction ids are drawn in one order and committed in another, as comment ids are. A page reads
only transactions below its snapshot's xmin, the oldest transaction still running when it was
taken: every one below has ended, and any transaction that commits later has an id at or above it,
so it sorts after every cursor handed out so far. No lock is taken: a change in flight holds the
feed back until it commits (a long-running writer, such as a migration, delays it; nothing is
lost), where the listing's `after` makes inserts wait for the read (story_comments.py).

A comment changed again comes again, as it is then; the site applies what is newer than what it
holds by `version`. A cursor names the database's epoch (a sequence only a restore moves, by
moving every sequence: backup.after_restore). After a restore the restored comments' transaction
ids are not comparable with the cursors handed out before, so such a cursor starts from the
beginning, and every comment comes again with the version the restore raised.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select, text, tuple_
from sqlalchemy.orm import Session

from moderation.domain.comments import readable
from moderation.domain.errors import ValidationFailed
from moderation.models import Comment, Site, Xid8

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# "now": start from the changes that commit after this read, without paging through the past.
FROM_NOW = "now"
_CURSOR = re.compile(r"^([0-9]{1,19})-([0-9]{1,20})-([0-9]{1,19})$")
_XID_LIMIT = 2**64


@dataclass(frozen=True)
class Cursor:
    epoch: int
    xid: int
    comment_id: int

    def __str__(self) -> str:
        return f"{self.epoch}-{self.xid}-{self.comment_id}"


@dataclass(frozen=True)
class ChangesPage:
    comments: list[Comment]
    next_after: Cursor  # pass as `after` to go on: the last comment listed, or the cursor given
    more: bool  # another page is there already; ask again at once rather than after a pause


def parse_cursor(raw: str) -> Cursor | str:
    """`after` as the site sent it: a Cursor, or FROM_NOW. A cursor is ours to make: anything else is a 400."""
    if raw == FROM_NOW:
        return FROM_NOW
    match = _CURSOR.match(raw)
    if match is None:
        raise ValidationFailed('after must be a cursor this endpoint returned (next_after) or "now"', field="after")
    epoch, xid, comment_id = (int(part) for part in match.groups())
    if xid >= _XID_LIMIT or comment_id >= 2**63 or epoch >= 2**63:
        raise ValidationFailed('after must be a cursor this endpoint returned (next_after) or "now"', field="after")
    return Cursor(epoch, xid, comment_id)


def _epoch(session: Session) -> int:
    return int(session.execute(text("SELECT last_value FROM change_feed_epoch")).scalar_one())


def _horizon() -> object:
    """The oldest transaction still running for this statement's snapshot: all below have ended."""
    return func.pg_snapshot_xmin(func.pg_current_snapshot())


def cursor_now(session: Session) -> Cursor:
    """Where the changes not yet committed will be (`after=now`): a site that has its comments
    already starts here rather than paging through every comment it holds."""
    xmin = session.execute(select(cast(_horizon(), Text))).scalar_one()
    return Cursor(_epoch(session), int(xmin), 0)


def changes(session: Session, site: Site, after: Cursor | str | None, *,
            limit: int = DEFAULT_PAGE_SIZE) -> ChangesPage:
    """The next page of the site's changed comments after `after` (None: from the start; FROM_NOW:
    none, and the cursor where the next changes will be)."""
    if after == FROM_NOW:
        return ChangesPage([], cursor_now(session), False)
    epoch = _epoch(session)
    if not isinstance(after, Cursor) or after.epoch != epoch:
        after = Cursor(epoch, 0, 0)
    stamp = Comment.__table__.c.changed_xid
    rows = session.execute(
        select(Comment, cast(stamp, Text)).options(readable())
        .where(Comment.site_id == site.id,
               tuple_(stamp, Comment.id) > tuple_(cast(str(after.xid), Xid8()), after.comment_id),
               stamp < _horizon())
        .order_by(stamp, Comment.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if rows:
        last, last_xid = rows[-1]
        after = Cursor(epoch, int(last_xid), last.id)
    return ChangesPage([comment for comment, _ in rows], after, more)
