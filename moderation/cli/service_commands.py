"""Running the service: everything at once (`up`), or one process per command for production."""
from __future__ import annotations

import errno
import fcntl
import os
import socket
import sys
from pathlib import Path
from typing import IO

import click
from sqlalchemy import create_engine, func, select

from moderation.celery_app import SCORING_QUEUE, TRAINING_QUEUE, WEBHOOK_QUEUE
from moderation.cli.context import echo_upgrade_hints
from moderation.cli.supervisor import Supervisor
from moderation.config import Config, check_secret_key
from moderation.embedded import BrokerDidNotStart, NoDatabase, PostgresWatch, resolve_urls, start_redis
from moderation.observability import metrics


def web_argv(config: Config) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn",
        "--workers", str(config.WEB_WORKERS),
        # gthread, answering what gunicorn refuses itself (a request line or headers too long) in JSON.
        "--worker-class", "moderation.web_worker.ThreadWorker", "--threads", "4",
        "--bind", f"{config.HOST}:{config.PORT}",
        "--preload",  # load the model once, before forking
        # Its control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl): a second
        # instance on the host took it over, and stopping one removed the other's. Nothing uses it.
        "--no-control-socket",
        "--log-level", config.LOG_LEVEL.lower(),
        # The path without the query string: Perspective clients put their API key in ?key=.
        *(["--access-logfile", "-", "--access-logformat", '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms %({moderation.who}e)s',
           "--logger-class", "moderation.observability.access_log.AccessLogger"]
          if config.ACCESS_LOG else []),
        "--graceful-timeout", "10",
        # Longer than a client keeps an idle connection (Node's agent: 5 s): at gunicorn's 2 s a Node
        # keep-alive client (Coral) reusing one just as gunicorn closed it got ECONNRESET, and
        # published that comment unscored (a migrating site's walk: 4 of 400). Not much longer: idle
        # connections hold no thread but count against worker_connections (1,000), past which a worker
        # accepts nothing, and at 75 s 2,100 idle sockets from one client stopped the API for 75 s (a
        # security review). The bare port is not for the internet: the proxy in front takes those.
        "--keep-alive", "10",
        # Starts the METRICS_PORT server, if set, in the master process.
        "--config", "python:moderation.observability.gunicorn_hooks",
        "moderation.wsgi:app",
    ]


DEFAULT_QUEUES = f"{SCORING_QUEUE},{WEBHOOK_QUEUE}"


def worker_role(queues: str) -> str:
    """"trainer", "webhooks" (webhooks only) or "worker": its metrics files and host name."""
    names = set(queues.split(","))
    return "trainer" if TRAINING_QUEUE in names else "webhooks" if names == {WEBHOOK_QUEUE} else "worker"


def worker_argv(config: Config, queues: str = DEFAULT_QUEUES) -> list[str]:
    """A scoring worker (queue "moderation", with "webhooks" unless a webhook worker runs beside
    it); the webhook worker: threads, since a POST waits on the site's server, not on a core; or
    the trainer (queue "training"): one process at a time, a fresh one per run so the gigabytes a
    training run used go back to the system."""
    role = worker_role(queues)
    concurrency = {"trainer": 1, "webhooks": config.WEBHOOK_CONCURRENCY}.get(role, config.WORKER_CONCURRENCY)
    argv = [
        sys.executable, "-m", "celery", "-A", "workers.entry", "worker",
        "--loglevel", config.LOG_LEVEL, "--concurrency", str(concurrency), "-Q", queues,
        # Workers share nothing but the queue; gossip and mingle only slow start-up.
        "--without-gossip", "--without-mingle",
        "--hostname", f"{role}-{os.getpid()}@%h",
    ]
    if role == "trainer":
        argv += ["--prefetch-multiplier", "1", "--max-tasks-per-child", "1"]
    if role == "webhooks":
        argv += ["--pool", "threads"]
    return argv


def beat_argv(config: Config) -> list[str]:
    config.VAR_DIR.mkdir(parents=True, exist_ok=True)
    return [
        sys.executable, "-m", "celery", "-A", "workers.beat_entry", "beat",
        "--loglevel", config.LOG_LEVEL, "--schedule", str(config.VAR_DIR / "celerybeat-schedule"),
    ]


def _metrics_dir(config: Config):
    return metrics.metrics_dir(config.VAR_DIR, config.METRICS_DIR)


