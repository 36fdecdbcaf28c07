"""WEBHOOKS_PAUSED, for a copy of the database: an operator's upgrade drill on a copy sent the live
sites a database.restored, signed with their real secrets, for a restore production never had."""
from __future__ import annotations

import time

from moderation import db
from moderation.models import WebhookDelivery
from shipped_path import CIVIL, NEEDS_SHIPPED_MODEL
from test_moderation_path import SLOW_MACHINE, post, wait_until_scored
from webhook_receiver import WebhookReceiver

pytestmark = NEEDS_SHIPPED_MODEL


def _events(app, site_id: int) -> list[tuple[int, bool, int]]:
    with app.app_context():
        return [(d.id, d.delivered_at is not None, d.attempts)
                for d in db.session.query(WebhookDelivery).filter_by(site_id=site_id).order_by(WebhookDelivery.id)]


def test_a_paused_worker_posts_nothing_and_the_events_go_once_it_is_not(app, client, make_site, start_worker):
    with WebhookReceiver() as receiver:
        site = make_site("live-site", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        paused = start_worker(beat=True, WEBHOOKS_PAUSED="true", SWEEP_INTERVAL="1", WEBHOOK_RESEND_AFTER="1")
        ids = [post(client, site, f"c{i}", CIVIL) for i in range(3)]
        assert set(wait_until_scored(app, ids, timeout=SLOW_MACHINE).values()) == {"published"}
        time.sleep(8)  # several sweeps, each of which would resend an undelivered event
        assert receiver.received == []
        events = _events(app, site.id)
        assert len(events) == 3 and all(not delivered and attempts == 0 for _, delivered, attempts in events)

        paused.stop()
        start_worker(beat=True, SWEEP_INTERVAL="1", WEBHOOK_RESEND_AFTER="1")
        received = receiver.wait_for(3, timeout=SLOW_MACHINE)
        assert sorted(int(r.headers["X-Moderation-Delivery"]) for r in received) == [i for i, _, _ in events]
        assert all(r.signature_valid for r in received)
