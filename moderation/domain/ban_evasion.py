"""A banned or suspended author's rejected text, sent again under another author id, is held for a person.

A trust and safety walk: a banned author's harassment of a named teacher, rejected by a moderator, was
published word for word under a new author id the minute after the ban, the model having let one of
its three texts through; the held copies' precedent said "rejected, 100% similar" but not whose, nor
that they were banned. The same text, from another id, while that author's sanction is in force, is
ban evasion's plainest signature: held, hidden while held as personal information is, and the card
says whose text it was.

The same means the same once read as the rules read it (look-alike letters, zero-width characters,
case) and without its punctuation and spaces: a re-check published copies with "!" for ".", a
zero-width space or a fullwidth letter. And a text the author edited away counts as theirs: a banned
author edited their rejected comment, and a new id's copy of the old text was published (a re-check).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from datetime import datetime

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import BAN_EVASION_KIND, DELETED, REJECTED
from moderation.domain.rule_matchers import normalised_for_rules
from moderation.domain.rules import HOLD, Hit
from moderation.domain.sanctions import BARRING_KINDS, KIND_LABELS, in_force_condition
from moderation.models import AuthorSanction, Comment, CommentRevision

RULE = "sanctioned_author_text"
# Shorter texts ("Agreed.", "lol") are said by anyone.
MIN_CHARACTERS = 20
# Ranked with the personal-information rules: a person should look soon, not before a threat.
URGENCY = 2.0
# The texts read a batch: the newest rejections of the sanctioned authors. Bans for good pile up over the
# years, and each batch read 500 per banned author, each normalised again: bounded, and each text's
# reading kept, so a site with many bans does not slow every batch (the read-back).
MAX_TEXTS = 5_000
_NOT_WORDS = re.compile(r"[\W_]+")


@lru_cache(maxsize=2 * MAX_TEXTS)
def _same(text: str) -> str:
    # Without any space either: "e-mail" for "email" and "M r s Patel" (which the normaliser joins) had
    # published copies (a second re-check).
    return _NOT_WORDS.sub("", normalised_for_rules(text)[0].replace(" ", ""))


def evasion_hits(session: Session, comments: Iterable[Comment], at: datetime) -> dict[int, Hit]:
    """For each comment whose text (read as the rules read it, punctuation and spacing aside) is that of
    a comment a moderator rejected on its site, or a text such a comment had before an edit, by another
    author whose ban or suspension is in force at `at`, the hold that says so."""
    wanted = [c for c in comments if c.text and len(_same(c.text)) >= MIN_CHARACTERS]
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
    by_them = tuple_(Comment.site_id, Comment.author_id).in_(list(kinds))
    rejected = (select(Comment.id, Comment.site_id, Comment.author_id, Comment.text)
                # By a person: a ban's own rejections of civil texts say nothing.
                # Deleted since by its author or the site, it was rejected all the same (a second re-check).
                .where(by_them, or_(Comment.status == REJECTED, and_(Comment.status == DELETED, Comment.decision == REJECTED)),
                       Comment.decided_by.is_not(None))
                .order_by(Comment.id.desc()).limit(MAX_TEXTS))
    edited_away = (select(Comment.id, Comment.site_id, Comment.author_id, CommentRevision.text)
                   .join(CommentRevision, CommentRevision.comment_id == Comment.id)
                   .where(by_them, CommentRevision.status == REJECTED)
                   .order_by(CommentRevision.id.desc()).limit(MAX_TEXTS))
    earlier: dict[tuple[int, str], tuple[int, str]] = {}
    for comment_id, site_id, author_id, text in [*session.execute(rejected), *session.execute(edited_away)]:
        if text and len(text) >= MIN_CHARACTERS:
            earlier.setdefault((site_id, _same(text)), (comment_id, author_id))
    hits: dict[int, Hit] = {}
    for comment in wanted:
        found = earlier.get((comment.site_id, _same(comment.text)))
        if found is None or found[1] == comment.author_id:
            continue
        comment_id, author_id = found
        sanction = KIND_LABELS[kinds[(comment.site_id, author_id)]]
        hits[comment.id] = Hit(RULE, HOLD, f"the same text as comment #{comment_id}, rejected, by {author_id}, "
                                           f"{sanction} when this came", urgency=URGENCY, kind=BAN_EVASION_KIND)
    return hits


# The evaded author in such a hold's reason, as a POSIX pattern for SQL's substring() (model_alone.py
# reads whether their ban is still in force): the tail anchored, so an id with ", " in it is read whole.
EVADED_AUTHOR = ("^the same text as comment #[0-9]+, rejected, by (.*), (?:"
                 + "|".join(KIND_LABELS[k] for k in BARRING_KINDS) + ") when this came$")
