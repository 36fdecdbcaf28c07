"""Delivering status-change events to a site's webhook URL, signed.

Each POST carries:
    X-Moderation-Timestamp: <unix seconds>
    X-Moderation-Signature: v1=<hex HMAC-SHA256(webhook_secret, "<timestamp>.<raw body>")>
    X-Moderation-Delivery: <delivery id>  (the same on every retry: use it to ignore repeats)

A site verifies with `verify_signature` below (copy it; it needs only the standard library),
against the raw request body as received, before parsing it.

Delivery happens in its own task, so a slow or failing endpoint never delays scoring. The
delivery rows of a task are locked (FOR UPDATE SKIP LOCKED) while it POSTs them: a second task
for the same delivery (a redelivered message, the sweep) skips it while it is in flight and
finds `delivered_at` set afterwards, so a success is POSTed once (unless the worker dies between
the POST and the commit: sites dedupe on X-Moderation-Delivery). Failures are counted on the row;
after `max_retries` retries the delivery is marked failed.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.status import now
from moderation.models import Site, WebhookDelivery

SIGNATURE_VERSION = "v1"
MAX_ERROR_LENGTH = 500
MAX_BACKOFF = 300.0  # stays under the broker's visibility timeout, or a delayed retry is redelivered early


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def verify_signature(
    secret: str,
    body: bytes,
    timestamp: str | int,
    signature: str,
    tolerance: int = 300,
    at: float | None = None,
) -> bool:
    """True when `signature` is ours for this raw body and the timestamp is recent.

    The tolerance (seconds) bounds how long a captured request could be replayed.
    """
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if at is None else at
    if abs(current - ts) > tolerance:
        return False
    expected = sign(secret, body, ts)
    return hmac.compare_digest(expected.encode(), (signature or "").encode())


def event_body(delivery: WebhookDelivery) -> bytes:
    payload: dict[str, Any] = {"delivery_id": delivery.id, **delivery.event}
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


@dataclass(frozen=True)
class Outcome:
    state: str  # "delivered", "skipped" (done, failed, gone or in flight), "retry", "failed"
    retry_in: float | None = None
    error: str | None = None


def deliver(
    session: Session,
    delivery_id: int,
    *,
    timeout: float,
    max_retries: int,
    backoff_base: float,
    http: Any = requests,
) -> Outcome:
    """POST one delivery and record the result (commits). Raises nothing for HTTP trouble."""
    return deliver_many(session, [delivery_id], timeout=timeout, max_retries=max_retries,
                        backoff_base=backoff_base, http=http).get(delivery_id, Outcome("skipped"))


def deliver_many(
    session: Session,
    delivery_ids: list[int],
    *,
    timeout: float,
    max_retries: int,
    backoff_base: float,
    http: Any = requests,
) -> dict[int, Outcome]:
    """Deliver events in order and record every result in one commit.

    Rows are locked for the length of the batch, so a second task for the same delivery (a
    redelivered message, the sweep) skips them. Once a site's endpoint fails, the rest of that
    site's events are not tried here ("deferred": the caller gives each its own task), so a dead
    endpoint costs one timeout per batch rather than one per event, and other sites still get theirs.
    """
    deliveries = list(session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.id.in_(delivery_ids))
        .order_by(WebhookDelivery.id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ))
    sites = {site.id: site for site in session.scalars(
        select(Site).where(Site.id.in_({d.site_id for d in deliveries}))
    )}
    failing: set[int] = set()
    outcomes: dict[int, Outcome] = {}
    for delivery in deliveries:
        if delivery.delivered_at is not None or delivery.failed:
            outcomes[delivery.id] = Outcome("skipped")
        elif delivery.site_id in failing:
            outcomes[delivery.id] = Outcome("deferred")
        else:
            outcome = _attempt(delivery, sites.get(delivery.site_id), timeout=timeout, max_retries=max_retries,
                               backoff_base=backoff_base, http=http)
            if outcome.state in ("retry", "failed"):
                failing.add(delivery.site_id)
            outcomes[delivery.id] = outcome
    session.commit()
    return outcomes


def _attempt(
    delivery: WebhookDelivery,
    site: Site | None,
    *,
    timeout: float,
    max_retries: int,
    backoff_base: float,
    http: Any,
) -> Outcome:
    """POST one event and record the result on its row (the caller commits)."""
    if site is None or not site.webhook_url:
        delivery.failed = True
        delivery.last_error = "the site has no webhook URL any more"
        return Outcome("failed", error=delivery.last_error)

    body = event_body(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "civility-moderation-webhook/1",
        "X-Moderation-Timestamp": str(timestamp),
        "X-Moderation-Signature": sign(site.webhook_secret, body, timestamp),
        "X-Moderation-Delivery": str(delivery.id),
    }
    error: str | None = None
    try:
        response = http.post(site.webhook_url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
        if not 200 <= response.status_code < 300:
            error = f"HTTP {response.status_code}"
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"

    delivery.attempts += 1
    if error is None:
        delivery.delivered_at = now()
        delivery.last_error = None
        return Outcome("delivered")
    delivery.last_error = error[:MAX_ERROR_LENGTH]
    if delivery.attempts > max_retries:
        delivery.failed = True
        return Outcome("failed", error=error)
    retry_in = min(backoff_base * 2 ** (delivery.attempts - 1), MAX_BACKOFF)
    delivery.next_attempt_at = now() + timedelta(seconds=retry_in)
    return Outcome("retry", retry_in=retry_in, error=error)
