"""The review queue at newsroom scale: 100,000 queued comments over 20 sites, 5,000 stories and
30,000 authors, and the server time of each page a moderator uses all day.

    .venv/bin/python bench/queue_pages.py                    # seed a fresh database, 30 timed runs each
    .venv/bin/python bench/queue_pages.py --runs 10 --var-dir /tmp/qbench   # keep the seeded database

Requests go through Flask's test client inside this process: server time (routing, queries,
templates), no network. The embedded PostgreSQL and Redis live in a temporary directory, or in
--var-dir, which a later run reuses without seeding again (migrations still run, so new indexes
are built on the existing rows).
"""
from __future__ import annotations

import sys
from pathlib import Path

# This file's name shadows the standard library's `queue` (Celery's amqp imports it): keep the
# bench directory off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import hashlib
import json
import math
import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from moderation import db  # noqa: E402
from moderation.app import create_app  # noqa: E402
from moderation.config import Config  # noqa: E402
from moderation.embedded import embedded_servers  # noqa: E402

SITES, STORIES, AUTHORS, COMMENTS = 20, 5_000, 30_000, 100_000
REPORTED_COMMENTS, REPORTERS, SANCTIONS = 3_000, 6_000, 400
# Scored comments by status, the rest is pending: mostly work (held), what was let through
# (published), and a backlog of decided ones, as in a queue that has run for two months.
STATUS_MIX = (("held", 0.36), ("published", 0.40), ("pending", 0.08), ("approved", 0.09), ("rejected", 0.07))
PAGE_TARGET_MS, BULK_TARGET_MS = 150.0, 2000.0
# The seeded scores' flag thresholds; priority is the highest score/threshold ratio, as in policy.py.
THRESHOLDS = {"toxicity": 0.55, "insult": 0.6, "identity_attack": 0.5}
ADMIN, MODERATOR, PASSWORD = "bench-admin", "bench-moderator", "bench queue password 7"
MEMBER_OF = 3  # sites the moderator works

CIVIL = """the council budget bridge harbour festival city school teachers parents road traffic
cyclists bus train station housing rent prices market mayor election vote candidates debate
police report court judge hospital nurses doctors weather storm flood river park library museum
article reporter photos interview story history music concert theatre football match season
coach players fans stadium taxes spending plan project construction delay cost residents
neighbours community volunteers charity church shop business jobs workers union strike wages
pension energy climate solar wind water pipes airport flights tourism hotel restaurant food
farmers harvest fishing boats ferry island beach summer winter spring autumn morning evening
thanks agree disagree interesting fair balanced thoughtful helpful clear wrong right question
answer point view opinion facts numbers data source evidence policy decision meeting minutes
""".split()
FILLER = "I think we should the a of and to in is it that for on was with as but not be this are".split()
ABUSIVE = """idiot stupid moron pathetic worthless garbage trash clown liar disgusting hate shut
loser fool dumb ignorant scum""".split()
TITLES = ("Council approves", "Residents protest", "Inside the", "What next for", "Letters:", "Review:")


