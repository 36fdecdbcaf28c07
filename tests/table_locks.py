"""A table held locked by another connection, as a VACUUM FULL or a long migration holds it."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text


@contextmanager
def table_locked(database_url: str, table: str, *, hold_for: float = 60.0) -> Iterator[None]:
    """ACCESS EXCLUSIVE on `table` from a connection of its own while the block runs."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        engine = create_engine(database_url)
        try:
            with engine.begin() as connection:
                connection.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
                locked.set()
                release.wait(hold_for)
        finally:
            engine.dispose()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10), f"could not lock {table}"
        yield
    finally:
        release.set()
        holder.join()
