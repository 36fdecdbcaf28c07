"""A database we cannot reach is "try again shortly" (503 with Retry-After), not a 500.

Each blueprint answers in its own shape: JSON errors under /api/v1, Google's UNAVAILABLE under
/v1alpha1, and an HTML page for the review and admin pages. A PostgreSQL restart (a few seconds)
should look to a site's client like any other retryable hiccup.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, g, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import exc as sa_exc

from moderation.domain.errors import driver_error

log = logging.getLogger(__name__)

# Long enough for a PostgreSQL restart, short enough that a waiting client is not idle for long.
RETRY_AFTER_SECONDS = 15
MESSAGE = "The database is not reachable right now; please try again shortly."
# A statement past DATABASE_STATEMENT_TIMEOUT is a busy database or a row locked elsewhere (scoring
# holds the comments it scores), not one out of reach: a chaos walk's reader edits were told "not
# reachable" while /readyz said the database was fine, and the operator went looking for an outage.
TIMED_OUT_MESSAGE = ("The database did not answer in time: what this needed was busy (a comment being scored "
                     "or changed, or other long work); please try again shortly.")
TIMED_OUT_RETRY_AFTER_SECONDS = 5


def timed_out(error: BaseException) -> bool:
    return type(driver_error(error)).__name__ == "QueryCanceled"


def database_unavailable(error: BaseException) -> bool:
    """Refused or dropped connections and pool exhaustion; constraint or data errors stay 500s or 4xx."""
    if isinstance(error, sa_exc.TimeoutError):  # no pooled connection came free in time
        return True
    if isinstance(error, sa_exc.DBAPIError):
        return error.connection_invalidated or isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError))
    return False


def log_unavailable(error: BaseException) -> None:
    """Say which request failed and why, in the driver's words ("No space left on device",
    "connection refused"): the operator's first question, and it never carries row values."""
    cause = driver_error(error)
    why = (str(cause).strip().splitlines() or [""])[0][:300]
    what = "timed out" if timed_out(error) else "unavailable"
    log.error("database %s during %s %s: %s: %s", what, request.method, request.path, type(cause).__name__, why)


def _words(error: BaseException | None) -> tuple[str, int]:
    """The message and Retry-After for this failure."""
    if error is not None and timed_out(error):
        return TIMED_OUT_MESSAGE, TIMED_OUT_RETRY_AFTER_SECONDS
    return MESSAGE, RETRY_AFTER_SECONDS


def api_response(error: BaseException | None = None) -> tuple[Response, int]:
    from moderation.api.errors import error_response

    message, retry_after = _words(error)
    response, status = error_response(503, "unavailable", message)
    response.headers["Retry-After"] = str(retry_after)
    return response, status


def _handle(error: sa_exc.SQLAlchemyError) -> ResponseReturnValue:
    if not database_unavailable(error):
        raise error
    log_unavailable(error)
    message, retry_after = _words(error)
    if request.blueprint == "api":
        return api_response(error)
    if request.blueprint == "perspective":
        from moderation.perspective.errors import Unavailable

        return Unavailable(message, headers={"Retry-After": str(retry_after)}).to_response()
    g.user = None  # the page layout asks who is signed in, which would need the database again
    html = render_template("error.html", title="Temporarily unavailable", message=message)
    return html, 503, {"Retry-After": str(retry_after)}


def init_app(app: Flask) -> None:
    app.register_error_handler(sa_exc.SQLAlchemyError, _handle)
