"""`moderation up` as a newcomer runs it: the whole service from embedded defaults, admin commands
beside it on the same data, Ctrl-C stops everything, and a restart finds the data again."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
MODERATION = [sys.executable, "-m", "moderation.cli"]
# For each request to the service: it answers in milliseconds, but the first API request after a
# start checks the key with argon2 at its full cost (about 0.3 s of CPU) while the worker and the
# trainer load their models beside it, and a busy machine can stretch that past 5 s. A hang still
# fails, as a timeout.
HTTP_TIMEOUT = 30
# How long the worker `up` started beside the web server may take to score the first comment: it
# loads the model as the test posts, which a busy machine (three test processes on two cores) can
# stretch from seconds to tens of them. A wait ends as soon as it is met.
SLOW_MACHINE = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(var_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(MODERATION_VAR_DIR=str(var_dir), PORT=str(port), WEB_WORKERS="1", WORKER_CONCURRENCY="1")
    return env


def _start_up(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(MODERATION + ["up"], cwd=REPO, env=env, stdout=open(log, "ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _wait_until_serving(base: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()[-4000:]
        try:
            if requests.get(base + "/login", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError("not serving in time:\n" + log.read_text()[-4000:])


def _stop(proc: subprocess.Popen) -> int:
    os.killpg(proc.pid, signal.SIGINT)
    return proc.wait(timeout=60)


def _create_key(env: dict[str, str], name: str) -> str:
    out = subprocess.run(MODERATION + ["keys", "create", name], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    return next(line.split()[-1] for line in out.splitlines() if line.startswith("api key:"))


def _status_once_workers_answer(env: dict[str, str]) -> subprocess.CompletedProcess:
    """`moderation status` as soon as every worker `up` starts has answered (the web may serve first)."""
    deadline = time.monotonic() + SLOW_MACHINE
    while True:
        done = subprocess.run(MODERATION + ["status"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        if "workers:    3 answered" in done.stdout or time.monotonic() > deadline:
            return done
        time.sleep(1)


def _wait_for_status(base: str, key: str, comment_id: int, timeout: float = SLOW_MACHINE) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = requests.get(f"{base}/api/v1/comments/{comment_id}", headers={"Authorization": f"Bearer {key}"},
                            timeout=HTTP_TIMEOUT).json()
        if body["status"] != "pending" or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def _scrape(port: int) -> str:
    response = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    return response.text


def _scrape_once_counted(port: int, sample: str, timeout: float = SLOW_MACHINE) -> str:
    """A scrape showing `sample` (a name and labels), or the last one. The worker counts a comment
    once its status has committed, so the API can show the status a moment before the count moves:
    a worker a busy machine held up in between left the first scrape without it."""
    deadline = time.monotonic() + timeout
    while True:
        scraped = _scrape(port)
        if sample + " " in scraped or time.monotonic() > deadline:
            return scraped
        time.sleep(0.2)


def _oversized_batch_status(port: int, key: str) -> int:
    """The status a client reads after sending a 9 MiB batch whole, as fetch does before reading."""
    import socket

    body = b'{"comments": [' + b",".join(b'{"id": "c-%d", "story_id": "s", "author_id": "a", "text": "%s"}'
                                         % (n, b"x" * 18_000) for n in range(520)) + b"]}"
    head = (f"POST /api/v1/comments:batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=HTTP_TIMEOUT) as sock:
        sock.sendall(head + body)  # EPIPE or ECONNRESET here, had the server closed while it was sent
        answer = sock.recv(200)
    return int(answer.split(b" ", 2)[1])


def _start_oversized_body(port: int, key: str):
    """A socket that declared a 9 MiB batch, sent its headers and a few bytes, and then nothing."""
    import socket

    sock = socket.create_connection(("127.0.0.1", port), timeout=HTTP_TIMEOUT)
    sock.sendall((f"POST /api/v1/comments:batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {9 * 1024 * 1024}\r\n\r\n"
                  '{"comments": [').encode())
    return sock


def test_up_serves_scores_stops_cleanly_and_keeps_its_data(tmp_path: Path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = _env(tmp_path / "var", port)
    metrics_port = _free_port()
    env["METRICS_PORT"] = str(metrics_port)  # Prometheus's port, served by gunicorn's master
    log = tmp_path / "up.log"

    proc = _start_up(env, log)
    try:
        _wait_until_serving(base, proc, log)
        assert "users create" in log.read_text(), "first start should say how to sign in"
        key = _create_key(env, "first-site")  # beside the running service, on its embedded data
        headers = {"Authorization": f"Bearer {key}"}
        posted = requests.post(f"{base}/api/v1/comments", headers=headers, timeout=HTTP_TIMEOUT, json={
            "id": "c-1", "story_id": "s-1", "author_id": "a-1",
            "text": "Thanks for the thoughtful article, I learned a lot about the city budget."})
        assert posted.status_code == 202, posted.text
        assert _wait_for_status(base, key, posted.json()["id"])["status"] == "published"
        # Counted by a gunicorn worker and a Celery pool process, added up on the metrics port.
        scraped = _scrape_once_counted(metrics_port, 'moderation_comments_scored_total{site="first-site",status="published"}')
        assert 'moderation_comments_received_total{site="first-site"} 1.0' in scraped
        assert 'moderation_comments_scored_total{site="first-site",status="published"} 1.0' in scraped
        # Not on the web port then, not even a sign-in page.
        assert requests.get(f"{base}/metrics", timeout=HTTP_TIMEOUT, allow_redirects=False).status_code == 404
        # A keep-alive connection idle longer than gunicorn's default 2 s is still open: a Node client
        # (Coral) reusing one as gunicorn closed it got ECONNRESET and published its comment unscored.
        kept = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
        kept.request("GET", "/healthz")
        assert kept.getresponse().read() is not None
        time.sleep(3)
        kept.request("GET", "/healthz")
        assert kept.getresponse().status == 200
        kept.close()
        # A batch past its 8 MiB is answered 413 once its body is read: answered while the client still
        # sent, gunicorn closed the connection and Node's fetch got EPIPE, no status (a Node integrator's walk).
        for _ in range(3):
            assert _oversized_batch_status(port, key) == 413
        # ...for a few seconds at most: unbounded, eight sockets trickling a body held every web thread
        # and the pages stopped answering (a re-check). Ten such sockets, and the service still answers.
        trickling = [_start_oversized_body(port, key) for _ in range(10)]
        started = time.monotonic()
        assert requests.get(f"{base}/healthz", timeout=10).status_code == 200
        assert time.monotonic() - started < 8
        for sock in trickling:
            sock.close()
        running = _status_once_workers_answer(env)
        assert running.returncode == 0, running.stdout + running.stderr
        # From a shell without `up`'s PORT, status asks the web where `up` serves it (a make run check:
        # it asked 8080 and said the web server did not answer).
        elsewhere = subprocess.run(MODERATION + ["status"], cwd=REPO, env={**env, "PORT": "1"}, capture_output=True,
                                   text=True, timeout=120)
        assert "web:        ok" in elsewhere.stdout, elsewhere.stdout + elsewhere.stderr
        assert f"`moderation up`, pid {proc.pid}" in running.stdout and "workers:    3 answered" in running.stdout
        # Workers per queue, said so: "moderation: 1; training: 1" read as the queues' lengths (an operator's walk).
        assert "queues:     moderation served by 1 worker; training served by 1 worker; webhooks served by 1 worker" \
            in running.stdout, running.stdout
    finally:
        code = _stop(proc)
    assert code == 0, log.read_text()[-4000:]
    stopped = subprocess.run(MODERATION + ["status"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 3 and stopped.stdout.startswith("not running"), stopped.stdout + stopped.stderr
    assert not (tmp_path / "var" / "redis.sock").exists() or b"stopped" in log.read_bytes()

    proc = _start_up(env, log)
    try:
        _wait_until_serving(base, proc, log)
        again = requests.get(f"{base}/api/v1/comments/{posted.json()['id']}", headers=headers, timeout=HTTP_TIMEOUT)
        assert again.status_code == 200 and again.json()["status"] == "published"
        # A restarted service counts from zero: the files of the first run were cleared.
        assert "moderation_comments_received_total{" not in _scrape(metrics_port)
    finally:
        assert _stop(proc) == 0
