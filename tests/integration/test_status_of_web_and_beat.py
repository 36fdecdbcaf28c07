"""`moderation status` asks the web server and learns when beat last swept.

An operator's walk: in production (no `moderation up`) it said "status: ok", exit 0, with the web
server and beat both dead, and sites' comments refused at the proxy with 502.
"""
from __future__ import annotations

import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from click.testing import CliRunner

from moderation.cli import main
from moderation.heartbeats import SWEEP_KEY


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(services, *args: str, **env: str):
    return CliRunner().invoke(main, ["status", *args], env=services.env(**env))


class _Web:
    """A stand-in web server answering /readyz with `status`."""

    def __init__(self, status: int) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self.send_response(status if self.path == "/readyz" else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_web_server_that_does_not_answer_or_is_not_ready_needs_attention(app, services):
    nobody = _free_port()
    down = _status(services, PORT=str(nobody))
    assert down.exit_code == 1
    assert f"web:        no answer on 127.0.0.1:{nobody} (ConnectionRefusedError)" in down.output
    assert "  - the web server no answer on 127.0.0.1" in down.output
    assert "web:        not asked (--no-web)" in _status(services, "--no-web", PORT=str(nobody)).output
    for answer, said in ((200, "web:        ok"), (503, "web:        answered 503 (not ready)")):
        web = _Web(answer)
        try:
            assert said in _status(services, PORT=str(web.port), HOST="0.0.0.0").output
        finally:
            web.close()


def test_beat_that_stopped_sweeping_needs_attention(app, services, start_worker):
    worker = start_worker(beat=True, SWEEP_INTERVAL="1")
    deadline = time.monotonic() + 60
    while services.redis().get(SWEEP_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    swept = _status(services, "--no-web")
    assert "beat:       last sweep" in swept.output and "is beat running" not in swept.output, swept.output
    worker.stop()
    services.redis().set(SWEEP_KEY, repr(time.time() - 1000))  # as if beat had died 1,000 s ago
    stale = _status(services, "--no-web", SWEEP_INTERVAL="1")
    assert stale.exit_code == 1
    # 1,000 s and the moment status took to start (a fresh-clone run under load said 1001)
    assert re.search(r"  - no sweep has run for 10\d\d s \(beat sends one every 1 s\): is beat running\?",
                     stale.output), stale.output
    services.redis().delete(SWEEP_KEY)  # Redis new, or beat not started yet: said, not a problem
    assert "beat:       no sweep recorded yet" in _status(services, "--no-web").output


def test_a_transaction_left_open_anywhere_on_the_server_is_named_as_holding_the_feed(app, services, monkeypatch):
    """An integrator's walk: an open transaction in another database held every site's changes feed
    for 18 s, and `status` said ok."""
    from sqlalchemy import create_engine, make_url, text

    from moderation.cli import status_commands

    monkeypatch.setattr(status_commands, "FEED_HELD_AFTER", 0.5)
    other_database = make_url(services.database_url).set(database="postgres")
    engine = create_engine(other_database, connect_args={"application_name": "forgotten-psql"})
    with engine.connect() as other:
        other.execute(text("SELECT pg_current_xact_id()"))  # holds a transaction id, open
        time.sleep(1.0)
        held = _status(services, "--no-web")
        other.rollback()
    engine.dispose()
    assert held.exit_code == 1
    assert "database postgres, forgotten-psql) holds back every site's changes feed" in held.output, held.output
