"""One site's traffic beside another's: while site A floods (single comments at a rate, or a
`comments:batch` import as fast as it is taken), how long does quiet site B, one comment every
0.5 s, wait from its POST to its final-status webhook? B is timed alone first, then beside A.

    .venv/bin/python bench/cross_site.py                              # A: 2,000 singles at 166/s
    .venv/bin/python bench/cross_site.py --flood batch --count 6000   # A: an import, 500 a request
    .venv/bin/python bench/cross_site.py --trees /tmp/base,. --rounds 2   # two trees, alternately

The real service (gunicorn, a scoring worker and a webhook worker as `moderation up` runs them,
embedded PostgreSQL and Redis) on loopback. B's seconds are split where they go: POST to stored
(received_at), stored to claimed by a scoring batch (scored_at, set as the batch starts), claimed
to decided (its status seen committed, polled every 0.1 s), decided to webhook; and how many
comments the batch that scored B's held. A's throughput is its comments decided per second, from
its first POST to its last webhook. `--trees` runs this file once per tree and round, alternating,
each with that tree's service (bench/stack.py's BENCH_TREE), and prints a row each.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import Poster, WebhookSink  # noqa: E402
from stack import _create_site, _exit_on_sigterm, running_stack  # noqa: E402

BATCH = 500


def _comment(site: str, i: int) -> dict:
    text = "You are a worthless idiot." if i % 10 == 0 else f"Thanks for the report on the bridge, part {i}."
    return {"id": f"{site}-{i}", "story_id": f"{site}-story-{i % 50}", "author_id": f"{site}-a{i % 400}", "text": text}


async def _singles(poster: Poster, count: int, rate: float, sent: dict[str, float]) -> None:
    """A's comments one a request, `rate` a second, open loop (0: as fast as taken, on all of the
    poster's connections at once)."""
    loop = asyncio.get_running_loop()
    t0 = loop.time()

    async def post(i: int) -> None:
        began = time.monotonic()
        status, _ = await poster.post("/api/v1/comments", _comment("a", i))
        if status == 202:
            sent[f"a-{i}"] = began

    tasks = []
    for i in range(count):
        if rate > 0:
            await asyncio.sleep(max(0.0, t0 + i / rate - loop.time()))
        tasks.append(asyncio.create_task(post(i)))
    await asyncio.gather(*tasks)


async def _import(poster: Poster, count: int, sent: dict[str, float]) -> None:
    for start in range(0, count, BATCH):
        comments = [_comment("a", i) for i in range(start, min(start + BATCH, count))]
        began = time.monotonic()
        status, answer = await poster.post("/api/v1/comments:batch", {"comments": comments})
        results = json.loads(answer)["results"] if status == 200 else []
        sent.update((item["id"], began) for item in results if item["status"] == 202)


async def _trickle(poster: Poster, prefix: str, every: float, done: asyncio.Event, sent: dict[str, tuple[float, float]],
                   limit: float) -> None:
    """B: one comment every `every` seconds until `done` (or `limit` seconds)."""
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    i = 0
    while not done.is_set() and loop.time() - t0 < limit:
        await asyncio.sleep(max(0.0, t0 + i * every - loop.time()))
        began = time.monotonic(), time.time()
        status, _ = await poster.post("/api/v1/comments", _comment(prefix, i))
        if status == 202:
            sent[f"{prefix}-{i}"] = began
        i += 1


class DecidedWatch:
    """When each of B's comments is first seen decided in the database, polled every 0.1 s: B's few
    rows by the site's unique ids, so it costs PostgreSQL little beside the flood."""

    def __init__(self, database_url: str, site_id: int) -> None:
        import psycopg

        self.conn = psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
        self.site_id, self.seen, self.stop = site_id, {}, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.1):
            rows = self.conn.execute("SELECT external_id FROM comments WHERE site_id = %s AND status <> 'pending' "
                                     "AND NOT (external_id = ANY(%s))", (self.site_id, list(self.seen))).fetchall()
            at = time.time()
            for (external_id,) in rows:
                self.seen.setdefault(external_id, at)

    def batch_sizes(self, ids: list[str]) -> dict[str, tuple[int, int]]:
        """Per comment of B: (comments in the batch that scored it, those of them from other sites)."""
        rows = self.conn.execute(
            "SELECT c.external_id, count(*), count(*) FILTER (WHERE o.site_id <> c.site_id) FROM comments c "
            "JOIN comments o ON o.scored_at = c.scored_at WHERE c.site_id = %s AND c.external_id = ANY(%s) "
            "GROUP BY c.external_id", (self.site_id, ids)).fetchall()
        return {row[0]: (row[1], row[2]) for row in rows}

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.conn.close()


