"""Webhooks on a queue and a worker of their own, as `moderation up` runs them: a site whose
endpoint hangs holds the webhook worker's threads, never the process that scores."""
from __future__ import annotations

import time

from sqlalchemy import func, select

from moderation import db
from moderation.models import WebhookDelivery
from shipped_path import CIVIL, NEEDS_SHIPPED_MODEL
from test_moderation_path import SLOW_MACHINE, post, wait_until_scored
from webhook_receiver import WebhookReceiver

pytestmark = NEEDS_SHIPPED_MODEL


def test_a_hanging_endpoint_delays_neither_scoring_nor_another_sites_webhooks(app, client, make_site, start_worker):
    with WebhookReceiver(delay=120) as hanging, WebhookReceiver() as healthy:
        stuck = make_site("stuck-gazette", webhook_url=hanging.url)
        fine = make_site("daily-planet", webhook_url=healthy.url)
        healthy.secret = fine.webhook_secret
        start_worker(queues="moderation")
        start_worker(queues="webhooks", pool="threads")
        # In one request, so scored in one batch whose events wait on the first: posted one by one on a
        # loaded machine (the full suite beside it), each was scored alone and sent to hang on its own.
        comments = [{"id": f"s{i}", "story_id": "story-1", "author_id": f"author-s{i}", "text": CIVIL}
                    for i in range(12)]
        body = client.post("/api/v1/comments:batch", json={"comments": comments}, headers=stuck.headers).get_json()
        flood = [int(item["comment"]["id"]) for item in body["results"]]
        assert set(wait_until_scored(app, flood, timeout=SLOW_MACHINE).values()) == {"published"}
        hanging.wait_for(1, timeout=SLOW_MACHINE)  # the webhook worker is now waiting on it

        started = time.monotonic()
        ours = [post(client, fine, f"f{i}", CIVIL) for i in range(3)]
        assert set(wait_until_scored(app, ours, timeout=SLOW_MACHINE).values()) == {"published"}
        received = healthy.wait_for(3, timeout=SLOW_MACHINE)
        # Scored and told in seconds, though each POST to the hanging endpoint takes the whole
        # webhook timeout: with one queue, 12 events x 5 s stood before them.
        assert time.monotonic() - started < 30
        assert len(received) == 3 and all(r.signature_valid for r in received)
        # The stuck site's other events were not each sent to hang again: they wait on the one
        # sent first in their batch (the flood was scored in a batch or two, or three).
        deadline = time.monotonic() + SLOW_MACHINE
        while _not_sent(app, stuck.id) < len(flood) - 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _not_sent(app, stuck.id) >= len(flood) - 3 and len(hanging.received) <= len(flood) // 2


def _not_sent(app, site_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(WebhookDelivery).where(
            WebhookDelivery.site_id == site_id, WebhookDelivery.delivered_at.is_(None),
            WebhookDelivery.last_error.like("not sent: the endpoint failed another event just now%")))
