"""Retraining benchmarks, one section each; this file prints a table row per measurement.

    .venv/bin/python bench/retrain.py                 # every section
    .venv/bin/python bench/retrain.py --section switch

- train: a site with 10,000 own labels (bench/own_labels.py), then one training run on the
  licence-cleared shared data plus them, as `moderation train --site` and /admin/training do.
- switch: a real worker (Celery, PostgreSQL, Redis, gunicorn from bench/stack.py) scores a steady
  stream of comments while the global version is promoted and rolled back; each switch is timed
  from the commit of the change to the scoring of the first comment by the new version. The
  worker checks the registry at most every MODEL_CHECK_INTERVAL seconds (2 by default), so that is
  the expected bound; the first switch to a version also loads it.
- backtest: 10,000 decided comments seeded (bench/backtest_timing.py), then one backtest of the
  shipped model against itself: both score every comment and every metric is computed.
"""
from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))
import requests  # noqa: E402

from backtest_timing import bench_backtest_in_subprocess  # noqa: E402  (bench/, the script's folder)
from stack import running_stack  # noqa: E402

POST_EVERY = 0.02  # seconds between two comments: 50/s, a busy site, well inside what one worker scores


def _poster(base_url: str, api_key: str, stop: threading.Event) -> threading.Thread:
    def run() -> None:
        session = requests.Session()
        for n in itertools.count():
            if stop.is_set():
                return
            session.post(f"{base_url}/api/v1/comments", headers={"Authorization": f"Bearer {api_key}"},
                         json={"id": f"c-{n}", "story_id": "s", "author_id": f"a-{n % 50}",
                               "text": f"Comment number {n}: the council should publish the bridge budget."},
                         timeout=5)
            time.sleep(POST_EVERY)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def bench_switch(switches: int, check_interval: float) -> list[str]:
    from sqlalchemy import create_engine, func, select
    from sqlalchemy.orm import Session

    from model_variants import model_variant
    from moderation.domain import model_registry as registry
    from moderation.models import Comment

    rows: list[str] = []
    os.environ["MODEL_CHECK_INTERVAL"] = str(check_interval)  # the stack's processes inherit it
    with running_stack(worker=True) as stack, tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(stack.database_url)
        stop = threading.Event()
        poster = _poster(stack.base_url, stack.api_key, stop)

        def first_scored_by(version: str, after: datetime, timeout: float = 30) -> datetime:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                with Session(engine) as session:
                    found = session.scalar(select(func.min(Comment.scored_at))
                                           .where(Comment.model_version == version, Comment.scored_at >= after))
                if found:
                    return found
                time.sleep(0.02)
            raise RuntimeError(f"no comment scored by {version} within {timeout} s")

        with Session(engine) as session:  # the worker bootstraps the registry with its first batch
            deadline = time.monotonic() + 60
            while session.scalar(select(func.count()).select_from(Comment).where(Comment.scored_at.is_not(None))) == 0:
                if time.monotonic() > deadline:
                    raise RuntimeError("nothing was scored in 60 s")
                time.sleep(0.2)
            shipped = registry.active_version(session).version
            candidate = registry.register_artifact(session, model_variant(Path(tmp), "bench-candidate"),
                                                   var_dir=stack.var_dir, actor="bench").version
            session.commit()

        def timed(change: Callable[[Session], object], expected: str) -> float:
            with Session(engine) as session:
                change(session)
                session.commit()
            committed = datetime.now(timezone.utc)
            return (first_scored_by(expected, committed) - committed).total_seconds() * 1000

        times = []
        pauses = random.Random(8)
        for n in range(switches):
            if n % 2 == 0:
                times.append(timed(lambda s: registry.promote(s, candidate, by="bench"), candidate))
            else:
                times.append(timed(lambda s: registry.rollback(s, by="bench"), shipped))
            time.sleep(pauses.uniform(0.3, 2.3))  # changes land at every phase of the worker's checks
        stop.set()
        poster.join(timeout=10)
        engine.dispose()
    later = times[1:] or times
    rows.append("| measurement | n | first (loads the version) ms | later p50 ms | later max ms |")
    rows.append("|---|---:|---:|---:|---:|")
    rows.append(f"| worker switches version (promote / rollback, MODEL_CHECK_INTERVAL {check_interval:g} s) | {len(times)} | "
                f"{times[0]:,.0f} | {statistics.median(later):,.0f} | {max(later):,.0f} |")
    return rows


def bench_train(labels: int) -> list[str]:
    """bench/own_labels.py in a process of its own, on an embedded database under a temporary var dir."""
    import re
    import subprocess

    with tempfile.TemporaryDirectory(prefix="bench-train-") as var_dir:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(BENCH / "own_labels.py"), "--labels", str(labels)],
                              env={**os.environ, "MODERATION_VAR_DIR": var_dir}, capture_output=True, text=True,
                              check=True)
        total = time.perf_counter() - started
    trained = re.search(r"\+ (\d+) own labels in ([\d.]+) s", done.stdout)
    return ["| measurement | value |", "|---|---:|",
            f"| train: shared data + {int(trained.group(1)):,} own labels | {float(trained.group(2)):.0f} s |",
            f"| seeding, export and training, end to end | {total:.0f} s |"]


SECTIONS: dict[str, Callable[[argparse.Namespace], list[str]]] = {
    "train": lambda args: bench_train(args.labels),
    "switch": lambda args: bench_switch(args.switches, args.check_interval),
    "backtest": lambda args: bench_backtest_in_subprocess(args.decisions),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--section", action="append", choices=sorted(SECTIONS), help="run only these (repeatable)")
    parser.add_argument("--switches", type=int, default=10, help="promotions and rollbacks to time (switch)")
    parser.add_argument("--labels", type=int, default=10_000, help="own labels to train with (train)")
    parser.add_argument("--decisions", type=int, default=10_000, help="decided comments to backtest on (backtest)")
    parser.add_argument("--check-interval", type=float, default=2.0, help="the workers' MODEL_CHECK_INTERVAL (switch)")
    args = parser.parse_args()
    for name in args.section or list(SECTIONS):
        print(f"\n## {name}\n")
        for row in SECTIONS[name](args):
            print(row, flush=True)


if __name__ == "__main__":
    main()
