"""What a site's endpoint answers, beyond its status: a short answer keeps the connection for the
next POST; a huge or endless one is not read to its end (it would cost the worker memory and
hold the delivery as long as the endpoint keeps sending); one that trickles, each byte within the
read timeout, is cut off when the whole POST's time is up (the scoring task waits for the POSTs
it makes itself, so a trickle would hold up every site's comments).

A raw socket endpoint on 127.0.0.1, since http.server closes every connection (HTTP/1.0) and
cannot stream without end. Fast and not marked integration, like test_webhook_delivery.py.
"""
from __future__ import annotations

import socket
import ssl
import threading
import time

from moderation import db
from moderation.domain.settings import domain_settings
from moderation.domain.webhook_urls import guarded_http
from moderation.domain.webhooks import deliver
from test_webhook_delivery import queue_events

CHUNK = 64 * 1024
ENDLESS = 64 * 1024 * 1024  # "endless": far past what a delivery should ever read
# Long enough that "cut off, not waited for" (under half of it) leaves room for a busy machine
# even after the body-trickle test's 10 s cut.
TRICKLE_FOR = 60.0


class RawEndpoint:
    """Answers every POST with 200 and a two-byte body (keeping the connection), a chunked body of
    ENDLESS bytes, or (`trickle`) headers a byte at a time for TRICKLE_FOR seconds; notes whether
    the client hung up before the end."""

    def __init__(self, *, endless: bool = False, trickle: float = 0.0, trickle_body: bool = False,
                 tls: ssl.SSLContext | None = None, http10: bool = False) -> None:
        self.endless = endless
        self.http10 = http10  # a trickle's answer says HTTP/1.0, as Python's http.server does
        self.tls = tls
        self.trickle = trickle  # seconds between bytes of the answer's headers, for TRICKLE_FOR
        self.trickle_body = trickle_body  # whole headers first, then the body a byte at a time
        self.connections = 0
        self.posts = 0
        self.hung_up_early = threading.Event()
        self.sent = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self._listener.getsockname()[1]}/hook"

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
        if self.tls is not None:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except OSError:  # the client refused the certificate
                conn.close()
                return
        with conn, conn.makefile("rb") as reader:
            while self._read_request(reader):
                self.posts += 1
                if self.trickle:
                    self._trickle(conn)
                    return
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

    def _trickle(self, conn: socket.socket) -> None:
        steps = int(TRICKLE_FOR / self.trickle)
        status = b"HTTP/1.0 200 OK\r\n" if self.http10 else b"HTTP/1.1 200 OK\r\n"
        conn.sendall(status + (b"Content-Length: %d\r\n\r\n" % steps if self.trickle_body else b""))
        try:
            for _ in range(steps):
                conn.sendall(b"X")  # the body, or one header line that never ends
                time.sleep(self.trickle)
            if not self.trickle_body:
                conn.sendall(b": 1\r\nContent-Length: 0\r\n\r\n")
        except OSError:
            self.hung_up_early.set()

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


def _deliver_each(app, delivery_ids: list[int], timeout: float = 5.0) -> list[str]:
    return [outcome.state for outcome in deliver_all(app, delivery_ids, timeout)]


def deliver_all(app, delivery_ids: list[int], timeout: float = 5.0, ca_certs: str | None = None):
    with app.app_context():
        # One pool, as a worker process keeps; ca_certs: a test CA to trust (test_webhook_tls.py).
        http = guarded_http(domain_settings(db.session).url_policy, ca_certs=ca_certs)
        return [deliver(db.session, i, timeout=timeout, max_retries=2, backoff_base=1.0, http=http)
                for i in delivery_ids]


def deliver_one_slowly(app, make_site, endpoint: RawEndpoint, name: str, ca_certs: str | None = None,
                       timeout: float = 1.0):
    """One event to a slow endpoint with a 1 s timeout (or `timeout`): its outcome, the seconds it
    took, and whether the endpoint saw the worker hang up (within 10 s of the end)."""
    site = make_site(name, webhook_url=endpoint.url)
    [delivery_id] = queue_events(app, site.id, 1)
    started = time.monotonic()
    [outcome] = deliver_all(app, [delivery_id], timeout=timeout, ca_certs=ca_certs)
    took = time.monotonic() - started
    return outcome, took, endpoint.hung_up_early.wait(timeout=10)


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


def test_an_endpoint_trickling_its_answer_is_cut_off_when_the_posts_time_is_up(app, make_site):
    with RawEndpoint(trickle=0.2) as endpoint:  # each byte well within the 1 s read timeout
        outcome, took, hung_up = deliver_one_slowly(app, make_site, endpoint, "trickling")
    assert outcome.state == "retry" and "Timeout" in outcome.error, outcome
    assert took < TRICKLE_FOR / 2, f"the delivery waited {took:.1f} s for the trickle"
    assert hung_up


def test_a_body_trickling_after_a_2xx_is_cut_off_and_the_event_counts_as_delivered(app, make_site):
    # The status and headers must come within the read timeout and before the cut (2 timeouts):
    # with 1 s, a busy machine holding up this process (the endpoint is a thread of it) for a
    # second made the headers late and the outcome a retry. With 5 s the cut comes after 10 s,
    # still far short of the trickle's end.
    with RawEndpoint(trickle=0.2, trickle_body=True) as endpoint:
        outcome, took, hung_up = deliver_one_slowly(app, make_site, endpoint, "trickling-body", timeout=5.0)
    assert outcome.state == "delivered", outcome  # its status and headers had come: the site has it
    assert took < TRICKLE_FOR / 2, f"the delivery waited {took:.1f} s for the trickle"
    assert hung_up


def test_a_body_trickling_after_an_http_1_0_answer_is_cut_off_too(app, make_site):
    """A security review: an endpoint answering HTTP/1.0 (Python's http.server does), then its body a
    byte a second, held the webhook thread for as long as it sent: http.client hands a connection
    that will close to its answer, so the cut found no socket to shut. Eight such endpoints held every
    thread, and every site's events waited three minutes."""
    with RawEndpoint(trickle=0.2, trickle_body=True, http10=True) as endpoint:
        outcome, took, hung_up = deliver_one_slowly(app, make_site, endpoint, "trickling-http10", timeout=5.0)
    assert outcome.state == "delivered", outcome
    assert took < TRICKLE_FOR / 2, f"the delivery waited {took:.1f} s for the trickle"
    assert hung_up, "the worker went on reading the trickle after the cut"
