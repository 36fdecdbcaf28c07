"""What a site polling its comments costs the site's own POSTs, and whether the poller misses any.

Listing a site's comments takes that site's comment-id lock exclusive (moderation/domain/comments.py,
COMMENT_IDS_LOCK), so a page is read only once every comment whose id was drawn before has committed;
each POST holds it shared. This runs the same POST load with and without a poller beside it,
alternately, in one process, and prints POST latency for both, the poll's own latency, and how
many comments the poller never saw (0, or the listing skips ids that commit late).

    .venv/bin/python bench/listing_poll.py [--seconds 10] [--rounds 2]

Requests go through Flask's test client in threads: server time, no network. No worker runs, so
the comments stay pending (the POST path is the same). Embedded PostgreSQL and Redis in a temporary
directory.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from api_app import bench_app, percentile  # noqa: E402

from moderation import db  # noqa: E402
from moderation.domain.sites import create_site  # noqa: E402

POSTERS, BATCH, POLL_EVERY = 2, 100, 0.05


def run_phase(app, headers: dict[str, str], seconds: float, poll: bool, tag: str) -> dict[str, object]:
    stop = time.monotonic() + seconds
    post_ms: list[float] = []
    poll_ms: list[float] = []
    sent: set[int] = set()
    seen: set[int] = set()
    lock = threading.Lock()

    def poster(n: int) -> None:
        client, i = app.test_client(), 0
        while time.monotonic() < stop:
            i += 1
            if i % 20 == 0:  # now and then a batch, whose ids commit after later single comments'
                body = {"comments": [{"id": f"{tag}-{n}-{i}-{k}", "story_id": tag, "author_id": "a", "text": "Fine."}
                                     for k in range(BATCH)]}
                answer = client.post("/api/v1/comments:batch", headers=headers, json=body).get_json()
                ids = [r["comment"]["id"] for r in answer["results"] if r.get("comment")]
            else:
                started = time.perf_counter()
                response = client.post("/api/v1/comments", headers=headers,
                                       json={"id": f"{tag}-{n}-{i}", "story_id": tag, "author_id": "a", "text": "Fine."})
                post_ms.append((time.perf_counter() - started) * 1000)
                ids = [response.get_json()["id"]]
            with lock:
                sent.update(ids)

    def poller() -> None:
        client, after = app.test_client(), 0
        while time.monotonic() < stop + 1.0:  # a last look after the posters stop
            started = time.perf_counter()
            page = client.get("/api/v1/comments", headers=headers,
                              query_string={"story_id": tag, "after": after, "limit": 200}).get_json()
            poll_ms.append((time.perf_counter() - started) * 1000)
            ids = [c["id"] for c in page["comments"]]
            seen.update(ids)
            after = max(ids, default=after)
            if not page["next"]:
                time.sleep(POLL_EVERY)

    threads = [threading.Thread(target=poster, args=(n,)) for n in range(POSTERS)]
    if poll:
        threads.append(threading.Thread(target=poller))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"posts": len(post_ms), "p50": statistics.median(post_ms), "p99": percentile(post_ms, 0.99),
            "poll_p50": statistics.median(poll_ms) if poll_ms else None,
            "poll_p99": percentile(poll_ms, 0.99) if poll_ms else None,
            "missed": len(sent - seen) if poll else None, "comments": len(sent)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=2, help="phases of each kind, alternated")
    args = parser.parse_args()
    with bench_app("bench-listing-") as app:
        with app.app_context():
            key = create_site(db.session, "bench-poll").api_key
            db.session.commit()
        headers = {"Authorization": f"Bearer {key}"}
        rows = []
        for round_ in range(args.rounds):
            for poll in (False, True):
                rows.append((poll, run_phase(app, headers, args.seconds, poll, f"r{round_}-{int(poll)}")))
    print(f"\n{POSTERS} threads POSTing single comments (and a batch of {BATCH} every 20th request) for "
          f"{args.seconds:.0f} s a phase; the poller lists with the largest id seen every {POLL_EVERY * 1000:.0f} ms\n")
    print("| phase | single POSTs | POST p50 ms | POST p99 ms | poll p50 ms | poll p99 ms | comments | missed by the poller |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for poll, r in rows:
        extra = (f"{r['poll_p50']:.1f} | {r['poll_p99']:.1f} | {r['comments']:,} | {r['missed']}" if poll
                 else f"– | – | {r['comments']:,} | –")
        print(f"| {'with a poller' if poll else 'no poller'} | {r['posts']:,} | {r['p50']:.1f} | {r['p99']:.1f} | {extra} |")


if __name__ == "__main__":
    main()
