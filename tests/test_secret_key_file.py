"""The session secret kept under var/ is private from its first byte and the same for every process."""
from __future__ import annotations

import multiprocessing
import os
import stat

from moderation.app import _secret_key


def _racer(var_dir: str, barrier, results) -> None:
    from pathlib import Path

    barrier.wait()
    results.put(_secret_key(Path(var_dir)))


def test_processes_starting_together_agree_on_one_secret(tmp_path):
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(8), context.Queue()
    racers = [context.Process(target=_racer, args=(str(tmp_path / "var"), barrier, results)) for _ in range(8)]
    for racer in racers:
        racer.start()
    keys = [results.get(timeout=60) for _ in racers]
    for racer in racers:
        racer.join(timeout=60)

    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert (tmp_path / "var" / "secret_key").read_text().strip() == keys[0]
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]  # no temporary files left


def test_the_secret_file_is_readable_by_its_owner_only_even_with_a_loose_umask(tmp_path):
    old = os.umask(0)
    try:
        key = _secret_key(tmp_path)
    finally:
        os.umask(old)

    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _secret_key(tmp_path) == key
