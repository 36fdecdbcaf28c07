"""`moderation status`: whether the service runs and can work, in one screen, for an operator at a
shell or a script (its exit code). There was no such command: an operator pieced it together from
`ps`, `/readyz`, `/metrics` and `webhooks dead-letters` (an operator's walk)."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import stat
import urllib.error
import urllib.request
from pathlib import Path

import click
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from moderation import db
from moderation.cli.context import command_app
from moderation.celery_app import SCORING_QUEUE, WEBHOOK_QUEUE
from moderation.config import Config

READY, NEEDS_ATTENTION, NOT_RUNNING = 0, 1, 3  # 3 as `systemctl status` says "not running"
WORKER_PING_SECONDS = 2.0
WEB_SECONDS = 2.0
# No sweep for this many intervals (and at least this long): beat is not sending them.
SWEEP_MISSED_INTERVALS, SWEEP_LATE_AFTER = 3, 120.0


def up_pid(var_dir: Path) -> int | None:
    """The pid of the `moderation up` holding var_dir (service_commands.hold_var_dir writes it), if
    that process still runs; read without taking the lock, which would refuse an `up` starting now.
    A few bytes of a regular file only: a FIFO there hung the command, /dev/zero ate the memory (a
    security review)."""
    try:
        fd = os.open(var_dir / "up.lock", os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            pid = int(os.read(fd, 32).strip())
        finally:
            os.close(fd)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()[:4096].split(b"\0")
    except (OSError, ValueError):
        return None
    # `moderation up`, or `python -m moderation.cli up` as the tests start it; not a pid reused since.
    return pid if b"up" in cmdline and any(b"moderation" in part for part in cmdline) else None


def _queues_served(celery) -> dict[str, list[str]]:
    """Each queue a worker consumes, and the workers that answered for it within the bound."""
    replies = celery.control.inspect(timeout=WORKER_PING_SECONDS).active_queues() or {}
    served: dict[str, list[str]] = {}
    for worker, queues in replies.items():
        for queue in queues or []:
            served.setdefault(queue.get("name", "?"), []).append(worker)
    return {queue: sorted(workers) for queue, workers in served.items()}


def web_address(config: Config) -> str:
    """Where this machine's web server listens (HOST:PORT), as a client reaches it."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(config.HOST, config.HOST)
    return f"[{host}]:{config.PORT}" if ":" in host else f"{host}:{config.PORT}"


def web_state(config: Config) -> str:
    """/readyz of the web server on HOST:PORT: "ok", or what it answered, or why it did not."""
    try:
        with urllib.request.urlopen(f"http://{web_address(config)}/readyz", timeout=WEB_SECONDS) as answer:
            return "ok" if answer.status == 200 else f"answered {answer.status}"
    except urllib.error.HTTPError as error:
        return f"answered {error.code} (not ready)"
    except (OSError, ValueError) as error:
        why = getattr(error, "reason", error)
        return f"no answer on {web_address(config)} ({type(why).__name__})"


def _up_web(config: Config) -> Config:
    """The HOST and PORT the running `up` serves on, as it noted them: `status` from another shell,
    without `PORT=8095`, had asked 8080 and said the web server did not answer (a make run check)."""
    from moderation.cli.service_commands import UP_WEB_FILE

    try:
        host, port = (config.VAR_DIR / UP_WEB_FILE).read_text()[:300].split()
        return dataclasses.replace(config, HOST=host, PORT=int(port))
    except (OSError, ValueError):
        return config


