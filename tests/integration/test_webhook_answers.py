"""What a site's endpoint answers, beyond its status: a short answer keeps the connection for the
next POST; a huge or endless one is not read to its end (it would cost the worker memory and
hold the delivery as long as the endpoint keeps sending).

A raw socket endpoint on 127.0.0.1, since http.server closes every connection (HTTP/1.0) and
cannot stream without end. Fast and not marked integration, like test_webhook_delivery.py.
"""
from __future__ import annotations

import socket
import threading

from moderation import db
from moderation.domain.settings import domain_settings
from moderation.domain.webhook_urls import guarded_http
from moderation.domain.webhooks import deliver
from test_webhook_delivery import queue_events

CHUNK = 64 * 1024
ENDLESS = 64 * 1024 * 1024  # "endless": far past what a delivery should ever read


class RawEndpoint:
    """Answers every POST with 200 and either a two-byte body (keeping the connection) or a chunked
    body of ENDLESS bytes, noting whether the client hung up before the end."""

    def __init__(self, *, endless: bool) -> None:
        self.endless = endless
        self.connections = 0
        self.posts = 0
        self.hung_up_early = threading.Event()
        self.sent = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}/hook"

    def __enter__(self) -> "RawEndpoint":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._listener.close()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._answer_all, args=(conn,), daemon=True).start()

    def _answer_all(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as reader:
            while self._read_request(reader):
                self.posts += 1
                if not self.endless:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                    continue
                conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                chunk = b"%x\r\n" % CHUNK + b"x" * CHUNK + b"\r\n"
                try:
                    while self.sent < ENDLESS:
                        conn.sendall(chunk)
                        self.sent += CHUNK
                    conn.sendall(b"0\r\n\r\n")
                except OSError:
                    self.hung_up_early.set()
                return

    @staticmethod
    def _read_request(reader) -> bool:  # noqa: ANN001 - a socket file
        length = 0
        line = reader.readline()
        if not line:
            return False
        while line not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
            line = reader.readline()
        reader.read(length)
        return True


def _deliver_each(app, delivery_ids: list[int]) -> list[str]:
    with app.app_context():
        http = guarded_http(domain_settings(db.session).url_policy)  # one pool, as a worker process keeps
        return [deliver(db.session, i, timeout=5.0, max_retries=2, backoff_base=1.0, http=http).state
                for i in delivery_ids]


def test_an_endpoint_answering_without_end_gets_its_event_and_is_hung_up_on(app, make_site):
    with RawEndpoint(endless=True) as endpoint:
        site = make_site("streaming", webhook_url=endpoint.url)
        [delivery_id] = queue_events(app, site.id, 1)
        assert _deliver_each(app, [delivery_id]) == ["delivered"]
        # The answering thread notices the hang-up when a send fails, a moment after the close.
        hung_up = endpoint.hung_up_early.wait(timeout=10)
    assert hung_up, f"the endpoint sent {endpoint.sent} bytes and the worker kept reading"
    assert endpoint.sent < ENDLESS


def test_short_answers_keep_the_connection_for_the_next_event(app, make_site):
    with RawEndpoint(endless=False) as endpoint:
        site = make_site("keeps-alive", webhook_url=endpoint.url)
        delivery_ids = queue_events(app, site.id, 3)
        assert _deliver_each(app, delivery_ids) == ["delivered"] * 3
    assert endpoint.posts == 3
    assert endpoint.connections == 1
