"""Counting HTTP requests, and serving /metrics: on the web port for signed-in admins, or on a port
of its own (METRICS_PORT) for Prometheus, where the web port's /metrics is not found."""
from __future__ import annotations

import time
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST

from moderation import auth, db
from moderation.observability import metrics
from moderation.observability.collect import StateCollector, exposition

bp = Blueprint("metrics", __name__)


def state_collector(app: Flask) -> StateCollector:
    from moderation.redis_client import redis_client

    url = app.config.get("REDIS_URL")
    return StateCollector(lambda: app.extensions[db.SESSIONS](),
                          (lambda: redis_client(url, timeout=1.0)) if url else None)


@bp.get("/metrics")
def scrape() -> Response:
    if current_app.config["METRICS_PORT"]:
        abort(404)  # served on its own port instead, to anyone who reaches it: no sign-in page here
    return _for_admins()


@auth.login_required("admin")
def _for_admins() -> Response:
    body = exposition(current_app.extensions["metrics_dir"], state_collector(current_app._get_current_object()))
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _started() -> None:
    g.metrics_started = time.perf_counter()


def _counted(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is not None:
        # The route's pattern, never the path: ids and junk URLs must not each make a new series.
        route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
        seconds = time.perf_counter() - started
        metrics.record(lambda: metrics.HTTP_REQUESTS.labels(route, request.method, str(response.status_code)).inc())
        metrics.record(lambda: metrics.HTTP_LATENCY.labels(route, request.method).observe(seconds))
    return response


def init_app(app: Flask) -> None:
    config = app.config
    directory = metrics.configure(metrics.metrics_dir(Path(config["VAR_DIR"]), config.get("METRICS_DIR")))
    app.extensions["metrics_dir"] = directory
    app.before_request(_started)
    app.after_request(_counted)
    app.register_blueprint(bp)