def gather(config: Config, *, web: bool = True) -> dict:
    """What `status` prints: every check bounded, as /readyz's are; a part that cannot be read says so."""
    from moderation.domain.operations import snapshot
    from moderation.health import select_one
    from moderation.redis_client import redis_client

    pid = up_pid(config.VAR_DIR)
    state: dict = {"up_pid": pid, "var_dir": str(config.VAR_DIR)}
    if pid is None and not config.DATABASE_URL:
        return {**state, "running": False}
    try:
        app = command_app()
    except click.ClickException as error:  # no database where `up` should have made one: not running
        return {**state, "running": False, "why": error.message}
    except OperationalError as error:  # the app's start reads the database: one that does not answer is the answer
        return {**state, "running": True, "database": f"no answer ({type(error.orig or error).__name__})",
                "broker": "not asked", "queues": None, "workers": None}
    with app.app_context():
        state["running"] = True
        try:
            select_one(db.make_ping_engine(app.config["DATABASE_URL"]))
            state["database"] = "ok"
        except Exception as error:  # noqa: BLE001 (any failure is the answer)
            state["database"] = f"no answer ({type(error).__name__})"
        try:
            redis_client(app.config["REDIS_URL"], timeout=app.config["BROKER_TIMEOUT"]).ping()
            state["broker"] = "ok"
        except Exception as error:  # noqa: BLE001
            state["broker"] = f"no answer ({type(error).__name__})"
        if state["broker"] == "ok":
            from moderation.heartbeats import sweep_age

            age = sweep_age(app.config["REDIS_URL"], timeout=app.config["BROKER_TIMEOUT"])
            state["last_sweep_seconds"] = None if age is None else round(age, 1)
            state["sweep_interval"] = app.config["SWEEP_INTERVAL"]
        state["web"] = web_state(_up_web(config) if pid else config) if web else "not asked (--no-web)"
        # Without a broker no worker can be asked; a worker's answer goes through it.
        state["queues"] = _queues_served(app.extensions["celery"]) if state["broker"] == "ok" else None
        state["workers"] = (sorted({w for workers in state["queues"].values() for w in workers})
                            if state["queues"] is not None else None)
        if state["database"] == "ok":
            from moderation.migrate import unfinished_restore

            state["unfinished_restore"] = unfinished_restore(db.session.connection())
            db.session.rollback()
            state["feed_held_by"] = _oldest_writer(db.session)
            state["storage"] = storage(db.session, config.VAR_DIR)
            snap = snapshot(db.session)
            state.update(models=[f"{scope}: {version}" for scope, version in snap.models], pending=snap.pending,
                         oldest_pending_seconds=round(snap.oldest_pending_seconds, 1), set_aside=snap.set_aside,
                         webhooks_undelivered=snap.webhooks_undelivered,
                         oldest_undelivered_seconds=round(snap.oldest_undelivered_seconds, 1), dead_letters=snap.dead_letters,
                         in_review=sum(b.waiting for b in snap.backlog))
    return state


# A transaction with an id open this long holds every site's changes feed back (domain/change_feed.py).
FEED_HELD_AFTER = 60.0
# The tables that grow with every comment, as `status` names them.
# Free space under the embedded database's disk below which `status` asks for attention: a soak walk
# measured the database growing 3.9 kB a comment (2 GB a day at 6 comments/s), and nothing said so.
DISK_LOW_SHARE = 0.10
DISK_LOW_BYTES = 2 * 1024**3


def storage(session, var_dir: Path) -> dict:  # noqa: ANN001 - a Session
    """The database's size, its growing tables', and, for the embedded database, the free space of
    the disk it is on (a server at DATABASE_URL keeps its own disk: not seen from here)."""
    from moderation.domain.operations import database_sizes  # as snapshot is: the domain on first use

    total, tables = database_sizes(session)
    found = {"database_bytes": total, "tables_bytes": tables}
    session.rollback()
    pgdata = var_dir / "pgdata"
    if pgdata.is_dir():
        usage = shutil.disk_usage(pgdata)
        found.update(disk_free_bytes=usage.free, disk_total_bytes=usage.total)
    return found


