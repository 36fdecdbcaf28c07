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

# bench/queue.py shadows the standard library's `queue` (Celery's amqp imports it): keep the
# bench directory off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from moderation.domain.backtest import backtest  # noqa: E402
from moderation.domain.lifecycle import APPROVED, REJECTED  # noqa: E402
from moderation.models import Comment, Site  # noqa: E402

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


def seed_decided(session: Session, site_id: int, n: int, *, rng: random.Random, data_dir: Path = DATA,
                 days: int = 30) -> None:
    """`n` comments of the site decided by a moderator, received over the last `days` days. Commits."""
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


def time_backtest(session: Session, site: Site, candidate: Any, active: Any, *, limit: int = 10_000) -> dict[str, Any]:
    """Seconds for one backtest of the site's last `limit` decisions, both models scoring."""
    started = time.perf_counter()
    result = backtest(session, site, candidate, active, limit=limit)
    seconds = time.perf_counter() - started
    return {"comments": result.comments, "seconds": seconds, "comments_per_second": 2 * result.comments / seconds,
            "active_roc_auc": result.active.roc_auc, "candidate_roc_auc": result.candidate.roc_auc}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--candidate", type=Path, default=None, help=".skops (default: the shipped model)")
    parser.add_argument("--var-dir", type=Path, default=None)
    args = parser.parse_args()

    from classifiers import DEFAULT_MODEL_PATH, load_model
    from moderation import db
    from moderation.app import create_app
    from moderation.config import Config
    from moderation.domain.sites import create_site
    from moderation.embedded import start_postgres, stop_postgres
    from moderation.migrate import upgrade

    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="backtest-bench-"))
    database_url = start_postgres(var_dir)
    try:
        upgrade(database_url)
        app = create_app(Config.from_env(DATABASE_URL=database_url, VAR_DIR=var_dir, SECRET_KEY="bench"))
        with app.app_context():
            site = create_site(db.session, f"bench-{int(time.time())}").site
            db.session.commit()
            started = time.perf_counter()
            seed_decided(db.session, site.id, args.comments, rng=random.Random(8))
            print(f"seeded {args.comments:,} decided comments in {time.perf_counter() - started:.1f}s")
            active = load_model(DEFAULT_MODEL_PATH)
            candidate = load_model(args.candidate) if args.candidate else active
            timing = time_backtest(db.session, db.session.get(Site, site.id), candidate, active, limit=args.comments)
        print(f"backtest of {timing['comments']:,} decided comments, two models: {timing['seconds']:.1f}s "
              f"({timing['comments_per_second']:,.0f} comment-scorings/s); active ROC AUC "
              f"{timing['active_roc_auc']:.3f}, candidate {timing['candidate_roc_auc']:.3f}")
    finally:
        if args.var_dir is None:
            stop_postgres(var_dir)


if __name__ == "__main__":
    main()
