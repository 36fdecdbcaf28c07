"""A banned or suspended author's rejected text, sent again under another author id, is held for a person.

A trust and safety walk: a banned author's harassment of a named teacher, rejected by a moderator, was
published word for word under a new author id the minute after the ban, the model having let one of
its three texts through; the held copies' precedent said "rejected, 100% similar" but not whose, nor
that they were banned. The same text, from another id, while that author's sanction is in force, is
ban evasion's plainest signature: held, and the card says whose text it was.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import REJECTED
from moderation.domain.rules import HOLD, Hit
from moderation.domain.sanctions import BARRING_KINDS, KIND_LABELS, in_force_condition
from moderation.models import AuthorSanction, Comment

RULE = "sanctioned_author_text"
# Shorter texts ("Agreed.", "lol") are said by anyone.
MIN_CHARACTERS = 20
# Ranked with the personal-information rules: a person should look soon, not before a threat.
URGENCY = 2.0


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


def evasion_hits(session: Session, comments: Iterable[Comment], at: datetime) -> dict[int, Hit]:
    """For each comment whose text (spacing and case aside) is that of a comment a moderator rejected on
    its site, by another author whose ban or suspension is in force at `at`, the hold that says so."""
    wanted = [c for c in comments if c.text and len(c.text.strip()) >= MIN_CHARACTERS]
    if not wanted:
        return {}
    sanctioned = session.execute(
        select(AuthorSanction.site_id, AuthorSanction.author_id, AuthorSanction.kind)
        .where(AuthorSanction.site_id.in_({c.site_id for c in wanted}), AuthorSanction.kind.in_(BARRING_KINDS),
               in_force_condition(at))
    ).all()
    if not sanctioned:
        return {}
    kinds = {(site_id, author_id): kind for site_id, author_id, kind in sanctioned}
    rows = session.execute(
        select(Comment.id, Comment.site_id, Comment.author_id, func.lower(func.btrim(Comment.text)))
        .where(tuple_(Comment.site_id, Comment.author_id).in_(list(kinds)), Comment.status == REJECTED,
               Comment.decided_by.is_not(None),  # by a person: a ban's own rejections of civil texts say nothing
               func.length(Comment.text) >= MIN_CHARACTERS)
        .order_by(Comment.id.desc())
    ).all()
    earlier: dict[tuple[int, str], tuple[int, str]] = {}
    for comment_id, site_id, author_id, text in rows:
        earlier.setdefault((site_id, _same(text)), (comment_id, author_id))
    hits: dict[int, Hit] = {}
    for comment in wanted:
        found = earlier.get((comment.site_id, _same(comment.text)))
        if found is None or found[1] == comment.author_id:
            continue
        comment_id, author_id = found
        sanction = KIND_LABELS[kinds[(comment.site_id, author_id)]]
        hits[comment.id] = Hit(RULE, HOLD, f"the same text as comment #{comment_id}, rejected, by {author_id}, "
                                           f"who is {sanction}", urgency=URGENCY)
    return hits
