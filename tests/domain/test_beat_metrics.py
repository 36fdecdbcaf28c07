"""Beat counts the periodic tasks it sends; other processes' sends are not beat's."""
from __future__ import annotations

from celery.signals import before_task_publish

from moderation.observability import beat, metrics


def _sent(task: str) -> float:
    return metrics.BEAT_SENT.labels(task)._value.get()


def test_only_sends_from_a_beat_process_are_counted(app, monkeypatch):
    task = "workers.tasks.sweep"
    before = _sent(task)
    before_task_publish.send(sender=task)  # a worker or web process sending: not beat's
    assert _sent(task) == before
    monkeypatch.setitem(beat._in_beat, "yes", False)
    beat._beat_started()
    before_task_publish.send(sender=task)
    assert _sent(task) == before + 1
