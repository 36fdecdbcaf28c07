"""The Celery tasks are thin: they call the domain and retry only what is worth retrying."""
from __future__ import annotations

import pytest
from celery.exceptions import Retry
from sqlalchemy.exc import OperationalError

from workers import tasks


def _raise(exc: BaseException):
    def fail(*args, **kwargs):
        raise exc
    return fail


def test_scoring_is_retried_when_the_database_is_briefly_away(app, monkeypatch):
    monkeypatch.setattr(tasks.scoring, "score_pending", _raise(OperationalError("SELECT", {}, Exception("gone"))))
    with app.app_context(), pytest.raises(Retry):
        tasks.score_comments.apply(args=[[1]], throw=True)


def test_a_bug_is_not_retried_the_sweep_picks_the_comments_up_later(app, monkeypatch):
    monkeypatch.setattr(tasks.scoring, "score_pending", _raise(ValueError("bug")))
    with app.app_context(), pytest.raises(ValueError):
        tasks.score_comments.apply(args=[[1]], throw=True)


def _delivered(monkeypatch, outcome) -> list[tuple[list, float]]:
    """deliver_webhooks' follow-up for one event whose POST came out as `outcome`: the retry rounds it queued."""
    queued: list[tuple[list, float]] = []
    monkeypatch.setattr(tasks.webhooks, "deliver_many", lambda *a, **k: {1: outcome})
    monkeypatch.setattr(tasks.retry_in_turn, "apply_async",
                        lambda args, countdown, **kw: queued.append((args, countdown)))
    return queued


def test_a_failed_delivery_is_retried_after_the_backoff_the_domain_chose(app, monkeypatch):
    from moderation.domain.webhooks import Outcome

    queued = _delivered(monkeypatch, Outcome("retry", retry_in=7.0, error="HTTP 503", site_id=3))
    with app.app_context():
        assert tasks.deliver_webhooks.apply(args=[[1]], throw=True).get() == {"1": "retry"}
    assert queued == [([3, [1], False], 7.0)]  # onto site 3's list when due, for its turn


def test_a_delivered_webhook_is_not_retried(app, monkeypatch):
    from moderation.domain.webhooks import Outcome

    queued = _delivered(monkeypatch, Outcome("delivered", site_id=3))
    with app.app_context():
        assert tasks.deliver_webhooks.apply(args=[[1]], throw=True).get() == {"1": "delivered"}
    assert queued == []


def test_a_retry_due_in_hours_is_left_to_the_sweep_not_held_in_the_broker(app, monkeypatch):
    from moderation.domain.webhooks import Outcome

    # A countdown past the broker's visibility timeout would be redelivered early.
    queued = _delivered(monkeypatch, Outcome("retry", retry_in=3600.0, error="HTTP 503", site_id=3))
    with app.app_context():
        assert tasks.deliver_webhooks.apply(args=[[1]], throw=True).get() == {"1": "retry"}
    assert queued == []


def test_a_retry_round_when_due_waits_for_its_sites_turn_instead_of_posting(app, services):
    """528 retry rounds of one site, each a task that POSTs, took most of the webhook threads when its
    endpoint came back, and another site's events waited up to 31 s (a re-check of turns)."""
    from moderation.domain.dispatch import WEBHOOK_WAITING_KEY

    with app.app_context():
        tasks.retry_in_turn.apply(args=[7, [11, 12]], throw=True)
        tasks.retry_in_turn.apply(args=[7, [13]], throw=True)
    assert services.redis().lrange(WEBHOOK_WAITING_KEY.format(7), 0, -1) == [b"11", b"12", b"13"]
    assert services.redis().llen("webhooks") == 1  # one turn for the site, whatever came due


def test_an_older_releases_webhook_task_is_let_go_for_the_sweep_without_posting(app, monkeypatch):
    """An operator's upgrade: 116 messages of the renamed task, each an ERROR "unregistered task ...
    discarded", though the sweep sent every event from its row."""
    posted = []
    monkeypatch.setattr(tasks.webhooks, "deliver_many", lambda *a, **k: posted.append(a) or {})
    assert tasks.older_release_webhook.name == "workers.tasks.deliver_webhook"
    with app.app_context():
        assert tasks.older_release_webhook.apply(args=[42], throw=True).get() == "left to the sweep"
    assert posted == []
