"""One engine per process and a session scoped to the Flask app context (web request or Celery task)."""
from __future__ import annotations

from typing import TypeVar

from flask import Flask, abort
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import scoped_session, sessionmaker

T = TypeVar("T")

_sessions = sessionmaker(expire_on_commit=False)
# Thread-local, and removed when each app context (a request, a Celery task) ends.
session = scoped_session(_sessions)


def make_engine(url: str) -> Engine:
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        pool_timeout=10,
        connect_args={"connect_timeout": 10},
    )


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    _sessions.configure(bind=engine)

    @app.teardown_appcontext
    def _remove_session(exc: BaseException | None) -> None:
        session.remove()


def get_or_404(model: type[T], ident: object) -> T:
    """The row with this primary key, or a 404 for the page asking (Flask-SQLAlchemy's helper)."""
    row = session.get(model, ident)
    if row is None:
        abort(404)
    return row
