"""/healthz (the process answers) and /readyz (it can work: database, broker, model, backlog).

Both are public and read nothing about any site. docker-compose's healthchecks call them.
/readyz answers 200 when "ok", "degraded" or "overloaded" (other sites' comments, reads and the
review pages are still served) and 503 when "unavailable", so a load balancer stops sending work
only where it cannot be done.
"""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.engine import Engine

from moderation import db
from moderation.domain.health import Readiness, readiness
from moderation.redis_client import redis_client

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


def select_one(engine: Engine) -> None:
    """The database's ping, on an engine bounded as db.make_ping_engine makes one: /readyz's and `moderation status`'s."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _log_change(state: Readiness) -> None:
    """A line when this process's readiness changes: /readyz had answered 503 for a minute with
    nothing in the log to say why (an operator's walk)."""
    failing = ", ".join(f"{name} {check.get('error')}" for name, check in state.checks.items() if not check["ok"])
    backlog = state.backlog or {}
    if not failing and state.status != "ok" and backlog:
        # Why, when no check fails: the backlog (an operator's walk: "readiness is degraded", nothing more).
        failing = (f"scoring stalled: the oldest pending comment has waited {backlog['oldest_pending_seconds']:g} s"
                   if backlog.get("stalled") else
                   f"{backlog['pending']:,} comments pending, past the soft limit of {backlog['soft_limit']:,}")
        # Said once for the state, not again as its numbers move.
        said, text = (state.status, "stalled" if backlog.get("stalled") else "backlog"), f"readiness is {state.status}: {failing}"
    else:
        said, text = (state.status, failing), f"readiness is {state.status}" + (f": {failing} failing" if failing else "")
    if current_app.extensions.get("health_said", ("ok", "")) == said:
        return
    current_app.extensions["health_said"] = said
    if state.status == "ok":
        log.warning("ready again")  # at the level of what it ends: at LOG_LEVEL=WARNING the last word had been "degraded"
    else:
        log.warning("%s", text)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    config = current_app.config
    broker = current_app.extensions.get("health_redis")
    if broker is None:
        broker = current_app.extensions["health_redis"] = redis_client(config["REDIS_URL"], timeout=config["BROKER_TIMEOUT"])
    ping = current_app.extensions.get("health_db")
    if ping is None:
        ping = current_app.extensions["health_db"] = db.make_ping_engine(config["DATABASE_URL"])
    state = readiness(db.session, database=lambda: select_one(ping), broker=broker,
                      default_model=current_app.extensions["models"].default,
                      soft_limit=config["BACKPRESSURE_SOFT_LIMIT"], hard_limit=config["BACKPRESSURE_HARD_LIMIT"])
    _log_change(state)
    response = jsonify(state.as_json())
    response.headers["Cache-Control"] = "no-store"
    if state.backlog and state.backlog["retry_after"]:
        response.headers["Retry-After"] = str(state.backlog["retry_after"])
    return response, 200 if state.ready else 503
