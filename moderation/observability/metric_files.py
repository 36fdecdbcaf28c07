"""Metric files with their disk blocks reserved before they are written.

prometheus_client's multiprocess files are memory-mapped, and made and grown with truncate(), which
leaves holes: on a full disk the first write into a page with no block behind it kills the process
with SIGBUS. A full var disk silently killed beat that way (tests/faults/test_disk_full.py), so no
sweep ran once the disk was freed. With posix_fallocate first, a full disk is an OSError at the
metric call instead, which the callers log and go past (metrics.record).
"""
from __future__ import annotations

import glob
import logging
import os

from prometheus_client import mmap_dict
from prometheus_client.multiprocess import MultiProcessCollector

log = logging.getLogger(__name__)


class ReservedMmapedDict(mmap_dict.MmapedDict):
    def __init__(self, filename: str, read_mode: bool = False) -> None:
        if not read_mode:
            _reserve_new(filename)
        super().__init__(filename, read_mode)

    def _init_value(self, key: str) -> None:
        # As the parent sizes an entry: 4 bytes of length, the key padded to 8 bytes, two doubles.
        length = len(key.encode("utf-8"))
        needed = self._used + 4 + length + (8 - (length + 4) % 8) + 16
        capacity = self._capacity
        while needed > capacity:
            capacity *= 2
        if capacity != self._capacity:
            os.posix_fallocate(self._f.fileno(), 0, capacity)  # the parent's truncate is then a no-op
        super()._init_value(key)


def _reserve_new(filename: str) -> None:
    fd = os.open(filename, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if os.fstat(fd).st_size == 0:
            try:
                os.posix_fallocate(fd, 0, mmap_dict._INITIAL_MMAP_SIZE)
            except OSError:
                os.ftruncate(fd, 0)  # left empty, the next metric call tries again
                raise
    finally:
        os.close(fd)


class ReadableFilesCollector(MultiProcessCollector):
    """MultiProcessCollector that leaves out a file it cannot read: a full disk leaves a process's
    file empty (above), and one such file made every /metrics scrape a 500 (struct.error) until
    the disk was freed, so the whole service's metrics went missing, not one process's."""

    def collect(self):  # noqa: ANN201 - prometheus_client's own signature
        files = glob.glob(os.path.join(self._path, "*.db"))
        try:
            return self.merge(files, accumulate=True)
        except Exception:  # noqa: BLE001 - whichever way a file is broken, leave it out
            readable = [path for path in files if _readable(path)]
            log.warning("metrics: left out %d unreadable file(s) in %s", len(files) - len(readable), self._path)
            return self.merge(readable, accumulate=True)


def _readable(path: str) -> bool:
    try:
        MultiProcessCollector._read_metrics([path])
    except Exception:  # noqa: BLE001
        return False
    return True
