"""Dead letters: webhook deliveries that used up their retries, kept for an admin to see and replay.

Replaying resets a delivery (no attempts, not failed, due now) and sends it again with the same
delivery id and the same event: sites dedupe on X-Moderation-Delivery and apply an event only if
its version is newer, so an old event replayed after a newer one changes nothing there.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select, true
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.orm import Session

from moderation.domain.dispatch import send_webhooks
from moderation.domain.status import audit, now
from moderation.domain.webhooks import SITE_DEACTIVATED
from moderation.models import Site, WebhookDelivery

PAGE_SIZE = 200
REPLAY_BATCH = 100  # deliveries per task, so a bulk replay does not become one endless task


@dataclass(frozen=True)
class DeadLetter:
    id: int
    site_id: int
    site_name: str
    event_type: str
    comment_id: int | None
    version: int | None
    attempts: int
    last_error: str | None
    created_at: datetime


def dead_letter_condition() -> ColumnElement[bool]:
    """Events that used up their retries, of sites still active: a deactivated site's are closed
    for good (domain/sites.set_site_active), not waiting for an admin to replay them."""
    return and_(WebhookDelivery.failed == true(), WebhookDelivery.delivered_at.is_(None),
                WebhookDelivery.site_id.in_(select(Site.id).where(Site.active.is_(True))),
                # nor, once it is back, those its deactivation closed (the next re-check: replay sent them stale)
                WebhookDelivery.last_error.is_distinct_from(SITE_DEACTIVATED))


def _query(site_id: int | None):
    query = (select(WebhookDelivery, Site.name).join(Site, Site.id == WebhookDelivery.site_id)
             .where(dead_letter_condition()))
    if site_id is not None:
        query = query.where(WebhookDelivery.site_id == site_id)
    return query


def list_dead_letters(session: Session, *, site_id: int | None = None, limit: int = PAGE_SIZE) -> list[DeadLetter]:
    rows = session.execute(_query(site_id).order_by(WebhookDelivery.created_at, WebhookDelivery.id).limit(limit))
    return [DeadLetter(d.id, d.site_id, name, str(d.event.get("type", "")), d.comment_id, d.event.get("version"),
                       d.attempts, d.last_error, d.created_at) for d, name in rows]


def count_dead_letters(session: Session, *, site_id: int | None = None) -> int:
    query = select(func.count()).select_from(WebhookDelivery).where(dead_letter_condition())
    if site_id is not None:
        query = query.where(WebhookDelivery.site_id == site_id)
    return int(session.scalar(query) or 0)


def why_not_dead_letters(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Why each of `ids` is not a dead letter to replay, in a few words: "replayed 0 of 1 (the others
    are not dead letters)" had left an operator guessing at a mistyped id (an operator's walk)."""
    found = {d.id: d for d in session.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(list(ids))))}
    active = set(session.scalars(select(Site.id).where(Site.active.is_(True))))
    why = {}
    for delivery_id in ids:
        delivery = found.get(delivery_id)
        if delivery is None:
            why[delivery_id] = "no such delivery"
        elif delivery.delivered_at is not None:
            why[delivery_id] = "delivered already"
        elif delivery.site_id not in active or delivery.last_error == SITE_DEACTIVATED:
            why[delivery_id] = "closed when its site was deactivated"
        elif not delivery.failed:
            why[delivery_id] = "still being tried"
        else:
            why[delivery_id] = "taken by another replay at this moment"
    return why


def replay_dead_letters(
    session: Session,
    *,
    actor: str,
    ids: Sequence[int] | None = None,
    site_id: int | None = None,
) -> list[WebhookDelivery]:
    """Reset the chosen dead letters (by id, or all, or all of a site) and audit each; the caller
    commits and then sends them (`send_replayed`). Ids that are not dead letters are ignored."""
    query = (select(WebhookDelivery)
             .where(dead_letter_condition())
             .order_by(WebhookDelivery.id)
             .with_for_update(skip_locked=True))
    if ids is not None:
        query = query.where(WebhookDelivery.id.in_(list(ids)))
    if site_id is not None:
        query = query.where(WebhookDelivery.site_id == site_id)
    deliveries = list(session.scalars(query))
    current = now()
    for delivery in deliveries:
        audit(session, actor, "webhook:replayed", comment_id=delivery.comment_id, delivery_id=delivery.id,
              site_id=delivery.site_id, attempts=delivery.attempts, last_error=delivery.last_error)
        delivery.failed = False
        delivery.attempts = 0
        delivery.next_attempt_at = current
    return deliveries


def send_replayed(session: Session, deliveries: Sequence[WebhookDelivery]) -> None:
    """After commit. A lost message is resent by the sweep, as for any undelivered event."""
    for start in range(0, len(deliveries), REPLAY_BATCH):
        send_webhooks(session, deliveries[start:start + REPLAY_BATCH])
