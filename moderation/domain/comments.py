"""Accepting comments from a site, idempotently, and finding them again.

A site may send the same comment twice (a retry after a timeout, two web servers racing): the
unique constraint on (site_id, external_id) is the only arbiter, so concurrent posts of one id
yield one row. The same body again returns that row; a different body under the same id is a
Conflict, because silently keeping either version would lose the site's data.
"""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from sqlalchemy import Boolean, Integer, bindparam, exists, func, select, true
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.orm import Session, defer

from moderation.domain.errors import Conflict, NotFound
from moderation.domain.lifecycle import PENDING
from moderation.domain.loaded_rows import as_loaded
from moderation.domain.replies import check_parent
from moderation.domain.sanctions import sanction_flags
from moderation.domain.stories import check_open, holds_all, story_rule_hits
from moderation.domain.intake_holds import hold_on_arrival
from moderation.models import Comment, Site, Story
from moderation.observability import metrics

MAX_ID = 2**63 - 1  # ids beyond a BIGINT cannot exist; asking PostgreSQL would be an error, not a miss
# Looking a comment up for a site never reads created_at (no response carries it): rows stored
# before it was range-checked may hold a year psycopg cannot convert, and must still be readable.
_READABLE = defer(Comment.created_at)


def readable():
    """The loader option every look-up of a site's comments uses (see _READABLE)."""
    return _READABLE


_HASHED_ALWAYS = frozenset({"external_id", "story_id", "author_id", "text", "parent_id", "story_url", "story_title",
                            "author_name", "created_at"})


@dataclass(frozen=True)
class CommentInput:
    """A validated submission (moderation.api.validation builds it from the request body)."""

    external_id: str
    story_id: str
    author_id: str
    text: str
    parent_id: str | None = None
    story_url: str | None = None
    story_title: str | None = None
    author_name: str | None = None
    created_at: datetime | None = None
    # An import's: the decision the site's old system made (moderation.api.validation).
    imported_decision: str | None = None

    def body_hash(self) -> str:
        """The hash stored with the comment: created_at as an instant in UTC, so a retry that
        writes the same time in another offset (10:00+02:00 for 08:00Z) is the same comment."""
        return self._hash(self.created_at.astimezone(timezone.utc) if self.created_at else None)

    def same_body(self, stored_hash: str) -> bool:
        """Whether a stored comment's hash is this submission's. Rows stored before 2026-12-03
        hashed created_at with the offset it was sent in; the same resend still matches them."""
        return stored_hash == self.body_hash() or (
            self.created_at is not None and stored_hash == self._hash(self.created_at))

    def _hash(self, created_at: datetime | None) -> str:
        # The fields of 2026-12 always, None or not, as every stored hash has them; a field added since
        # only when sent, so an upgrade that adds one leaves every earlier resend the same comment
        # (a newcomer's throwaway field turned each into a 409).
        fields = {name: value for name, value in asdict(self).items() if name in _HASHED_ALWAYS or value is not None}
        fields["created_at"] = created_at.isoformat() if created_at else None
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Submission:
    comment: Comment
    created: bool  # False: an identical earlier submission was found


def submit_comment(session: Session, site: Site, data: CommentInput) -> Submission:
    """Store a new comment as pending and commit, or return the identical one stored before.

    Commits before returning so the caller can send it for scoring: a task must never look for a
    row that is not visible yet. A new comment costs one INSERT ... ON CONFLICT DO NOTHING and the
    commit; looking first (as this did) was one more round trip on every POST to serve the rare repeat.
    """
    body_hash = data.body_hash()
    # A reply's parent is looked up first, and only a reply's: as a NOT EXISTS in every INSERT it
    # slowed every POST as the table grew (bench/e2e.py at 300/s, second run: p99 0.2 -> 2.3 s). On a
    # table PostgreSQL has not analyzed yet (a fresh install's first minute) this lookup, like any by
    # site id, filters the site's comments; once analyzed it is one probe of uq_comments_site_external.
    check_parent(session, site, data)
    comment = _insert_if_story_open(session, site, data, body_hash)
    if comment is not None:
        hold_on_arrival(session, site, [comment])
        session.commit()
        return Submission(comment, created=True)
    # Stored before (perhaps by a concurrent request: the unique constraint decided), or its story
    # is closed. Looked up first: a comment stored before its story closed, sent again (a retry
    # after a timeout), is answered as stored, not refused as new.
    existing = _by_external_id(session, site.id, data.external_id)
    if existing is None:
        check_open(session, site, data.story_id)  # StoryClosed: why nothing was stored
    session.commit()
    if existing is None:  # erased between the two statements: a retry stores it anew
        raise Conflict(f"comment {data.external_id!r} changed while it was being stored; retry", field="id")
    if not data.same_body(existing.body_hash):
        raise different_body(data, existing)
    return Submission(existing, created=False)


