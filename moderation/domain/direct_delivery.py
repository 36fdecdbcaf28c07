"""A scored batch's webhook events, POSTed by the scoring task itself when that is quick.

Sent to the webhook task, an event waited for a second trip through the broker and a second
turn of a worker process, and cost that process a task of its own (one transaction to lock the
rows, one to record them). So, once a batch has committed, the scoring task POSTs the events of
sites whose endpoint answered this process fast last time (EndpointHealth), with a timeout of at
most DIRECT_TIMEOUT, and sends the rest to the webhook task as before. A site this process has
not delivered to lately, or saw fail or answer slowly, goes by task: an endpoint that turns bad
holds up scoring for one short timeout at most, and the task keeps learning how it answers.

The rows are claimed and recorded exactly as the task does (webhooks.deliver_many), so the sweep
and a redelivered task skip what is in flight here. Scoring has committed before any of this: an
error here only sends the events to the task instead.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from moderation.domain.dispatch import by_lane, dispatcher, send_webhooks
from moderation.domain.webhook_health import EndpointHealth
from moderation.domain.webhooks import Outcome, deliver_many
from moderation.models import WebhookDelivery

log = logging.getLogger(__name__)

DIRECT_TIMEOUT = 1.0


def deliver_scored(session: Session, deliveries: Iterable[WebhookDelivery | None], *, health: EndpointHealth,
                   settings: Mapping[str, Any]) -> dict[int, Outcome]:
    """Call after commit. The outcomes of the events POSTed here; the others went to the webhook task."""
    direct: list[WebhookDelivery] = []
    by_task: list[WebhookDelivery] = []
    for delivery in deliveries:
        if delivery is not None:
            (direct if health.healthy(delivery.site_id) else by_task).append(delivery)
    send_webhooks(session, by_task)
    if not direct:
        return {}
    ids = [d.id for d in direct]  # read now: after a rollback the rows would be read again
    lanes = by_lane(direct)
    try:
        return deliver_many(session, ids, health=health, in_hand=direct,
                            **{**settings, "timeout": min(settings["timeout"], DIRECT_TIMEOUT)})
    except Exception:
        session.rollback()
        log.warning("could not deliver %d webhook events after scoring; sending them to the webhook task",
                    len(ids), exc_info=True)
        for bulk, by_site in lanes.items():
            dispatcher(session).send_webhooks(by_site, bulk=bulk)
        return {}
