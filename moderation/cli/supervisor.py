"""The `up` supervisor: start web, worker, webhook worker, trainer and beat, restart any but web when
it dies, stop all; and start the embedded Redis and PostgreSQL again when they stop (`servers`).

A dead worker or beat is restarted with a growing delay (1 s, 2 s, 4 s ... at most 60 s; back to
1 s after a minute of running), and each restart is logged: comments keep being scored after an
out-of-memory kill without anyone at the keyboard. A dead web server stops everything instead:
gunicorn's own arbiter already restarts its workers, so its master exiting means it could not run
at all (the port is taken, the app does not import), which a restart loop would only hide.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import click

from moderation.parent_death import stop_with

RESTARTABLE = ("worker", "webhooks", "trainer", "beat")
FIRST_DELAY = 1.0
MAX_DELAY = 60.0
STABLE_AFTER = 60.0  # seconds of running after which the next restart starts from FIRST_DELAY again


@dataclass
class Child:
    name: str
    argv: list[str]
    proc: subprocess.Popen | None = None
    started: float = 0.0
    delay: float = FIRST_DELAY
    restart_at: float | None = None  # when a dead restartable child is due to start again
    restarts: int = field(default=0)


Restart = Callable[[], "subprocess.Popen | None"]


def stamped(line: str) -> str:
    """A supervisor's line with its time, as the web server's and workers' lines have theirs: "worker
    exited with -9" with no time could not be matched to anything (an operator's walk)."""
    return time.strftime("[%Y-%m-%d %H:%M:%S %z] ") + line


class Supervisor:
    def __init__(self, programs: dict[str, list[str]], env: dict[str, str],
                 echo: Callable[[str], None] = lambda line: click.echo(stamped(line), err=True),
                 servers: dict[str, tuple[subprocess.Popen, Restart]] | None = None) -> None:
        self.children = {name: Child(name, argv) for name, argv in programs.items()}
        self.env = env
        self.echo = echo
        self.stopping = False
        # Servers started before the children (the embedded Redis), each with how to start it
        # again: killed, it left accepted comments pending until someone restarted everything.
        self.servers = dict(servers or {})
        self._server_retry: dict[str, tuple[float, float]] = {}  # a server that would not start: when next, and the delay after

    def start(self) -> None:
        for child in self.children.values():
            self._spawn(child)

    def _spawn(self, child: Child) -> None:
        # Own sessions: Ctrl-C reaches the supervisor, which stops the children in order. And each
        # is told to stop when the supervisor dies, however: after a kill -9 of `up` its web server,
        # workers and beat ran on, and the next `up` ran a second set beside them (a re-check).
        child.proc = subprocess.Popen(child.argv, env=self.env, start_new_session=True,
                                      preexec_fn=stop_with(os.getpid()))
        child.started = time.monotonic()
        child.restart_at = None

    def run(self, poll: float = 0.5) -> int:
        """Until Ctrl-C or SIGTERM (exit 0), or the web server dies (exit 1); then stop every child."""

        def _stop(signum: int, frame: object) -> None:
            self.stopping = True

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        exit_code = 0
        while not self.stopping:
            if self.check(time.monotonic()):
                exit_code = 1
                break
            time.sleep(poll)
        self.stop()
        return exit_code

    def check(self, now: float) -> bool:
        """Restart what is due; True when a child that is not restarted has died."""
        self._check_servers()
        for child in self.children.values():
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    self.echo(f"restarting {child.name} (restart {child.restarts})")
                    self._spawn(child)
                continue
            if child.proc is None or child.proc.poll() is None:
                continue
            code = child.proc.returncode
            if child.name not in RESTARTABLE:
                self.echo(f"{child.name} exited with {code}; stopping")
                return True
            if now - child.started >= STABLE_AFTER:
                child.delay = FIRST_DELAY
            self.echo(f"{child.name} exited with {code}; restarting in {child.delay:.0f}s")
            child.restart_at = now + child.delay
            child.delay = min(MAX_DELAY, child.delay * 2)
        return False

    def _check_servers(self) -> None:
        now = time.monotonic()
        for name, (proc, restart) in list(self.servers.items()):
            if proc.poll() is None:
                continue
            retry_at, delay = self._server_retry.get(name, (0.0, FIRST_DELAY))
            if now < retry_at:
                continue
            ended = proc.returncode if isinstance(proc.returncode, str) else f"exited with {proc.returncode}"
            self.echo(f"{name} {ended}; starting it again")
            try:
                again = restart()
            except Exception as error:
                # Tried again with a growing delay, as a worker is: a PostgreSQL that could not start
                # was tried twice a second, 7,843 lines in 25 s (a re-check).
                self.echo(f"could not start {name} again ({error}); trying again in {delay:.0f}s")
                self._server_retry[name] = (now + delay, min(MAX_DELAY, delay * 2))
                continue
            self._server_retry.pop(name, None)
            self.echo(f"{name} is running again")
            if again is None:  # another is up there already: not ours to watch or stop
                del self.servers[name]
            else:
                self.servers[name] = (again, restart)

    def stop(self, timeout: float = 15) -> None:
        running = [c.proc for c in self.children.values() if c.proc is not None and c.proc.poll() is None]
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in running:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
