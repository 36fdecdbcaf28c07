"""Beat's own count: the periodic tasks it sent (sweep, drift). Everything else beat sets off is
counted by the worker that runs it."""
from __future__ import annotations

from celery.signals import beat_init, before_task_publish

from moderation.observability import metrics

_in_beat = {"yes": False}


@beat_init.connect
def _beat_started(**_: object) -> None:
    _in_beat["yes"] = True


@before_task_publish.connect
def _count_sent(sender: str | None = None, **_: object) -> None:
    # Workers publish too (webhook retries); only beat's sends are counted here.
    if _in_beat["yes"] and sender:
        metrics.beat_sent(sender)
