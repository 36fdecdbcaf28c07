"""An in-process LRU of scores, keyed by (model version, site, SHA-256 of the text).

Sites often ask about the same text twice (an edit that changes nothing, a retry after a timeout,
Coral's nudge followed by the real submit), so a repeat costs a dictionary look-up. The key holds
the model version, so a new model never answers with an old model's scores. Texts sent with
doNotStore never enter it.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any, Hashable


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# What the entries may hold, in bytes as estimated by `put`'s caller, per web process. Counted in
# entries alone, a span-annotated 20 KB text of short sentences kept about 10 MB (one dict per
# sentence per attribute), and 200 such requests, well inside a key's quota, grew each web process
# by a gigabyte, on their way to 200 GB (a migrating site's walk).
MAX_BYTES = 64 * 1024 * 1024
# One entry larger than this is not kept: a few would push out thousands of ordinary scores, and a
# text that long is rarely sent twice.
MAX_ENTRY_SHARE = 64


class LRUCache:
    def __init__(self, max_entries: int = 20_000, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        # Counted so tests (and an admin) can see what the cache does without timing it.
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[0]
            self.misses += 1
            return None

    def put(self, key: Hashable, value: Any, size: int = 1) -> None:
        """Keep `value`, which takes about `size` bytes, unless that is more than its share."""
        if size > self.max_bytes // MAX_ENTRY_SHARE:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._entries[key] = (value, size)
            self.bytes += size
            while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
                self.bytes -= self._entries.popitem(last=False)[1][1]

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0
