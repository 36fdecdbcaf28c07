"""End to end: POST comments at a steady rate through gunicorn and time each one until its signed
webhook reports the final status (scored by a real Celery worker against real PostgreSQL and Redis).

    .venv/bin/python bench/e2e.py                      # 100/s three times, the batch row, then higher rates; 60 s each
    .venv/bin/python bench/e2e.py --rates 100 --repeats 1 --batch-rates '' --duration 20

Everything (web, worker, database, broker, this client) shares the machine's cores. The client is
one asyncio loop on keep-alive connections, and the webhook endpoint a process of its own
(bench/loadgen.py), so they take as little of the machine as they can.
Only loopback addresses are used; every loop is bounded in count and time.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import Poster, WebhookSink  # noqa: E402
from stack import running_stack  # noqa: E402

CIVIL = [
    "Thanks for the thoughtful article, I learned a lot about the city budget.",
    "I disagree with the council's decision, but the reporting here is fair.",
    "Does anyone know when the new bridge will open to cyclists?",
    "Great photos of the harbour festival, it looked like a lovely day.",
]
ABUSIVE = [
    "You are a worthless idiot and everyone hates you.",
    "Shut up, you stupid moron.",
]


def _body(run: int, i: int, rng: random.Random) -> dict:
    text = rng.choice(ABUSIVE if i % 10 == 0 else CIVIL) + f" (#{run}-{i})"
    return {"id": f"r{run}-{i}", "story_id": "bench", "author_id": f"a{i % 50}", "text": text}


async def _paced(count: int, every: float, send) -> float:  # noqa: ANN001 - an async callable
    """Start send(n) for n in range(count), `every` seconds apart, open loop: a slow answer never
    delays the next request. Returns the seconds it took to start them all."""
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    tasks = []
    for n in range(count):
        delay = t0 + n * every - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(n)))
    elapsed = loop.time() - t0
    await asyncio.gather(*tasks)
    return elapsed


def run_rate(stack, sink: WebhookSink, rate: float, duration: float, run: int) -> dict:  # noqa: ANN001
    sent: dict[str, tuple[float, float]] = {}  # id -> (monotonic, wall) when its POST started
    errors = 0
    rng = random.Random(run)

    async def go() -> float:
        poster = Poster("127.0.0.1", stack.port, stack.api_key, connections=32)

        async def post(i: int) -> None:
            nonlocal errors
            body = _body(run, i, rng)
            start, wall = time.monotonic(), time.time()
            status, _ = await poster.post("/api/v1/comments", body)
            if status == 202:
                sent[body["id"]] = (start, wall)
            else:
                errors += 1

        try:
            return await _paced(int(rate * duration), 1 / rate, post)
        finally:
            await poster.close()

    elapsed = asyncio.run(go())
    return _summary(sink, rate, sent, errors, elapsed)


def run_batch_rate(stack, sink: WebhookSink, rate: float, duration: float, run: int,  # noqa: ANN001
                   batch_size: int) -> dict:
    """Comments at `rate` per second through POST /api/v1/comments:batch, batch_size per request;
    each comment is timed from the start of its batch's request to its webhook."""
    sent: dict[str, tuple[float, float]] = {}
    errors = 0
    rng = random.Random(run)

    async def go() -> float:
        poster = Poster("127.0.0.1", stack.port, stack.api_key, connections=8, timeout=30)

        async def post(b: int) -> None:
            nonlocal errors
            comments = [_body(run, b * batch_size + n, rng) for n in range(batch_size)]
            start, wall = time.monotonic(), time.time()
            status, answer = await poster.post("/api/v1/comments:batch", {"comments": comments})
            try:
                results = json.loads(answer)["results"] if status == 200 else []
            except (ValueError, KeyError):
                results = []
            accepted = [item["id"] for item in results if item["status"] == 202]
            for cid in accepted:
                sent[cid] = (start, wall)
            errors += batch_size - len(accepted)

        try:
            return await _paced(max(1, int(rate * duration / batch_size)), batch_size / rate, post)
        finally:
            await poster.close()

    elapsed = asyncio.run(go())
    return _summary(sink, rate, sent, errors, elapsed)


