"""gunicorn's threaded worker, answering the requests it refuses itself in the API's JSON.

A request line past gunicorn's limit (414), headers past it (431), or bytes that are not HTTP (400)
never reach Flask: gunicorn wrote its own HTML page, and a site's client that parses
`{"error": {"code", "message", "field"}}` on every 4xx had nothing to read (an API contract walk).
"""
from __future__ import annotations

import json
import socket

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker
from werkzeug.http import HTTP_STATUS_CODES

# What each refusal means to a site's developer, with gunicorn's own words (the limit it hit) after it.
MESSAGES = {
    414: "the request line (method, path and query string) is longer than this server takes; "
         "send long lists in a request body or fewer at a time",
    431: "the request's headers are larger than this server takes",
}


def write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's `util.write_error`, in the API's error shape (codes as moderation/api/errors.py names them)."""
    name = HTTP_STATUS_CODES.get(status_int, reason)
    detail = MESSAGES.get(status_int, mesg or reason)
    message = f"{detail} ({mesg})" if status_int in MESSAGES and mesg else detail
    body = json.dumps({"error": {"code": name.lower().replace(" ", "_"), "message": message, "field": None}}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


class ThreadWorker(GunicornThreadWorker):
    """`gthread`, but its own refusals in JSON. gunicorn's base worker writes them through
    `util.write_error`, read when each error is written: set in this worker process alone."""

    def init_process(self) -> None:
        util.write_error = write_json_error
        super().init_process()
