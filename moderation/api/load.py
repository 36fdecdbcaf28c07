"""Back-pressure at the API's door: one call before storing, one to mark the answer.

`admit(site_id, incoming)` raises the 503 `overloaded` error (with Retry-After) past the hard limit,
to the sites past their fair share of it, and
otherwise returns the admission; `mark(response, admission)` adds the slow-down hint to a 2xx
answer while the service is degraded. The single-comment and the batch routes both use them.
"""
from __future__ import annotations

import threading
import time

from flask import Response, current_app

from moderation import db
from moderation.domain.backpressure import (DEGRADED, OK, Admission, admission, judge, past_share,
                                            within_fair_share)

LOAD_HEADER = "X-Moderation-Load"
HINT_HEADER = "X-Moderation-Retry-After"
# gunicorn's threads share the app: each adds what it took to the same tally, under this lock, or two
# threads adding at once would both store their count plus their own (an onboarding review).
_TALLY = threading.Lock()


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
    with _TALLY:
        latest = current_app.extensions.get("backpressure_recent")
        tally = latest[1] if reuse and latest is not None and latest[0] == counted_at else admitted
        current_app.extensions["backpressure_recent"] = (
            counted_at, Admission(tally.state, tally.retry_after, tally.pending + taken))
    return admitted


def admit(site_id: int, incoming: int = 1) -> Admission:
    """The admission for `incoming` more comments of the site; raises Overloaded (503) when they may not
    be stored: past the hard limit, when the site's own backlog is past its fair share
    (`within_fair_share`). A site found past it is refused without counting again for
    BACKPRESSURE_RECHECK_SECONDS, so a flood's refusals stay cheap."""
    admitted = current_admission(incoming)
    if admitted.state == DEGRADED and not _past_soft_share(site_id, incoming):
        return Admission(OK, 0, admitted.pending)
    if admitted.accepts:
        return admitted
    config = current_app.config
    refused: dict[int, float] = current_app.extensions.setdefault("backpressure_refused_sites", {})
    ttl = config["BACKPRESSURE_RECHECK_SECONDS"]
    if time.monotonic() - refused.get(site_id, float("-inf")) >= ttl and within_fair_share(
            db.session, site_id, hard_limit=config["BACKPRESSURE_HARD_LIMIT"], incoming=incoming):
        # Stored; told to slow down only when past its share of the soft limit, as below the hard
        # limit: a site with one comment waiting was told "degraded, 60 s" during another's flood.
        if _past_soft_share(site_id, incoming):
            return Admission(DEGRADED, admitted.retry_after, admitted.pending)
        return Admission(OK, 0, admitted.pending)
    refused[site_id] = time.monotonic()
    raise admitted.refusal()


def _past_soft_share(site_id: int, incoming: int) -> bool:
    """Past the soft limit, whether this site is one to ask to slow down: its own backlog is past its
    share of the soft limit. Another title's import had told a hyperlocal with nothing waiting to hold
    its readers' comments back for 60 s (a newspaper group's walk). Counted at most once per
    BACKPRESSURE_RECHECK_SECONDS per site and process, as the rest of back-pressure is."""
    ttl = current_app.config["BACKPRESSURE_RECHECK_SECONDS"]
    known: dict[int, tuple[float, bool]] = current_app.extensions.setdefault("backpressure_soft_share", {})
    seen = known.get(site_id)
    if seen is not None and time.monotonic() - seen[0] < ttl:
        return seen[1]
    past = past_share(db.session, site_id, limit=current_app.config["BACKPRESSURE_SOFT_LIMIT"], incoming=incoming)
    known[site_id] = (time.monotonic(), past)
    return past


def mark(response: Response, admitted: Admission) -> Response:
    """Stored, but the backlog is past the soft limit: tell the client to ease off, and for how long."""
    if admitted.state == DEGRADED:
        response.headers[LOAD_HEADER] = DEGRADED
        response.headers[HINT_HEADER] = str(admitted.retry_after)
    return response
