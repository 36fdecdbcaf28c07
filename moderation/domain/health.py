"""Readiness: can this process do its work right now, and how loaded is the service?

Each check (database, broker, model) is timed and reports only its error's class name: /readyz
is public, and a load balancer needs "which part", not a stack trace. A failed check makes the
process "unavailable"; otherwise back-pressure (domain/backpressure.py) decides between "ok",
"degraded" (past the soft limit: still accepting) and "overloaded" (past the hard limit: new
comments are refused).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from moderation.domain.backpressure import OVERLOADED, admission

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
        """Whether a load balancer should send this process new work."""
        return self.status not in (UNAVAILABLE, OVERLOADED)

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
    if not all(check["ok"] for check in checks.values()):
        return Readiness(UNAVAILABLE, checks)
    try:
        # As for one more comment: /readyz says "overloaded" exactly when POST would answer 503.
        admitted = admission(session, soft_limit=soft_limit, hard_limit=hard_limit, incoming=1)
    finally:
        session.rollback()
    backlog = {"pending": admitted.pending, "soft_limit": soft_limit, "hard_limit": hard_limit,
               "retry_after": admitted.retry_after}
    return Readiness(admitted.state, checks, backlog)
