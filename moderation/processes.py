"""Whether a process is still running, for files left by processes that may have ended (the
embedded PostgreSQL's handles, metric files)."""
from __future__ import annotations


def process_alive(pid: int) -> bool:
    """Running, and not a zombie waiting to be reaped."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
