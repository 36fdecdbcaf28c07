"""Back-pressure at POST /api/v1/comments and the /healthz and /readyz endpoints, without a worker:
comments stay pending, so the backlog is exactly what the test posted."""
from __future__ import annotations

import logging

import socket
import threading
from pathlib import Path

from sqlalchemy import func, select

from moderation import db
from moderation.models import Comment


def post(client, site, n: int):
    body = {"id": f"c-{n}", "story_id": "s-1", "author_id": "reader", "text": f"Comment number {n}"}
    return client.post("/api/v1/comments", json=body, headers=site.headers)


def test_past_the_soft_limit_comments_are_stored_with_a_hint_past_the_hard_limit_refused(app_with, site):
    app = app_with(BACKPRESSURE_SOFT_LIMIT=2, BACKPRESSURE_HARD_LIMIT=4)
    client = app.test_client()
    calm = [post(client, site, n) for n in range(2)]
    assert [r.status_code for r in calm] == [202, 202]
    assert all("X-Moderation-Load" not in r.headers for r in calm)
    degraded = [post(client, site, n) for n in range(2, 4)]
    assert [r.status_code for r in degraded] == [202, 202]
    assert all(r.headers["X-Moderation-Load"] == "degraded" and int(r.headers["X-Moderation-Retry-After"]) >= 1
               for r in degraded)
    refused = post(client, site, 4)
    assert refused.status_code == 503 and int(refused.headers["Retry-After"]) >= 1
    error = refused.get_json()["error"]
    assert error["code"] == "overloaded" and "nothing was stored" in error["message"]
    # A retry of a comment stored before the overload is answered as ever, and adds nothing.
    again = post(client, site, 0)
    assert again.status_code == 200 and again.get_json()["site_comment_id"] == "c-0"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 4
        assert db.session.scalar(select(Comment.id).where(Comment.external_id == "c-4")) is None


def test_one_sites_flood_refuses_that_site_and_not_anothers_trickle(app_with, site, make_site):
    """An SRE's walk: one site's 22,500-comment burst filled the backlog, and every 503 of the
    incident went to the other site's two comments a second."""
    app = app_with(BACKPRESSURE_SOFT_LIMIT=2, BACKPRESSURE_HARD_LIMIT=6, BACKPRESSURE_RECHECK_SECONDS=60)
    client = app.test_client()
    other = make_site("evening-post")
    assert [post(client, site, n).status_code for n in range(6)] == [202] * 6  # the flood fills the backlog
    assert post(client, site, 6).status_code == 503
    # The other site's share of the hard limit is half of it: three comments, then it is refused too.
    trickle = [post(client, other, n) for n in range(4)]
    assert [r.status_code for r in trickle] == [202, 202, 202, 503]
    # Stored without the slow-down hint: with nothing of its own waiting it is not the one to slow down.
    assert "X-Moderation-Load" not in trickle[0].headers
    assert post(client, site, 7).status_code == 503  # the flooding site stays refused


def test_sites_arriving_one_after_another_cannot_take_the_backlog_past_twice_the_hard_limit(
        app_with, site, make_site):
    """A re-check: each new site took the share of a larger crowd (30, 15, 10 ... of a hard limit of
    30), and together they took the backlog to 99."""
    app = app_with(BACKPRESSURE_SOFT_LIMIT=2, BACKPRESSURE_HARD_LIMIT=6, BACKPRESSURE_RECHECK_SECONDS=60)
    client = app.test_client()
    sites = [site] + [make_site(f"paper-{i}") for i in range(5)]
    for n, each in enumerate(sites):
        for k in range(6):
            post(client, each, n * 10 + k)
    with app.app_context():
        # 6, 3, 2 and 1: twice the hard limit; then nothing more (the last two sites took one each before)
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 12


def test_bad_input_is_still_a_400_when_overloaded(app_with, site):
    client = app_with(BACKPRESSURE_SOFT_LIMIT=0, BACKPRESSURE_HARD_LIMIT=1).test_client()
    assert post(client, site, 0).status_code == 202
    bad = client.post("/api/v1/comments", json={"id": "x"}, headers=site.headers)
    assert bad.status_code == 400