def _stats(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {"p50": float("nan"), "p90": float("nan"), "max": float("nan"), "n": 0}
    return {"p50": statistics.median(values), "p90": values[min(len(values) - 1, int(0.9 * len(values)))],
            "max": values[-1], "n": len(values)}


def _b_result(sent: dict[str, tuple[float, float]], sink: WebhookSink, watch: DecidedWatch) -> dict:
    arrived = sink.arrivals(list(sent))
    total = [arrived[cid].at - mono for cid, (mono, _) in sent.items() if cid in arrived]
    legs: dict[str, list[float]] = {"stored": [], "claimed": [], "decided": [], "webhook": []}
    for cid, (_, wall) in sent.items():
        a = arrived.get(cid)
        if a is None or a.received_at is None or a.scored_at is None or cid not in watch.seen:
            continue
        decided = min(watch.seen[cid], a.wall)  # the poll's 0.1 s can see it after its webhook
        legs["stored"].append(a.received_at - wall)
        legs["claimed"].append(a.scored_at - a.received_at)
        legs["decided"].append(decided - a.scored_at)
        legs["webhook"].append(a.wall - decided)
    batches = watch.batch_sizes(list(sent))
    return {**_stats(total), "missing": len(sent) - len(total),
            "legs": {name: statistics.median(v) if v else float("nan") for name, v in legs.items()},
            "batch": statistics.median(b[0] for b in batches.values()) if batches else float("nan"),
            "others_in_batch": max((b[1] for b in batches.values()), default=0)}


def _spin(stop: "multiprocessing.synchronize.Event") -> None:
    while not stop.is_set():
        sum(range(10_000))


@contextlib.contextmanager
def busy_cores(count: int):
    """`count` processes spinning on the CPU, as other work on a shared machine would (load average 8-9
    was the test that found B waiting seconds)."""
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    spinners = [context.Process(target=_spin, args=(stop,), daemon=True) for _ in range(count)]
    for spinner in spinners:
        spinner.start()
    try:
        yield
    finally:
        stop.set()
        for spinner in spinners:
            spinner.join(5)


def run_once(args: argparse.Namespace) -> dict:
    a_sink, b_sink = WebhookSink(), WebhookSink()
    try:
        with running_stack(worker=True, webhook_worker=True, webhook_url=a_sink.url) as stack:
            b_key, _ = _create_site(stack.database_url, "quiet-site", b_sink.url)
            watch = DecidedWatch(stack.database_url, _site_id(stack.database_url, "quiet-site"))
            warm: dict[str, tuple[float, float]] = {}
            quiet: dict[str, tuple[float, float]] = {}
            beside: dict[str, tuple[float, float]] = {}
            a_sent: dict[str, float] = {}
            a_window: list[float] = []

            async def go() -> None:
                a = Poster("127.0.0.1", stack.port, stack.api_key, connections=16 if args.flood == "singles" else 1,
                           timeout=120)
                b = Poster("127.0.0.1", stack.port, b_key, connections=4, timeout=60)
                try:
                    never = asyncio.Event()
                    await _trickle(b, "warm", 0.2, never, warm, 2)  # the model loaded, connections open
                    await asyncio.sleep(3)
                    await _trickle(b, "quiet", args.every, never, quiet, args.quiet)
                    await asyncio.sleep(2)
                    done = asyncio.Event()

                    async def flood() -> None:
                        a_window.append(time.monotonic())
                        if args.flood == "singles":
                            await _singles(a, args.count, args.rate, a_sent)
                        else:
                            await _import(a, args.count, a_sent)
                        # B keeps posting until A's last comment is decided: its backlog counts too.
                        while len(a_sink.arrivals(list(a_sent))) < len(a_sent):
                            await asyncio.sleep(0.5)
                        done.set()

                    await asyncio.gather(flood(), _trickle(b, "b", args.every, done, beside, args.limit))
                finally:
                    await a.close()
                    await b.close()

            with busy_cores(args.burn):
                asyncio.run(go())
            deadline = time.monotonic() + args.wait
            while time.monotonic() < deadline and len(b_sink.arrivals(list(beside))) < len(beside):
                time.sleep(0.5)
            time.sleep(0.3)
            a_arrived = a_sink.arrivals(list(a_sent))
            last = max((x.at for x in a_arrived.values()), default=float("nan"))
            result = {"quiet": _b_result(quiet, b_sink, watch), "beside": _b_result(beside, b_sink, watch),
                      "a_sent": len(a_sent), "a_missing": len(a_sent) - len(a_arrived),
                      "a_per_s": len(a_arrived) / (last - a_window[0]) if a_arrived else float("nan"),
                      "a_p50": _stats([x.at - a_sent[c] for c, x in a_arrived.items()])["p50"]}
            watch.close()
            return result
    finally:
        a_sink.close()
        b_sink.close()


def _site_id(database_url: str, name: str) -> int:
    import psycopg

    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute("SELECT id FROM sites WHERE name = %s", (name,)).fetchone()[0]


HEAD = (f"{'tree':<14}{'round':>6}{'B alone p50':>12}{'p90':>6}{'max':>6}{'B beside A p50':>15}{'p90':>6}{'max':>6}"
        f"{'n':>4}{'lost':>5} | {'stored':>6}{'claimed':>8}{'decided':>8}{'webhook':>8}{'batch':>6}{'of A':>5} | "
        f"{'A sent':>7}{'A/s':>6}{'A p50':>6}{'lost':>5}")


def _row(tree: str, round_: int, r: dict) -> str:
    q, b, legs = r["quiet"], r["beside"], r["beside"]["legs"]
    return (f"{tree[-14:]:<14}{round_:>6}{q['p50']:>12.2f}{q['p90']:>6.2f}{q['max']:>6.2f}{b['p50']:>15.2f}"
            f"{b['p90']:>6.2f}{b['max']:>6.2f}{b['n']:>4}{b['missing']:>5} | {legs['stored']:>6.2f}{legs['claimed']:>8.2f}"
            f"{legs['decided']:>8.2f}{legs['webhook']:>8.2f}{b['batch']:>6.0f}{b['others_in_batch']:>5} | "
            f"{r['a_sent']:>7}{r['a_per_s']:>6.0f}{r['a_p50']:>6.1f}{r['a_missing']:>5}")


def _child_argv(args: argparse.Namespace) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--json", "--flood", args.flood, "--count", str(args.count),
            "--rate", str(args.rate), "--every", str(args.every), "--quiet", str(args.quiet),
            "--limit", str(args.limit), "--wait", str(args.wait), "--burn", str(args.burn)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flood", choices=("singles", "batch"), default="singles",
                        help="A's flood: single comments at --rate, or a comments:batch import of 500 a request")
    parser.add_argument("--count", type=int, default=2000, help="comments A sends")
    parser.add_argument("--rate", type=float, default=166, help="A's single comments a second (0: as fast as taken)")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between B's comments")
    parser.add_argument("--quiet", type=float, default=10, help="seconds B posts alone first")
    parser.add_argument("--limit", type=float, default=120, help="at most this many seconds of B beside A's flood")
    parser.add_argument("--wait", type=float, default=120, help="seconds to wait for B's webhooks after posting")
    parser.add_argument("--burn", type=int, default=0,
                        help="processes spinning on the CPU meanwhile, a busy machine's other work (6: load average 8-9)")
    parser.add_argument("--trees", help="comma-separated checkouts to compare, run alternately (default: this one)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each tree, with --trees")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one run's result, for --trees
    args = parser.parse_args()

    if args.json:
        print(json.dumps(run_once(args)))
        return
    flood = (f"{args.count:,} singles at {args.rate:g}/s" if args.flood == "singles" and args.rate
             else f"{args.count:,} singles as fast as taken" if args.flood == "singles"
             else f"a {args.count:,}-comment import, {BATCH} a request")
    rows = []
    if not args.trees:
        rows.append(("this tree", 1, run_once(args)))
    else:
        trees = [str(Path(t).resolve()) for t in args.trees.split(",")]
        _exit_on_sigterm()  # and the run under way stops its stack with it
        for round_ in range(1, args.rounds + 1):
            for tree in trees:
                child = subprocess.Popen(_child_argv(args), cwd=tree, env=dict(os.environ, BENCH_TREE=tree, PYTHONPATH=tree),
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                try:
                    out, err = child.communicate()
                finally:
                    if child.poll() is None:
                        child.terminate()
                        child.wait(60)
                if child.returncode:
                    sys.exit(f"{tree}: the run failed\n{err[-3000:]}")
                rows.append((tree, round_, json.loads(out.strip().splitlines()[-1])))
                print(f"  {tree} round {round_} done", file=sys.stderr)
    load = os.getloadavg()
    print(f"\nA: {flood}; B: one comment every {args.every} s, {args.quiet:.0f} s alone, then beside A until A's "
          f"last is decided; {args.burn} processes spinning meanwhile; load average now {load[0]:.1f}\n")
    print(HEAD)
    for tree, round_, result in rows:
        print(_row(tree, round_, result))
    print("(B: seconds from its POST to its final-status webhook, alone and beside A, p50 p90 max; then B's medians "
          "beside A: POST to stored, stored to claimed, claimed to decided, decided to webhook; the batch that scored "
          "it, comments at the median, and most of A's in one; A: decided a second, POST to webhook p50 in s)")


if __name__ == "__main__":
    main()
