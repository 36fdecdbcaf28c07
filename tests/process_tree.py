"""Ending a test's worker processes at once (tests/conftest.py, tests/faults/stack.py)."""
from __future__ import annotations

import subprocess

import psutil


def kill_tree(proc: subprocess.Popen) -> None:
    """SIGKILL a process and every process under it (a worker's pool and embedded beat), and reap them.

    The parent goes first, so it cannot start a new pool process in place of a killed one.
    """
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    proc.kill()
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    proc.wait(timeout=20)
    psutil.wait_procs(children, timeout=5)
