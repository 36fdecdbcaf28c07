"""The Published tab filtered by version, and a rollback's count, at 200,000 comments.

    .venv/bin/python bench/version_filter.py --var-dir /tmp/vbench            # seed once, then measure
    .venv/bin/python bench/version_filter.py --var-dir /tmp/vbench --head 0046_version_trainer

Three versions scored a paper's 200,000 comments over 5 sites (v1-old 120,000, v2 70,000, v3-bad
10,000), about 58 % published, 22 % held, the rest decided, deleted or pending; 1,500 of v1-old's held
comments were published when v2 scored them again (an audit entry each names the run and v2), and
the audit log has 3 entries per comment. With --head the database stops at that migration (run the
code of that release with it, e.g. PYTHONPATH at its checkout, for a before); without, it is brought
to the head, and the time of the migrations it ran is printed. Then for each version: the admin's
Published tab by version (review_queue, as the page calls it: every tab's exact count and the first
page) and a rollback's count (version_effect.left_by), the median of --runs, and EXPLAIN ANALYZE of
each statement the tab sent. With --compare (at the head), the release before's query forms and
this one's alternately on the same rows instead: the steadier comparison on a busy machine.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))  # after PYTHONPATH: a before runs the code PYTHONPATH names

SITES, COMMENTS, RELEASED = 5, 200_000, 1_500
VERSIONS = (("v1-old", 120_000), ("v2", 70_000), ("v3-bad", 10_000))
STATUS_MIX = (("published", 0.58), ("held", 0.22), ("approved", 0.09), ("rejected", 0.07), ("deleted", 0.02))
WORDS = "the council budget bridge harbour festival city school road traffic idiot stupid thanks agree".split()


def seed(url: str, rng: random.Random) -> None:
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
        if cursor.execute("SELECT count(*) FROM comments").fetchone()[0]:
            return
        for n in range(SITES):
            cursor.execute("INSERT INTO sites (name, key_id, key_hash, webhook_secret) VALUES (%s, %s, 'h', 'w')",
                           (f"paper-{n}", f"k{n}"))
        sites = [row[0] for row in cursor.execute("SELECT id FROM sites ORDER BY id").fetchall()]
        start = datetime.now(timezone.utc) - timedelta(days=60)
        statuses, weights = zip(*STATUS_MIX)
        versions = [v for v, n in VERSIONS for _ in range(n)]
        rows, audit = [], []
        released_left = RELEASED
        for cid in range(1, COMMENTS + 1):
            version = versions[cid - 1]
            status = "pending" if rng.random() < 0.02 else rng.choices(statuses, weights)[0]
            received = start + timedelta(seconds=cid * 25)
            held = status == "held"
            scores = {"toxicity": round(rng.uniform(0.6, 0.99) if held else rng.uniform(0, 0.5), 3)}
            release = version == "v1-old" and held and released_left > 0 and rng.random() < 0.05
            if release:
                released_left -= 1
                status = "published"
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
            scored = status != "pending"
            rows.append((sites[cid % SITES], f"c{cid}", f"s{cid % 3000}", f"a{cid % 20000}", text, "x", received,
                         status, 2, received, json.dumps(scores) if scored else None, version if scored else None,
                         received if scored else None, json.dumps(["toxicity"] if held or release else []),
                         scores["toxicity"] * 1.5 if scored else 0.0, scores["toxicity"] * 1.5 if scored else None))
            if scored:
                first = "held" if held or release else "published" if status == "published" else "held"
                audit.append(("system:scorer", f"status:pending->{first}", cid, json.dumps({"model_version": version})))
                audit.append(("system:scorer", "comment:scored", cid, "{}"))
                if release:
                    audit.append(("user:ada", "status:held->published", cid, json.dumps(
                        {"model_version": "v2", "rescore_run": 1, "scored_again_from": "v1-old"})))
                elif status != first:
                    audit.append(("user:mona", f"status:{first}->{status}", cid, "{}"))
                else:
                    audit.append(("site:1", "report:filed", cid, "{}"))
        columns = ("site_id, external_id, story_id, author_id, text, body_hash, received_at, status, version, "
                   "status_changed_at, scores, model_version, scored_at, flagged, priority, scored_priority")
        with cursor.copy(f"COPY comments ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        with cursor.copy("COPY audit_log (actor, action, comment_id, details) FROM STDIN") as copy:
            for row in audit:
                copy.write_row(row)
        conn.commit()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE comments")
        conn.execute("VACUUM ANALYZE audit_log")
    print(f"seeded {len(rows):,} comments, {len(audit):,} audit entries", file=sys.stderr)


def measure(url: str, runs: int) -> None:
    import tempfile

    from sqlalchemy import event, select

    from moderation import db
    from moderation.app import create_app
    from moderation.config import Config
    from moderation.domain.queue import review_queue
    from moderation.domain.queue_filters import QueueFilters
    from moderation.domain.version_effect import left_by
    from moderation.models import User

    app = create_app(Config.from_env(DATABASE_URL=url, REDIS_URL="redis://127.0.0.1:9/0",
                                     VAR_DIR=Path(tempfile.gettempdir()), SECRET_KEY="bench-secret"))
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "bench-admin"))
        if admin is None:
            admin = User(username="bench-admin", password_hash="x", role="admin")
            db.session.add(admin)
            db.session.commit()
        for version, _ in VERSIONS:
            def tab() -> object:
                return review_queue(db.session, viewer=admin, tab="published", filters=QueueFilters(model=version),
                                    with_threads=False)
            page = tab()
            tab_ms, left_ms = [], []
            for _ in range(runs):
                began = time.perf_counter()
                tab()
                tab_ms.append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                counts = left_by(db.session, version, None)
                left_ms.append((time.perf_counter() - began) * 1000)
            print(f"{version}: Published tab {page.counts['published']:,} (first page {len(page.items)}), "
                  f"median {statistics.median(tab_ms):.1f} ms; rollback count {counts}, "
                  f"median {statistics.median(left_ms):.1f} ms")
            sent: list[tuple[str, object]] = []

            def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
                if statement.lstrip().upper().startswith("SELECT") and "comments" in statement:
                    sent.append((statement, parameters))

            engine = db.session.get_bind()
            event.listen(engine, "before_cursor_execute", record)
            try:
                tab()
            finally:
                event.remove(engine, "before_cursor_execute", record)
            for statement, parameters in sent:
                plan = db.session.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement,
                                                               parameters).scalars().all()
                print("   " + statement.split("FROM", 1)[0][:90].replace("\n", " ") + " ...")
                for line in plan:
                    if any(word in line for word in ("Execution Time", "Index", "Seq Scan", "Bitmap")):
                        print("      " + line.strip()[:150])
            db.session.rollback()


def compare(url: str, runs: int) -> None:
    """The query forms of the release before 0047 (every comment under the version that scored it)
    and this one's, alternately on the same rows, so a busy machine's load falls on both alike."""
    import tempfile

    from sqlalchemy import func, select

    from moderation import db
    from moderation.app import create_app
    from moderation.config import Config
    from moderation.domain import queue_filters, version_effect
    from moderation.domain.queue import review_queue
    from moderation.domain.queue_filters import QueueFilters
    from moderation.models import Comment, User

    app = create_app(Config.from_env(DATABASE_URL=url, REDIS_URL="redis://127.0.0.1:9/0",
                                     VAR_DIR=Path(tempfile.gettempdir()), SECRET_KEY="bench-secret"))
    new_of_version, new_within = queue_filters.of_version, QueueFilters.within

    def before_left_by(session, version: str, site_id: int | None) -> dict[str, int]:  # noqa: ANN001
        return dict(session.execute(select(Comment.status, func.count()).where(
            Comment.model_version == version, Comment.status.in_(("published", "held"))).group_by(Comment.status)).all())

    def forms(before: bool) -> None:
        queue_filters.of_version = (lambda v, status=None: Comment.model_version == v) if before else new_of_version
        QueueFilters.within = (lambda self, tab: []) if before else new_within

    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "bench-admin"))
        for version, _ in VERSIONS:
            times: dict[tuple[bool, str], list[float]] = {(b, k): [] for b in (True, False) for k in ("tab", "count")}
            for i in range(runs):
                for before in ((True, False) if i % 2 else (False, True)):
                    forms(before)
                    began = time.perf_counter()
                    review_queue(db.session, viewer=admin, tab="published", filters=QueueFilters(model=version),
                                 with_threads=False)
                    times[(before, "tab")].append((time.perf_counter() - began) * 1000)
                    began = time.perf_counter()
                    (before_left_by if before else version_effect.left_by)(db.session, version, None)
                    times[(before, "count")].append((time.perf_counter() - began) * 1000)
                    db.session.rollback()
            m = {key: statistics.median(values) for key, values in times.items()}
            print(f"{version}: Published tab by version {m[(True, 'tab')]:.1f} -> {m[(False, 'tab')]:.1f} ms; "
                  f"rollback count {m[(True, 'count')]:.1f} -> {m[(False, 'count')]:.1f} ms (medians of {runs})")
        forms(False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var-dir", type=Path, required=True)
    parser.add_argument("--head", default=None, help="migrate only up to this revision")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--compare", action="store_true",
                        help="at the head: the release before's query forms and this one's, alternately")
    args = parser.parse_args()
    from moderation.embedded import start_postgres
    from moderation.migrate import upgrade

    args.var_dir.mkdir(parents=True, exist_ok=True)
    url = start_postgres(args.var_dir)
    fresh = not (args.var_dir / "seeded").exists()
    if fresh:  # seeded as a database of the release before 0047 holds its comments
        upgrade(url, "0046_version_trainer")
        seed(url, random.Random(46))
        (args.var_dir / "seeded").touch()
    began = time.perf_counter()
    upgrade(url, args.head) if args.head else upgrade(url)
    print(f"migrations to {args.head or 'the head'}: {time.perf_counter() - began:.1f} s", file=sys.stderr)
    (compare if args.compare else measure)(url, args.runs)


if __name__ == "__main__":
    main()
