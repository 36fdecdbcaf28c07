"""Celery built from the Flask config (Flask's own pattern): every task runs in an app context.

Web code sends tasks by name through the dispatcher create_app builds (moderation/dispatcher.py),
so `moderation` never imports `workers`.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import timedelta

from celery import Celery, Task
from kombu.exceptions import OperationalError
from flask import Flask

from moderation.log_throttle import EveryFewSeconds

log = logging.getLogger(__name__)


class _ShortResults(logging.Filter):
    """A task's "succeeded" line counts its result's outcomes ("{delivered 183, later 17}") instead of
    printing every id's: those lines were 11.6 MB of a soak hour's 28.5 MB of log."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = record.args
        if isinstance(context, dict) and isinstance(context.get("return_value"), str) \
                and len(context["return_value"]) > 120:
            counts = Counter(re.findall(r": '(\w+)'", context["return_value"]))
            summary = ", ".join(f"{k} {n}" for k, n in counts.most_common()) or context["return_value"][:100] + "..."
            record.args = {**context, "return_value": "{" + summary + "}"}
        return True


logging.getLogger("celery.app.trace").addFilter(_ShortResults())


class _OneLineSendFailures(logging.Filter):
    """Beat's "Message Error" when it cannot send a due task (the broker stalled or down) is one line
    naming the cause, not a 110-line chained traceback and a list of stack frames every 30 s: that
    was 226 lines a minute of a Redis stall, and nothing said that comments were still taken and
    that the sweep would score them (an operator's walk)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("Message Error") and record.args:
            cause = record.args[0] if isinstance(record.args, tuple) else record.args
            record.msg = ("could not send a scheduled task (%s); is the broker reachable? Comments are still "
                          "stored, and the sweep scores what waits once it is back")
            record.args = (str(cause).splitlines()[0] if str(cause) else type(cause).__name__,)
            record.exc_info = record.exc_text = None
        return True


logging.getLogger("celery.beat").addFilter(_OneLineSendFailures())

SCORE_TASK = "workers.tasks.score_comments"
WEBHOOK_BATCH_TASK = "workers.tasks.deliver_webhooks"
WEBHOOK_SITE_TASK = "workers.tasks.deliver_site_webhooks"  # a site's turn (domain/dispatch.py)
WEBHOOK_RETRY_TASK = "workers.tasks.retry_in_turn"  # retries, when due, wait for their site's turn
SWEEP_TASK = "workers.tasks.sweep"
DRIFT_TASK = "workers.tasks.check_drift"
# Drift compares a day of live scores with the card (domain/drift.py): once a day is enough.
DRIFT_INTERVAL = timedelta(days=1)
RETENTION_TASK = "workers.tasks.erase_expired_texts"
TRAINING_TASK = "workers.training.train_candidate"
# Training takes minutes of both cores: its own queue, consumed by one worker process of its own
# (`moderation worker --queues training`), so scoring never waits behind it.
TRAINING_QUEUE = "training"
# Webhook POSTs wait on sites' servers, not on our CPU: their own queue, consumed by threads of a
# worker of its own (`moderation worker --queues webhooks`), so a hanging endpoint never holds the
# processes that score. A worker started without --queues takes both queues, as one process did.
WEBHOOK_QUEUE = "webhooks"
SCORING_QUEUE = "moderation"


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    timeout = app.config["BROKER_TIMEOUT"]
    celery = Celery(app.name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["REDIS_URL"],
        task_ignore_result=True,
        task_acks_late=True,  # a task lost with its worker is redelivered, scoring is idempotent
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=4,
        broker_connection_retry_on_startup=True,
        # Redis refusing writes (MISCONF when its disk is full, NOREPLICAS, OOM) is a channel
        # error, which Celery otherwise treats as fatal: the worker exited until restarted by hand.
        broker_channel_error_retry=True,
        broker_connection_timeout=timeout,
        broker_transport_options={
            "max_retries": 0,  # fail at once when Redis is down; the sweep catches up
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
            "visibility_timeout": 600,
        },
        task_default_queue=SCORING_QUEUE,
        task_routes={TRAINING_TASK: {"queue": TRAINING_QUEUE},
                     WEBHOOK_BATCH_TASK: {"queue": WEBHOOK_QUEUE}, WEBHOOK_SITE_TASK: {"queue": WEBHOOK_QUEUE},
                     WEBHOOK_RETRY_TASK: {"queue": WEBHOOK_QUEUE}},
        beat_schedule={
            "sweep": {"task": SWEEP_TASK, "schedule": timedelta(seconds=app.config["SWEEP_INTERVAL"])},
            "drift": {"task": DRIFT_TASK, "schedule": DRIFT_INTERVAL},
            "retention": {"task": RETENTION_TASK, "schedule": timedelta(seconds=app.config["RETENTION_INTERVAL"])},
        },
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def send(celery: Celery, name: str, args: list[object]) -> bool:
    """Send without retrying: a broker outage must not block the request; the sweep catches up."""
    try:
        celery.send_task(name, args=args, retry=False)
        return True
    except Exception as error:  # any broker error: the row is committed, the sweep will pick it up
        _send_failures.note(name, args, error)
        return False


# While the broker is down, a line per process every this many seconds, counting the rest.
SEND_FAILURE_LOG_EVERY = 10.0


class _SendFailures:
    """One line per failed send, naming the cause, then one every SEND_FAILURE_LOG_EVERY seconds with
    how many failed since: each comment taken during a Redis outage had written a 107-line chained
    traceback, 2,140 lines for 20 comments, burying the one line that said what to do (an operator's
    walk). An error that is not the broker's unreachability keeps its traceback: that one is news."""

    def __init__(self) -> None:
        self._lines = EveryFewSeconds(SEND_FAILURE_LOG_EVERY)

    def note(self, name: str, args: list[object], error: Exception) -> None:
        tally = self._lines.note()
        if tally is None:
            return
        since = tally.total() - 1
        more = f" ({since} more sends failed in the last {SEND_FAILURE_LOG_EVERY:g} s)" if since else ""
        unreachable = isinstance(error, (OSError, OperationalError, ConnectionError, TimeoutError))
        log.warning("could not send %s%r to the broker (%s); the comment is stored and the sweep will send it "
                    "again%s", name, args, _cause(error), more, exc_info=not unreachable)


def _cause(error: BaseException) -> str:
    """The error in one line: "OperationalError: Error 111 connecting to 127.0.0.1:6390. Connection
    refused." Kombu's own says it best; the exceptions it was raised while handling are its internals'."""
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


_send_failures = _SendFailures()
