"""`moderation up` after a crash: a dead process left in the embedded PostgreSQL's handle list must
not keep the server running after the next Ctrl-C."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from test_up_command import REPO, _env, _free_port, _start_up, _stop, _wait_until_serving

pytestmark = pytest.mark.integration


def _postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().splitlines()[0])


def _crash_holding_postgres(var_dir: Path) -> int:
    """A process that attaches to the embedded server and is killed -9: it never unregisters."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from moderation.embedded import start_postgres; "
         "start_postgres(Path(sys.argv[1])); print('attached', flush=True); time.sleep(600)", str(var_dir)],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "attached"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    return holder.pid


def test_up_stops_postgres_on_ctrl_c_even_after_a_crashed_process_left_its_handle(tmp_path: Path):
    port = _free_port()
    var_dir = tmp_path / "var"
    pgdata = var_dir / "pgdata"
    dead = _crash_holding_postgres(var_dir)
    assert dead in json.loads((pgdata / ".handle_pids.json").read_text())
    postmaster = _postmaster_pid(pgdata)
    log = tmp_path / "up.log"

    proc = _start_up(_env(var_dir, port), log)
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}", proc, log)
    finally:
        code = _stop(proc)
    try:
        assert code == 0, log.read_text()[-4000:]
        deadline = time.monotonic() + 30
        while psutil.pid_exists(postmaster) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not psutil.pid_exists(postmaster), "PostgreSQL still running after Ctrl-C:\n" + log.read_text()[-3000:]
        assert json.loads((pgdata / ".handle_pids.json").read_text()) == []
    finally:
        if psutil.pid_exists(postmaster):
            os.kill(postmaster, signal.SIGTERM)  # do not leave a server behind for the rest of the run


def _worker_main(up: subprocess.Popen) -> psutil.Process | None:
    for child in psutil.Process(up.pid).children():
        try:
            cmdline = child.cmdline()
        except psutil.Error:
            continue
        if "celery" in cmdline and "worker" in cmdline and "moderation" in cmdline:  # the scorer, not the trainer
            return child
    return None


def test_up_restarts_a_worker_that_died_and_keeps_serving(tmp_path: Path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "up.log"

    proc = _start_up(_env(tmp_path / "var", port), log)
    try:
        _wait_until_serving(base, proc, log)
        first = _worker_main(proc)
        assert first is not None
        first.kill()  # the worker's main process dies, as in an out-of-memory kill

        deadline = time.monotonic() + 60
        replacement = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, "up stopped instead of restarting the worker:\n" + log.read_text()[-3000:]
            replacement = _worker_main(proc)
            if replacement is not None and replacement.pid != first.pid:
                break
            time.sleep(0.3)
        assert replacement is not None and replacement.pid != first.pid, log.read_text()[-3000:]
        assert "worker exited" in log.read_text() and "restarting" in log.read_text()
        _wait_until_serving(base, proc, log)
    finally:
        code = _stop(proc)
    assert code == 0, log.read_text()[-4000:]
