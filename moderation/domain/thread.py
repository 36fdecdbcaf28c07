"""The thread around a comment, for its review card: the parent comment and the replies before it.

A reply is read in its conversation: the comment it answers and what others had already said to
it. A top-level comment has no parent, so its card shows the previous top-level comments on the
same story instead: they are what its author was reading when they wrote (a pile-on or a running
argument shows there), the same question the replies answer for a reply.

Only comments received before the card's comment count ("earlier"), so a card shows the thread
as its author saw it, never a later reply that may be a reaction to it. Everything stays on the
comment's own site: parent ids are the site's own ids and mean nothing on another site.

A page of cards costs two queries whatever its size (`threads_for`): one for the parents, one
for every card's earlier comments (a LATERAL join, a few index entries per card).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, bindparam, func, select, true, tuple_, union_all
from sqlalchemy.orm import Session, aliased

from moderation.models import Comment

# Enough to follow a conversation on a card; the rest is counted ("and 12 earlier").
EARLIER_LIMIT = 5
# Thread entries are context, not the thing being judged: long ones are cut.
EXCERPT_LENGTH = 400


@dataclass(frozen=True)
class ThreadEntry:
    id: int
    author: str
    text: str
    truncated: bool
    status: str
    received_at: datetime
    # Erased (retention or the author's erasure request): the card says so, not an empty quote.
    erased: bool = False
    # The rules that fired on it: the page reads its language from them (review/presenting.text_language).
    rule_hits: list | None = None  # type: ignore[type-arg]


@dataclass(frozen=True)
class Thread:
    # The site's id of the parent; None for a top-level comment.
    parent_id: str | None
    # None for a top-level comment, or when the parent never reached us.
    parent: ThreadEntry | None = None
    # The last EARLIER_LIMIT earlier replies (or top-level comments), oldest first.
    earlier: list[ThreadEntry] = field(default_factory=list)
    earlier_total: int = 0

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def not_shown(self) -> int:
        return self.earlier_total - len(self.earlier)


def _entry(row) -> ThreadEntry:  # type: ignore[no-untyped-def]
    return ThreadEntry(id=row.id, author=row.author_name or row.author_id, text=row.excerpt[:EXCERPT_LENGTH],
                       truncated=len(row.excerpt) > EXCERPT_LENGTH, status=row.status, received_at=row.received_at,
                       erased=row.text_erased_at is not None, rule_hits=row.rule_hits)


def _entry_columns(c: type[Comment]) -> list:  # type: ignore[type-arg]
    # One character more than shown tells whether the text was cut, without reading all of it.
    return [c.id, c.author_id, c.author_name, func.left(c.text, EXCERPT_LENGTH + 1).label("excerpt"),
            c.status, c.received_at, c.text_erased_at, c.rule_hits]


def _parents(session: Session, comments: Sequence[Comment]) -> dict[tuple[int, str, str], ThreadEntry]:
    """Each reply's parent, by (site, parent id, story): a parent on another story is none of its thread.
    The API refuses such a reply, but not one sent before its parent (an import sent newest first, or
    in parallel), whose card then quoted another story's comment as the one replied to (an archive
    import's walk)."""
    pairs = {(c.site_id, c.parent_id) for c in comments if c.parent_id is not None}
    if not pairs:
        return {}
    rows = session.execute(select(Comment.site_id, Comment.external_id, Comment.story_id.label("parent_story"),
                                  *_entry_columns(Comment))
                           .where(tuple_(Comment.site_id, Comment.external_id).in_(pairs)))
    return {(row.site_id, row.external_id, row.parent_story): _entry(row) for row in rows}


def _earlier_statement():  # type: ignore[no-untyped-def]
    """Each card's last :limit earlier comments in its thread, newest first, with how many there are."""
    card, other = aliased(Comment, name="card"), aliased(Comment, name="other")

    def branch(card_is_reply: bool):  # type: ignore[no-untyped-def]
        # Two branches, not one OR: each matches one partial index (ix_comments_thread, ix_comments_story_top).
        same_thread = (other.parent_id == card.parent_id if card_is_reply
                       else and_(other.parent_id.is_(None), other.story_id == card.story_id))
        earlier = (
            select(*_entry_columns(other), func.count().over().label("total"))
            .where(other.site_id == card.site_id, same_thread,
                   tuple_(other.received_at, other.id) < tuple_(card.received_at, card.id))
            .order_by(other.received_at.desc(), other.id.desc())
            .limit(bindparam("limit"))
            .lateral("earlier")
        )
        return (select(card.id.label("card_id"), earlier).select_from(card).join(earlier, true())
                .where(card.id.in_(bindparam("ids", expanding=True)),
                       card.parent_id.isnot(None) if card_is_reply else card.parent_id.is_(None)))

    return union_all(branch(True), branch(False))


# Built once: adapting the aliases costs more than running the query.
_EARLIER = _earlier_statement()


def _earlier(session: Session, ids: list[int], limit: int) -> dict[int, tuple[list[ThreadEntry], int]]:
    found: dict[int, tuple[list[ThreadEntry], int]] = {}
    for row in session.execute(_EARLIER, {"ids": ids, "limit": limit}):
        entries, _ = found.get(row.card_id, ([], 0))
        entries.append(_entry(row))
        found[row.card_id] = entries, row.total
    return {card_id: (sorted(entries, key=lambda e: (e.received_at, e.id)), total)
            for card_id, (entries, total) in found.items()}


def threads_for(session: Session, comments: Sequence[Comment], *, limit: int = EARLIER_LIMIT) -> dict[int, Thread]:
    """The thread of every comment given (comments the caller already scoped to the viewer), by comment id."""
    if not comments:
        return {}
    parents = _parents(session, comments)
    earlier = _earlier(session, [c.id for c in comments], limit)
    threads = {}
    for c in comments:
        entries, total = earlier.get(c.id, ([], 0))
        parent = parents.get((c.site_id, c.parent_id, c.story_id)) if c.parent_id is not None else None
        threads[c.id] = Thread(parent_id=c.parent_id, parent=parent, earlier=entries, earlier_total=total)
    return threads