def progress(label: str, done: int, total: int) -> None:
    width = 30
    if done < total and done % max(total // 10, 1):
        return  # a tenth at a time: a readable line in a log, not thousands of updates
    filled = width * done // max(total, 1)
    print(f"\r  {label:<22} [{'#' * filled}{'.' * (width - filled)}] {done:>7,}/{total:,}",
          end="" if done < total else "\n", file=sys.stderr, flush=True)


def _zipf_index(rng: random.Random, n: int, skew: float = 3.0) -> int:
    """0..n-1, heavily favouring small numbers: a few prolific authors and busy stories."""
    return min(n - 1, int(n * rng.random() ** skew))


def _text(rng: random.Random, abusive: bool) -> str:
    words = []
    for _ in range(rng.randint(8, 45)):
        pool = ABUSIVE if abusive and rng.random() < 0.15 else CIVIL if rng.random() < 0.55 else FILLER
        # Squaring the draw makes some words common and others rare, so searches differ in selectivity.
        words.append(pool[int(len(pool) * rng.random() ** 2)])
    return " ".join(words).capitalize() + "."


def _copy(cursor, table: str, columns: list[str], rows: Iterator[tuple], total: int, label: str) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for i, row in enumerate(rows, 1):
            copy.write_row(row)
            progress(label, i, total)


def seed(database_url: str, rng: random.Random) -> None:
    import psycopg
    from sqlalchemy import select

    from moderation.models import Site, SiteMember, User

    with _app(database_url).app_context():
        from moderation.domain.sites import create_site
        from moderation.domain.users import create_user
        from moderation.domain.webhook_urls import UrlPolicy

        # Sites with webhooks, so decisions queue deliveries as in production (no worker sends them).
        policy = UrlPolicy.from_config({"WEBHOOK_ALLOW_HTTP": "1", "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"})
        for n in range(SITES):
            create_site(db.session, f"paper-{n:02d}", webhook_url=f"http://127.0.0.1:9/hooks/{n}", url_policy=policy)
            progress("sites", n + 1, SITES)
        create_user(db.session, ADMIN, PASSWORD, "admin")
        moderator = create_user(db.session, MODERATOR, PASSWORD, "moderator")
        site_ids = sorted(db.session.scalars(select(Site.id)))
        for site_id in site_ids[4:4 + MEMBER_OF]:
            db.session.add(SiteMember(user_id=moderator.id, site_id=site_id))
        admin_id = db.session.scalar(select(User.id).where(User.username == ADMIN))
        db.session.commit()

    # Bigger and smaller papers: the first sites get more of the comments.
    site_weights = [1 / math.sqrt(i + 1) for i in range(SITES)]
    authors_per_site, stories_per_site = AUTHORS // SITES, STORIES // SITES
    statuses, status_weights = zip(*STATUS_MIX)
    now = datetime.now(timezone.utc)
    comment_rows: list[tuple] = []
    status_of: dict[int, str] = {}
    site_of: dict[int, int] = {}
    for cid in range(1, COMMENTS + 1):
        progress("generating comments", cid, COMMENTS)
        s = rng.choices(range(SITES), site_weights)[0]
        site_id = site_ids[s]
        status = rng.choices(statuses, status_weights)[0]
        abusive = status in ("held", "rejected") or rng.random() < 0.05
        text = _text(rng, abusive)
        author = _zipf_index(rng, authors_per_site)
        story = _zipf_index(rng, stories_per_site, 2.0)
        received = now - timedelta(seconds=rng.uniform(60, 60 * 86400))
        scores = flagged = explanations = model_version = scored_at = None
        priority = 0.0
        if status != "pending":
            tox = rng.uniform(0.55, 1.0) if abusive else rng.uniform(0.0, 0.5)
            scores = {"toxicity": round(tox, 4), "insult": round(tox * rng.uniform(0.5, 1.0), 4),
                      "identity_attack": round(rng.uniform(0, 0.3) if rng.random() < 0.9 else rng.uniform(0.5, 1), 4)}
            flagged = [a for a, t in THRESHOLDS.items() if scores[a] >= t]
            if status == "held" and not flagged:
                flagged = ["toxicity"]
            priority = round(max(scores[a] / t for a, t in THRESHOLDS.items()), 6)
            if flagged:
                first = text.split()[0]
                explanations = {flagged[0]: [{"begin": 0, "end": len(first), "score": 0.5, "text": first}]}
            model_version, scored_at = "civility-bench", received + timedelta(seconds=2)
        decided = status in ("approved", "rejected")
        status_of[cid], site_of[cid] = status, site_id
        comment_rows.append((
            cid, site_id, f"c{cid}", f"s{s}-{story}", f"https://paper-{s:02d}.example/stories/{story}",
            f"{rng.choice(TITLES)} story {story}", f"a{s}-{author}", f"Reader {s}-{author}", text,
            hashlib.sha256(text.encode()).hexdigest(), received, status, 3 if decided else 2 if scores else 1,
            received + timedelta(minutes=5 if decided else 0), json.dumps(scores) if scores else None,
            json.dumps(explanations) if explanations else None, model_version, scored_at,
            json.dumps(flagged) if flagged is not None else None, 0.0, priority,
            admin_id if decided else None, received + timedelta(minutes=5) if decided else None,
            status if decided else None, "Personal attack or insult" if status == "rejected" else None,
        ))

    # Reports: a few thousand comments, 1 to 6 readers each; published ones past the threshold are "Reported".
    reported = rng.sample([c for c, st in status_of.items() if st in ("published", "held", "approved", "rejected")],
                          REPORTED_COMMENTS)
    report_rows: list[tuple] = []
    weight_of: dict[int, float] = {}
    for cid in reported:
        readers = rng.sample(range(REPORTERS), rng.choice((1, 1, 1, 2, 2, 3, 4, 6)))
        for reader in readers:
            reason = rng.choice(("uncivil", "off_topic", "spam", "harassment", "hate", "personal_information", "other"))
            weight = 2.0 if reason in ("hate", "harassment", "personal_information") else 1.0
            outcome = {"approved": "dismissed", "rejected": "upheld"}.get(status_of[cid])
            note = "see the last sentence" if rng.random() < 0.3 else None
            # Filed over the last three hours: most have waited past a desk's 15 minutes, as on a busy night.
            filed = now - timedelta(seconds=rng.uniform(0, 3 * 3600))
            report_rows.append((cid, reason, f"reader-{reader}", note, weight, outcome, filed))
            weight_of[cid] = weight_of.get(cid, 0.0) + weight
    for i, row in enumerate(comment_rows):
        if row[0] in weight_of:
            w = weight_of[row[0]]
            row = list(row)
            row[19] = w
            row[20] = round(row[20] + w / 2.0, 6)
            comment_rows[i] = tuple(row)

    with psycopg.connect(_libpq(database_url), autocommit=False) as conn, conn.cursor() as cur:
        _copy(cur, "comments", [
            "id", "site_id", "external_id", "story_id", "story_url", "story_title", "author_id", "author_name",
            "text", "body_hash", "received_at", "status", "version", "status_changed_at", "scores", "explanations",
            "model_version", "scored_at", "flagged", "report_weight", "priority", "decided_by", "decided_at",
            "decision", "decision_reason"], iter(comment_rows), COMMENTS, "comments")
        cur.execute("SELECT setval('comments_id_seq', %s)", (COMMENTS,))
        _copy(cur, "reports", ["comment_id", "reason", "reporter_id", "note", "weight", "outcome", "created_at"],
              iter(report_rows), len(report_rows), "reports")
        audit_rows = ((row[0], "system:scorer", f"status:pending->{'held' if row[11] == 'held' else 'published'}")
                      for row in comment_rows if row[11] != "pending")
        scored = sum(1 for row in comment_rows if row[11] != "pending")
        _copy(cur, "audit_log", ["comment_id", "actor", "action"], audit_rows, scored, "audit log")
        sanctioned = rng.sample(range(len(comment_rows)), SANCTIONS)
        sanction_rows = []
        for i in sanctioned:
            row = comment_rows[i]
            kind = rng.choice(("premoderate", "suspend", "ban"))
            lifted = rng.random() < 0.3
            sanction_rows.append((row[1], row[6], kind, "bench", admin_id,
                                  now + timedelta(days=7) if kind == "suspend" else None,
                                  now if lifted else None, admin_id if lifted else None))
        _copy(cur, "author_sanctions", ["site_id", "author_id", "kind", "reason", "created_by", "expires_at",
                                        "lifted_at", "lifted_by"], iter(sanction_rows), SANCTIONS, "sanctions")
        conn.commit()
    with psycopg.connect(_libpq(database_url), autocommit=True) as conn:
        # What autovacuum would have done by the time a queue is this deep.
        conn.execute("VACUUM ANALYZE")


def _libpq(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://")


def _app(database_url: str, redis_url: str | None = None):
    return create_app(Config.from_env(DATABASE_URL=database_url, REDIS_URL=redis_url or "redis://127.0.0.1:9/0",
                                      VAR_DIR=Path(tempfile.gettempdir()), SECRET_KEY="bench-secret"))


def _signed_in(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@dataclass
class Row:
    operation: str
    times_ms: list[float]
    target_ms: float
    # Time spent waiting on PostgreSQL in each run: on a machine shared with other work the wall
    # time swings with the load, this share shows what the queries themselves cost.
    sql_ms: list[float]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]

    @property
    def passed(self) -> bool:
        return self.percentile(0.95) <= self.target_ms


class SqlClock:
    """Adds up the time an engine spends in cursor.execute (round trip and query)."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.total = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, *args: object) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, *args: object) -> None:
        self.total += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())


def time_it(operation: str, call: Callable[[], object], runs: int, warmup: int, target_ms: float,
            clock: SqlClock) -> Row:
    for _ in range(warmup):
        call()
    times, sql = [], []
    for _ in range(runs):
        clock.total = 0.0
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
        sql.append(clock.total * 1000)
    print(f"  {operation}: p50 {statistics.median(times):.0f} ms", file=sys.stderr)
    return Row(operation, times, target_ms, sql)


def get_ok(client, url: str) -> Callable[[], object]:
    def call() -> object:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
        return response
    return call


def bulk_hundred(session, user, items: list[tuple[int, int]], reason: str) -> int:
    """Reject 100 comments with one reason, as the queue's bulk bar does (domain/bulk.py)."""
    from moderation.domain.bulk import bulk_decide

    result = bulk_decide(session, items, user=user, action="reject", reason=reason)
    assert not result.skipped, result.skipped[:3]
    return len(result.decided)


def one_by_one_hundred(session, user, items: list[tuple[int, int]], reason: str) -> int:
    """The peer: the same 100 decisions through decide(), a transaction and a webhook send each."""
    from moderation.domain.decisions import decide

    for comment_id, version in items:
        decide(session, comment_id, user=user, action="reject", reason=reason, expected_version=version)
    return len(items)


def measure(database_url: str, redis_url: str, runs: int, warmup: int, bulk_runs: int) -> list[Row]:
    from sqlalchemy import delete, func, select

    from moderation.domain.queue import review_queue
    from moderation.long_lived import freeze_startup_objects
    from moderation.models import Comment, Report, ReviewClaim, User

    app = _app(database_url, redis_url)
    # As gunicorn's pre_fork does for every web worker (moderation/long_lived.py): without it this one
    # process's full collections (110 ms over its start-up objects) landed in one page's p95 or another.
    freeze_startup_objects()
    clock = SqlClock(app.extensions["db_engine"])
    admin, moderator = _signed_in(app, ADMIN), _signed_in(app, MODERATOR)
    with app.app_context():
        admin_user = db.session.scalar(select(User).where(User.username == ADMIN))
        cursor = review_queue(db.session, viewer=admin_user).next_cursor
        busiest_site, heavy_author = db.session.execute(
            select(Comment.site_id, Comment.author_id).group_by(Comment.site_id, Comment.author_id)
            .order_by(func.count().desc()).limit(1)).one()
        reported = db.session.scalar(
            select(Report.comment_id).join(Comment, Comment.id == Report.comment_id).where(Comment.status == "held")
            .group_by(Report.comment_id).order_by(func.count().desc(), Report.comment_id).limit(1))
    filtered = urlencode({"site": busiest_site, "flag": "insult", "score_min": "0.7", "score_max": "0.95"})
    def page(operation: str, client, url: str) -> Row:
        return time_it(operation, get_ok(client, url), runs, warmup, PAGE_TARGET_MS, clock)

    rows = [
        page("queue, admin (To review)", admin, "/review"),
        page(f"queue, moderator of {MEMBER_OF} sites", moderator, "/review"),
        page("queue, All tab", admin, "/review?tab=all"),
        page("Reported tab, admin", admin, "/review?tab=reported"),
        page("Reported tab, oldest report first", admin, "/review?tab=reported&sort=waiting"),
        page("filtered: site+flag+score", admin, f"/review?{filtered}"),
        page("search 'bridge', admin", admin, "/review?q=bridge"),
        page("search 'bridge', moderator", moderator, "/review?q=bridge"),
        page("search '\"city budget\"', All", admin, "/review?tab=all&q=%22city+budget%22"),
        page("second page (keyset)", admin, "/review?" + urlencode({"after": cursor})),
        page("author page (busiest)", admin, f"/review/authors/{busiest_site}/{heavy_author}"),
        page("detail page", admin, f"/review/{reported}"),
        # The confirmation of "all matching": up to 1,000 comments listed, so the bulk target.
        time_it("bulk: all matching, confirm (1,000)", get_ok(admin, "/review/bulk/matching?tab=review"), runs, warmup,
                BULK_TARGET_MS, clock),
    ]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == MODERATOR))
        # Opening the detail page claimed its comment for the admin; a colleague's claim would
        # (rightly) make the moderator's bulk action skip it.
        db.session.execute(delete(ReviewClaim))
        db.session.commit()

        def hundred(decide_them) -> Callable[[], None]:
            def call() -> None:
                # The moderator's next 100 held comments, as "all on this page" twice over would pick them.
                items = db.session.execute(
                    select(Comment.id, Comment.version).where(Comment.status == "held",
                                                              Comment.site_id.in_(_member_sites(user)))
                    .order_by(Comment.priority.desc(), Comment.received_at, Comment.id).limit(100)).all()
                db.session.commit()
                assert decide_them(db.session, user, [tuple(i) for i in items], "Personal attack or insult") == 100
            return call

        rows.append(time_it("decide 100: bulk_decide", hundred(bulk_hundred), bulk_runs, 1, BULK_TARGET_MS, clock))
        rows.append(time_it("decide 100: decide() x100 (peer)", hundred(one_by_one_hundred), bulk_runs, 1,
                            BULK_TARGET_MS, clock))
    return rows


