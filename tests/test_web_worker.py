"""What gunicorn refuses before Flask sees it, as `moderation up` runs it: the API's JSON error."""
from __future__ import annotations

import json
import socket
import subprocess

import gunicorn_server
import pytest


@pytest.fixture
def served(monkeypatch, tmp_path):
    """gunicorn started with `moderation up`'s arguments, serving a one-line app: its port."""
    server, port = gunicorn_server.start(tmp_path, monkeypatch, (
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Length', '2')])\n"
        "    return [b'ok']\n"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield port
    server.terminate()
    server.wait(timeout=20)


def _answer(port: int, request: bytes) -> tuple[bytes, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(request)
        received = b""
        while chunk := client.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    return status.encode(), {k.lower(): v for k, _, v in (line.partition(": ") for line in lines)}, body


@pytest.mark.parametrize(("request_bytes", "status", "code", "says"), [
    # A site asking for 600 ids in the query string (an API contract walk: gunicorn's HTML page).
    (b"GET /api/v1/comments?ids=" + b"1234567," * 600 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
     b"HTTP/1.1 414", "request_uri_too_long", "send long lists in a request body"),
    (b"GET /api/v1/comments HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n",
     b"HTTP/1.1 431", "request_header_fields_too_large", "headers are larger than this server takes"),
    (b"NOT HTTP AT ALL\r\n\r\n", b"HTTP/1.1 400", "bad_request", "Invalid"),
])
def test_what_gunicorn_refuses_is_the_apis_json_error(served, request_bytes, status, code, says):
    answered, headers, body = _answer(served, request_bytes)
    assert answered.startswith(status), answered
    assert headers["content-type"] == "application/json" and int(headers["content-length"]) == len(body)
    error = json.loads(body)["error"]
    assert error["code"] == code and says in error["message"] and error["field"] is None, error


def test_an_ordinary_request_is_served_as_before(served):
    answered, _, body = _answer(served, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answered.startswith(b"HTTP/1.1 200") and body == b"ok"