def _size(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def _oldest_writer(session) -> dict | None:  # noqa: ANN001
    """The server's oldest running transaction that holds a transaction id, if any: the changes feed
    reads only below it, so one left open anywhere on the server holds every site's feed back (an
    integrator's walk: 18 s of empty pages from an open transaction in another database). Seen only
    as far as the role may see pg_stat_activity."""
    row = session.execute(text(
        "SELECT pid, datname, application_name, extract(epoch FROM now() - xact_start) FROM pg_stat_activity "
        "WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
        "ORDER BY xact_start LIMIT 1")).first()
    session.rollback()
    if row is None:
        return None
    pid, database, application, seconds = row
    return {"pid": pid, "database": database, "application": application or "", "seconds": round(float(seconds), 1)}


def verdict(state: dict) -> tuple[int, list[str]]:
    """The exit code, and what needs a person's attention."""
    from moderation.domain.health import STALLED_AFTER

    if not state["running"]:
        return NOT_RUNNING, []
    problems = []
    if state["database"] != "ok":
        problems.append("the database does not answer")
    if state["broker"] == "not asked":
        pass
    elif state["broker"] != "ok":
        problems.append("the broker does not answer: comments are stored but not scored")
    else:
        # Each queue, not any worker: with the scoring worker stopped it said "ok" for two minutes, and
        # with the webhook worker stopped for good (a re-check).
        for queue, what in ((SCORING_QUEUE, "comments are not scored"), (WEBHOOK_QUEUE, "webhook events are not sent")):
            if not state["queues"].get(queue):
                problems.append(f"no worker for the {queue} queue answered within {WORKER_PING_SECONDS:g} s: {what}")
    if state.get("web", "ok") != "ok" and not state["web"].startswith("not asked"):
        problems.append(f"the web server {state['web']}: sites cannot post comments, moderators cannot sign in")
    late = max(SWEEP_LATE_AFTER, SWEEP_MISSED_INTERVALS * state.get("sweep_interval", 0))
    if (state.get("last_sweep_seconds") or 0) > late:
        # The sweep waits in the scoring queue: behind long scoring batches it is late with beat
        # running, and a chaos walk's operator was sent to look at beat while the workers were busy.
        busy = state.get("oldest_pending_seconds", 0) > late
        problems.append(f"no sweep has run for {state['last_sweep_seconds']:.0f} s (beat sends one every "
                        f"{state['sweep_interval']:g} s): "
                        + ("the scoring workers may be busy (it waits in their queue, and a comment has waited "
                           f"{state['oldest_pending_seconds']:.0f} s to be scored), or beat is not running"
                           if busy else "is beat running?")
                        + " Comments whose task was lost are not sent again, and storms do not end")
    if state.get("unfinished_restore"):
        problems.append(state["unfinished_restore"])
    held = state.get("feed_held_by")
    if held and held["seconds"] > FEED_HELD_AFTER:
        problems.append(f"a transaction open {held['seconds']:.0f} s (pid {held['pid']}, database {held['database']}"
                        + (f", {held['application']}" if held["application"] else "")
                        + ") holds back every site's changes feed: end it, or set idle_in_transaction_session_timeout")
    if state.get("oldest_undelivered_seconds", 0) > STALLED_AFTER:
        problems.append(f"a webhook event has waited {state['oldest_undelivered_seconds']:.0f} s to be delivered "
                        "(an endpoint failing, or no webhook worker)")
    if state.get("oldest_pending_seconds", 0) > STALLED_AFTER:
        problems.append(f"a comment has waited {state['oldest_pending_seconds']:.0f} s to be scored")
    disk = state.get("storage") or {}
    if "disk_free_bytes" in disk and (disk["disk_free_bytes"] < DISK_LOW_BYTES
                                      or disk["disk_free_bytes"] < DISK_LOW_SHARE * disk["disk_total_bytes"]):
        problems.append(f"the database's disk has {_size(disk['disk_free_bytes'])} free: the database grows about "
                        "4 kB a comment (docs/api.md, \"How big it grows\")")
    if state.get("set_aside"):
        problems.append(f"{state['set_aside']} comment(s) set aside: /admin/set-aside")
    if state.get("dead_letters"):
        problems.append(f"{state['dead_letters']} webhook dead letter(s): `moderation webhooks dead-letters`")
    return (NEEDS_ATTENTION if problems else READY), problems


def _lines(state: dict, problems: list[str]) -> list[str]:
    if not state["running"]:
        return [state.get("why") or f"not running: no `moderation up` on {state['var_dir']}, and DATABASE_URL is not set"]
    service = (f"`moderation up`, pid {state['up_pid']}" if state["up_pid"]
               else "DATABASE_URL's database (no `moderation up` here)")
    lines = [f"service:    {service}",
             f"database:   {state['database']}", f"broker:     {state['broker']}"]
    if "web" in state:
        lines.append(f"web:        {state['web']}")
    if "last_sweep_seconds" in state:
        lines.append("beat:       " + (f"last sweep {state['last_sweep_seconds']:g} s ago"
                                       if state["last_sweep_seconds"] is not None else
                                       f"no sweep recorded yet (the first comes {state['sweep_interval']:g} s "
                                       "after beat starts)"))
    if state["workers"] is not None:
        lines.append(f"workers:    {len(state['workers'])} answered" + (f" ({', '.join(state['workers'])})" if state["workers"] else ""))
        lines.append("queues:     " + ("; ".join(f"{q} served by {len(w)} worker{'' if len(w) == 1 else 's'}"
                                                for q, w in sorted(state["queues"].items())) or "none served"))
    if "pending" in state:
        lines += [f"models:     {'; '.join(state['models']) or 'none registered yet'}",
                  f"scoring:    {state['pending']:,} pending, the oldest {state['oldest_pending_seconds']:g} s",
                  f"review:     {state['in_review']:,} in the queue",
                  f"webhooks:   {state['webhooks_undelivered']:,} to deliver"
                  # How long the oldest has waited, as the README promises, before it is a problem (120 s).
                  + (f", the oldest {state['oldest_undelivered_seconds']:g} s" if state["webhooks_undelivered"] else "")
                  + f", {state['dead_letters']:,} dead letters",
                  f"set aside:  {state['set_aside']:,}"]
    if state.get("storage"):
        disk = state["storage"]
        lines.append(f"storage:    database {_size(disk['database_bytes'])} ("
                     + ", ".join(f"{name} {_size(size)}" for name, size in disk["tables_bytes"].items()) + ")"
                     + (f"; {_size(disk['disk_free_bytes'])} free on its disk" if "disk_free_bytes" in disk else ""))
    lines.append("status:     " + ("ok" if not problems else "needs attention:"))
    lines += [f"  - {problem}" for problem in problems]
    return lines


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the state as one JSON object.")
@click.option("--no-web", "no_web", is_flag=True,
              help="This machine runs no web server (a worker machine): do not ask HOST:PORT.")
def status_command(as_json: bool, no_web: bool) -> None:
    """Whether the service runs and can work: `up` on this var dir (or DATABASE_URL), database,
    broker, the web server on HOST:PORT, beat's last sweep, workers answering, backlog, review queue,
    webhooks, comments set aside.

    Exits 0 when all is well, 1 when something needs attention (listed), 3 when not running.
    Starts nothing: without DATABASE_URL and with no `moderation up` on MODERATION_VAR_DIR, it says so."""
    # The app's start-up lines are not the answer. Set for this command only: left set, a test
    # process that ran `status` in-process gave every later command it started LOG_LEVEL=WARNING,
    # and `db upgrade` no longer said what it migrated (a fresh-clone run).
    quiet = "LOG_LEVEL" not in os.environ
    if quiet:
        os.environ["LOG_LEVEL"] = "WARNING"
    try:
        state = gather(Config.from_env(), web=not no_web)
    finally:
        if quiet:
            os.environ.pop("LOG_LEVEL", None)
    code, problems = verdict(state)
    click.echo(json.dumps({**state, "problems": problems}) if as_json else "\n".join(_lines(state, problems)))
    raise SystemExit(code)
