"""The worker's entry module: `celery -A workers.entry worker`."""
from moderation.app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
celery.conf.include = ["workers.tasks", "workers.backtest_tasks", "workers.training", "workers.rescore_tasks"]

from moderation.observability import beat as _beat_metrics  # noqa: E402,F401  (counts what beat sends)
