"""What the API benchmarks that drive the app in-process share: the app on embedded PostgreSQL and
Redis in a temporary directory, back-pressure off, and a percentile that reads a short list plainly."""
from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flask import Flask  # noqa: E402

from moderation.app import create_app  # noqa: E402
from moderation.config import Config  # noqa: E402
from moderation.embedded import embedded_servers  # noqa: E402


@contextmanager
def bench_app(prefix: str) -> Iterator[Flask]:
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        where = Path(tmp)
        with embedded_servers(where) as (database_url, redis_url):
            yield create_app(Config.from_env(DATABASE_URL=database_url, REDIS_URL=redis_url, VAR_DIR=where,
                                             SECRET_KEY="bench-secret", BACKPRESSURE_HARD_LIMIT=0,
                                             BACKPRESSURE_SOFT_LIMIT=0))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")
