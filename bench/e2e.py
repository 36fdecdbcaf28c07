"""End to end: POST comments at a steady rate through gunicorn and time each one until its signed
webhook reports the final status (scored by a real Celery worker against real PostgreSQL and Redis).

    .venv/bin/python bench/e2e.py                      # 100/s for 60 s, then higher rates
    .venv/bin/python bench/e2e.py --rates 100 --duration 20

Everything (web, worker, database, broker, this client) shares the machine's cores.
Only loopback addresses are used; every loop is bounded in count and time.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import free_port, running_stack  # noqa: E402

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
FINAL = {"published", "held", "rejected", "approved"}


class Receiver:
    """Webhook endpoint: records when each comment's final status arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, tuple[float, str]] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                at = time.perf_counter()
                event = json.loads(body)
                comment = event.get("comment", {})
                if comment.get("status") in FINAL:
                    with receiver.lock:
                        receiver.arrived.setdefault(comment["site_comment_id"], (at, comment["status"]))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"


def run_rate(base_url: str, api_key: str, receiver: Receiver, rate: float, duration: float, run: int) -> dict:
    session_local = threading.local()
    sent: dict[str, float] = {}
    errors = 0
    lock = threading.Lock()
    rng = random.Random(run)

    def post(i: int, due: float) -> None:
        nonlocal errors
        s = getattr(session_local, "s", None)
        if s is None:
            s = session_local.s = requests.Session()
            s.headers["Authorization"] = f"Bearer {api_key}"
        text = rng.choice(ABUSIVE if i % 10 == 0 else CIVIL) + f" (#{run}-{i})"
        cid = f"r{run}-{i}"
        start = time.perf_counter()
        try:
            r = s.post(f"{base_url}/api/v1/comments", timeout=10,
                       json={"id": cid, "story_id": "bench", "author_id": f"a{i % 50}", "text": text})
            ok = r.status_code == 202
        except requests.RequestException:
            ok = False
        with lock:
            if ok:
                sent[cid] = start
            else:
                errors += 1

    total = int(rate * duration)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for i in range(total):
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(post, i, due)
    send_elapsed = time.perf_counter() - t0
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        with receiver.lock:
            done = sum(1 for cid in sent if cid in receiver.arrived)
        if done >= len(sent):
            break
        time.sleep(0.1)
    latencies = sorted(receiver.arrived[cid][0] - t for cid, t in sent.items() if cid in receiver.arrived)
    missing = len(sent) - len(latencies)
    return {
        "rate": rate,
        "sent": len(sent),
        "errors": errors,
        "missing": missing,
        "achieved": len(sent) / send_elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="100,150,200,300", help="comma-separated comments/s, tried in order")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds at each rate")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--log-dir", type=Path, help="keep the web and worker logs here")
    args = parser.parse_args()

    receiver = Receiver()
    with running_stack(worker=True, webhook_url=receiver.url, web_workers=args.web_workers,
                       worker_concurrency=args.worker_concurrency, log_dir=args.log_dir) as stack:
        # Warm up: model loaded in the worker, connections open.
        run_rate(stack.base_url, stack.api_key, receiver, 20, 2, run=0)
        rows = []
        for run, rate in enumerate(float(r) for r in args.rates.split(",")):
            row = run_rate(stack.base_url, stack.api_key, receiver, rate, args.duration, run=run + 1)
            rows.append(row)
            print(f"  {rate:.0f}/s done: p99 {row['p99']:.0f} ms", file=sys.stderr)
            if row["p99"] > 1000 or row["missing"]:
                break
    print(f"\nPOST -> signed webhook with final status; {args.duration:.0f} s per rate; web workers "
          f"{args.web_workers}, Celery concurrency {args.worker_concurrency}; all on this machine\n")
    print(f"| target/s | achieved/s | accepted | errors | never final | p50 ms | p99 ms |")
    print(f"|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['rate']:.0f} | {r['achieved']:.1f} | {r['sent']} | {r['errors']} | {r['missing']} "
              f"| {r['p50']:.1f} | {r['p99']:.1f} |")
    sustained = [r["rate"] for r in rows if r["p99"] < 1000 and not r["missing"] and not r["errors"]]
    print(f"\nhighest rate sustained with p99 < 1 s: {max(sustained):.0f}/s" if sustained else "\nno rate sustained")


if __name__ == "__main__":
    main()
