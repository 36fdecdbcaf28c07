"""Beat's entry module: `celery -A workers.beat_entry beat`.

Beat only publishes the periodic tasks, by name, on moderation.celery_app's schedule: it needs the
broker settings and its metrics directory, not the web app. Built through workers.entry (every
blueprint, the models, the classifier's scikit-learn), the process held about 200 MB to send three
tasks now and then.
"""
from flask import Flask

from moderation.celery_app import celery_init_app
from moderation.config import Config
from moderation.embedded import default_redis_url
from moderation.observability import metrics

_config = Config.from_env()
default_redis_url(_config)
metrics.configure(metrics.metrics_dir(_config.VAR_DIR, _config.METRICS_DIR))
_app = Flask("moderation.app")  # the name the workers' Celery app carries
_app.config.from_mapping(_config.as_flask())
celery = celery_init_app(_app)

from moderation.observability import beat as _beat_metrics  # noqa: E402,F401  (counts what beat sends)
