"""Databases left by releases whose migrations were later edited or renamed still upgrade: an
operator's walk upgraded a 29 November database (0013_registry before it held the artifact's bytes)
and nothing was ever scored again, and one stamped 0018_revisions (since renamed) failed to upgrade."""
from __future__ import annotations

from datetime import datetime, timezone

from alembic.script import ScriptDirectory
from migration_databases import fresh_database
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from moderation.migrate import alembic_config, upgrade

DATABASE = "upgrade_from_old_releases"
HEAD = ScriptDirectory.from_config(alembic_config("postgresql://unused")).get_current_head()


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
    assert _stamps(url) == [HEAD]


def test_a_database_stamped_with_a_renamed_migration_upgrades(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, "0021_revisions")
    _sql(url, "UPDATE alembic_version SET version_num = '0018_revisions'")  # 0021's name at 7d3d7a6
    upgrade(url)
    assert _stamps(url) == [HEAD]


def test_a_database_stamped_on_two_branches_since_chained_upgrades(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, "0016_shadow")
    # 82f0549: 0015_training_runs and 0016_shadow were two heads; 0016 now follows 0015.
    _sql(url, "INSERT INTO alembic_version (version_num) VALUES ('0015_training_runs')")
    upgrade(url)
    assert _stamps(url) == [HEAD]


def test_reports_left_open_on_comments_deleted_before_the_upgrade_close_as_removed(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, "0023_mend_registry")
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            # In SQL: today's Site and Comment have columns later migrations add.
            site_id = session.execute(text("INSERT INTO sites (name, key_id, key_hash, webhook_secret) "
                                           "VALUES ('daily-planet', 'k1', 'h', 's') RETURNING id")).scalar()
            ids = tuple(session.execute(text(
                "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, status, "
                "status_changed_at) VALUES (:site, :ext, 's-1', 'a-1', 'x', :status, :status, :at) RETURNING id"),
                {"site": site_id, "ext": f"c-{status}", "status": status,
                 "at": datetime(2026, 11, 30, 10, tzinfo=timezone.utc)}).scalar() for status in ("deleted", "published"))
            for comment_id in ids:
                session.execute(text("INSERT INTO reports (comment_id, reason, weight) VALUES (:c, 'spam', 1.0)"),
                                {"c": comment_id})
            session.commit()
    finally:
        engine.dispose()
    upgrade(url)
    [rows] = _sql(url, f"SELECT outcome, resolved_at = '2026-11-30T10:00:00Z' FROM reports "
                       f"ORDER BY comment_id = {ids[1]}")
    assert [tuple(r) for r in rows] == [("removed", True), (None, None)]


def test_a_database_a_newer_release_migrated_is_refused_in_one_line(services):
    """Going back a release: `db upgrade` and `up` printed Alembic's 50-line traceback (an operator's walk)."""
    from click.testing import CliRunner

    from moderation.cli import main

    url = fresh_database(services.database_url, DATABASE)
    upgrade(url)
    _sql(url, "UPDATE alembic_version SET version_num = '0099_from_a_newer_release'")

    result = CliRunner().invoke(main, ["db", "upgrade"],
                                env={**services.env(), "SECRET_KEY": "test-secret", "DATABASE_URL": url})

    assert result.exit_code == 1
    assert result.output.startswith("Error: the database is at a migration this release does not have")
    assert "0099_from_a_newer_release" in result.output and "Traceback" not in result.output
    assert "restore the dump taken before upgrading" in result.output
    assert _stamps(url) == ["0099_from_a_newer_release"]  # left as it was
    # Every admin command migrates first: each says the same in one line (a re-check: `keys list`, 35 lines).
    listed = CliRunner().invoke(main, ["keys", "list"],
                                env={**services.env(), "SECRET_KEY": "test-secret", "DATABASE_URL": url})
    assert listed.exit_code == 1 and listed.output.startswith("Error: the database is at a migration")
