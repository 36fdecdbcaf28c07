"""gunicorn settings hooks (`gunicorn -c python:moderation.observability.gunicorn_hooks`)."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def when_ready(server) -> None:  # noqa: ANN001 (gunicorn's Arbiter)
    """With --preload the app is already built in the master: start the metrics port beside it."""
    from moderation.wsgi import app

    port = app.config["METRICS_PORT"]
    if port:
        from moderation.observability.port import start_metrics_server

        start_metrics_server(app, host=app.config["HOST"], port=port)
        log.info("metrics on http://%s:%s/metrics", app.config["HOST"], port)


def pre_fork(server, worker) -> None:  # noqa: ANN001 (gunicorn's Arbiter and Worker)
    """With --preload the master holds the app and the model: freeze them before each fork, so a
    worker's full garbage collections do not walk them (moderation/long_lived.py)."""
    from moderation.long_lived import freeze_startup_objects

    freeze_startup_objects()
