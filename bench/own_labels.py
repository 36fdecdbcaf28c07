"""Training time with the shared data plus a site's own labels (issue 8: under 5 minutes with 10,000).

    MODERATION_VAR_DIR=/tmp/own-labels .venv/bin/python bench/own_labels.py --labels 10000
    MODERATION_VAR_DIR=/tmp/own-labels time .venv/bin/moderation train --site bench-own-labels --quiet

The first command seeds the site "bench-own-labels" (once) with decided comments and their labels
in the embedded PostgreSQL of MODERATION_VAR_DIR, then times train_with_own_labels (the function
`moderation train --site` and the training task call). The comment texts come from shared-data
files the shipped model is not trained on (evaluation splits and newer sets), decided as their
toxicity label says: a stand-in for a site's moderators. The artifacts go to a temporary folder.
"""
from __future__ import annotations

import argparse
import hashlib
import csv
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SITE = "bench-own-labels"
TEXT_FILES = ("olid_test.csv", "convabuse_valid.csv", "convabuse_test.csv", "surge.csv", "wiki_context.csv",
              "hatexplain.csv")


def texts(data_dir: Path, n: int) -> list[tuple[str, bool]]:
    rows: list[tuple[str, bool]] = []
    for name in TEXT_FILES:
        with (data_dir / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["toxicity"] in ("0", "1") and row["text"].strip():
                    rows.append((row["text"], row["toxicity"] == "1"))
    # Interleave the files so any n mixes them.
    return rows[::max(1, len(rows) // n)][:n]


def seed(session, site, data_dir: Path, n: int) -> int:
    from sqlalchemy import func, select

    from moderation.domain.labels import record_decision
    from moderation.domain.lifecycle import APPROVED, REJECTED, now
    from moderation.domain.users import create_user
    from moderation.models import Comment, LabelledExample, User

    have = session.scalar(select(func.count()).select_from(LabelledExample).where(LabelledExample.site_id == site.id))
    if have >= n:
        return have
    user = session.scalar(select(User).where(User.username == "bench-moderator")) or create_user(
        session, "bench-moderator", "bench-moderator-password-1", "moderator")
    start = now() - timedelta(days=30)
    for i, (text, toxic) in enumerate(texts(data_dir, n - have)):
        status = REJECTED if toxic else APPROVED
        comment = Comment(site_id=site.id, external_id=f"bench-{have + i}", story_id="bench", author_id=f"a{i % 997}",
                          text=text, body_hash=hashlib.sha256(text.encode()).hexdigest(), status=status, decision=status,
                          decision_reason="Personal attack or insult" if toxic else None,
                          decided_by=user.id, decided_at=start + timedelta(seconds=i))
        session.add(comment)
        session.flush()
        record_decision(session, comment, user, [])
        if i % 1000 == 999:
            session.commit()
    session.commit()
    return session.scalar(select(func.count()).select_from(LabelledExample).where(LabelledExample.site_id == site.id))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", type=int, default=10_000, help="own labels to seed (default 10,000)")
    parser.add_argument("--seed-only", action="store_true", help="seed, do not train")
    args = parser.parse_args()

    from moderation import db
    from moderation.cli.context import command_app
    from moderation.domain.label_export import find_site
    from moderation.domain.errors import NotFound
    from moderation.domain.own_training import train_with_own_labels
    from moderation.domain.sites import create_site
    from moderation.migrate import upgrade

    app = command_app()
    upgrade(app.config["DATABASE_URL"])
    with app.app_context():
        try:
            site = find_site(db.session, SITE)
        except NotFound:
            site = create_site(db.session, SITE).site
            db.session.commit()
        count = seed(db.session, site, Path(app.config["TRAINING_DATA_DIR"]), args.labels)
        print(f"site {SITE}: {count} own labels")
        if args.seed_only:
            return
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            path = train_with_own_labels(db.session, site, data_dir=app.config["TRAINING_DATA_DIR"], out_dir=out,
                                         weight=app.config["OWN_LABEL_WEIGHT"], progress=True)
            seconds = time.perf_counter() - started
            print(f"trained {path.name} on the shared data + {count} own labels in {seconds:.1f} s")


if __name__ == "__main__":
    main()
