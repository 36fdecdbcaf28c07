"""A real HTTP server on 127.0.0.1, in a thread, standing in for a news site's webhook endpoint.

It records every request and checks its signature with the site's secret, using the same
`verify_signature` we tell sites to copy.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from moderation.domain.webhooks import verify_signature

# start_worker(**TO_THIS_RECEIVER): a worker whose own webhook POSTs wait as long as the webhook
# task's (roomy_direct_worker_entry.py), for tests that count deliveries to a receiver exactly. The
# receiver is a thread of the test process, which a busy machine can hold up past the 1 s direct
# timeout, and the retry that follows arrives as a second delivery.
TO_THIS_RECEIVER = {"entry": "roomy_direct_worker_entry", "PYTHONPATH": str(Path(__file__).resolve().parent)}


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signature_valid: bool

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


class WebhookReceiver:
    def __init__(self, secret: str = "", *, status: int = 200, delay: float = 0.0, fail_first: int = 0,
                 fail_every: int = 0, refuse: Callable[[bytes], bool] | None = None) -> None:
        self.secret = secret
        self.status = status
        self.fail_first = fail_first  # answer 503 to this many requests first, like a site mid-deploy
        self.fail_every = fail_every  # answer 503 to every Nth request, like one bad server of ten
        self.delay = delay
        self.refuse = refuse  # answer 500 to the events it picks, like a receiver choking on one event
        self.received: list[Received] = []
        self.in_flight = 0  # requests being answered now
        self.most_in_flight = 0  # the most answered at once: events POSTed side by side overlap here
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k: v for k, v in self.headers.items()}
                valid = verify_signature(
                    receiver.secret, body, headers.get("X-Moderation-Timestamp", ""),
                    headers.get("X-Moderation-Signature", ""),
                )
                with receiver._lock:
                    receiver.received.append(Received(headers, body, valid))
                    n = len(receiver.received)
                    failing = n <= receiver.fail_first or bool(receiver.fail_every and n % receiver.fail_every == 0) \
                        or bool(receiver.refuse and receiver.refuse(body))
                    receiver.in_flight += 1
                    receiver.most_in_flight = max(receiver.most_in_flight, receiver.in_flight)
                try:
                    if receiver.delay:
                        time.sleep(receiver.delay)
                    self.send_response(503 if failing else receiver.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                finally:
                    with receiver._lock:
                        receiver.in_flight -= 1

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def events(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.event for r in self.received]

    def wait_for(self, count: int, timeout: float) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        with self._lock:
            return list(self.received)
