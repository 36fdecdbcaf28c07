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
