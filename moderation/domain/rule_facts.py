"""What came before each comment, as the rules need it, in a few queries for a whole batch.

Everything is taken as of the comment's arrival (received_at, then id for rows of one
transaction), never as of now: the scorer and the admin preview then see the same facts, so a
preview's counts are what the rule does.
"""
from __future__ import annotations

import bisect
import functools
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from classifiers.normalise import normalise
from moderation.domain.lifecycle import APPROVED, PUBLISHED
from moderation.domain.rule_matchers import fingerprint
from moderation.domain.rules import Facts, flood_window, needs_author_counts, needs_parents
from moderation.domain.written import HISTORY, is_history
from moderation.domain.self_harm import at_risk
from moderation.models import Comment


def load_facts(session: Session, comments: Sequence[Comment], rules: Sequence[Mapping[str, Any]]) -> dict[int, Facts]:
    if not comments:
        return {}
    counts = _author_counts(session, comments) if needs_author_counts(rules) else {}
    recent = _recent(session, comments, flood_window(rules))
    parents_at_risk = _parents_at_risk(session, comments) if needs_parents(rules) else set()
    return {
        c.id: Facts(author_id=c.author_id, is_reply=c.parent_id is not None,
                    earlier_by_author=counts.get(c.id, (0, 0))[0], approved_by_author=counts.get(c.id, (0, 0))[1],
                    same_text=recent.get(c.id), parent_at_risk=(c.site_id, c.parent_id) in parents_at_risk,
                    author_name=c.author_name or "", history=is_history(c))
        for c in comments
    }


def _parents_at_risk(session: Session, comments: Sequence[Comment]) -> set[tuple[int, str]]:
    """The (site, external id) of the replied-to comments whose text reads as a reader at risk: read
    from the text, not the parent's rule hits, so a parent scored in the same batch counts too."""
    pairs = {(c.site_id, c.parent_id) for c in comments if c.parent_id is not None}
    if not pairs:
        return set()
    rows = session.execute(select(Comment.site_id, Comment.external_id, Comment.text)
                           .where(tuple_(Comment.site_id, Comment.external_id).in_(pairs)))
    return {(row.site_id, row.external_id) for row in rows if row.text and at_risk(normalise(row.text))}


def _author_counts(session: Session, comments: Sequence[Comment]) -> dict[int, tuple[int, int]]:
    """Per comment: the author's earlier comments on the site, and how many of those readers saw before
    it came: approved by a moderator, or published as scored. Counting only a moderator's approvals, a
    rule added to a site held every regular reader whose comments the model had published (a business
    desk's preview: "would have fired on 392" of 392)."""
    this, earlier = Comment.__table__.alias("this"), aliased(Comment, name="earlier")
    before = tuple_(earlier.received_at, earlier.id) < tuple_(this.c.received_at, this.c.id)
    approved = or_(and_(earlier.status == APPROVED, earlier.decided_at <= this.c.received_at),
                   and_(earlier.status == PUBLISHED, earlier.scored_at <= this.c.received_at))
    rows = session.execute(
        select(this.c.id, func.count(earlier.id), func.count(earlier.id).filter(approved))
        .select_from(this)
        .outerjoin(earlier, and_(earlier.site_id == this.c.site_id, earlier.author_id == this.c.author_id, before))
        .where(this.c.id.in_([c.id for c in comments]))
        .group_by(this.c.id)
    )
    return {row[0]: (row[1], row[2]) for row in rows}


class SameText:
    """One comment's view of the earlier comments with its fingerprint: sorted arrival keys, counted by bisection.

    The lists are shared by every comment of a batch with that text, so a flood of a thousand identical
    posts costs a sort and a thousand look-ups, not a million comparisons.
    """

    def __init__(self, key: tuple[float, int], anyone: list, author: list, author_replies: list) -> None:
        self.key, self.anyone, self.author, self.author_replies = key, anyone, author, author_replies

    def count(self, *, seconds: float, same_author: bool, replies: bool) -> int:
        keys = self.author_replies if replies else self.author if same_author else self.anyone
        # Received at most `seconds` before, and before this one (received_at, then id).
        return bisect.bisect_left(keys, self.key) - bisect.bisect_left(keys, (self.key[0] - seconds, -1))


def _recent(session: Session, comments: Sequence[Comment], minutes: int) -> dict[int, SameText]:
    """Per comment: the site's same-text comments received in the `minutes` before it (one read per site)."""
    if minutes <= 0:
        return {}
    window = timedelta(minutes=minutes)
    found: dict[int, SameText] = {}
    by_site: dict[int, list[Comment]] = {}
    for comment in comments:
        by_site.setdefault(comment.site_id, []).append(comment)
    for site_id, group in by_site.items():
        rows = session.execute(
            select(Comment.id, Comment.author_id, Comment.text, Comment.parent_id, Comment.received_at)
            .where(Comment.site_id == site_id,
                   or_(*(Comment.received_at.between(a, b) for a, b in _windows(group, window))),
                   # An import's history is no one's recent post (written.HISTORY).
                   or_(Comment.created_at.is_(None), Comment.created_at >= Comment.received_at - HISTORY))
            .order_by(Comment.received_at, Comment.id)
        ).all()
        anyone: dict[str, list] = {}
        author: dict[tuple[str, str], list] = {}
        replies: dict[tuple[str, str], list] = {}
        for row in rows:  # in arrival order, so every list is sorted
            print_, key = _fingerprint(row.text), (row.received_at.timestamp(), row.id)
            anyone.setdefault(print_, []).append(key)
            author.setdefault((print_, row.author_id), []).append(key)
            if row.parent_id is not None:
                replies.setdefault((print_, row.author_id), []).append(key)
        for comment in group:
            print_ = _fingerprint(comment.text)
            found[comment.id] = SameText((comment.received_at.timestamp(), comment.id), anyone.get(print_, []),
                                         author.get((print_, comment.author_id), []),
                                         replies.get((print_, comment.author_id), []))
    return found


@functools.lru_cache(maxsize=8192)
def _fingerprint(text: str) -> str:
    # Every batch re-reads the comments of the last minutes: remembered, each text is normalised once.
    return fingerprint(text)


def _windows(comments: Sequence[Comment], window: timedelta) -> list[tuple[datetime, datetime]]:
    """Each comment's look-back window, overlapping ones merged: a batch that mixes an old backlog
    with new comments reads the minutes before each, not every comment in between."""
    merged: list[list[datetime]] = []
    for at in sorted(c.received_at for c in comments):
        if merged and at - window <= merged[-1][1]:
            merged[-1][1] = at
        else:
            merged.append([at - window, at])
    return [(a, b) for a, b in merged]
