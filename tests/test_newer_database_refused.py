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


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_this_releases_database_starts_them(app, services, started):
    for command in COMMANDS:
        done = CliRunner().invoke(main, command, env=services.env(SECRET_KEY=KEY, PORT=str(_free_port())))
        assert done.exit_code == 0, (command, done.output)
    assert len(started) == 3


def test_a_restore_cut_short_leaves_a_database_everything_refuses_until_it_is_run_again(services, started, tmp_path):
    """An operator's walk on PostgreSQL 15: a restore killed part-way left an empty database that
    `db upgrade` called up to date, and the service would have served it with no keys and no admin."""
    from moderation.backup import _mark_restoring, _unmark_restoring
    from moderation.migrate import upgrade

    url = fresh_database(services.database_url, "half_restored")
    upgrade(url)
    dump = tmp_path / "nightly.dump"
    dump.write_bytes(b"")
    _mark_restoring(url, dump)  # as restore() does before pg_restore on a server older than 17
    env = {**services.env(SECRET_KEY=KEY), "DATABASE_URL": url}
    for command in (*COMMANDS, ["db", "upgrade"], ["status", "--no-web"]):
        done = CliRunner().invoke(main, command, env=env)
        assert done.exit_code == 1, (command, done.output)
        assert f"a restore of {dump} into this database" in done.output and "did not finish" in done.output, done.output
        assert f"moderation db restore {dump}` again" in " ".join(done.output.split())
    assert started == []
    _unmark_restoring(url)  # as a restore that finishes does
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0


def test_a_metrics_port_in_use_is_one_line_naming_it(app, services, started):
    """An operator's walk: gunicorn died with a 35-line traceback that named no setting, crash-looping."""
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        done = CliRunner().invoke(main, ["web"], env=services.env(SECRET_KEY=KEY, PORT=str(_free_port()),
                                                                  METRICS_PORT=str(port)))
    assert done.exit_code == 1 and started == []
    assert done.output == f"Error: 127.0.0.1:{port} is in use: stop what listens there, or give this service another METRICS_PORT\n"
