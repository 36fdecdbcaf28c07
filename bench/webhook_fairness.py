"""Webhook fairness between sites: while one site's flood of comments is delivered, does a quiet
site's webhook still arrive in seconds? Both sites' endpoints answer slowly (a busy CMS), so
neither counts as fast and their events go through the webhook worker's queue.

    .venv/bin/python bench/webhook_fairness.py                       # 5,000-comment flood, 60 s
    .venv/bin/python bench/webhook_fairness.py --flood 2000 --duration 30 --delay 0.4
    .venv/bin/python bench/webhook_fairness.py --flood 60 --singly --duration 20 --every 1 --delay 4 --quiet-delay 0

The real service (gunicorn, a scoring worker and a webhook worker as `moderation up` runs them,
embedded PostgreSQL and Redis) on loopback. Prints, per site, how long from each comment's POST
to its final-status webhook, and how many never arrived within the wait.
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

BATCH = 250


def _comment(site: str, i: int) -> dict:
    text = "You are a worthless idiot." if i % 10 == 0 else f"Thanks for the report on the bridge, part {i}."
    return {"id": f"{site}-{i}", "story_id": "bench", "author_id": f"{site}-a{i % 40}", "text": text}


async def _flood(poster: Poster, count: int, sent: dict[str, float], singly: bool = False) -> None:
    """The loud site: its comments in batches (or, `singly`, one a request: each scored on its own, so
    its events come while its turn runs), one request after another, as fast as they are taken."""
    if singly:
        for i in range(count):
            began = time.monotonic()
            status, _ = await poster.post("/api/v1/comments", _comment("loud", i))
            if status == 202:
                sent[f"loud-{i}"] = began
        return
    for start in range(0, count, BATCH):
        comments = [_comment("loud", i) for i in range(start, min(start + BATCH, count))]
        began = time.monotonic()
        status, answer = await poster.post("/api/v1/comments:batch", {"comments": comments})
        results = json.loads(answer)["results"] if status == 200 else []
        sent.update((item["id"], began) for item in results if item["status"] == 202)


async def _trickle(poster: Poster, every: float, duration: float, sent: dict[str, float]) -> None:
    """The quiet site: one comment every `every` seconds."""
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    for i in range(int(duration / every)):
        await asyncio.sleep(max(0.0, t0 + i * every - loop.time()))
        began = time.monotonic()
        status, _ = await poster.post("/api/v1/comments", _comment("quiet", i))
        if status == 202:
            sent[f"quiet-{i}"] = began


def _row(name: str, sent: dict[str, float], sink: WebhookSink) -> str:
    arrived = sink.arrivals(list(sent))
    waits = sorted(arrived[cid].at - began for cid, began in sent.items() if cid in arrived)
    if not waits:
        return f"{name:<14}{len(sent):>9}{'-':>10}{'-':>10}{'-':>10}{len(sent):>9}"
    p99 = waits[min(len(waits) - 1, int(0.99 * len(waits)))]
    return (f"{name:<14}{len(sent):>9}{statistics.median(waits):>10.2f}{p99:>10.2f}{waits[-1]:>10.2f}"
            f"{len(sent) - len(waits):>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flood", type=int, default=5000, help="comments the loud site posts at once")
    parser.add_argument("--duration", type=float, default=60, help="seconds the quiet site posts for")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between the quiet site's comments")
    parser.add_argument("--delay", type=float, default=0.6, help="seconds each endpoint takes to answer a POST")
    parser.add_argument("--quiet-delay", type=float, default=None,
                        help="seconds the quiet site's endpoint takes (default: --delay); 0 with a slow --delay is a "
                             "slow site beside a fast one")
    parser.add_argument("--wait", type=float, default=240, help="seconds to wait for webhooks after posting")
    parser.add_argument("--singly", action="store_true", help="the loud site posts one comment a request, not batches")
    args = parser.parse_args()

    quiet_delay = args.delay if args.quiet_delay is None else args.quiet_delay
    loud_sink, quiet_sink = WebhookSink(delay=args.delay), WebhookSink(delay=quiet_delay)
    try:
        with running_stack(worker=True, webhook_worker=True, webhook_url=loud_sink.url) as stack:
            quiet_key, _ = _create_site(stack.database_url, "quiet-site", quiet_sink.url)
            loud_sent: dict[str, float] = {}
            quiet_sent: dict[str, float] = {}

            async def go() -> None:
                loud = Poster("127.0.0.1", stack.port, stack.api_key, connections=2, timeout=60)
                quiet = Poster("127.0.0.1", stack.port, quiet_key, connections=4, timeout=30)
                try:
                    await asyncio.gather(_flood(loud, args.flood, loud_sent, args.singly),
                                         _trickle(quiet, args.every, args.duration, quiet_sent))
                finally:
                    await loud.close()
                    await quiet.close()

            asyncio.run(go())
            deadline = time.monotonic() + args.wait
            while time.monotonic() < deadline and (
                    len(loud_sink.arrivals(list(loud_sent))) < len(loud_sent)
                    or len(quiet_sink.arrivals(list(quiet_sent))) < len(quiet_sent)):
                time.sleep(1)
            print(f"endpoints answer in {args.delay} s (loud) and {quiet_delay} s (quiet); loud site floods "
                  f"{args.flood}, quiet site posts one every {args.every} s for {args.duration:.0f} s")
            print(f"{'site':<14}{'comments':>9}{'p50 s':>10}{'p99 s':>10}{'max s':>10}{'missing':>9}")
            print(_row("loud", loud_sent, loud_sink))
            print(_row("quiet", quiet_sent, quiet_sink))
            print("(seconds from each comment's POST to its final-status webhook arriving)")
    finally:
        loud_sink.close()
        quiet_sink.close()


if __name__ == "__main__":
    main()