def _fresh_metrics(config: Config, role: str) -> None:
    """Counts left by this kind of process's earlier runs go: a restarted service starts from zero
    (Prometheus reads a reset counter as one). Other kinds sharing the directory keep theirs."""
    directory = _metrics_dir(config)
    directory.mkdir(parents=True, exist_ok=True)
    metrics.clear_role(directory, role)


def _exec(argv: list[str]) -> None:
    os.execv(argv[0], argv)


def _resolve(config: Config) -> None:
    """The embedded servers' URLs where unset; NoDatabase (a var dir whose database moved) in one line."""
    try:
        resolve_urls(config, need_redis=False)
    except NoDatabase as error:
        raise click.ClickException(str(error)) from None


def _refuse_newer_database(config: Config) -> None:
    """One line, and no start, on a database a newer release migrated (migrate.refuse_newer)."""
    from moderation.migrate import NewerDatabase, refuse_newer

    try:
        refuse_newer(config.DATABASE_URL)
    except NewerDatabase as error:
        raise click.ClickException(str(error)) from None


@click.command("web")
def web_command() -> None:
    """Serve the web app with gunicorn on $HOST:$PORT (default 127.0.0.1:8080)."""
    config = Config.from_env()
    check_secret_key(config.SECRET_KEY)
    _resolve(config)
    _refuse_newer_database(config)
    check_ports_free(config)
    _fresh_metrics(config, "web")
    _exec(web_argv(config))


@click.command("worker")
@click.option("--queues", default=DEFAULT_QUEUES, show_default=True,
              help='"moderation": score comments; "webhooks": deliver webhooks, in WEBHOOK_CONCURRENCY threads '
                   "(run one beside the scoring workers so a hanging endpoint never holds them); "
                   '"training": train candidates from /admin/training, one at a time (run exactly one such worker).')
def worker_command(queues: str) -> None:
    """Run a Celery worker that scores comments and delivers webhooks (or trains, with --queues training)."""
    known = (SCORING_QUEUE, WEBHOOK_QUEUE, TRAINING_QUEUE)
    # A typo gave a worker that consumed a queue nothing sends to, saying nothing (an operator's walk).
    unknown = [name for name in queues.split(",") if name not in known]  # " webhooks" too: Celery keeps the space
    if unknown:
        raise click.BadParameter(f"no queue {', '.join(map(repr, unknown))}: the queues are {', '.join(known)}",
                                 param_hint="--queues")
    config = Config.from_env()
    _resolve(config)
    _refuse_newer_database(config)
    _fresh_metrics(config, worker_role(queues))
    _exec(worker_argv(config, queues))


@click.command("beat")
def beat_command() -> None:
    """Run Celery beat, which sweeps comments left pending and webhooks left undelivered."""
    config = Config.from_env()
    _resolve(config)
    _refuse_newer_database(config)
    _fresh_metrics(config, "beat")
    _exec(beat_argv(config))


def _first_start_hint(database_url: str) -> str | None:
    from moderation.models import Site, User

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            users = conn.scalar(select(func.count()).select_from(User))
            sites = conn.scalar(select(func.count()).select_from(Site))
    finally:
        engine.dispose()
    lines = []
    if not users:
        lines.append("  Create a moderator to sign in at /review:\n"
                     "    .venv/bin/moderation users create alice --role admin")
    if not sites:
        lines.append("  Create an API key for your site:\n"
                     "    .venv/bin/moderation keys create my-site [--webhook-url URL]")
    return "\n".join(lines) or None


_held: list[IO[str]] = []  # the var dir's lock, held for the life of `up`


UP_WEB_FILE = "up-web-address"