def test_healthz_answers_while_the_process_lives(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_reports_each_check_with_its_latency_and_the_backlog(app_with, site):
    app = app_with(BACKPRESSURE_SOFT_LIMIT=2, BACKPRESSURE_HARD_LIMIT=3)
    client = app.test_client()
    ready = client.get("/readyz")
    body = ready.get_json()
    assert ready.status_code == 200 and body["status"] == "ok", body
    assert set(body["checks"]) == {"database", "broker", "model"}
    assert all(check["ok"] and check["latency_ms"] >= 0 for check in body["checks"].values())
    assert body["checks"]["model"]["version"]
    assert body["backlog"] == {"pending": 0, "soft_limit": 2, "hard_limit": 3, "retry_after": 0,
                               "oldest_pending_seconds": 0.0}
    post(client, site, 0), post(client, site, 1)
    degraded = client.get("/readyz")
    assert degraded.status_code == 200 and degraded.get_json()["status"] == "degraded"
    post(client, site, 2)
    overloaded = client.get("/readyz")
    assert overloaded.status_code == 200 and overloaded.get_json()["status"] == "overloaded"
    assert int(overloaded.headers["Retry-After"]) >= 1


def test_readyz_is_degraded_not_unavailable_when_the_broker_is_unreachable(app_with, site, tmp_path, caplog):
    """Comments are still taken: a 503 from every web instance behind the one Redis would have had a
    load balancer refuse them all. The log says why, once."""
    caplog.set_level(logging.INFO, logger="moderation.health")
    app = app_with(REDIS_URL=f"redis+socket://{tmp_path}/nothing.sock")
    client = app.test_client()
    assert post(client, site, 0).status_code == 202
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["broker"]["ok"] is False and body["checks"]["broker"]["error"]
    # The database answers, so the backlog is still told (it was null while Redis was down).
    assert body["checks"]["database"]["ok"] is True and body["backlog"]["pending"] == 1
    client.get("/readyz")
    said = [r.getMessage() for r in caplog.records if r.name == "moderation.health"]
    assert said == [f"readiness is degraded: broker {body['checks']['broker']['error']} failing"]


def test_readyz_says_degraded_when_a_comment_has_waited_minutes(app_with, site, caplog):
    """A hung worker left comments pending for minutes while /readyz said "ok"."""
    from datetime import timedelta

    from moderation import db
    from moderation.models import Comment

    app = app_with()
    client = app.test_client()
    post(client, site, 0)
    assert client.get("/readyz").get_json()["status"] == "ok"
    with app.app_context():
        comment = db.session.query(Comment).one()
        comment.status_changed_at -= timedelta(minutes=3)
        db.session.commit()
    caplog.set_level(logging.INFO, logger="moderation.health")
    stalled = client.get("/readyz")
    body = stalled.get_json()
    assert stalled.status_code == 200 and body["status"] == "degraded", body
    assert body["backlog"]["stalled"] is True and body["backlog"]["oldest_pending_seconds"] >= 180
    client.get("/readyz")  # said once, though the wait it names has grown
    said = [r.getMessage() for r in caplog.records if r.name == "moderation.health"]
    # Why, in the line (an operator's walk: "readiness is degraded", nothing more).
    assert len(said) == 1 and said[0].startswith("readiness is degraded: scoring stalled: the oldest pending "
                                                 "comment has waited 18"), said


def test_readyz_says_stalled_in_a_flood_too(app_with, site):
    """Past the soft limit the key was left out: a hung worker went unflagged when most likely."""
    from datetime import timedelta

    from moderation import db
    from moderation.models import Comment

    app = app_with(BACKPRESSURE_SOFT_LIMIT=1, BACKPRESSURE_HARD_LIMIT=10)
    client = app.test_client()
    for n in range(3):
        post(client, site, n)
    with app.app_context():
        for comment in db.session.query(Comment):
            comment.status_changed_at -= timedelta(minutes=3)
        db.session.commit()
    body = client.get("/readyz").get_json()
    assert body["status"] == "degraded" and body["backlog"]["pending"] == 3
    assert body["backlog"]["stalled"] is True


def test_past_the_soft_limit_a_process_reuses_its_count_and_adds_what_it_took(app_with, site):
    from sqlalchemy import update

    app = app_with(BACKPRESSURE_SOFT_LIMIT=1, BACKPRESSURE_HARD_LIMIT=3, BACKPRESSURE_RECHECK_SECONDS=60)
    client = app.test_client()
    assert "X-Moderation-Load" not in post(client, site, 0).headers
    assert post(client, site, 1).headers["X-Moderation-Load"] == "degraded"  # counted: 1 pending
    with app.app_context():  # a worker scores them; this process does not count again for a minute
        db.session.execute(update(Comment).values(status="published"))
        db.session.commit()
    assert post(client, site, 2).headers["X-Moderation-Load"] == "degraded"  # 2 counted + 1 taken since
    # Its tally says the next one passes the hard limit: a refusal is counted afresh, and the
    # backlog the worker drained (only comment 2 waits) lets it in.
    fourth = post(client, site, 3)
    assert fourth.status_code == 202 and fourth.headers["X-Moderation-Load"] == "degraded"



def test_readyz_answers_unavailable_when_the_database_stops_answering_mid_connection(app_with, services):
    """A server that stalls (a hung host, a stopped postgres) keeps its connections open and answers
    nothing: /readyz must say so, not wait on a pooled connection for as long as TCP lets it."""
    with StallingProxy(services.database_url) as proxy:
        app = app_with(DATABASE_URL=proxy.database_url)
        client = app.test_client()
        assert client.get("/readyz").status_code == 200  # connections made through the proxy, pooled
        proxy.stall()
        answer: list = []
        probe = threading.Thread(target=lambda: answer.append(client.get("/readyz")), daemon=True)
        probe.start()
        probe.join(timeout=60)  # a load balancer gives up long before; a hang would be forever
        assert answer, "/readyz did not answer while the database was stalled"
        body = answer[0].get_json()
        assert answer[0].status_code == 503 and body["status"] == "unavailable"
        assert body["checks"]["database"]["ok"] is False and body["checks"]["database"]["error"] == "OperationalError"


class StallingProxy:
    """TCP on 127.0.0.1 to the embedded server's Unix socket, forwarding until `stall()`."""

    def __init__(self, database_url: str) -> None:
        self.target = str(next(Path(database_url.split("host=", 1)[1]).glob(".s.PGSQL.*")))
        self.name = database_url.split("@/", 1)[1].split("?", 1)[0]
        self.stalled, self.closed = threading.Event(), threading.Event()
        self.sockets: list[socket.socket] = []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.database_url = f"postgresql+psycopg://postgres@127.0.0.1:{self.listener.getsockname()[1]}/{self.name}"

    def __enter__(self) -> "StallingProxy":
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        # Every thread ends: a pump left waiting would outlive the test (and spin in a later test
        # that patches time.sleep).
        self.closed.set()
        for sock in [self.listener, *self.sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv, which close alone may not
            except OSError:
                pass
            sock.close()

    def stall(self) -> None:
        self.stalled.set()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.socket(socket.AF_UNIX)
            server.connect(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while not self.stalled.is_set():
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data or self.stalled.is_set():  # what came after the stall is held: the other side waits
                return
            try:
                sink.sendall(data)
            except OSError:
                return


def test_an_edit_past_the_hard_limit_is_refused_as_a_new_comment_is(app_with, site):
    """Edits go back to pending to be scored again: a site refused new comments could still grow the backlog."""
    app = app_with(BACKPRESSURE_SOFT_LIMIT=1, BACKPRESSURE_HARD_LIMIT=2)
    client = app.test_client()
    first = post(client, site, 0).get_json()["id"]
    post(client, site, 1)
    edited = client.patch(f"/api/v1/comments/{first}", json={"text": "Edited words"}, headers=site.headers)
    assert edited.status_code == 503 and edited.get_json()["error"]["code"] == "overloaded"
    assert client.get(f"/api/v1/comments/{first}", headers=site.headers).get_json()["version"] == 1


def test_readyz_behind_a_lock_on_comments_answers_degraded_at_once_not_after_the_statement_timeout(app_with, site):
    """An operator's walk: behind `LOCK TABLE comments` each probe waited out the 30 s statement
    timeout, holding a web thread, until /healthz found none free."""
    from table_locks import table_locked

    app = app_with(DATABASE_STATEMENT_TIMEOUT=30)
    with table_locked(app.config["DATABASE_URL"], "comments"):
        response = app.test_client().get("/readyz")

    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "degraded", body
    assert body["checks"]["backlog"] == {"ok": False, "error": "QueryCanceled"}


def test_past_the_soft_limit_only_the_sites_past_their_share_are_asked_to_slow_down(app_with, site, make_site):
    """A newspaper group's walk: the daily's import told a hyperlocal with nothing of its own waiting
    `X-Moderation-Load: degraded` and to hold its readers' comments back for 60 s."""
    app = app_with(BACKPRESSURE_SOFT_LIMIT=4, BACKPRESSURE_HARD_LIMIT=100, BACKPRESSURE_RECHECK_SECONDS=0)
    client = app.test_client()
    quiet = make_site("hyperlocal")
    flood = [post(client, site, n) for n in range(6)]
    assert flood[-1].headers["X-Moderation-Load"] == "degraded"
    trickle = post(client, quiet, 0)  # its share of the soft limit is half of it: nothing to ask of it
    assert trickle.status_code == 202 and "X-Moderation-Load" not in trickle.headers
    assert post(client, site, 6).headers["X-Moderation-Load"] == "degraded"  # the importer still is


def test_past_the_hard_limit_a_site_within_its_shares_is_stored_and_not_asked_to_slow_down(app_with, site, make_site):
    """An SRE's walk: while another title's flood was past the hard limit, a site with one comment
    waiting was stored but told `degraded` and to hold back for 60 s, where below it it was not."""
    app = app_with(BACKPRESSURE_SOFT_LIMIT=2, BACKPRESSURE_HARD_LIMIT=4, BACKPRESSURE_RECHECK_SECONDS=0)
    client = app.test_client()
    quiet = make_site("hyperlocal")
    flood = [post(client, site, n) for n in range(6)]
    assert flood[-1].status_code == 503  # the flooding site is refused past its share of the hard limit
    trickle = post(client, quiet, 0)
    assert trickle.status_code == 202 and "X-Moderation-Load" not in trickle.headers
    assert "X-Moderation-Retry-After" not in trickle.headers