# The fields a resend is told apart by, as the comment keeps them; the text may have been edited
# since and created_at is not read back (_READABLE), so those two are named together.
_TOLD_APART = ("story_id", "author_id", "parent_id", "author_name", "story_url", "story_title")


def different_body(data: CommentInput, existing: Comment) -> Conflict:
    """The 409 for a resend whose body is not the first one's, naming what differs: a retry that
    rebuilt its body (created_at computed again, a trailing newline) had only "a different body" to
    go on, and its developer diffed bodies by hand (a Node integrator's walk)."""
    if existing.text_erased_at is not None:  # its author's name went with it: not what differs (a re-check)
        what = "the first submission's text was erased since, so nothing can be told apart"
    else:
        differs = next((name for name in _TOLD_APART if getattr(data, name) != getattr(existing, name)), None)
        if differs is None and data.text == existing.text:
            # An import's decision is hashed, not kept once given: it, or created_at, is what differs (a
            # re-check's resend without the decision read "its text or created_at differs").
            what = "its imported_decision (sent, left out or another) or created_at differs from the first submission's"
        else:
            what = (f"its {differs} differs from the first submission's" if differs else
                    "its text or created_at differs from the first submission's (the text byte for byte)")
    return Conflict(f"comment {data.external_id!r} was already submitted with a different body: {what}", field="id")


def _row(site: Site, data: CommentInput, body_hash: str) -> dict[str, object]:
    return dict(site_id=site.id, external_id=data.external_id, story_id=data.story_id, story_url=data.story_url,
                story_title=data.story_title, author_id=data.author_id, author_name=data.author_name,
                parent_id=data.parent_id, text=data.text, body_hash=body_hash, created_at=data.created_at,
                status=PENDING, imported_decision=data.imported_decision)


def insert_new(session: Session, site: Site, new: Sequence[tuple[CommentInput, str]]) -> dict[str, Comment]:
    """INSERT the (input, body hash) pairs as pending comments in one statement, skipping ids the
    site has used before; the rows inserted, by external id, in the site's bulk lane. The caller
    commits (and the received counter moves only then)."""
    rows = [{**_row(site, data, body_hash), "bulk": True} for data, body_hash in new]
    columns = {name: [row[name] for row in rows] for name in _NEW_COLUMNS}
    inserted = {comment.external_id: comment for comment in _as_loaded(session, session.connection().execute(
        _insert_new_statement(), {**columns, "lock_site_id": site.id, "holds_all": holds_all(site)}))}
    metrics.comment_received(session, site.name, len(inserted))
    return inserted


def _insert_if_story_open(session: Session, site: Site, data: CommentInput, body_hash: str) -> Comment | None:
    """One comment as `insert_new` stores it, unless its story is closed: INSERT ... SELECT ... WHERE
    NOT EXISTS, so the story check rides on the INSERT's round trip (a seventh of a POST's CPU)."""
    values = _row(site, data, body_hash)
    comment = next(iter(_as_loaded(session, session.connection().execute(
        _insert_if_story_open_statement(tuple(values)), {**values, "lock_site_id": site.id,
                                                         "holds_all": holds_all(site)}))), None)
    metrics.comment_received(session, site.name, 1 if comment is not None else 0)
    return comment


# pg_advisory_xact_lock(COMMENT_IDS_LOCK, site_id): every INSERT of a site's comments holds it shared
# until its commit; a listing of the site's comments takes it exclusive (story_comments.py), so it
# reads only once the comments whose ids were drawn before have committed. Without it a batch that
# drew ids 4234..4733 and committed after a single comment drew 4361 was never seen by a site
# polling with `after`: the poller had moved past 4361. The two-int form: a key space of its own.
COMMENT_IDS_LOCK = 0x636F  # "co"


def _shared_site_lock():
    """A CTE that takes the site's comment-id lock shared; the INSERT's source selects from it, so the
    lock is held before any id is drawn, in the INSERT's own round trip."""
    return select(func.pg_advisory_xact_lock_shared(COMMENT_IDS_LOCK, bindparam("lock_site_id", type_=Integer))
                  .label("locked")).cte("site_comment_ids")


