"""gunicorn started as `moderation up` starts it (its web argv), serving a one-file WSGI app: for the
tests of what gunicorn itself does (access log lines, what it refuses before the app)."""
from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from moderation.cli.service_commands import web_argv
from moderation.config import Config


def start(tmp_path: Path, monkeypatch, app_source: str, **popen) -> tuple[subprocess.Popen, int]:  # noqa: ANN001
    """The server and its port, once it accepts connections. `app_source` defines `app` in tiny_app.py;
    the metrics hooks, which build the real app, and --preload are left out."""
    (tmp_path / "tiny_app.py").write_text(app_source)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("MODERATION_VAR_DIR", str(tmp_path))
    config = Config.from_env(SECRET_KEY="a-long-enough-secret-key-for-this-test-0123456789", HOST="127.0.0.1",
                             PORT=port, WEB_WORKERS=1)
    argv = [a for a in web_argv(config)[:-1] if a != "--preload"] + ["tiny_app:app"]
    config_at = argv.index("--config")
    del argv[config_at:config_at + 2]
    server = subprocess.Popen(argv, cwd=tmp_path, **popen)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return server, port
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
            time.sleep(0.1)
