"""Back-pressure at the API's door: one call before storing, one to mark the answer.

`admit(incoming)` raises the 503 `overloaded` error (with Retry-After) past the hard limit and
otherwise returns the admission; `mark(response, admission)` adds the slow-down hint to a 2xx
answer while the service is degraded. The single-comment and the batch routes both use them.
"""
from __future__ import annotations

import time

from flask import Response, current_app

from moderation import db
from moderation.domain.backpressure import DEGRADED, Admission, admission, judge

LOAD_HEADER = "X-Moderation-Load"
HINT_HEADER = "X-Moderation-Retry-After"


def current_admission(incoming: int = 1) -> Admission:
    """Each process counts at most once per BACKPRESSURE_RECHECK_SECONDS, or when its own tally says
    the state steps up, and in between adds what it took itself. A count is a PostgreSQL round trip
    (a sixth of a POST's under load, bench/e2e.py) and past the soft limit walks up to hard_limit
    index entries (20 ms at 20,000 on a loaded 2-core machine): in a flood, refusing must stay
    cheap. Other processes' comments show at the next count, so the limits hold to within one
    recheck interval's traffic."""
    config = current_app.config
    soft, hard, ttl = config["BACKPRESSURE_SOFT_LIMIT"], config["BACKPRESSURE_HARD_LIMIT"], config["BACKPRESSURE_RECHECK_SECONDS"]
    recent: tuple[float, Admission] | None = current_app.extensions.get("backpressure_recent")
    reuse = ttl > 0 and recent is not None and time.monotonic() - recent[0] < ttl
    if reuse:
        counted_at, counted = recent
        admitted = counted
        # A step up (ok to degraded, degraded to overloaded) is counted afresh: the workers may have
        # drained the backlog since, and a refusal should rest on a real count.
        reuse = judge(counted.pending, soft_limit=soft, hard_limit=hard, incoming=incoming) == counted.state
    if not reuse:
        counted_at = time.monotonic()
        admitted = admission(db.session, soft_limit=soft, hard_limit=hard, incoming=incoming)
    # What this process takes counts at once, so alone it never passes the hard limit between counts.
    taken = incoming if admitted.accepts else 0
    current_app.extensions["backpressure_recent"] = (
        counted_at, Admission(admitted.state, admitted.retry_after, admitted.pending + taken))
    return admitted


def admit(incoming: int = 1) -> Admission:
    """The admission for `incoming` more comments; raises Overloaded (503) when they may not be stored."""
    admitted = current_admission(incoming)
    if not admitted.accepts:
        raise admitted.refusal()
    return admitted


def mark(response: Response, admitted: Admission) -> Response:
    """Stored, but the backlog is past the soft limit: tell the client to ease off, and for how long."""
    if admitted.state == DEGRADED:
        response.headers[LOAD_HEADER] = DEGRADED
        response.headers[HINT_HEADER] = str(admitted.retry_after)
    return response
