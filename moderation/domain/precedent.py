"""Precedent: how moderators already decided comments like this one, on the same site.

"Like this one" is PostgreSQL trigram similarity (pg_trgm) between the texts, not nearest
neighbours on the classifier's own features. Why:
* It lives in the database: a GiST index answers "the three nearest decided comments of site S"
  (`ORDER BY text <-> :text LIMIT 3`) with nothing else to store or keep in step. The classifier's
  features would have to be stored per comment and searched with a vector index we do not have,
  and recomputed for every old comment whenever a new model is deployed.
* It finds what precedent is for: the same insult reworded a little, a copy-pasted spam or
  brigade message, a regular's catchphrase. The classifier's features (word n-grams) are lexical
  too, so they would not find meaningfully different neighbours, only less explainable ones.
* The number is easy to read on a card: the share of three-letter sequences the texts have in common.

Only decided comments (a moderator approved or rejected them) are precedent, only of the same
site (sites have their own guidelines), never the comment itself. Neighbours below
MIN_SIMILARITY are dropped: the nearest of a few unrelated comments teaches nothing.

Cost: a trigram GiST index prunes poorly for texts as long as comments (their signatures fill
up), so a nearest-neighbour scan reads much of the site's decided comments: about 1.4 ms per
comment with 250 decided per site, more as decisions accumulate. The queue page therefore loads a
card's precedent when the moderator opens it (`precedent_for`, static/precedent.js); the detail
page, one comment, loads it at once.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, bindparam, func, select, true
from sqlalchemy.orm import Session, aliased, defer

from moderation.domain.membership import can_see_site, visible_site_ids
from moderation.models import Comment, User

PRECEDENT_LIMIT = 3
# Trigram similarity in [0, 1]. Short civil comments that share only everyday words score around
# 0.1; rewordings of the same sentence score 0.4 and more.
MIN_SIMILARITY = 0.2
EXCERPT_LENGTH = 300


@dataclass(frozen=True)
class Precedent:
    id: int
    text: str
    truncated: bool
    decision: str
    reason: str | None
    similarity: float
    decided_by: str | None
    decided_at: datetime | None
    rule_hits: list[Any] | None = None  # for the excerpt's language (other_language's hit), as a card reads it


def _nearest_statement():  # type: ignore[no-untyped-def]
    card, prior = aliased(Comment, name="card"), aliased(Comment, name="prior")
    distance = prior.text.op("<->", return_type=Float)(card.text)  # 1 - similarity
    nearest = (
        # `decision IS NOT NULL` and site_id first: the scan walks ix_comments_precedent, one site's decided rows.
        select(prior.id, func.left(prior.text, EXCERPT_LENGTH + 1).label("excerpt"), prior.decision,
               prior.decision_reason, prior.decided_by, prior.decided_at, prior.rule_hits,
               distance.label("distance"))
        .where(prior.site_id == card.site_id, prior.decision.isnot(None), prior.id != card.id)
        .order_by(distance)
        .limit(bindparam("limit"))
        .lateral("nearest")
    )
    return (
        select(card.id.label("card_id"), nearest, User.username)
        .select_from(card)
        .join(nearest, true())
        .outerjoin(User, User.id == nearest.c.decided_by)
        # After the LIMIT, not inside it: a threshold inside would make the scan read every decided
        # comment of the site whenever fewer than three are similar.
        .where(card.id.in_(bindparam("ids", expanding=True)), nearest.c.distance <= bindparam("max_distance"))
        .order_by(card.id, nearest.c.distance, nearest.c.id)
    )


# Built once: adapting the aliases costs more than running the query.
_NEAREST = _nearest_statement()


def precedents_for(
    session: Session, comments: Sequence[Comment], *, viewer: User, limit: int = PRECEDENT_LIMIT,
) -> dict[int, list[Precedent]]:
    """Up to `limit` decided comments most like each given comment, most similar first, by comment id.

    One query for all of them: a LATERAL join runs one index-ordered nearest-neighbour scan per comment.
    """
    visible = visible_site_ids(session, viewer)
    ids = [c.id for c in comments if visible is None or c.site_id in visible]
    if not ids:
        return {}
    rows = session.execute(_NEAREST, {"ids": ids, "limit": limit, "max_distance": 1 - MIN_SIMILARITY})
    found: dict[int, list[Precedent]] = defaultdict(list)
    for row in rows:
        found[row.card_id].append(Precedent(
            id=row.id, text=row.excerpt[:EXCERPT_LENGTH], truncated=len(row.excerpt) > EXCERPT_LENGTH,
            decision=row.decision, reason=row.decision_reason, similarity=round(1 - row.distance, 2),
            decided_by=row.username, decided_at=row.decided_at, rule_hits=row.rule_hits,
        ))
    return dict(found)


def precedent_for(session: Session, comment_id: int, *, viewer: User, limit: int = PRECEDENT_LIMIT,
                  ) -> list[Precedent] | None:
    """One comment's precedent; None if there is no such comment or the viewer may not see it."""
    # Not created_at: rows stored before it was range-checked may not load with it (see domain/queue.py).
    comment = session.scalar(select(Comment).where(Comment.id == comment_id).options(defer(Comment.created_at)))
    if comment is None or not can_see_site(session, viewer, comment.site_id):
        return None
    return precedents_for(session, [comment], viewer=viewer, limit=limit).get(comment.id, [])