def hold_var_dir(var_dir: Path) -> None:
    """One `up` per var dir. A second one on the same data was not refused: it wiped the first's
    metric files, and when the first stopped it took the embedded Redis along, leaving the second
    answering 202 and scoring nothing (an upgrade walk). The lock goes with the process however it ends."""
    var_dir.mkdir(parents=True, exist_ok=True)
    handle = open(var_dir / "up.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        owner = handle.read().strip() or "another process"
        handle.close()
        raise click.ClickException(f"the service is already running on {var_dir} (pid {owner}): stop it first, or "
                                   "give this one its own MODERATION_VAR_DIR") from None
    handle.truncate(0)
    handle.write(str(os.getpid()))
    handle.flush()
    _held.append(handle)


def check_ports_free(config: Config) -> None:
    """The web's PORT, and METRICS_PORT if set: one in use had stopped gunicorn with a 35-line
    traceback that named neither setting, crash-looping under systemd (an operator's walk)."""
    check_port_free(config.HOST, config.PORT)
    if config.METRICS_PORT:
        check_port_free(config.HOST, config.METRICS_PORT, setting="METRICS_PORT")


def check_port_free(host: str, port: int, *, setting: str = "PORT") -> None:
    """Refuse to start where something already listens: `up` printed its banner with that other
    service's address, then stopped after five seconds of gunicorn's "Connection in use" (an
    operator's walk). SO_REUSEADDR as gunicorn binds, so a port in TIME_WAIT is free."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise click.ClickException(f"{host}:{port} is in use: stop what listens there, or give this "
                                           f"service another {setting}") from None
            # Not "in use" for a HOST that does not resolve or is not this machine's (a re-check).
            raise click.ClickException(f"cannot listen on {host}:{port} ({error.strerror or error}): check HOST") from None


def _migrate_or_stop(database_url: str, servers: list) -> None:
    """Bring the database up to date, or stop the servers this `up` started and say why in a line:
    old code on a database a newer release migrated printed 40 lines of traceback and left the
    embedded Redis running, which the next start quietly reused (an upgrade walk)."""
    from alembic.util.exc import CommandError

    from moderation.migrate import NewerDatabase, upgrade

    try:
        upgrade(database_url)
    except NewerDatabase as error:
        _stop_servers(servers)
        raise click.ClickException(str(error)) from None
    except CommandError as error:
        _stop_servers(servers)
        raise click.ClickException(f"cannot migrate the database: {error}. A database a newer release has "
                                   "migrated needs that release (or a backup from before it)") from None
    except Exception:
        _stop_servers(servers)
        raise


def _stop_servers(servers: list) -> None:
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


@click.command("up")
def up_command() -> None:
    """Run the whole service: database, Redis, migrations, web, worker, webhook worker, trainer and beat. Ctrl-C stops it all.

    A worker, trainer or beat that dies is restarted (with a growing delay); if the web server dies, all stop."""
    config = Config.from_env()
    check_secret_key(config.SECRET_KEY)
    hold_var_dir(Path(config.VAR_DIR))
    check_ports_free(config)
    # Where its web listens, for `moderation status` run from a shell without this PORT (up_web_address).
    (Path(config.VAR_DIR) / UP_WEB_FILE).write_text(f"{config.HOST}\n{config.PORT}\n")
    click.echo("starting database and broker ...")
    embedded_database = not config.DATABASE_URL
    try:
        servers = resolve_urls(config, need_redis=True)
    except (BrokerDidNotStart, NoDatabase) as error:
        raise click.ClickException(str(error)) from None
    _migrate_or_stop(config.DATABASE_URL, servers)
    directory = _metrics_dir(config)
    directory.mkdir(parents=True, exist_ok=True)
    metrics.clear_all(directory)  # every process starts now: nothing earlier is still counting
    env = dict(os.environ, DATABASE_URL=config.DATABASE_URL, REDIS_URL=config.REDIS_URL)
    # The embedded Redis, if `up` started it, is started again should it die.
    watched = {"embedded Redis": (proc, lambda: start_redis(config.VAR_DIR)[1]) for proc in servers[:1]}
    if embedded_database:  # ... and the embedded PostgreSQL
        postgres = PostgresWatch(Path(config.VAR_DIR))
        watched["embedded PostgreSQL"] = (postgres, postgres.restart)
    supervisor = Supervisor({"web": web_argv(config), "worker": worker_argv(config, SCORING_QUEUE),
                             "webhooks": worker_argv(config, WEBHOOK_QUEUE), "beat": beat_argv(config),
                             "trainer": worker_argv(config, TRAINING_QUEUE)}, env, servers=watched)
    supervisor.start()
    click.echo(f"\nModeration service on http://{config.HOST}:{config.PORT}  (review queue: /review, API: /api/v1)")
    if config.WEBHOOKS_PAUSED:
        click.echo("WEBHOOKS_PAUSED: no webhook is delivered here; events wait until a start without it.")
    hint = _first_start_hint(config.DATABASE_URL)
    if hint:
        click.echo("First start:\n" + hint)
    echo_upgrade_hints(config.DATABASE_URL, config.MODEL_PATH)
    click.echo("Ctrl-C stops everything.\n")
    exit_code = supervisor.run()
    _stop_servers([server for server, _ in supervisor.servers.values()])
    click.echo("stopped")
    sys.exit(exit_code)
