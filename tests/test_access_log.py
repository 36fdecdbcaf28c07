"""The web server's access log, as `moderation up` runs gunicorn: one line per request, whatever the
path holds."""
from __future__ import annotations

import socket
import subprocess
import time

import gunicorn_server


def test_a_line_break_in_a_request_path_cannot_add_a_line_to_the_access_log(monkeypatch, tmp_path):
    """A security review: `GET /healthz%0A10.1.2.3 [...] "POST /admin/..."` wrote a second line that
    read as another client's request. The line names who sent it (session_tags.py), escaped too: an
    incident walk found no user in it, so what a phished account's attacker had looked at was unknown."""
    server, port = gunicorn_server.start(tmp_path, monkeypatch, (
        "def app(environ, start_response):\n"
        "    environ['moderation.who'] = 'mona/1a2b3c4d\\nforged'\n"
        "    start_response('404 Not Found', [('Content-Length', '0')])\n"
        "    return [b'']\n"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        forged = '10.1.2.3 [05/Dec/2026:16:00:00 +0000] "POST /admin/accounts/users/1/disable" 303 0 5ms'
        with client:
            client.sendall(f"GET /healthz%0A{forged.replace(' ', '%20')}%E2%80%A8 HTTP/1.1\r\n"
                           "Host: x\r\nConnection: close\r\n\r\n".encode())
            assert client.recv(100).startswith(b"HTTP/1.1 404")
        time.sleep(0.5)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    lines = [line for line in output.splitlines() if "healthz" in line or "10.1.2.3" in line]
    assert len(lines) == 1 and lines[0].startswith("127.0.0.1 "), output
    assert "/healthz\\x0a10.1.2.3" in lines[0] and "\u2028" not in lines[0]
    assert lines[0].endswith("ms mona/1a2b3c4d\\x0aforged"), lines[0]


def test_a_typed_backslash_is_told_apart_from_an_escaped_control_character():
    """A re-check: "/h%5Cx0afake" (a typed backslash) and "/h%0Afake" were logged alike."""
    from moderation.observability.access_log import escaped

    assert escaped("/h\\x0afake") == "/h\\\\x0afake" and escaped("/h\nfake") == "/h\\x0afake"


def test_an_api_request_is_logged_with_its_site_and_key_id_never_the_secret(app, client, site):
    """An incident walk: after a leaked key's rotation nothing showed whether anyone still sent it."""
    from flask import request, request_finished

    seen = []
    with request_finished.connected_to(lambda sender, **_: seen.append(request.environ.get("moderation.who")), app):
        client.get("/api/v1/comments/1", headers=site.headers)
    who = seen[0]
    assert who == f"site:{site.id}/mk_{site.api_key.split('_')[1]}" and site.api_key.split("_", 2)[2] not in who
    # A refused key is named too: a revoked, leaked key's requests had been logged "-" (a re-check).
    with request_finished.connected_to(lambda sender, **_: seen.append(request.environ.get("moderation.who")), app):
        client.get("/api/v1/comments/1", headers={"Authorization": "Bearer mk_0123456789abcdef_not-the-secret"})
    assert seen[1] == "site:?/mk_0123456789abcdef"
    # Only what a key id can be: a sent "id" had ended a line as a signed-in moderator's (a re-check).
    with request_finished.connected_to(lambda sender, **_: seen.append(request.environ.get("moderation.who")), app):
        client.get("/api/v1/comments/1", headers={"Authorization": "Bearer mk_x mona/eb44ba1737_secret"})
    assert seen[2] == "site:?/mk_?"
