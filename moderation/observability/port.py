"""/metrics on a port of its own (METRICS_PORT), for Prometheus: started once, in gunicorn's master
process (gunicorn_hooks.py), so it answers however many web workers there are and whichever of
them is busy. It has no authentication: bind it where only the Prometheus server can reach it."""
from __future__ import annotations

import threading
from pathlib import Path
from wsgiref.simple_server import WSGIServer

from flask import Flask
from prometheus_client import CollectorRegistry, start_wsgi_server
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from moderation.observability.collect import StateCollector
from moderation.observability.metric_files import ReadableFilesCollector


def start_metrics_server(app: Flask, *, host: str, port: int) -> tuple[WSGIServer, threading.Thread]:
    """Serve the same text as the web port's /metrics on host:port (port 0: any free port)."""
    from moderation.redis_client import redis_client

    # Its own engine without a pool: gunicorn forks workers from this process later, and a pooled
    # connection must never be shared by two processes.
    engine = create_engine(app.config["DATABASE_URL"], poolclass=NullPool, connect_args={"connect_timeout": 5})
    sessions = sessionmaker(bind=engine)
    url = app.config.get("REDIS_URL")
    registry = CollectorRegistry()
    ReadableFilesCollector(registry, path=str(Path(app.extensions["metrics_dir"])))
    registry.register(StateCollector(sessions, (lambda: redis_client(url, timeout=1.0)) if url else None))
    return start_wsgi_server(port, addr=host, registry=registry)
