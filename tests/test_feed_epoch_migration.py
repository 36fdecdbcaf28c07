"""Each database's changes feed has an epoch of its own, so one's cursor is not taken by another.

An integrator's walk: every install started at epoch 1, and a poller pointed at a drill restored
from production's dump took production's cursor and skipped every change.
"""
from __future__ import annotations

from migration_databases import fresh_database
from sqlalchemy import create_engine, text

from moderation.backup import after_restore
from moderation.migrate import upgrade


def _epoch(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT last_value FROM change_feed_epoch")).scalar_one())
    finally:
        engine.dispose()


def test_two_new_databases_and_a_restore_each_have_their_own_epoch(services):
    staging, production = (fresh_database(services.database_url, f"feed_epoch_{name}") for name in ("a", "b"))
    for url in (staging, production):
        upgrade(url)
    epochs = [_epoch(staging), _epoch(production)]
    after_restore(production)
    epochs.append(_epoch(production))
    assert len(set(epochs)) == 3 and 1 not in epochs, epochs
