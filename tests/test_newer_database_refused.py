"""web, a worker and beat refuse, in one line, to start on a database a newer release migrated.

An operator's walk, going back a release: only `db upgrade` refused; the older release's web,
workers and beat started and worked on the newer schema (a comment written by old code into it).
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from migration_databases import fresh_database
from sqlalchemy import create_engine, text

from moderation.cli import main
from moderation.cli import service_commands

KEY = "a-test-secret-key-of-forty-characters-00"
COMMANDS = (["web"], ["worker", "--queues", "moderation"], ["beat"])


@pytest.fixture
def started(monkeypatch):
    """The commands' exec, caught: what would have started."""
    execs = []

    def caught(argv):
        execs.append(argv)
        raise SystemExit(0)

    monkeypatch.setattr(service_commands, "_exec", caught)
    return execs


def test_a_newer_releases_database_is_refused_and_nothing_starts(services, started):
    url = fresh_database(services.database_url, "newer_release")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('0099_from_a_newer_release')"))
    engine.dispose()
    for command in COMMANDS:
        done = CliRunner().invoke(main, command, env={**services.env(SECRET_KEY=KEY), "DATABASE_URL": url})
        assert done.exit_code == 1, (command, done.output)
        assert done.output.startswith("Error: the database is at a migration this release does not have "
                                      "(0099_from_a_newer_release)"), done.output
        assert "Traceback" not in done.output
    assert started == []


def test_this_releases_database_starts_them(app, services, started):
    for command in COMMANDS:
        done = CliRunner().invoke(main, command, env=services.env(SECRET_KEY=KEY))
        assert done.exit_code == 0, (command, done.output)
    assert len(started) == 3
