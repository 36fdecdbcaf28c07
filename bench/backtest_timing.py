"""How long a backtest of 10,000 decided comments takes: seed them, then time `backtest`.

    .venv/bin/python bench/backtest_timing.py                       # shipped model vs itself
    .venv/bin/python bench/backtest_timing.py --candidate X.skops --comments 10000

The decided comments are real texts from ../shared/data (OLID and ConvAbuse, which label
toxicity), rejected where the source says toxic and approved otherwise, with one decision in ten
flipped the way moderators disagree with any dataset, spread over 30 days. An embedded PostgreSQL
lives in a temporary directory (or --var-dir). `time_backtest` is the function bench/retrain.py calls.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

import subprocess  # noqa: E402

# The project is imported inside the functions: bench/retrain.py runs the measurement in a process
# of its own, so its memory and timing are not mixed with the switch section's stack.

DATA = REPO.parent / "shared" / "data"
TEXT_FILES = ("olid_train.csv", "convabuse_train.csv", "olid_test.csv", "convabuse_test.csv")


def labelled_texts(data_dir: Path = DATA) -> list[tuple[str, bool]]:
    texts = []
    for name in TEXT_FILES:
        path = data_dir / name
        if not path.is_file():
            continue
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("toxicity") in ("0", "1") and row.get("text"):
                    texts.append((row["text"], row["toxicity"] == "1"))
    if not texts:
        raise SystemExit(f"no labelled texts found in {data_dir}")
    return texts


def seed_decided(session: Any, site_id: int, n: int, *, rng: random.Random, data_dir: Path = DATA,
                 days: int = 30) -> None:
    """`n` comments of the site decided by a moderator, received over the last `days` days. Commits."""
    from sqlalchemy import insert

    from moderation.domain.lifecycle import APPROVED, REJECTED
    from moderation.models import Comment

    pool = labelled_texts(data_dir)
    end = datetime.now(timezone.utc)
    rows = []
    for i in range(n):
        text, toxic = pool[i % len(pool)]
        if i >= len(pool):
            text = f"{text} ({i // len(pool)})"  # distinct comments, same words
        if rng.random() < 0.1:
            toxic = not toxic
        received = end - timedelta(seconds=rng.uniform(0, days * 86_400))
        decision = REJECTED if toxic else APPROVED
        rows.append(dict(site_id=site_id, external_id=f"bench-{i}", story_id=f"story-{i % 200}",
                         author_id=f"author-{rng.randrange(3000)}", text=text,
                         body_hash=hashlib.sha256(text.encode()).hexdigest(), status=decision, decision=decision,
                         decided_at=received + timedelta(hours=1), received_at=received))
    for start in range(0, n, 2000):
        session.execute(insert(Comment), rows[start:start + 2000])
    session.commit()


def time_backtest(session: Any, site: Any, candidate: Any, active: Any, *, limit: int = 10_000) -> dict[str, Any]:
    """Seconds for one backtest of the site's last `limit` decisions, both models scoring."""
    from moderation.domain.backtest import backtest

    started = time.perf_counter()
    result = backtest(session, site, candidate, active, limit=limit)
    seconds = time.perf_counter() - started
    return {"comments": result.comments, "seconds": seconds, "comments_per_second": 2 * result.comments / seconds,
            "active_roc_auc": result.active.roc_auc, "candidate_roc_auc": result.candidate.roc_auc}


def bench_backtest(comments: int = 10_000, *, candidate_path: Path | None = None,
                   var_dir: Path | None = None) -> list[str]:
    """Seed `comments` decided comments in a fresh embedded PostgreSQL and time one backtest; table rows."""
    from classifiers import DEFAULT_MODEL_PATH, load_model
    from moderation import db
    from moderation.app import create_app
    from moderation.config import Config
    from moderation.domain.sites import create_site
    from moderation.embedded import start_postgres, stop_postgres
    from moderation.migrate import upgrade
    from moderation.models import Site

    own_dir = var_dir is None
    var_dir = var_dir or Path(tempfile.mkdtemp(prefix="backtest-bench-"))
    database_url = start_postgres(var_dir)
    try:
        upgrade(database_url)
        app = create_app(Config.from_env(DATABASE_URL=database_url, VAR_DIR=var_dir, SECRET_KEY="bench"))
        with app.app_context():
            site = create_site(db.session, f"bench-{int(time.time())}").site
            db.session.commit()
            started = time.perf_counter()
            seed_decided(db.session, site.id, comments, rng=random.Random(8))
            seeded = time.perf_counter() - started
            started = time.perf_counter()
            active = load_model(DEFAULT_MODEL_PATH)
            candidate = load_model(candidate_path) if candidate_path else load_model(DEFAULT_MODEL_PATH)
            loaded = time.perf_counter() - started
            timing = time_backtest(db.session, db.session.get(Site, site.id), candidate, active, limit=comments)
    finally:
        if own_dir:
            stop_postgres(var_dir)
    return [
        "| measurement | value |",
        "|---|---:|",
        f"| decided comments seeded | {comments:,} ({seeded:.1f} s) |",
        f"| loading both models | {loaded:.1f} s |",
        f"| backtest, both models scoring {timing['comments']:,} decisions | {timing['seconds']:.1f} s |",
        f"| comment scorings per second | {timing['comments_per_second']:,.0f} |",
        f"| ROC AUC active / candidate | {timing['active_roc_auc']:.3f} / {timing['candidate_roc_auc']:.3f} |",
    ]


def bench_backtest_in_subprocess(comments: int = 10_000) -> list[str]:
    """`bench_backtest` in a fresh interpreter (for bench/retrain.py), its table rows."""
    done = subprocess.run([sys.executable, __file__, "--comments", str(comments)], capture_output=True, text=True,
                          cwd=REPO, check=True)
    return [line for line in done.stdout.splitlines() if line.startswith("|")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--candidate", type=Path, default=None, help=".skops (default: the shipped model)")
    parser.add_argument("--var-dir", type=Path, default=None)
    args = parser.parse_args()
    for row in bench_backtest(args.comments, candidate_path=args.candidate, var_dir=args.var_dir):
        print(row, flush=True)


if __name__ == "__main__":
    main()
