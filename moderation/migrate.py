"""Run Alembic migrations from code, so `moderation db upgrade` and `moderation up` need no alembic.ini."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError

from moderation.db import TCP_SETTINGS

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 727274  # two processes starting at once must not both migrate (migrations/env.py)
log = logging.getLogger(__name__)


class _QuietChecks(logging.Filter):
    """Alembic names the database's dialect and DDL mode each time it looks, and every admin command
    looks (it migrates first, in case): two log lines above the key or the user the command was run
    for. The migrations it runs ("Running upgrade ...") still print."""

    SAID_EVERY_TIME = ("Context impl ", "Will assume ")

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.SAID_EVERY_TIME)


logging.getLogger("alembic.runtime.migration").addFilter(_QuietChecks())


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would read the '%' of an escaped URL as a variable.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


# Migrations renamed after they were committed (bb264d7: 0018_revisions became 0021_revisions, with
# the same parent, 0020_storms, so the same schema): a database stamped with the old name failed
# to upgrade with "Can't locate revision identified by '0018_revisions'".
RENAMED = {"0018_revisions": "0021_revisions"}


def known_revisions(url: str) -> set[str]:
    """Every migration this code has, under old names too: a database stamped with any other is newer."""
    script = ScriptDirectory.from_config(alembic_config(url))
    return {r.revision for r in script.walk_revisions()} | set(RENAMED)


class NewerDatabase(CommandError):
    """The database carries a migration this code does not have: a newer release migrated it."""


def upgrade(url: str, revision: str = "head") -> None:
    cfg = alembic_config(url)
    try:
        before = _mend_stamps(url, ScriptDirectory.from_config(cfg))
        command.upgrade(cfg, revision)
        if before and revision == "head":
            _record_migrated(url, before)
    except RevisionError as error:
        # Alembic's ResolutionError is no CommandError: `db upgrade` and `up` printed 50 lines of
        # traceback for a database a newer release had migrated (an operator's walk, going back a release).
        raise NewerDatabase(f"the database is at a migration this release does not have ({error}): a newer release "
                            "migrated it. Run that release again, or restore the dump taken before upgrading "
                            "(`moderation db restore`)") from None


# On a server older than 17 a restore is not one transaction: killed part-way (a dropped ssh
# session, the OOM killer), it left an empty database that `db upgrade` called up to date and the
# service would have served, every key refused and no admin to sign in (an operator's walk on
# Debian 12's PostgreSQL 15). A table the dump does not hold survives pg_restore --clean
# (backup.restore makes it): while it is there, the service and the commands refuse the database.
RESTORE_MARKER = "restore_in_progress"


def unfinished_restore(connection) -> str | None:  # noqa: ANN001
    """Why the database is not to be used, if a restore into it was cut short; None otherwise."""
    if connection.execute(text("SELECT to_regclass(:t)"), {"t": RESTORE_MARKER}).scalar_one() is None:
        return None
    row = connection.execute(text(f"SELECT source, started_at FROM {RESTORE_MARKER} LIMIT 1")).first()
    source, started = (row[0], f"{row[1]:%Y-%m-%d %H:%M} UTC") if row else ("the dump", "some time")
    return (f"a restore of {source} into this database, begun {started}, did not finish: it holds part of the "
            f"backup. Run `moderation db restore {source}` again before starting anything")


def refuse_newer(url: str) -> None:
    """NewerDatabase if the database carries a migration this code lacks. A process that is not
    `db upgrade` (web, a worker, beat) had started on a newer release's schema and worked on it:
    an operator going back a release restarted them before restoring (an operator's walk). A
    database that does not answer yet is left to the process's own retries."""
    engine = create_engine(url, connect_args={"connect_timeout": 10, **TCP_SETTINGS})
    try:
        with engine.connect() as connection:
            half = unfinished_restore(connection)
            if half is not None:
                raise NewerDatabase(half)
            if not inspect(connection).has_table("alembic_version"):
                return
            stamps = set(connection.scalars(text("SELECT version_num FROM alembic_version")))
    except OperationalError as error:
        log.warning("could not read the database's migration before starting (%s); starting anyway",
                    type(error.orig or error).__name__)
        return
    finally:
        engine.dispose()
    unknown = sorted(stamps - known_revisions(url))
    if unknown:
        raise NewerDatabase(f"the database is at a migration this release does not have ({unknown[0]}): a newer "
                            "release migrated it. Run that release again, or restore the dump taken before upgrading "
                            "(`moderation db restore`)")


def _mend_stamps(url: str, script: ScriptDirectory) -> list[str]:
    """Rewrite alembic_version as today's migrations name it: renamed revisions under their new
    names, and no stamp that is an ancestor of another (0014-0016 were once two branches, later
    chained, so a database of that time holds two stamps where one now follows the other). The
    stamps as mended; none for a database never migrated."""
    # Bounded as env.py's engine is: a server that takes the connection and never answers hung here.
    engine = create_engine(url, connect_args={"connect_timeout": 10, **TCP_SETTINGS})
    try:
        with engine.begin() as connection:
            half = unfinished_restore(connection)  # on this connection: one more would cost every start its own
            if half is not None:
                raise NewerDatabase(half)
            if not inspect(connection).has_table("alembic_version"):
                return []
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")  # as env.py
            stamps = set(connection.scalars(text("SELECT version_num FROM alembic_version")))
            known = {RENAMED.get(stamp, stamp) for stamp in stamps}
            try:
                below = {stamp: {r.revision for r in script.iterate_revisions(stamp, "base")} - {stamp}
                         for stamp in known}
            except CommandError:
                return []  # a stamp no release of ours wrote: alembic says so in its own words
            heads = {stamp for stamp in known if not any(stamp in below[other] for other in known)}
            if heads != stamps:
                log.warning("database migration stamps %s read as %s", sorted(stamps), sorted(heads))
                connection.execute(text("DELETE FROM alembic_version"))
                for head in sorted(heads):
                    connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})
            return sorted(heads)
    finally:
        engine.dispose()


def _record_migrated(url: str, before: list[str]) -> None:
    """An audit entry for migrations run on a database that had some: an operator asking what changed
    on the day of an upgrade found only its side notices in the log. Once, though two processes
    starting at once both see the old stamp."""
    engine = create_engine(url, connect_args={"connect_timeout": 10, **TCP_SETTINGS})
    try:
        with engine.begin() as connection:
            after = sorted(connection.scalars(text("SELECT version_num FROM alembic_version")))
            if after == before:
                return
            details = {"from": ", ".join(before), "to": ", ".join(after)}
            connection.execute(text(
                "INSERT INTO audit_log (actor, action, details) SELECT 'system:upgrade', 'db:migrated', CAST(:d AS jsonb) "
                "WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE action = 'db:migrated' AND details = CAST(:d AS jsonb) "
                "AND at > now() - interval '10 minutes')"),
                {"d": json.dumps(details)})
    finally:
        engine.dispose()


def revision(url: str, message: str) -> None:
    command.revision(alembic_config(url), message=message, autogenerate=True)
