"""A site's own live comments during its import: while the site sends a backlog through
`comments:batch` as fast as it is taken, does a reader's comment posted on its own still come
back in seconds? A second site posts beside it, for comparison.

    .venv/bin/python bench/import_lane.py                        # 20,000 imported, 60 s of live posts
    .venv/bin/python bench/import_lane.py --import 5000 --duration 20
    .venv/bin/python bench/import_lane.py --delay 0.05          # the site's endpoint takes 50 ms an event

The real service (gunicorn, a scoring worker and a webhook worker as `moderation up` runs them,
embedded PostgreSQL and Redis) on loopback. Prints, per kind of comment, the seconds from its POST
to its scoring (the event's scored_at) and to its final-status webhook arriving.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import Poster, WebhookSink  # noqa: E402
from stack import _create_site, running_stack  # noqa: E402

BATCH = 500


def _comment(prefix: str, i: int) -> dict:
    text = "You are a worthless idiot." if i % 10 == 0 else f"Thanks for the report on the bridge, part {i}."
    return {"id": f"{prefix}-{i}", "story_id": f"{prefix}-story-{i % 50}", "author_id": f"{prefix}-a{i % 400}",
            "text": text}


async def _import(poster: Poster, count: int, sent: dict[str, tuple[float, float]]) -> None:
    for start in range(0, count, BATCH):
        comments = [_comment("import", i) for i in range(start, min(start + BATCH, count))]
        began = time.monotonic(), time.time()
        status, answer = await poster.post("/api/v1/comments:batch", {"comments": comments})
        results = json.loads(answer)["results"] if status == 200 else []
        sent.update((item["id"], began) for item in results if item["status"] == 202)


async def _live(poster: Poster, prefix: str, every: float, duration: float, sent: dict[str, tuple[float, float]]) -> None:
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    for i in range(int(duration / every)):
        await asyncio.sleep(max(0.0, t0 + i * every - loop.time()))
        began = time.monotonic(), time.time()
        status, _ = await poster.post("/api/v1/comments", _comment(prefix, i))
        if status == 202:
            sent[f"{prefix}-{i}"] = began


def _quantiles(values: list[float]) -> str:
    if not values:
        return f"{'-':>9}{'-':>9}{'-':>9}"
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
    return f"{statistics.median(values):>9.2f}{p99:>9.2f}{values[-1]:>9.2f}"


def _row(name: str, sent: dict[str, tuple[float, float]], sink: WebhookSink) -> str:
    arrived = sink.arrivals(list(sent))
    scored = [arrived[cid].scored_at - wall for cid, (_, wall) in sent.items()
              if cid in arrived and arrived[cid].scored_at is not None]
    webhook = [arrived[cid].at - mono for cid, (mono, _) in sent.items() if cid in arrived]
    return f"{name:<22}{len(sent):>9}{_quantiles(scored)}{_quantiles(webhook)}{len(sent) - len(arrived):>9}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--import", dest="count", type=int, default=20000, help="comments the site imports")
    parser.add_argument("--duration", type=float, default=60, help="seconds the live comments are posted for")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between each site's live comments")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds each endpoint takes to answer a POST")
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for webhooks after posting")
    args = parser.parse_args()

    sink, other_sink = WebhookSink(delay=args.delay), WebhookSink(delay=args.delay)
    try:
        with running_stack(worker=True, webhook_worker=True, webhook_url=sink.url) as stack:
            other_key, _ = _create_site(stack.database_url, "other-site", other_sink.url)
            imported: dict[str, tuple[float, float]] = {}
            live: dict[str, tuple[float, float]] = {}
            other: dict[str, tuple[float, float]] = {}

            async def go() -> None:
                importer = Poster("127.0.0.1", stack.port, stack.api_key, connections=1, timeout=120)
                reader = Poster("127.0.0.1", stack.port, stack.api_key, connections=4, timeout=30)
                elsewhere = Poster("127.0.0.1", stack.port, other_key, connections=4, timeout=30)
                try:
                    await asyncio.gather(_import(importer, args.count, imported),
                                         _live(reader, "live", args.every, args.duration, live),
                                         _live(elsewhere, "other", args.every, args.duration, other))
                finally:
                    for poster in (importer, reader, elsewhere):
                        await poster.close()

            asyncio.run(go())
            deadline = time.monotonic() + args.wait
            everything = {**imported, **live}
            while time.monotonic() < deadline and (len(sink.arrivals(list(everything))) < len(everything)
                                                   or len(other_sink.arrivals(list(other))) < len(other)):
                time.sleep(1)
            print(f"one site imports {args.count:,} comments in batches of {BATCH} while it and another site "
                  f"post one comment every {args.every} s for {args.duration:.0f} s; endpoints answer in {args.delay} s")
            print(f"{'comments':<22}{'count':>9}{'scored':>9}{'p99':>9}{'max':>9}{'webhook':>9}{'p99':>9}{'max':>9}"
                  f"{'missing':>9}")
            print(_row("imported", imported, sink))
            print(_row("the same site's live", live, sink))
            print(_row("another site's live", other, other_sink))
            print("(seconds from each comment's POST: to its scoring, p50 p99 max; to its final-status webhook)")
    finally:
        sink.close()
        other_sink.close()


if __name__ == "__main__":
    main()
