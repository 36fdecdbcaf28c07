"""Sending work to the workers after a commit, by task name."""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app

from moderation.celery_app import SCORE_TASK, WEBHOOK_TASK, send_task
from moderation.models import WebhookDelivery


def send_webhooks(deliveries: Iterable[WebhookDelivery | None]) -> None:
    """Call after commit; a delivery whose message is lost is resent by the sweep."""
    app = current_app._get_current_object()
    for delivery in deliveries:
        if delivery is not None:
            send_task(app, WEBHOOK_TASK, [delivery.id])


def send_for_scoring(comment_ids: list[int]) -> bool:
    """Call after commit; comments whose message is lost stay pending until the sweep scores them."""
    return send_task(current_app._get_current_object(), SCORE_TASK, [comment_ids])
