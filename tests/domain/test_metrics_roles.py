"""Which process a metric file belongs to, so each command clears only its own kind's old files."""
from __future__ import annotations

import os

from moderation.observability.metrics import clear_role, host_tag, process_role

GONE = 4_194_000  # pids of processes that have ended (near Linux's largest)


def test_each_command_is_its_own_role(monkeypatch):
    monkeypatch.delenv("MODERATION_METRICS_ROLE", raising=False)
    assert process_role(["/x/gunicorn/__main__.py", "--workers", "2", "moderation.wsgi:app"]) == "web"
    assert process_role(["/x/celery/__main__.py", "-A", "workers.entry", "worker", "-Q", "moderation"]) == "worker"
    assert process_role(["/x/celery/__main__.py", "-A", "workers.entry", "worker", "-Q", "moderation,webhooks"]) == "worker"
    assert process_role(["/x/celery/__main__.py", "-A", "workers.entry", "worker", "-Q", "webhooks", "--pool",
                         "threads"]) == "webhooks"
    assert process_role(["/x/celery/__main__.py", "-A", "workers.entry", "worker", "-Q", "training"]) == "trainer"
    assert process_role(["/x/celery/__main__.py", "-A", "workers.entry", "beat"]) == "beat"
    assert process_role(["/x/celery/__main__.py", "-A", "workers.entry", "worker", "--beat"]) == "worker"
    assert process_role(["pytest"]) == "app"


def test_starting_a_web_server_clears_only_old_web_files_of_its_own_host(tmp_path):
    names = (f"counter_web-h1-{GONE}.db", f"histogram_web-h1-{GONE + 1}.db", "counter_worker-h1-13.db",
             "counter_beat-h1-14.db", "counter_web-h1.b-15.db")  # another container, whose name only starts like this one's
    for name in names:
        (tmp_path / name).write_bytes(b"")
    assert clear_role(tmp_path, "web", host="h1") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "counter_beat-h1-14.db", "counter_web-h1.b-15.db", "counter_worker-h1-13.db"]


def test_a_second_process_of_a_role_leaves_the_running_ones_files(tmp_path):
    """A second scoring worker started beside the first deleted its files: its counts left /metrics."""
    running = tmp_path / f"counter_worker-h1-{os.getpid()}.db"
    running.write_bytes(b"")
    (tmp_path / f"counter_worker-h1-{GONE}.db").write_bytes(b"")
    assert clear_role(tmp_path, "worker", host="h1") == 1
    assert [p.name for p in tmp_path.iterdir()] == [running.name]


def test_host_names_never_hold_the_separators_of_file_names():
    assert host_tag("worker-2_abc") == "worker.2.abc"
    assert host_tag("") == "host"
