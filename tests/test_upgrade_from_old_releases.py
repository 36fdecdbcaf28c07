"""Databases left by releases whose migrations were later edited or renamed still upgrade: an
operator's walk upgraded a 29 November database (0013_registry before it held the artifact's bytes)
and nothing was ever scored again, and one stamped 0018_revisions (since renamed) failed to upgrade."""
from __future__ import annotations

from migration_databases import fresh_database
from sqlalchemy import create_engine, text

from moderation.migrate import upgrade

DATABASE = "upgrade_from_old_releases"


def _sql(url: str, *statements: str) -> list:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            return [connection.execute(text(statement)).all() if statement.startswith("SELECT")
                    else connection.execute(text(statement)) for statement in statements]
    finally:
        engine.dispose()


def _columns(url: str) -> set[str]:
    [rows] = _sql(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'model_versions'")
    return {name for (name,) in rows}


def _stamps(url: str) -> list[str]:
    [rows] = _sql(url, "SELECT version_num FROM alembic_version ORDER BY 1")
    return [stamp for (stamp,) in rows]


def test_a_registry_made_before_it_kept_the_artifacts_bytes_gets_the_columns(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, "0013_registry")
    _sql(url, "ALTER TABLE model_versions DROP COLUMN artifact_bytes, DROP COLUMN card_bytes")  # 0013 as first released
    upgrade(url)
    assert {"artifact_bytes", "card_bytes"} <= _columns(url)
    assert _stamps(url) == ["0023_mend_registry"]


def test_a_database_stamped_with_a_renamed_migration_upgrades(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, "0021_revisions")
    _sql(url, "UPDATE alembic_version SET version_num = '0018_revisions'")  # 0021's name at 7d3d7a6
    upgrade(url)
    assert _stamps(url) == ["0023_mend_registry"]


def test_a_database_stamped_on_two_branches_since_chained_upgrades(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, "0016_shadow")
    # 82f0549: 0015_training_runs and 0016_shadow were two heads; 0016 now follows 0015.
    _sql(url, "INSERT INTO alembic_version (version_num) VALUES ('0015_training_runs')")
    upgrade(url)
    assert _stamps(url) == ["0023_mend_registry"]
