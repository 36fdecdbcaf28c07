"""Which process a metric file belongs to, so each command clears only its own kind's old files."""
from __future__ import annotations

from moderation.observability.metrics import clear_role, process_role


def test_each_command_is_its_own_role(monkeypatch):
    monkeypatch.delenv("MODERATION_METRICS_ROLE", raising=False)
    assert process_role(["/x/gunicorn/__main__.py", "--workers", "2", "moderation.wsgi:app"]) == "web"
    assert process_role(["/x/celery/__main__.py", "-A", "workers.entry", "worker", "-Q", "moderation"]) == "worker"
    assert process_role(["/x/celery/__main__.py", "-A", "workers.entry", "worker", "-Q", "training"]) == "trainer"
    assert process_role(["/x/celery/__main__.py", "-A", "workers.entry", "beat"]) == "beat"
    assert process_role(["/x/celery/__main__.py", "-A", "workers.entry", "worker", "--beat"]) == "worker"
    assert process_role(["pytest"]) == "app"


def test_starting_a_web_server_clears_only_old_web_files(tmp_path):
    for name in ("counter_web-11.db", "histogram_web-12.db", "counter_worker-13.db", "counter_beat-14.db"):
        (tmp_path / name).write_bytes(b"")
    assert clear_role(tmp_path, "web") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counter_beat-14.db", "counter_worker-13.db"]
