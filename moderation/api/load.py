"""Back-pressure at the API's door: one call before storing, one to mark the answer.

`admit(incoming)` raises the 503 `overloaded` error (with Retry-After) past the hard limit and
otherwise returns the admission; `mark(response, admission)` adds the slow-down hint to a 2xx
answer while the service is degraded. The single-comment and the batch routes both use them.
"""
from __future__ import annotations

from flask import Response, current_app

from moderation import db
from moderation.domain.backpressure import DEGRADED, Admission, admission

LOAD_HEADER = "X-Moderation-Load"
HINT_HEADER = "X-Moderation-Retry-After"


def current_admission(incoming: int = 1) -> Admission:
    config = current_app.config
    return admission(db.session, soft_limit=config["BACKPRESSURE_SOFT_LIMIT"],
                     hard_limit=config["BACKPRESSURE_HARD_LIMIT"], incoming=incoming)


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
