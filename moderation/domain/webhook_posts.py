"""POSTing a chunk of a site's signed webhook events at once, each on a thread of this process's
pool, and cutting off any that take too long. Only the HTTP side: which events go, their bodies
and signatures, and what each outcome means for its row are webhooks.py's.
"""
from __future__ import annotations

import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import urllib3

from moderation.domain.webhook_urls import UnsafeDestination, noting_connection

# A site's events go out this many at a time once its first one of a batch got through. One after
# another, a site 100 ms away took 25 s for a scored batch of 256: a worker process delivered
# 10 events a second to it, whatever the rate of comments.
PARALLEL_POSTS = 8
# An endpoint's answer is never used, only its status. Up to this much of it is read, so a short
# answer leaves the connection ready for the next POST; past it the connection is dropped unread,
# so an endpoint answering with a huge or endless body costs the worker neither memory nor time.
ANSWER_READ_LIMIT = 64 * 1024
# A POST is over within this many times its timeout, answer read. The timeout bounds each wait for
# a byte, so an endpoint sending its answer a byte at a time held the POST, and the scoring task
# waiting for its own POSTs (direct_delivery.py), for as long as it kept sending. Past this the
# connection is shut, which ends the POST at once, and the attempt counts as a timeout.
WHOLE_POST_TIMEOUTS = 2
# How long to wait, after shutting them, for POSTs to notice. One still connecting (its socket is
# not there to shut yet) is left to its connect timeout; the batch goes on without it.
CUT_GRACE = 1.0


@dataclass(frozen=True)
class Outgoing:
    """One event, ready to go: its URL, its body and its signed headers."""

    url: str
    body: bytes
    headers: dict[str, str]


_pool: tuple[int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()


def _threads() -> ThreadPoolExecutor:
    """This process's threads for parallel POSTs, started once: a pool per batch started its
    threads every time, 7 % of a scoring worker's CPU at 100 comments/s (py-spy --gil). Keyed by
    pid, because a pool made before a fork has no threads in the child."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(max_workers=PARALLEL_POSTS, thread_name_prefix="webhook-post"))
        return _pool[1]


def post_all(chunk: list[Outgoing], *, timeout: float, http: Any) -> list[str | None]:
    """POST the events at once, each on a thread of the pool; each one's error, or None. Those not
    over within WHOLE_POST_TIMEOUTS x timeout are cut off and count as timeouts."""
    watches = [_Watch() for _ in chunk]
    futures = [_threads().submit(_post, outgoing, timeout=timeout, http=http, watch=watch)
               for outgoing, watch in zip(chunk, watches, strict=True)]
    _, late = wait(futures, timeout=WHOLE_POST_TIMEOUTS * timeout)
    for future, watch in zip(futures, watches, strict=True):
        if future in late:
            watch.cut()
    if late:
        wait(late, timeout=CUT_GRACE)
    # A POST cut after its status arrived (a body sent slowly) still has its outcome: the status.
    return [future.result() if future.done() else _cut_off(timeout) for future in futures]


def _cut_off(timeout: float) -> str:
    return f"Timeout: no complete answer within {WHOLE_POST_TIMEOUTS * timeout:g} s"


class _Watch:
    """The connection a POST sends on, so that another thread can shut it, until the POST hands it
    back to the pool (`done`): from then on it may carry another POST, which a late cut must not hit."""

    def __init__(self) -> None:
        self._connection: Any = None
        self._sock: Any = None  # the connection's socket, kept: one an answer takes from it stays here
        self._lock = threading.Lock()
        self.was_cut = False

    def note(self, connection: Any) -> None:
        with self._lock:
            self._connection = connection
            self._sock = getattr(connection, "sock", None) or (self._sock if connection is not None else None)

    def answered(self) -> bool:
        """The answer's status and headers are in; False if it was cut first. A cut from now on
        only stops the body, and the outcome is the status."""
        with self._lock:
            return not self.was_cut

    def done(self) -> None:
        self.note(None)

    def cut(self) -> None:
        with self._lock:
            self.was_cut = True
            sock = getattr(self._connection, "sock", None) or self._sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # the POST's blocked read returns at once, with an error
                except OSError:
                    pass  # closed meanwhile: the POST is over anyway


def _post(outgoing: Outgoing, *, timeout: float, http: Any, watch: _Watch) -> str | None:
    """POST the event; the error that makes it a failure, or None."""
    with noting_connection(watch.note):
        try:
            # Redirects are not followed: a redirect could lead anywhere, past the address check.
            response = http.request("POST", outgoing.url, body=outgoing.body, headers=outgoing.headers,
                                    timeout=timeout, redirect=False, retries=False, preload_content=False)
        except UnsafeDestination as exc:
            return str(exc)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            # Cut off: the socket error it caused says less than why it was cut.
            return _cut_off(timeout) if watch.was_cut else f"{type(exc).__name__}: {exc}"
        if not watch.answered():  # cut while its headers came: they may end anywhere, status or not
            response.close()
            return _cut_off(timeout)
        _finish(response, watch)
    if 300 <= response.status < 400:
        return f"HTTP {response.status} (redirects are not followed)"
    if not 200 <= response.status < 300:
        return f"HTTP {response.status}"
    return None


def _finish(response: urllib3.BaseHTTPResponse, watch: _Watch) -> None:
    """Read a short answer to its end and keep the connection; drop it after ANSWER_READ_LIMIT.
    The status has arrived by now, so nothing here can change the outcome."""
    try:
        # Undecoded: a small compressed answer could decode to far more than the limit.
        response.read(ANSWER_READ_LIMIT, decode_content=False)
        complete = not response.read(1, decode_content=False)
    except (urllib3.exceptions.HTTPError, OSError):
        complete = False
    if not complete:
        response.close()  # closes the connection too: its unread rest must not meet the next POST
    watch.done()
    response.release_conn()