# The site's mode from the row the request already holds (site_rows caches it): a subquery on sites
# in the INSERT read the row on every POST (tests/api/test_site_row_cache.py).
_HOLDS_ALL = bindparam("holds_all", type_=Boolean)


@functools.cache
def _insert_if_story_open_statement(names: tuple[str, ...]):
    """Built once for `_row`'s columns: building it per POST, and its cache key, was a fifth of a
    POST's CPU (py-spy --gil)."""
    columns = Comment.__table__.c
    story_closed = exists().where(Story.site_id == bindparam("site_id"), Story.story_id == bindparam("story_id"),
                                  Story.closed.is_(True))
    source = (select(*[bindparam(name, type_=columns[name].type) for name in names],
                     story_rule_hits(bindparam("site_id"), bindparam("story_id"), _HOLDS_ALL).label("rule_hits"),
                     sanction_flags(bindparam("site_id"), bindparam("author_id")).label("flagged"))
              .select_from(_shared_site_lock()).where(~story_closed))
    return (insert(Comment.__table__).from_select([*names, "rule_hits", "flagged"], source)
            .on_conflict_do_nothing(constraint="uq_comments_site_external").returning(*_RETURNED))


_NEW_COLUMNS = ("site_id", "external_id", "story_id", "story_url", "story_title", "author_id", "author_name",
                "parent_id", "text", "body_hash", "created_at", "status", "bulk", "imported_decision")


@functools.cache
def _insert_new_statement():
    """INSERT ... SELECT FROM unnest(one array per column): one short statement whatever the
    number of rows. A many-row VALUES list was thousands of parameters, which psycopg parsed
    afresh for every batch (too long for its cache): 30 % of a batch POST's CPU under cProfile."""
    columns = Comment.__table__.c
    arrays = func.unnest(*[bindparam(name, type_=ARRAY(columns[name].type)) for name in _NEW_COLUMNS])
    rows = arrays.table_valued(*_NEW_COLUMNS).render_derived()
    source = select(*rows.c, story_rule_hits(rows.c.site_id, rows.c.story_id, _HOLDS_ALL).label("rule_hits"),
                    sanction_flags(rows.c.site_id, rows.c.author_id).label("flagged")).select_from(
        rows.join(_shared_site_lock(), true()))
    return (insert(Comment.__table__).from_select([*_NEW_COLUMNS, "rule_hits", "flagged"], source)
            .on_conflict_do_nothing(constraint="uq_comments_site_external").returning(*_RETURNED))


# What an INSERT reads back: every column but the deferred search vector, as a load would.
_RETURNED = tuple(column for column in Comment.__table__.c if column.key != "search_vector")


def _as_loaded(session: Session, rows) -> list[Comment]:  # noqa: ANN001 - a Core result
    """Comments from an INSERT's RETURNING rows, in the session as if just loaded (nothing to
    write back). The INSERTs run as Core statements built once: through the ORM, each execution
    copied the statement and computed its cache key again, a tenth of a comment POST's CPU."""
    return [as_loaded(session, Comment, row._mapping) for row in rows]


def _by_external_id(session: Session, site_id: int, external_id: str) -> Comment | None:
    return session.scalar(
        select(Comment).where(Comment.site_id == site_id, Comment.external_id == external_id).options(_READABLE)
        .execution_options(populate_existing=True)  # as comment_for_site: the site's row as committed
    )


def comment_for_site(session: Session, site: Site, comment_id: int) -> Comment:
    """Another site's comment is NotFound, never Forbidden: its existence is not our caller's business."""
    # populate_existing: the site's row in the same statement, not the request's copy of it (up to
    # ROW_TTL old), so the comment's `visible` is as committed at its version (read_mode_afresh).
    comment = (session.get(Comment, comment_id, options=[_READABLE], populate_existing=True)
               if 0 < comment_id <= MAX_ID else None)
    if comment is None or comment.site_id != site.id:
        raise NotFound(f"no comment with id {comment_id}", field="id")
    return comment


def comment_by_site_id(session: Session, site: Site, external_id: str) -> Comment:
    # Stored as sent, less the whitespace around it (api/validation.py): looked up the same way.
    comment = _by_external_id(session, site.id, external_id.strip())
    if comment is None:
        raise NotFound(f"no comment with site id {external_id!r}", field="site_comment_id")
    return comment
