"""A database of its own on the test server, for tests that run migrations from an old revision."""
from __future__ import annotations

from sqlalchemy import create_engine, make_url, text


def fresh_database(url: str, name: str) -> str:
    """Drop and create database `name` beside `url`'s; its URL."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)
