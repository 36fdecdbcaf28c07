"""CPU per request in gunicorn: the comment POST beside /healthz, the framework's floor.

One gunicorn worker (the same command line as `moderation web`) with the real embedded PostgreSQL
and Redis and no Celery worker; requests go one at a time on a keep-alive connection, and the web
processes' CPU time is read from /proc before and after. On a shared machine wall-clock latency
moves with whatever else runs, CPU per request much less, so this is where a change to the request
path shows: run it on each side of the change.

    .venv/bin/python bench/post_cpu.py                      # 2,000 requests of each kind, 3 rounds
    .venv/bin/python bench/post_cpu.py --requests 500 --rounds 5
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import running_stack  # noqa: E402

WARM_UP = 200


def _web_cpu(port: str) -> Callable[[], float]:
    """Seconds of CPU the gunicorn master's children (its workers) have used so far."""
    master = next(p for p in psutil.process_iter(["cmdline"])
                  if "gunicorn" in " ".join(p.info["cmdline"] or []) and f":{port}" in " ".join(p.info["cmdline"]))
    return lambda: sum(sum(child.cpu_times()[:2]) for child in master.children())


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=_positive, default=2000, help="requests of each kind per round")
    parser.add_argument("--rounds", type=_positive, default=3, help="rounds, the kinds alternating")
    args = parser.parse_args()

    with running_stack(worker=False, web_workers=1) as stack:
        host, port = stack.base_url.removeprefix("http://").split(":")
        cpu = _web_cpu(port)
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        headers = {"Authorization": f"Bearer {stack.api_key}", "Content-Type": "application/json"}
        sent = 0

        def post() -> None:
            nonlocal sent
            sent += 1
            body = json.dumps({"id": f"cpu-{sent}", "story_id": "bench", "author_id": f"a{sent % 50}",
                               "text": f"A perfectly ordinary comment about the story, number {sent}."})
            connection.request("POST", "/api/v1/comments", body, headers)
            response = connection.getresponse()
            response.read()
            if response.status != 202:
                raise SystemExit(f"POST answered {response.status}")

        def health() -> None:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"/healthz answered {response.status}")

        kinds = {"POST /api/v1/comments": post, "GET /healthz": health}
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in kinds}
        for send in kinds.values():
            for _ in range(WARM_UP):
                send()
        for round_ in range(args.rounds):
            for name, send in kinds.items():
                cpu_before, wall_before = cpu(), time.perf_counter()
                for _ in range(args.requests):
                    send()
                results[name].append(((cpu() - cpu_before) * 1000 / args.requests,
                                      (time.perf_counter() - wall_before) * 1000 / args.requests))
            print(f"  round {round_ + 1} of {args.rounds} done", file=sys.stderr)

    print(f"\nOne gunicorn worker (gthread), requests one at a time, {args.requests} of each per round, "
          f"{args.rounds} rounds alternating\n")
    print("| request | CPU ms per request, median | min | max | wall ms per request, median |")
    print("|---|---:|---:|---:|---:|")
    for name, rounds in results.items():
        cpus = [c for c, _ in rounds]
        print(f"| {name} | {statistics.median(cpus):.2f} | {min(cpus):.2f} | {max(cpus):.2f} | "
              f"{statistics.median(w for _, w in rounds):.2f} |")


if __name__ == "__main__":
    main()
