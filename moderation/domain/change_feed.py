"""The changes feed: a site's comments in the order their changes committed, for a site that polls.

Each comment carries the id of the transaction that last changed its version (every status
change bumps it) or erased its text, stamped by a trigger (migration 0030_change_feed). A page is
the comments whose (transaction id, comment id) comes after the cursor, in that order.

Transaction ids are drawn in one order and committed in another, as comment ids are. A page reads
only transactions below its snapshot's xmin, the oldest transaction still running when it was
taken: every one below has ended, and any transaction that commits later has an id at or above it,
so it sorts after every cursor handed out so far. No lock is taken: a change in flight holds the
feed back until it commits (a long-running writer anywhere on the server, such as a migration or
a session left open, delays it; nothing is lost), where the listing's `after` makes inserts wait
for the read (story_comments.py).

A comment changed again comes again, as it is then; the site applies what is newer than what it
holds by `version`. A cursor names its site and the database's epoch, a number drawn at random
when the database is made (migration 0031) and again at each restore (backup.after_restore).
After a restore the restored comments' transaction ids are not comparable with the cursors
handed out before, so such a cursor starts from the beginning, and every comment comes again with
the version the restore raised.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select, text, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from moderation.domain.comments import readable
from moderation.domain.errors import ValidationFailed
from moderation.models import Comment, Site, Xid8

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# "now": start from the changes that commit after this read, without paging through the past.
FROM_NOW = "now"
_NUMBER = r"(0|[1-9][0-9]{0,19})"  # as str(int) writes it: no sign, no leading zeros
_CURSOR = re.compile("-".join([_NUMBER] * 4))
_NOT_OURS = 'after must be a cursor this endpoint returned (next_after) or "now"'


@dataclass(frozen=True)
class Cursor:
    epoch: int
    site_id: int  # whose: a cursor copied between two sites' pollers had skipped one site's changes unsaid
    xid: int
    comment_id: int

    def __str__(self) -> str:
        return f"{self.epoch}-{self.site_id}-{self.xid}-{self.comment_id}"


@dataclass(frozen=True)
class ChangesPage:
    comments: list[Comment]
    next_after: Cursor  # pass as `after` to go on: the last comment listed, or the cursor given
    more: bool  # another page is there already; ask again at once rather than after a pause


def parse_cursor(raw: str) -> Cursor | str:
    """`after` as the site sent it: a Cursor, or FROM_NOW. A cursor is ours to make: anything else is a 400."""
    if raw == FROM_NOW:
        return FROM_NOW
    match = _CURSOR.fullmatch(raw)
    if match is None:
        raise ValidationFailed(_NOT_OURS, field="after")
    epoch, site_id, xid, comment_id = (int(part) for part in match.groups())
    if max(epoch, site_id, comment_id) >= 2**63 or xid >= 2**64:
        raise ValidationFailed(_NOT_OURS, field="after")
    return Cursor(epoch, site_id, xid, comment_id)


def _database(session: Session) -> tuple[int, int]:
    """The epoch, and the next transaction id to be drawn (no cursor of ours can be past it)."""
    epoch, xmax = session.execute(text(
        "SELECT last_value, pg_snapshot_xmax(pg_current_snapshot())::text FROM change_feed_epoch")).one()
    return int(epoch), int(xmax)


def _horizon() -> object:
    """The oldest transaction still running for this statement's snapshot: all below have ended."""
    return func.pg_snapshot_xmin(func.pg_current_snapshot())


def cursor_now(session: Session, site: Site) -> Cursor:
    """Where the changes not yet committed will be (`after=now`): a site that has its comments
    already starts here rather than paging through every comment it holds."""
    epoch, xmin = session.execute(text(
        "SELECT last_value, pg_snapshot_xmin(pg_current_snapshot())::text FROM change_feed_epoch")).one()
    return Cursor(int(epoch), site.id, int(xmin), 0)


def changes(session: Session, site: Site, after: Cursor | str | None, *,
            limit: int = DEFAULT_PAGE_SIZE) -> ChangesPage:
    """The next page of the site's changed comments after `after` (None: from the start; FROM_NOW:
    none, and the cursor where the next changes will be)."""
    if after == FROM_NOW:
        return ChangesPage([], cursor_now(session, site), False)
    epoch, xmax = _database(session)
    if isinstance(after, Cursor):
        if after.site_id != site.id:
            raise ValidationFailed("after is another site's cursor: each site's key reads its own changes, from "
                                   "its own cursor", field="after")
        # Past any transaction the database has drawn: not ours, or a restore onto this server of
        # another's backup with the epoch unchanged; a poller stalled on it "forever" (an integrator's walk).
        if after.epoch == epoch and after.xid > xmax:
            raise ValidationFailed(_NOT_OURS, field="after")
    if not isinstance(after, Cursor) or after.epoch != epoch:
        after = Cursor(epoch, site.id, 0, 0)
    stamp = Comment.__table__.c.changed_xid
    # The site's mode in the same statement, so each comment's `visible` is as committed at its
    # version: from the request's copy of the row (up to ROW_TTL old), for two seconds after a
    # switch the feed served the switch's new versions with the old mode's `visible`, which no
    # later version corrected (an integrator's walk: 368 held comments left shown).
    rows = session.execute(
        select(Comment, cast(stamp, Text), Site.moderation_mode).options(readable())
        .join(Site, Site.id == Comment.site_id)
        .where(Comment.site_id == site.id,
               tuple_(stamp, Comment.id) > tuple_(cast(str(after.xid), Xid8()), after.comment_id),
               stamp < _horizon())
        .order_by(stamp, Comment.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if rows:
        last, last_xid, mode = rows[-1]
        set_committed_value(site, "moderation_mode", mode)
        after = Cursor(epoch, site.id, int(last_xid), last.id)
    return ChangesPage([comment for comment, _, _ in rows], after, more)
