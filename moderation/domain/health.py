"""Readiness: can this process do its work right now, and how loaded is the service?

Each check (database, broker, model) is timed and reports only its error's class name: /readyz
is public, and a load balancer needs "which part", not a stack trace. A failed check makes the
process "unavailable"; otherwise back-pressure (domain/backpressure.py) decides between "ok",
"degraded" (past the soft limit: still accepting; or a comment has waited past STALLED_AFTER,
scoring having stopped) and "overloaded" (past the hard limit: new comments are refused).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from moderation.domain.backpressure import DEGRADED, OK, admission
from moderation.domain.lifecycle import PENDING
from moderation.models import Comment

UNAVAILABLE = "unavailable"


class Pingable(Protocol):
    def ping(self) -> object: ...


@dataclass
class Readiness:
    status: str  # "ok", "degraded", "overloaded" or "unavailable"
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    backlog: dict[str, int] | None = None

    @property
    def ready(self) -> bool:
        """Whether a load balancer should send this process new work. Overloaded still is: reads, the
        review pages and the sites within their fair share of the backlog are served (an SRE's walk:
        one site's flood made /readyz 503, which would take the service away from every site)."""
        return self.status != UNAVAILABLE

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "checks": self.checks, "backlog": self.backlog}


def _timed(check: Callable[[], dict[str, Any] | None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        extra = check() or {}
        result = {"ok": True, **extra}
    except Exception as error:  # any failure is "not ready", named by its class
        result = {"ok": False, "error": type(error).__name__}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return result


def readiness(session: Session, *, database: Callable[[], object], broker: Pingable,
              default_model: Callable[[], Any], soft_limit: int, hard_limit: int) -> Readiness:
    """`database` answers or raises within its own bound (db.make_ping_engine), so a stalled server
    makes this "unavailable" rather than a probe that never answers."""
    checks = {
        "database": _timed(lambda: database() and None),
        "broker": _timed(lambda: broker.ping() and None),
        "model": _timed(lambda: {"version": default_model().version}),
    }
    if not checks["database"]["ok"]:
        return Readiness(UNAVAILABLE, checks)
    try:
        # Bounded as the ping is: behind a lock on comments (VACUUM FULL, a long migration) the count
        # waited out the 30 s statement timeout, each probe holding a web thread, until /healthz
        # found none free (an operator's walk).
        session.execute(text(f"SET LOCAL statement_timeout = {BACKLOG_TIMEOUT_MS}"))
        # As for one more comment: /readyz says "overloaded" past the hard limit, where a site past its
        # fair share of the backlog is refused (api/load.admit); it stays 200, as other sites are served.
        admitted = admission(session, soft_limit=soft_limit, hard_limit=hard_limit, incoming=1)
        oldest = oldest_pending_seconds(session)
    except OperationalError as error:
        checks["backlog"] = {"ok": False, "error": type(getattr(error, "orig", None) or error).__name__}
        return Readiness(DEGRADED, checks)  # the database answers, and comments are taken; it cannot count now
    finally:
        session.rollback()
    backlog = {"pending": admitted.pending, "soft_limit": soft_limit, "hard_limit": hard_limit,
               "retry_after": admitted.retry_after, "oldest_pending_seconds": round(oldest, 1)}
    if not checks["model"]["ok"]:
        return Readiness(UNAVAILABLE, checks, backlog)  # the backlog still counts: the database answers
    if not checks["broker"]["ok"]:
        # Comments are still stored, pages and reads served; the sweep sends what waits once the
        # broker is back. 503 here came from every web instance at once behind the one Redis, and a
        # load balancer would have turned "scoring delayed" into no intake at all (an operator's walk).
        return Readiness(DEGRADED if admitted.state == OK else admitted.state, checks, backlog)
    if oldest > STALLED_AFTER:
        # Scoring stopped (a hung worker, a stalled queue): said in a flood too, when a worker is
        # likeliest to hang and a monitor most needs to hear it. With the web side fine, still 200,
        # since this process can take comments, but not "ok" while one has waited minutes.
        backlog["stalled"] = True
        if admitted.state == OK:
            return Readiness(DEGRADED, checks, backlog)
    return Readiness(admitted.state, checks, backlog)


BACKLOG_TIMEOUT_MS = 2000

# A comment waits at most a sweep or two (30 s each by default) when all is well.
STALLED_AFTER = 120.0


def oldest_pending_seconds(session: Session) -> float:
    """How long the longest-waiting comment has been pending (set-aside ones are an admin's, not a stall)."""
    waited = session.scalar(select(func.extract("epoch", func.now() - func.min(Comment.status_changed_at)))
                            .where(Comment.status == PENDING, Comment.scoring_failed_at.is_(None)))
    return max(0.0, float(waited or 0.0))
