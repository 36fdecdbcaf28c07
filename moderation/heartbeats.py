"""When the sweep last ran, kept in Redis for `moderation status` to read from any machine.

Beat sends the sweep every SWEEP_INTERVAL seconds, and the sweep is what re-sends a comment whose
task was lost and ends storms: with beat dead, `status` said "ok" while nothing swept (an operator's
walk). Whichever worker runs the sweep notes the time; a failure to note it is logged, never raised.
"""
from __future__ import annotations

import logging
import time

from moderation.redis_client import redis_client

log = logging.getLogger(__name__)
SWEEP_KEY = "moderation:heartbeat:sweep"


def note_sweep(redis_url: str, *, timeout: float) -> None:
    try:
        redis_client(redis_url, timeout=timeout).set(SWEEP_KEY, repr(time.time()))
    except Exception as error:  # noqa: BLE001 (the sweep's work is done; this only reports it)
        log.warning("could not note the sweep's time in Redis: %s", error)


def sweep_age(redis_url: str, *, timeout: float) -> float | None:
    """Seconds since the last sweep ran, or None if none is recorded (Redis new, or beat never ran)."""
    raw = redis_client(redis_url, timeout=timeout).get(SWEEP_KEY)
    try:
        return max(0.0, time.time() - float(raw)) if raw is not None else None
    except ValueError:
        return None
