"""A full disk under the metrics directory costs the metrics, never the process counting them:
prometheus_client's memory-mapped files used to kill a process with SIGBUS there (beat, silently)."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")

REPO = Path(__file__).resolve().parents[1]
COUNT_ONCE = """
import logging, sys
logging.basicConfig(level=logging.WARNING)
from moderation.observability import metrics
metrics.configure(sys.argv[1])
metrics.beat_sent("sweep")
print("still running")
"""


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as f:
        for chunk in (1 << 16, 1 << 12, 1):
            while True:
                try:
                    f.write(b"\0" * chunk)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
    return filler


def _count_once(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", COUNT_ONCE, str(directory)], cwd=REPO, capture_output=True,
                          text=True, timeout=60)


def test_a_process_counting_on_a_full_disk_keeps_running_and_counts_once_there_is_room(small_disk: Path):
    metrics_dir = small_disk / "metrics"
    metrics_dir.mkdir()
    filler = _fill(small_disk)

    full = _count_once(metrics_dir)
    assert full.returncode == 0, f"exit {full.returncode} (-7 is SIGBUS): {full.stderr[-2000:]}"
    assert "still running" in full.stdout
    assert "could not record a metric" in full.stderr and "No space left on device" in full.stderr

    filler.unlink()
    freed = _count_once(metrics_dir)
    assert freed.returncode == 0, freed.stderr[-2000:]
    assert "could not record a metric" not in freed.stderr
    files = [p for p in metrics_dir.glob("counter_*.db") if p.stat().st_size > 0]
    assert files and any(b"moderation_beat_tasks_sent" in p.read_bytes() for p in files)


def test_a_file_a_full_disk_left_empty_costs_that_file_not_the_whole_scrape(tmp_path: Path):
    """One empty .db file made every /metrics a 500 (struct.error) until the disk was freed."""
    from moderation.observability.collect import exposition

    assert _count_once(tmp_path).returncode == 0  # a real file, counting one beat task
    (tmp_path / "counter_worker-h1-4194000.db").write_bytes(b"")  # what a full disk leaves
    text = exposition(tmp_path, None).decode()
    assert 'moderation_beat_tasks_sent_total{task="sweep"} 1.0' in text


def test_a_metric_that_keeps_failing_is_logged_once_a_minute_not_on_every_request(caplog, monkeypatch):
    """26,754 log lines in under a minute went onto the disk that was full."""
    from moderation.observability import metrics

    monkeypatch.setattr(metrics, "_last_failure_logged", -metrics.FAILURE_LOG_EVERY)

    def full_disk() -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    for _ in range(50):
        metrics.record(full_disk)
    assert [r.getMessage() for r in caplog.records] == ["could not record a metric (said once a minute at most)"]
