"""Claims: a moderator looking at a comment holds it for a few minutes, so others skip it.

A claim is a lease. Taking or renewing one is a single compare-and-swap statement: an upsert that
writes only when the comment is unclaimed, already ours, or its claim has expired, and returns
the row it wrote. Two moderators racing for one comment both send it; PostgreSQL makes the second
wait for the first and then re-checks its condition against the committed row, so exactly one
wins, with no lock held across requests and no read-then-write window.

Expired claims are never swept: an expired row is treated as no claim, and the next claim
overwrites it. Deciding a comment ends its claim (`end_for_decision`, called by decisions.decide).
Times are passed in, so tests move the clock instead of sleeping.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, literal, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from moderation.domain.errors import ClaimedByOther, NotFound
from moderation.domain.lifecycle import DECIDABLE
from moderation.domain.membership import can_see_site
from moderation.models import Comment, ReviewClaim, User

# A decided comment is not worth claiming.
OPEN_STATUSES = DECIDABLE


@dataclass(frozen=True)
class Claim:
    """Who holds a comment now: `holder` is None when nobody does (or the comment is decided)."""

    comment_id: int
    holder: str | None
    holder_id: int | None
    expires_at: datetime | None

    def mine(self, user: User) -> bool:
        return self.holder_id == user.id

    def held_by_other(self, user: User) -> bool:
        return self.holder_id is not None and self.holder_id != user.id

    def describe(self, at: datetime) -> str:
        """What another moderator is told, e.g. "alice is reviewing this comment (claim ends in 3 min)"."""
        assert self.holder is not None and self.expires_at is not None
        return f"{self.holder} is reviewing this comment (claim ends {_ends_in(self.expires_at - at)})"


def _ends_in(left: timedelta) -> str:
    minutes = math.ceil(left.total_seconds() / 60)
    return "in under a minute" if minutes <= 1 else f"in {minutes} min"


def _check_visible(session: Session, comment_id: int, user: User) -> None:
    # Only the site id: a whole row stored before created_at was range-checked may not load.
    site_id = session.scalar(select(Comment.site_id).where(Comment.id == comment_id))
    # Another site's comment is refused exactly like a missing one, as everywhere in the queue.
    if site_id is None or not can_see_site(session, user, site_id):
        raise NotFound(f"comment {comment_id} does not exist")


def claim(session: Session, comment_id: int, user: User, *, at: datetime, lease: timedelta) -> Claim:
    """Take or renew `user`'s claim on a comment until at + lease, unless another moderator holds it.

    Returns the claim as it stands: `user`'s own when taken, the other moderator's when not, and
    an empty one when the comment is decided already. Raises NotFound for comments the user may
    not see. Commits.
    """
    _check_visible(session, comment_id, user)
    free = or_(ReviewClaim.user_id == user.id, ReviewClaim.expires_at <= at)
    # The SELECT makes a decided comment claim nothing; the WHERE of ON CONFLICT is the swap's condition.
    statement = (
        insert(ReviewClaim)
        .from_select(["comment_id", "user_id", "expires_at"],
                     select(Comment.id, literal(user.id), literal(at + lease))
                     .where(Comment.id == comment_id, Comment.status.in_(OPEN_STATUSES)))
        .on_conflict_do_update(index_elements=[ReviewClaim.comment_id],
                               set_={"user_id": user.id, "expires_at": at + lease}, where=free)
        .returning(ReviewClaim.expires_at)
    )
    expires_at = session.execute(statement).scalar_one_or_none()
    session.commit()
    if expires_at is not None:
        return Claim(comment_id, user.username, user.id, expires_at)
    return live_claims(session, [comment_id], at=at).get(comment_id, Claim(comment_id, None, None, None))


def release(session: Session, comment_id: int, user: User) -> bool:
    """End `user`'s own claim; another moderator's claim is left alone. Commits."""
    _check_visible(session, comment_id, user)
    ended = session.execute(
        delete(ReviewClaim).where(ReviewClaim.comment_id == comment_id, ReviewClaim.user_id == user.id)
    ).rowcount
    session.commit()
    return bool(ended)


def live_claims(session: Session, comment_ids: Iterable[int], *, at: datetime) -> dict[int, Claim]:
    """The unexpired claims on these comments that are still undecided, by comment id: one query for a page."""
    ids = list(set(comment_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(ReviewClaim.comment_id, User.username, User.id, ReviewClaim.expires_at)
        .join(User, User.id == ReviewClaim.user_id)
        .join(Comment, and_(Comment.id == ReviewClaim.comment_id, Comment.status.in_(OPEN_STATUSES)))
        .where(ReviewClaim.comment_id.in_(ids), ReviewClaim.expires_at > at)
    )
    return {row.comment_id: Claim(row.comment_id, row.username, row.id, row.expires_at) for row in rows}


def end_for_decision(session: Session, comment: Comment, user: User, *, at: datetime) -> None:
    """Called by decide() with the comment row locked: refuse while another moderator's claim is
    live, else end the claim in the decision's transaction.

    Admins are refused too: the claim protects a colleague's half-written reason, and it lasts
    minutes at most. Raises ClaimedByOther without rolling back: a bulk action goes on with the
    other comments in the same transaction, and decide() rolls back its own refusals.
    """
    held = live_claims(session, [comment.id], at=at).get(comment.id)
    if held is not None and held.held_by_other(user):
        raise ClaimedByOther(held.describe(at) + ".")
    session.execute(delete(ReviewClaim).where(ReviewClaim.comment_id == comment.id))
