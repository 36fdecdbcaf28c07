"""Back-pressure: how deep the scoring backlog is, and whether to take one more comment.

Below the soft limit of pending comments all is well. Past it the service still stores every
comment (nothing accepted is ever dropped) but says "degraded": the API adds a hint header and
/readyz reports it, so a site can slow down before it matters. Past the hard limit a new comment
is refused with 503 and Retry-After and *not* stored: the backlog would otherwise grow without
bound while every answer said 202 (issue 11 measured p99 10 s at 200/s with no sign of trouble).

The count is bounded (LIMIT hard_limit + incoming), so asking costs a walk of the small partial
index ix_comments_pending when all is well, and at most that many index entries when it is not.
Retry-After is the time the backlog above the soft limit takes to drain at the rate comments
were scored over the last RATE_WINDOW (or since scoring began in it: `scoring_rate`), clamped to
[1, MAX_RETRY_AFTER]; with nothing scored lately (workers down) it is MAX_RETRY_AFTER.

The single-comment route and the batch route both call `admission`; `incoming` is how many
comments the request would add.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.domain.errors import Busy
from moderation.domain.lifecycle import PENDING, now
from moderation.models import Comment

OK, DEGRADED, OVERLOADED = "ok", "degraded", "overloaded"
RATE_WINDOW = timedelta(seconds=10)
# A rate read off less than this is of one batch, not of the workers' pace.
MIN_RATE_SPAN = timedelta(seconds=2)
MAX_RETRY_AFTER = 60


class Overloaded(Busy):
    code = "overloaded"


@dataclass(frozen=True)
class Admission:
    state: str  # OK, DEGRADED or OVERLOADED
    retry_after: int  # seconds; 0 when OK
    pending: int  # comments waiting to be scored (counted up to the hard limit)

    @property
    def accepts(self) -> bool:
        return self.state != OVERLOADED

    def refusal(self) -> Overloaded:
        return Overloaded(
            f"the service is overloaded ({self.pending} comments are waiting to be scored); "
            f"nothing was stored, retry after {self.retry_after} s",
            retry_after=self.retry_after,
        )


def pending_count(session: Session, *, up_to: int, site_id: int | None = None) -> int:
    """Pending comments (of one site, with `site_id`), counted up to `up_to` (ix_comments_pending serves it)."""
    waiting = select(Comment.id).where(Comment.status == PENDING)
    if site_id is not None:
        waiting = waiting.where(Comment.site_id == site_id)
    waiting = waiting.limit(max(up_to, 0)).subquery()
    return int(session.scalar(select(func.count()).select_from(waiting)) or 0)


MAX_OVER_HARD_LIMIT = 2  # past this many times the hard limit, no site's comments are stored


def within_fair_share(session: Session, site_id: int, *, hard_limit: int, incoming: int = 1) -> bool:
    """Past the hard limit, whether the site may still add `incoming`: its own backlog stays within its
    share of the hard limit, shared among the sites with comments waiting (itself included). One
    site's flood then refuses that site and not the others: an SRE's walk saw a 22,500-comment burst
    from one site get every 503 of the incident answered to another site's trickle. Shares alone do not
    bound the whole: sites arriving one after another each take the share of a larger crowd (30, then
    15, then 10 ... of a hard limit of 30 took a re-check's backlog to 99), so past twice the hard
    limit every site is refused."""
    if past_share(session, site_id, limit=hard_limit, incoming=incoming):
        return False
    ceiling = MAX_OVER_HARD_LIMIT * hard_limit
    return pending_count(session, up_to=ceiling + max(incoming, 0)) + incoming <= ceiling


def past_share(session: Session, site_id: int, *, limit: int, incoming: int = 1) -> bool:
    """Whether the site's own backlog with `incoming` more is past its share of `limit`, shared among
    the sites with comments waiting (itself included)."""
    own = pending_count(session, up_to=limit + max(incoming, 0), site_id=site_id)
    others = session.scalar(select(func.count(func.distinct(Comment.site_id)))
                            .where(Comment.status == PENDING, Comment.site_id != site_id)) or 0
    return own + incoming > limit // (int(others) + 1)


def scoring_rate(session: Session) -> float:
    """Comments scored per second over the last RATE_WINDOW, or over the part of it since the first
    of them was scored, if less (at least MIN_RATE_SPAN).

    Over the whole window, an import's first batches met workers that had been idle for most of it:
    told 60 s, 39 s, 58 s, where the whole backlog was scored 30 s after the first batch (an
    integrator's walk: an importer pacing itself by the hint would have taken ten times as long)."""
    at = now()
    scored, first = session.execute(select(func.count(), func.min(Comment.scored_at))
                                    .where(Comment.scored_at >= at - RATE_WINDOW)).one()
    if not scored or first is None:
        return 0.0
    span = min(max((at - first).total_seconds(), MIN_RATE_SPAN.total_seconds()), RATE_WINDOW.total_seconds())
    return scored / span


def admission(session: Session, *, soft_limit: int, hard_limit: int, incoming: int = 1) -> Admission:
    """Whether `incoming` more comments may be stored now. A limit of 0 turns that limit off."""
    limits = [limit for limit in (soft_limit, hard_limit) if limit > 0]
    if not limits:
        return Admission(OK, 0, 0)
    pending = pending_count(session, up_to=max(limits) + max(incoming, 0))
    state = judge(pending, soft_limit=soft_limit, hard_limit=hard_limit, incoming=incoming)
    if state == OK:
        return Admission(OK, 0, pending)
    return Admission(state, _retry_after(session, pending - max(soft_limit, 0)), pending)


def judge(pending: int, *, soft_limit: int, hard_limit: int, incoming: int = 1) -> str:
    """The state for `incoming` more comments on top of `pending` (a caller may reuse a recent count)."""
    if hard_limit > 0 and pending + incoming > hard_limit:
        return OVERLOADED
    if soft_limit > 0 and pending + incoming > soft_limit:
        return DEGRADED
    return OK


def _retry_after(session: Session, excess: int) -> int:
    rate = scoring_rate(session)
    if rate <= 0:
        return MAX_RETRY_AFTER
    return max(1, min(MAX_RETRY_AFTER, math.ceil(max(excess, 0) / rate)))
