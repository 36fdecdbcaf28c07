"""A news site's webhook endpoint on 127.0.0.1 that a test can break: answer 503, or be gone
(connection refused), then come back on the same port.

It records every POST with its X-Moderation-Delivery id and whether the signature verified,
and what it answered, so a test counts events the way a site that dedupes on that id would.
"""
from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from moderation.domain.webhooks import verify_signature


@dataclass(frozen=True)
class Post:
    delivery_id: str
    event: dict[str, Any]
    signature_valid: bool
    answered: int


class SiteEndpoint:
    def __init__(self) -> None:
        self.secret = ""
        self.status = 200  # what it answers while up
        self.posts: list[Post] = []
        self._lock = threading.Lock()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def up(self) -> None:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                valid = verify_signature(endpoint.secret, body, self.headers.get("X-Moderation-Timestamp", ""),
                                         self.headers.get("X-Moderation-Signature", ""))
                status = endpoint.status
                with endpoint._lock:
                    endpoint.posts.append(Post(self.headers.get("X-Moderation-Delivery", ""), json.loads(body),
                                               valid, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def down(self) -> None:
        """Close the listening socket: deliveries now get 'connection refused'."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "SiteEndpoint":
        self.up()
        return self

    def __exit__(self, *exc: object) -> None:
        self.down()

    def accepted(self) -> list[Post]:
        """Posts the site answered 2xx, i.e. events it took in."""
        with self._lock:
            return [p for p in self.posts if 200 <= p.answered < 300]

    def accepted_per_delivery(self) -> Counter[str]:
        return Counter(p.delivery_id for p in self.accepted())

    def events_by_comment(self) -> dict[int, dict[str, dict[str, Any]]]:
        """comment id -> {delivery id -> event}: what a site deduping on the delivery id keeps."""
        kept: dict[int, dict[str, dict[str, Any]]] = {}
        for post in self.accepted():
            kept.setdefault(post.event["comment"]["id"], {})[post.delivery_id] = post.event
        return kept
