"""One engine per process and a session scoped to the Flask app context (web request or Celery task)."""
from __future__ import annotations

import os
import threading
import time
from typing import TypeVar

from flask import Flask, abort, current_app
from sqlalchemy import create_engine, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from sqlalchemy.pool import NullPool

from moderation.domain.dispatch import DISPATCHER
from moderation.domain.settings import SETTINGS

T = TypeVar("T")

# Each app's own sessions: bound to its engine and carrying its services. One sessionmaker for the
# process was configured by whichever create_app ran last, so a second app (a test's app_with, with
# a dead Redis) handed its dispatcher and settings to the first app's sessions (an onboarding review).
SESSIONS = "db_sessions"  # app.extensions key


def _app_session() -> Session:
    return current_app.extensions[SESSIONS]()


def _scope() -> tuple[int, int]:
    # Per thread and per app, and removed when each app context (a request, a Celery task) ends.
    return threading.get_ident(), id(current_app._get_current_object())  # type: ignore[attr-defined]


session = scoped_session(_app_session, scopefunc=_scope)


# A pooled connection idle longer than this is pinged before use. SQLAlchemy's pool_pre_ping pings
# on every checkout: a sixth of a comment POST's PostgreSQL round trips, spent under load on
# connections used milliseconds ago. A server restart is still noticed by the next request after
# a pause, and a connection that dies mid-burst fails that one statement and invalidates the pool.
PING_AFTER_IDLE_SECONDS = 5.0


# PostgreSQL refuses a statement_timeout past INT_MAX milliseconds (about 24 days), and with it the
# connection: a larger setting means "no practical limit", not "no database".
MAX_STATEMENT_TIMEOUT_MS = 2**31 - 1


# A server that stops answering mid-statement (a hung host, a network partition) would hold a
# request on a pooled connection for as long as TCP lets it: minutes. With these, libpq gives up
# on data the server has not acknowledged in 15 s, and on an idle connection after about 40 s.
TCP_SETTINGS = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 10, "keepalives_count": 3,
                "tcp_user_timeout": 15_000}
# /readyz's database check: a fresh connection, so a server that takes connections but answers none
# (a stalled postmaster) is "unavailable" within this many seconds instead of hanging the probe.
PING_TIMEOUT_SECONDS = 2


def application_name() -> str:
    """What pg_stat_activity shows for this process's connections: whose they are, for an operator,
    and for `db restore`, which refuses while any but its own are open."""
    return f"moderation (pid {os.getpid()})"


def make_engine(url: str, statement_timeout: float = 0.0) -> Engine:
    connect_args: dict[str, object] = {"connect_timeout": 10, "application_name": application_name(), **TCP_SETTINGS}
    if statement_timeout > 0:  # 0: no limit (Config refuses negative and NaN; other callers may not)
        milliseconds = min(statement_timeout * 1000, MAX_STATEMENT_TIMEOUT_MS)
        connect_args["options"] = f"-c statement_timeout={max(1, round(milliseconds))}"
    # hide_parameters: an error's log line would otherwise carry the statement's values, and those can
    # be a password's hash, a webhook secret or a comment's text that was since erased.
    engine = create_engine(url, pool_size=5, max_overflow=10, pool_timeout=10, connect_args=connect_args,
                           hide_parameters=True)

    @event.listens_for(engine, "checkin")
    def _note_idle_since(dbapi_connection, record) -> None:  # noqa: ANN001 - SQLAlchemy's signature
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy) -> None:  # noqa: ANN001
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: the pool reconnects and retries the checkout
            raise exc.InvalidatePoolError(str(error)) from error

    return engine


def make_ping_engine(url: str) -> Engine:
    """Unpooled, every wait bounded by PING_TIMEOUT_SECONDS: a connection costs /readyz a few
    milliseconds, and a stuck one is never handed to a request."""
    timeout = PING_TIMEOUT_SECONDS
    return create_engine(url, poolclass=NullPool, hide_parameters=True, connect_args={
        "connect_timeout": timeout, "options": f"-c statement_timeout={timeout * 1000}",
        **TCP_SETTINGS, "tcp_user_timeout": timeout * 1000})


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], app.config.get("DATABASE_STATEMENT_TIMEOUT", 0.0))
    app.extensions["db_engine"] = engine
    app.extensions[SESSIONS] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _remove_session(exc: BaseException | None) -> None:
        session.remove()


def carry(app: Flask, dispatcher: object, settings: object) -> None:
    """The app's sessions carry its dispatcher (moderation/domain/dispatch.py) and the settings domain
    functions read (moderation/domain/settings.py)."""
    app.extensions[SESSIONS].configure(info={DISPATCHER: dispatcher, SETTINGS: settings})


def get_or_404(model: type[T], ident: object) -> T:
    """The row with this primary key, or a 404 for the page asking (Flask-SQLAlchemy's helper)."""
    row = session.get(model, ident)
    if row is None:
        abort(404)
    return row
