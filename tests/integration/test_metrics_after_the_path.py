"""Acceptance 1 of issue 11: after the real moderation path (API, a real Celery worker with the real
model, webhooks, a moderator's decision), /metrics shows every counter moved by exactly that much."""
from __future__ import annotations

import re
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from webhook_receiver import TO_THIS_RECEIVER, WebhookReceiver
from shipped_path import ABUSIVE, CIVIL, NEEDS_SHIPPED_MODEL

pytestmark = NEEDS_SHIPPED_MODEL

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# How long a test waits for the worker to score, a webhook to arrive or a count to move: a second
# or two on a quiet machine, and a wait ends as soon as it is met, but a busy CI machine (three
# test processes on two cores) can stretch a few seconds into many.
SLOW_MACHINE = 60


def signed_in(app, user):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"username": user.username, "password": user.password,
                                           "csrf_token": CSRF.search(page).group(1)})
    assert response.status_code == 302
    return client


class Scrape:
    def __init__(self, text: str) -> None:
        self.samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
                        for family in text_string_to_metric_families(text) for s in family.samples}

    def __call__(self, name: str, **labels: str) -> float:
        return self.samples.get((name, tuple(sorted(labels.items()))), 0.0)

    def labelled(self, name: str) -> dict[tuple, float]:
        return {labels: value for (n, labels), value in self.samples.items() if n == name}


def scrape(admin_client) -> Scrape:
    response = admin_client.get("/metrics")
    assert response.status_code == 200 and response.content_type.startswith("text/plain")
    return Scrape(response.get_data(as_text=True))


def eventually(admin_client, check, timeout: float = SLOW_MACHINE) -> Scrape:
    """The worker counts a webhook once its outcome commits, a moment after the receiver saw it."""
    deadline = time.monotonic() + timeout
    while True:
        after = scrape(admin_client)
        if check(after) or time.monotonic() > deadline:
            return after
        time.sleep(0.2)


def test_metrics_count_the_moderation_path_exactly(app, client, make_site, admin, make_moderator, start_worker):
    with WebhookReceiver() as receiver:
        site = make_site("daily-planet", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        mona = make_moderator("mona", sites=[site])
        admin_client, mona_client = signed_in(app, admin), signed_in(app, mona)
        before = scrape(admin_client)
        # Its direct POSTs to the receiver (in this process) get 5 s, not 1 s: "retry" must stay 0.
        start_worker(**TO_THIS_RECEIVER)

        ids = {}
        for n, text in enumerate([CIVIL, ABUSIVE, f"{CIVIL} (2)", ABUSIVE + " Again.", f"{CIVIL} (3)"]):
            body = {"id": f"c-{n}", "story_id": "s-1", "author_id": f"reader-{n}", "text": text}
            response = client.post("/api/v1/comments", json=body, headers=site.headers)
            assert response.status_code == 202
            ids[n] = response.get_json()["id"]
        assert len(receiver.wait_for(5, timeout=SLOW_MACHINE)) == 5

        page = mona_client.get(f"/review/{ids[1]}").get_data(as_text=True)
        version = re.search(r'name="version" value="(\d+)"', page[page.find('<form class="decide"'):]).group(1)
        decided = mona_client.post(f"/review/{ids[1]}/decide", data={
            "csrf_token": CSRF.search(page).group(1), "version": version, "action": "reject",
            "reason_choice": "Personal attack or insult"})
        assert decided.status_code == 303
        assert len(receiver.wait_for(6, timeout=SLOW_MACHINE)) == 6
        delivered = before("moderation_webhook_deliveries_total", outcome="delivered") + 6
        after = eventually(admin_client,
                           lambda s: s("moderation_webhook_deliveries_total", outcome="delivered") >= delivered)

    def moved(name: str, **labels: str) -> float:
        return after(name, **labels) - before(name, **labels)

    site_name = "daily-planet"
    assert moved("moderation_comments_received_total", site=site_name) == 5
    assert moved("moderation_comments_scored_total", site=site_name, status="published") == 3
    assert moved("moderation_comments_scored_total", site=site_name, status="held") == 2
    assert moved("moderation_comments_held_total", site=site_name, by="scorer") == 2
    assert moved("moderation_comments_decided_total", site=site_name, status="rejected") == 1
    assert moved("moderation_decisions_total", moderator="mona") == 1
    assert moved("moderation_webhook_deliveries_total", outcome="delivered") == 6
    assert moved("moderation_webhook_deliveries_total", outcome="retry") == 0
    assert moved("moderation_comment_time_to_status_seconds_count", status="published") == 3
    assert moved("moderation_comment_time_to_status_seconds_count", status="held") == 2
    # However the worker split them into batches, the batches held the five comments.
    batch_sums = after.labelled("moderation_scoring_batch_size_sum")
    assert sum(batch_sums.values()) - sum(before.labelled("moderation_scoring_batch_size_sum").values()) == 5
    assert moved("moderation_http_requests_total", route="/api/v1/comments", method="POST", status="202") == 5
    assert moved("moderation_http_requests_total", route="/review/<int8:comment_id>/decide", method="POST",
                 status="303") == 1
    # Gauges read at scrape time: nothing pending or undelivered, one comment still waiting for review.
    assert after("moderation_comments_pending") == 0
    assert after("moderation_webhooks_undelivered") == 0
    assert after("moderation_review_backlog", site=site_name) == 1
    assert after("moderation_review_oldest_held_seconds", site=site_name) > 0
    assert after("moderation_celery_queue_length", queue="moderation") == 0
    assert after("moderation_database_up") == 1
    [(labels, value)] = after.labelled("moderation_model_version_info").items()
    scored_with = client.get(f"/api/v1/comments/{ids[0]}", headers=site.headers).get_json()["model_version"]
    assert dict(labels) == {"scope": "(global)", "version": scored_with} and value == 1


def test_only_admins_read_metrics_on_the_web_port(app, client, admin, moderator, app_with):
    assert client.get("/metrics").status_code == 302  # to the sign-in page
    assert signed_in(app, moderator).get("/metrics").status_code == 403
    assert signed_in(app, admin).get("/metrics").status_code == 200
    # With a metrics port of its own, the web port has no /metrics at all.
    separate = app_with(METRICS_PORT=9109)
    assert signed_in(separate, admin).get("/metrics").status_code == 404
    assert separate.test_client().get("/metrics").status_code == 404
