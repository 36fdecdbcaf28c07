"""Where one comment's time goes: the web request, the scoring task and the webhook task, each
run in this process against a real (embedded) PostgreSQL and Redis, with SQL statements and Redis
commands counted per comment and a cProfile of each stage.

    .venv/bin/python bench/profile_path.py                 # 300 comments, top 12 functions per stage
    .venv/bin/python bench/profile_path.py --comments 1000 --top 20 --batch 100
    .venv/bin/python bench/profile_path.py --comments 1500 --batch 5 --plain --direct --parts
                                                           # a cycle at 100/s, step by step

Counts (round trips) are exact and do not depend on the machine. Profiles count this process's
CPU time (time.process_time), not wall time: on a shared machine a wall-clock profile charges
whatever function was running when the process lost its core. Waiting for PostgreSQL is therefore
not in the profiles; the round trips count it. Read times as shares, not as absolutes.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from sqlalchemy import event, select  # noqa: E402

from parts import Parts  # noqa: E402
from stack import LOCAL_WEBHOOKS, free_port  # noqa: E402


class Counter:
    """SQL statements (each one a round trip to PostgreSQL) and Redis commands while active."""

    def __init__(self) -> None:
        self.sql = 0
        self.redis = 0
        self.statements: dict[str, int] = {}
        self.active = False

    def on(self, name: str):  # noqa: ANN201
        """A listener counting an event that is a round trip of its own (COMMIT, ROLLBACK, a ping)."""
        def count(*_: object) -> None:
            if self.active:
                self.statements[name] = self.statements.get(name, 0) + 1
        return count

    def on_sql(self, conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if self.active:
            self.sql += 1
            key = " ".join(statement.split()[:6])[:90]
            self.statements[key] = self.statements.get(key, 0) + 1

    @contextmanager
    def counting(self) -> Iterator[None]:
        self.sql = self.redis = 0
        self.statements = {}
        self.active = True
        try:
            yield
        finally:
            self.active = False


def _count_redis(counter: Counter) -> None:
    import redis

    original = redis.Redis.execute_command

    def execute_command(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if counter.active:
            counter.redis += 1
        return original(self, *args, **kwargs)

    redis.Redis.execute_command = execute_command
    # kombu publishes through a pipeline: count each pipeline as one round trip.
    original_pipe = redis.client.Pipeline.execute

    def pipe_execute(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if counter.active:
            counter.redis += 1
        return original_pipe(self, *args, **kwargs)

    redis.client.Pipeline.execute = pipe_execute


def _receiver() -> tuple[str, ThreadingHTTPServer]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}/hook", server


SORT = ["cumulative"]


def _direct_send(direct_delivery, policy, http):  # noqa: ANN001, ANN202 - modules and objects of the app
    """What the worker passes as score_pending's `send`, for an endpoint it saw answer fast."""
    from moderation.domain.webhook_health import EndpointHealth

    class Fast(EndpointHealth):
        def healthy(self, site_id: int) -> bool:
            return True

    health = Fast()
    settings = dict(timeout=5, max_retries=20, backoff_base=5, policy=policy, http=http)
    return lambda session, deliveries: direct_delivery.deliver_scored(session, deliveries, health=health,
                                                                      settings=settings)


def _timed_parts(scoring, direct_delivery) -> Parts:  # noqa: ANN001 - modules
    """The steps of a scoring cycle, each timed per call of score_pending."""
    from classifiers.model import CivilityModel
    from moderation.domain import status_writes

    parts = Parts()
    for name in ("score_pending", "_claim", "load_claimed", "score_claimed", "sanctions_in_force", "storm_watch",
                 "current_rules", "story_settings", "change_status", "_explain"):
        parts.wrap(scoring, name)
    parts.wrap(CivilityModel, "score", "the model (CivilityModel.score)")
    parts.wrap(status_writes.BatchWrites, "write", "status writes (BatchWrites.write)")
    parts.wrap(direct_delivery, "deliver_scored", "POST the events and record them (deliver_scored)")
    return parts