def _summary(sink: WebhookSink, rate: float, sent: dict[str, tuple[float, float]], errors: int,
             send_elapsed: float) -> dict:
    """Wait (at most 30 s) for every accepted comment's final-status webhook, then the latencies."""
    deadline = time.monotonic() + 30
    arrived = sink.arrivals(list(sent))
    while len(arrived) < len(sent) and time.monotonic() < deadline:
        time.sleep(0.2)
        arrived = sink.arrivals(list(sent))
    latencies = sorted(arrived[cid].at - start for cid, (start, _) in sent.items() if cid in arrived)
    missing = len(sent) - len(latencies)
    # Where each comment's time went: the POST until its INSERT (received_at), waiting until a
    # scoring task took it (scored_at), then scoring, the commit, the webhook's POST to the sink.
    legs = [(a.received_at - sent[cid][1], a.scored_at - a.received_at, a.wall - a.scored_at)
            for cid, a in arrived.items() if a.received_at is not None and a.scored_at is not None]
    return {
        "legs": [statistics.median(leg) * 1000 for leg in zip(*legs)] if legs else [float("nan")] * 3,
        "rate": rate,
        "sent": len(sent),
        "errors": errors,
        "missing": missing,
        "achieved": len(sent) / send_elapsed if send_elapsed > 0 else float("nan"),
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="100,150,200,300,600", help="comma-separated comments/s, tried in order")
    parser.add_argument("--repeats", type=int, default=3, help="runs at the first rate")
    parser.add_argument("--batch-rates", default="2000", help="comma-separated comments/s through the batch endpoint "
                                                              "(empty: none)")
    parser.add_argument("--batch-size", type=int, default=500, help="comments per batch request")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds at each rate")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--log-dir", type=Path, help="keep the web and worker logs here")
    parser.add_argument("--webhook-worker", action="store_true",
                        help="scoring and webhooks in workers of their own, as `moderation up` runs them")
    args = parser.parse_args()

    sink = WebhookSink()
    rates = [float(r) for r in args.rates.split(",")]
    # The first rate is run --repeats times: a target "in three runs out of three" needs three.
    plan = [(f"{rates[0]:.0f}/s single, run {n + 1} of {args.repeats}", "single", rates[0]) for n in range(args.repeats)]
    plan += [(f"{rate:.0f}/s single", "single", rate) for rate in rates[1:]]
    # Batches last: a batch rate past what the worker keeps up with leaves a backlog behind it.
    plan += [(f"{rate:.0f}/s batch of {args.batch_size}", "batch", rate)
             for rate in (float(r) for r in args.batch_rates.split(",") if r)]
    with running_stack(worker=True, webhook_url=sink.url, web_workers=args.web_workers,
                       worker_concurrency=args.worker_concurrency, log_dir=args.log_dir,
                       webhook_worker=args.webhook_worker) as stack, \
            contextlib.closing(sink):
        # Warm up: model loaded in the worker, connections open.
        run_rate(stack, sink, 20, 2, run=0)
        rows = []
        single_limit_reached = False
        for run, (label, kind, rate) in enumerate(plan, start=1):
            if kind == "single" and single_limit_reached:
                continue
            if kind == "batch":
                row = run_batch_rate(stack, sink, rate, args.duration, run=run, batch_size=args.batch_size)
            else:
                row = run_rate(stack, sink, rate, args.duration, run=run)
            row.update(label=label, kind=kind)
            rows.append(row)
            print(f"  {label} done: p99 {row['p99']:.0f} ms", file=sys.stderr)
            # Past the limit the single-comment ramp stops: its backlog would spoil every later row.
            if kind == "single" and rate != rates[0] and (row["p99"] > 1000 or row["missing"]):
                single_limit_reached = True
            time.sleep(2)  # let the webhooks of the last row settle
    print(f"\nPOST -> signed webhook with final status; {args.duration:.0f} s per row; web workers "
          f"{args.web_workers}, Celery concurrency {args.worker_concurrency}; all on this machine\n")
    print("| row | achieved/s | accepted | errors | never final | p50 ms | p99 ms "
          "| p50 ms: POST to stored | stored to scoring | scoring to webhook |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        stored, waited, delivered = r["legs"]
        print(f"| {r['label']} | {r['achieved']:.1f} | {r['sent']} | {r['errors']} | {r['missing']} "
              f"| {r['p50']:.1f} | {r['p99']:.1f} | {stored:.1f} | {waited:.1f} | {delivered:.1f} |")
    for kind in ("single", "batch"):
        sustained = [r["rate"] for r in rows
                     if r["kind"] == kind and r["p99"] < 1000 and not r["missing"] and not r["errors"]]
        print(f"\nhighest rate sustained with p99 < 1 s, {kind}: " + (f"{max(sustained):.0f}/s" if sustained else "none"))
    repeats = [r for r in rows[:args.repeats]]
    passed = sum(1 for r in repeats if r["p99"] <= 100 and not r["missing"] and not r["errors"])
    print(f"{rates[0]:.0f}/s with p99 <= 100 ms and nothing lost: {passed} of {len(repeats)} runs")

if __name__ == "__main__":
    main()
