"""The docker-compose healthchecks, run as written against a real worker and web app (no Docker here)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.integration

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def healthcheck(service: str) -> list[str]:
    return yaml.safe_load(COMPOSE.read_text())["services"][service]["healthcheck"]["test"]


def test_the_worker_healthcheck_passes_while_its_worker_runs_and_fails_without_it(services, start_worker):
    kind, command = healthcheck("worker")
    assert kind == "CMD-SHELL"
    shell = command.replace("$$", "$")  # compose's escape for a literal $
    env = services.env()
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"  # the venv's celery, as in the image
    assert subprocess.run(["sh", "-c", shell], env=env, timeout=60).returncode != 0  # no worker yet
    worker = start_worker()
    assert subprocess.run(["sh", "-c", shell], env=env, timeout=60).returncode == 0
    worker.stop()


def test_the_web_healthcheck_reads_readyz(live_readyz):
    kind, program, flag, code = healthcheck("web")
    assert (kind, program, flag) == ("CMD", "python", "-c") and "http://127.0.0.1:8080/readyz" in code
    base = live_readyz()
    assert subprocess.run([sys.executable, "-c", code.replace("http://127.0.0.1:8080", base)], timeout=30).returncode == 0


@pytest.fixture
def live_readyz(app):
    import threading

    from werkzeug.serving import make_server

    servers = []

    def start() -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


def _beat_sent(metrics_dir: Path) -> float:
    """What beat's own metric file says it sent, as /metrics would add it up."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(metrics_dir))
    return registry.get_sample_value("moderation_beat_tasks_sent_total", {"task": "workers.tasks.sweep"}) or 0.0


def test_the_beat_healthcheck_passes_while_beat_keeps_its_schedule_and_fails_when_it_goes_stale(services, tmp_path,
                                                                                                monkeypatch):
    import time

    from moderation.cli.service_commands import beat_argv
    from moderation.config import Config

    kind, program, flag, code = healthcheck("beat")
    assert (kind, program, flag) == ("CMD", "python", "-c") and "/app/var/celerybeat-schedule" in code
    code = code.replace("/app/var", str(tmp_path))
    check = lambda: subprocess.run([sys.executable, "-c", code], timeout=30).returncode  # noqa: E731
    assert check() != 0  # beat never ran here
    env = {**services.env(SWEEP_INTERVAL="1"), "MODERATION_VAR_DIR": str(tmp_path)}
    monkeypatch.setenv("MODERATION_VAR_DIR", str(tmp_path))
    beat = subprocess.Popen(beat_argv(Config.from_env()),  # the command `moderation beat` and `up` run
                            env=env, cwd=COMPOSE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while (not list(tmp_path.glob("celerybeat-schedule*")) or not _beat_sent(tmp_path / "metrics")) \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert check() == 0
        # It sends the sweep on schedule, and counts it where /metrics adds every process up.
        assert _beat_sent(tmp_path / "metrics") >= 1
    finally:
        beat.terminate()
        beat.wait(timeout=30)
    for path in tmp_path.glob("celerybeat-schedule*"):  # as if beat had hung eleven minutes ago
        os.utime(path, (time.time() - 660, time.time() - 660))
    assert check() != 0