def _top(profile: cProfile.Profile, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(SORT[0])
    stats.print_stats(top)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return "\n".join(lines[start:start + top + 1])


DUMP: list[Path] = []


class Plain:
    """Stands in for cProfile.Profile under --plain: counts this process's CPU while enabled."""

    def __init__(self, *_: object) -> None:
        self.cpu = 0.0
        self._since = 0.0

    def enable(self) -> None:
        self._since = time.process_time()

    def disable(self) -> None:
        self.cpu += time.process_time() - self._since


def _report(name: str, counter: Counter, comments: int, wall: float, profile: cProfile.Profile | Plain,
            top: int) -> None:
    if isinstance(profile, Plain):
        print(f"\n## {name}: {comments} comments, {wall * 1000 / comments:.3f} ms wall and "
              f"{profile.cpu * 1000 / comments:.3f} ms CPU (this process, not profiled) per comment")
        return
    if DUMP:
        profile.dump_stats(DUMP[0] / (name.split(":")[0].replace(" ", "_") + ".pstats"))
    trips = sum(counter.statements.values())
    cpu = pstats.Stats(profile).total_tt
    print(f"\n## {name}: {comments} comments, {wall * 1000 / comments:.2f} ms wall and "
          f"{cpu * 1000 / comments:.2f} ms CPU (profiled) per comment, "
          f"{trips / comments:.2f} PostgreSQL round trips ({counter.sql / comments:.2f} SQL statements, the rest "
          f"COMMIT and pings) and {counter.redis / comments:.2f} Redis round trips per comment")
    for statement, n in sorted(counter.statements.items(), key=lambda kv: -kv[1]):
        print(f"  {n / comments:6.3f}/comment  {statement}")
    print(_top(profile, top))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comments", type=int, default=300)
    parser.add_argument("--batch", type=int, default=50, help="comments per scoring task, as under load")
    parser.add_argument("--top", type=int, default=12, help="functions shown per stage")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"],
                        help="order of the functions shown: time in them and below, or in them alone")
    parser.add_argument("--post-batch", type=int, default=0,
                        help="post through the batch endpoint, this many comments a request (default: one POST each)")
    parser.add_argument("--plain", action="store_true",
                        help="no cProfile: time each stage as it runs (wall and this process's CPU per comment)")
    parser.add_argument("--direct", action="store_true",
                        help="the scoring stage POSTs each batch's events itself, as the worker does for an "
                             "endpoint that answers fast (the webhook stage then has nothing left)")
    parser.add_argument("--parts", action="store_true",
                        help="with --plain: wall and CPU of each step of the scoring stage, per batch")
    parser.add_argument("--dump", type=Path, help="also write each stage's profile here (web.pstats ...) for pstats or snakeviz")
    args = parser.parse_args()
    if not 0 <= args.post_batch <= 500:
        parser.error("--post-batch: 0 (one POST a comment) up to 500, the batch endpoint's limit")
    if args.comments < 1 or args.batch < 1:
        parser.error("--comments and --batch must be at least 1")
    if args.parts and not args.plain:
        parser.error("--parts needs --plain: under cProfile the parts' times are the profiler's")
    SORT[0] = args.sort
    Profile = Plain if args.plain else cProfile.Profile  # noqa: N806 - a class chosen by an option
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        DUMP.append(args.dump)

    from moderation import db
    from moderation.app import create_app
    from moderation.config import Config
    from moderation.domain import direct_delivery, scoring, webhooks
    from moderation.domain.sites import create_site
    from moderation.domain.webhook_urls import UrlPolicy, guarded_http
    from moderation.embedded import embedded_servers
    from moderation.models import WebhookDelivery
    from moderation.scorer import get_provider

    counter = Counter()
    _count_redis(counter)
    hook_url, server = _receiver()
    with tempfile.TemporaryDirectory(prefix="profile-var-") as tmp:
        var_dir = Path(tmp)
        with embedded_servers(var_dir) as (database_url, redis_url):
            try:
                app = create_app(Config.from_env(DATABASE_URL=database_url, REDIS_URL=redis_url, VAR_DIR=var_dir,
                                                 SECRET_KEY="profile", **LOCAL_WEBHOOKS))
                engine = app.extensions["db_engine"]
                event.listen(engine, "before_cursor_execute", counter.on_sql)
                event.listen(engine, "commit", counter.on("COMMIT"))
                event.listen(engine, "rollback", counter.on("ROLLBACK"))
                ping = engine.dialect.do_ping  # moderation/db.py pings a connection idle for a while
                engine.dialect.do_ping = lambda conn: counter.on("ping SELECT 1 (connection idle)")() or ping(conn)
                with app.app_context():
                    new = create_site(db.session, "profile-site", webhook_url=hook_url,
                                      url_policy=UrlPolicy.from_config(LOCAL_WEBHOOKS))
                    db.session.commit()
                    api_key = new.api_key
                    get_provider(app).default()  # load the model outside the profile
                client = app.test_client()
                headers = {"Authorization": f"Bearer {api_key}"}
                client.post("/api/v1/comments", headers=headers,  # warm up: key verified and cached
                            json={"id": "warm", "story_id": "s", "author_id": "a", "text": "Warm up."})

                profile = Profile(time.process_time)
                ids: list[int] = []
                items = [{"id": f"c-{i}", "story_id": "s-1", "author_id": f"a-{i % 50}",
                          "text": "You are a worthless idiot." if i % 10 == 0 else f"Thanks for the thoughtful article #{i}."}
                         for i in range(args.comments)]
                per_request = args.post_batch or 1
                with counter.counting():
                    t0 = time.perf_counter()
                    for start in range(0, len(items), per_request):
                        profile.enable()
                        if args.post_batch:
                            r = client.post("/api/v1/comments:batch", headers=headers,
                                            json={"comments": items[start:start + per_request]})
                        else:
                            r = client.post("/api/v1/comments", headers=headers, json=items[start])
                        profile.disable()
                        assert r.status_code in (200, 202), r.get_data(as_text=True)
                        body = r.get_json()
                        ids.extend([result["comment"]["id"] for result in body["results"]] if args.post_batch else [body["id"]])
                    wall = time.perf_counter() - t0
                endpoint = f"POST /api/v1/comments:batch of {args.post_batch}" if args.post_batch else "POST /api/v1/comments"
                _report(f"web: {endpoint} (Flask test client, no HTTP server)", counter, args.comments, wall,
                        profile, args.top)

                policy = UrlPolicy.from_config(LOCAL_WEBHOOKS)
                http = guarded_http(policy)
                send = _direct_send(direct_delivery, policy, http) if args.direct else scoring.send_webhooks
                parts = _timed_parts(scoring, direct_delivery) if args.parts else None
                profile = Profile(time.process_time)
                with counter.counting():
                    t0 = time.perf_counter()
                    for start in range(0, len(ids), args.batch):
                        with app.app_context():
                            profile.enable()
                            scoring.score_pending(db.session, get_provider(app), ids[start:start + args.batch],
                                                  batch_size=args.batch, max_batches=1, send=send)
                            profile.disable()
                    wall = time.perf_counter() - t0
                sent = ", POSTing its events itself" if args.direct else ""
                _report(f"scoring task: score_pending, batches of {args.batch}{sent}", counter, args.comments, wall,
                        profile, args.top)
                if parts is not None:
                    print(parts.table("score_pending"))

                with app.app_context():
                    delivery_ids = list(db.session.scalars(
                        select(WebhookDelivery.id).where(WebhookDelivery.delivered_at.is_(None)).order_by(WebhookDelivery.id)))
                profile = Profile(time.process_time)
                with counter.counting():
                    t0 = time.perf_counter()
                    for start in range(0, len(delivery_ids), args.batch):
                        with app.app_context():
                            profile.enable()
                            webhooks.deliver_many(db.session, delivery_ids[start:start + args.batch], timeout=5,
                                                  max_retries=20, backoff_base=5, policy=policy, http=http)
                            profile.disable()
                    wall = time.perf_counter() - t0
                if delivery_ids:
                    _report(f"webhook task: deliver_many, batches of {args.batch} (one scored batch's events)", counter,
                            len(delivery_ids), wall, profile, args.top)
                else:
                    print("\n## webhook task: nothing left to deliver (the scoring stage POSTed every event)")
                app.extensions["db_engine"].dispose()
            finally:
                server.shutdown()


if __name__ == "__main__":
    main()
