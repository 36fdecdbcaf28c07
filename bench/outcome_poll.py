"""A site that polls for outcomes: the changes feed against reading its open comments again.

Before the feed, a site that took no webhooks learnt a decision on an old comment by listing its
`pending` and `held` comments again on every poll and looking up each one that had left the list.
This seeds a site's backlog of held comments, then runs the same decisions twice, alternately:
moderators deciding one comment at a time and a slow batch of 50 in one transaction that commits
after them, while a poller learns outcomes one way or the other every 200 ms. It prints what one
poll costs, how long an outcome took to reach the poller, and how many it never learnt.

    .venv/bin/python bench/outcome_poll.py [--backlog 5000] [--seconds 10] [--rounds 2]

It then prints what the feed's stamp costs the writes: a trigger stamps each comment whose version
changes, and a scored batch writes hundreds in one UPDATE. The same UPDATE of 250 comments' scored
columns, as status_writes.py sends it, each a new status as scoring gives, with the trigger on and
off, alternately. (Without the status change the stamp would be all the UPDATE changes in an index,
and it would cost the write its HOT update: 4 ms became 15 ms. Every write that stamps changes the
status too, but a site's switch of moderation mode and a restore.)

Requests go through Flask's test client in threads: server time, no network. No worker runs.
Embedded PostgreSQL and Redis in a temporary directory.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from api_app import bench_app, percentile  # noqa: E402

from sqlalchemy import text  # noqa: E402

from moderation import db  # noqa: E402
from moderation.domain.json_rows import as_parameters  # noqa: E402
from moderation.domain.lifecycle import APPROVED, DECISION, HELD, REJECTED, change_status  # noqa: E402
from moderation.domain.sites import create_site  # noqa: E402
from moderation.domain.status_writes import _SCORED  # noqa: E402
from moderation.models import Comment  # noqa: E402

POLL_EVERY, DECIDERS, SLOW_BATCH = 0.2, 2, 50


def seed(app, headers: dict[str, str], backlog: int, tag: str) -> list[int]:
    client, ids = app.test_client(), []
    for start in range(0, backlog, 500):
        body = {"comments": [{"id": f"{tag}-{n}", "story_id": tag, "author_id": f"a{n % 97}", "text": "Held, say."}
                             for n in range(start, min(backlog, start + 500))]}
        ids += [r["comment"]["id"] for r in client.post("/api/v1/comments:batch", headers=headers, json=body)
                .get_json()["results"]]
    with app.app_context():  # held as scoring would leave them, without a worker
        db.session.execute(text("UPDATE comments SET status = 'held', version = version + 1 WHERE id = ANY(:ids)"),
                           {"ids": ids})
        db.session.commit()
    return ids


def decide(app, ids: list[int], committed: dict[int, tuple[int, float]], lock: threading.Lock,
           pause: float = 0.0) -> None:
    """Decide these held comments in one transaction (pausing inside it), and note when each version committed."""
    with app.app_context():
        versions = {}
        for comment_id in ids:
            comment = db.session.get(Comment, comment_id)
            if comment.status != HELD:
                continue
            change_status(db.session, comment, random.choice((APPROVED, REJECTED)), actor="user:bench", by=DECISION)
            versions[comment_id] = comment.version
        time.sleep(pause)
        db.session.commit()
        at = time.monotonic()
    with lock:
        for comment_id, version in versions.items():
            committed[comment_id] = (version, at)


def poll_feed(client, headers, state: dict) -> int:
    """One poll of the changes feed; returns the comments it read."""
    read, query = 0, {"after": state.setdefault("cursor", "now")}
    while True:
        page = client.get("/api/v1/comments/changes", headers=headers, query_string={**query, "limit": 500}).get_json()
        read += len(page["comments"])
        for c in page["comments"]:
            state["learnt"].setdefault((c["id"], c["version"]), time.monotonic())
        state["cursor"] = query["after"] = page["next_after"]
        if not page["more"]:
            return read


def poll_open(client, headers, state: dict) -> int:
    """One poll the old way: list every pending and held comment, look up each that left the list."""
    read, after, open_now = 0, 0, set()
    while True:
        page = client.get("/api/v1/comments", headers=headers,
                          query_string={"status": "pending,held", "after": after, "limit": 200}).get_json()
        read += len(page["comments"])
        open_now.update(c["id"] for c in page["comments"])
        if page["next_after"] is None:
            break
        after = page["next_after"]
    for comment_id in state.get("open", open_now) - open_now:
        c = client.get(f"/api/v1/comments/{comment_id}", headers=headers).get_json()
        read += 1
        state["learnt"].setdefault((c["id"], c["version"]), time.monotonic())
    state["open"] = open_now
    return read


def run_phase(app, headers, backlog: int, seconds: float, way: str, tag: str) -> dict[str, float]:
    ids = seed(app, headers, backlog, tag)
    random.shuffle(ids)
    committed: dict[int, tuple[int, float]] = {}
    lock = threading.Lock()
    state: dict = {"learnt": {}}
    poll = poll_feed if way == "feed" else poll_open
    client = app.test_client()
    poll(client, headers, state)  # where the poller starts: it holds the backlog already
    stop = time.monotonic() + seconds
    poll_ms, reads = [], []
    queue = iter(ids)

    def decider() -> None:
        while time.monotonic() < stop:
            with lock:
                batch = [next(queue)]
            decide(app, batch, committed, lock)
            time.sleep(0.01)

    def slow_batches() -> None:
        while time.monotonic() < stop:
            with lock:
                batch = [next(queue) for _ in range(SLOW_BATCH)]
            decide(app, batch, committed, lock, pause=0.3)  # drew its transaction id early, commits late

    threads = [threading.Thread(target=decider) for _ in range(DECIDERS)] + [threading.Thread(target=slow_batches)]
    for thread in threads:
        thread.start()
    while time.monotonic() < stop + 1.0:  # and a last look after the deciders stop
        started = time.perf_counter()
        reads.append(poll(client, headers, state))
        poll_ms.append((time.perf_counter() - started) * 1000)
        time.sleep(POLL_EVERY)
    for thread in threads:
        thread.join()
    poll(client, headers, state)
    lags = [(state["learnt"][key] - at) * 1000 for key, at in
            (((cid, version), at) for cid, (version, at) in committed.items()) if key in state["learnt"]]
    missed = sum((cid, version) not in state["learnt"] for cid, (version, _) in committed.items())
    return {"decided": len(committed), "polls": len(poll_ms), "poll_p50": statistics.median(poll_ms),
            "poll_p99": percentile(poll_ms, 0.99), "read": statistics.mean(reads),
            "lag_p50": statistics.median(lags) if lags else float("nan"), "lag_p99": percentile(lags, 0.99),
            "missed": missed}


def stamp_cost(app, headers, rounds: int, writes: int = 100, size: int = 250) -> list[tuple[bool, float]]:
    """ms per UPDATE of `size` comments' scored columns, trigger on and off alternately."""
    ids = seed(app, headers, size, "stamp")
    results = []
    with app.app_context():
        rows = [{"id": c.id, **{k: getattr(c, k) for k in _SCORED.columns}}
                for c in db.session.query(Comment).filter(Comment.id.in_(ids))]
        db.session.rollback()
        for _ in range(rounds):
            for stamped in (True, False):
                db.session.execute(text(f"ALTER TABLE comments {'ENABLE' if stamped else 'DISABLE'} "
                                        "TRIGGER comments_stamp_change"))
                db.session.commit()
                started = time.perf_counter()
                for n in range(writes):
                    for row in rows:  # a new status, as scoring gives: no write of it is a HOT update
                        row["version"] += 1
                        row["status"] = ("held", "published")[n % 2]
                    db.session.connection().execute(_SCORED.statement, as_parameters(rows))
                    db.session.commit()
                results.append((stamped, (time.perf_counter() - started) * 1000 / writes))
        db.session.execute(text("ALTER TABLE comments ENABLE TRIGGER comments_stamp_change"))
        db.session.commit()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backlog", type=int, default=5000, help="held comments the site has when polling starts")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=2, help="phases of each way, alternated")
    args = parser.parse_args()
    with bench_app("bench-outcomes-") as app:
        rows = []
        for round_ in range(args.rounds):
            for way in ("feed", "open"):
                with app.app_context():  # a site of its own per phase: the other phases' comments are not its
                    key = create_site(db.session, f"bench-{way}-{round_}").api_key
                    db.session.commit()
                headers = {"Authorization": f"Bearer {key}"}
                rows.append((way, run_phase(app, headers, args.backlog, args.seconds, way, f"r{round_}-{way}")))
        costs = stamp_cost(app, headers, args.rounds + 1)
    print(f"\nA site with {args.backlog:,} held comments; {DECIDERS} moderators deciding one at a time and a batch "
          f"of {SLOW_BATCH} that commits 0.3 s after it starts, for {args.seconds:.0f} s; the poller every "
          f"{POLL_EVERY * 1000:.0f} ms\n")
    print("| how the site polls | decided | polls | poll p50 ms | poll p99 ms | comments read a poll | "
          "outcome known after p50 ms | p99 ms | outcomes never learnt |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    names = {"feed": "changes feed", "open": "pending and held again"}
    for way, r in rows:
        print(f"| {names[way]} | {r['decided']:,} | {r['polls']} | {r['poll_p50']:.1f} | {r['poll_p99']:.1f} | "
              f"{r['read']:,.0f} | {r['lag_p50']:.0f} | {r['lag_p99']:.0f} | {r['missed']} |")
    print("\nOne UPDATE of 250 comments' scored columns (a scored batch's write), 100 in a row, committed each\n")
    print("| the feed's trigger | ms per UPDATE |")
    print("|---|---:|")
    for stamped, ms in costs:
        print(f"| {'on' if stamped else 'off'} | {ms:.2f} |")


if __name__ == "__main__":
    main()