def _member_sites(user) -> list[int]:
    from moderation.domain.membership import visible_site_ids

    return sorted(visible_site_ids(db.session, user) or [])


@contextmanager
def services(var_dir: Path | None) -> Iterator[tuple[str, str, bool]]:
    """(database URL, Redis URL, whether it still needs seeding)."""
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        where = var_dir or Path(tmp)
        fresh = not (where / "pgdata").exists()
        with embedded_servers(where) as (database_url, redis_url):
            yield database_url, redis_url, fresh


def print_table(rows: list[Row], runs: int) -> None:
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\nServer time through Flask's test client; {COMMENTS:,} comments, {SITES} sites, {STORIES:,} stories, "
          f"{AUTHORS:,} authors; {runs} runs per page after warm-up; {os.cpu_count()} cores, load average "
          f"{load} at the end; SQL = time waiting on PostgreSQL\n")
    print("| operation | n | p50 ms | p95 ms | max ms | SQL p50 ms | target ms | result |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r.operation} | {len(r.times_ms)} | {statistics.median(r.times_ms):.0f} | {r.percentile(0.95):.0f} "
              f"| {max(r.times_ms):.0f} | {statistics.median(r.sql_ms):.0f} | {r.target_ms:.0f} "
              f"| {'pass' if r.passed else 'FAIL'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--bulk-runs", type=int, default=10, help="timed decisions of 100 comments")
    parser.add_argument("--var-dir", type=Path, help="keep the seeded database here and reuse it next time")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with services(args.var_dir) as (database_url, redis_url, fresh):
        if fresh:
            started = time.perf_counter()
            seed(database_url, random.Random(args.seed))
            print(f"  seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        rows = measure(database_url, redis_url, args.runs, args.warmup, args.bulk_runs)
    print_table(rows, args.runs)
    sys.exit(0 if all(r.passed for r in rows) else 1)


if __name__ == "__main__":
    main()
