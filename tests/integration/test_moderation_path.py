"""The whole moderation path on real PostgreSQL, Redis and a real Celery worker with the real model."""
from __future__ import annotations

import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from moderation import db
from moderation.app import create_app
from moderation.config import Config
from moderation.domain.dispatch import send_webhooks
from moderation.domain.pseudonyms import moderator_pseudonym
from moderation.domain.settings import DomainSettings
from moderation.domain.lifecycle import DECISION, change_status, now
from moderation.embedded import start_redis
from moderation.models import AuditEntry, Comment, WebhookDelivery
from webhook_receiver import TO_THIS_RECEIVER, WebhookReceiver
from shipped_path import ABUSIVE, CIVIL, NEEDS_SHIPPED_MODEL

pytestmark = NEEDS_SHIPPED_MODEL


def post(client, site, external_id: str, text: str) -> int:
    body = {"id": external_id, "story_id": "story-1", "author_id": f"author-{external_id}", "text": text}
    response = client.post("/api/v1/comments", json=body, headers=site.headers)
    assert response.status_code == 202, response.get_data(as_text=True)
    return response.get_json()["id"]


def statuses(app, ids: list[int]) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(select(Comment.id, Comment.status).where(Comment.id.in_(ids))).all())


# How long a test waits for a worker to score or a webhook to arrive: a fraction of a second on a
# quiet machine, and a wait ends as soon as it is over, but a busy CI machine (three test processes
# on two cores) can stretch a few seconds into many.
SLOW_MACHINE = 60


def wait_until_scored(app, ids: list[int], timeout: float) -> dict[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        found = statuses(app, ids)
        if all(s != "pending" for s in found.values()) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_a_civil_comment_is_published_and_an_abusive_one_held_and_the_site_is_told(app, client, make_site, start_worker):
    with WebhookReceiver() as receiver:
        site = make_site("daily-planet", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        start_worker(**TO_THIS_RECEIVER)
        civil, abusive = post(client, site, "1", CIVIL), post(client, site, "2", ABUSIVE)
        assert wait_until_scored(app, [civil, abusive], timeout=SLOW_MACHINE) == {civil: "published", abusive: "held"}
        received = receiver.wait_for(2, timeout=SLOW_MACHINE)
    assert len(received) == 2 and all(r.signature_valid for r in received)
    assert {r.event["comment"]["id"]: r.event["comment"]["status"] for r in received} == {civil: "published", abusive: "held"}
    body = client.get(f"/api/v1/comments/{abusive}", headers=site.headers).get_json()
    assert body["visible"] is False and "toxicity" in body["flagged"] and body["model_version"]


def test_comments_queued_while_the_worker_was_down_are_each_scored_exactly_once(app, client, make_site, start_worker):
    with WebhookReceiver() as receiver:
        site = make_site("daily-planet", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        # No worker is consuming yet: the 100 tasks wait in Redis, as they would behind a stopped worker.
        ids = [post(client, site, str(i), ABUSIVE if i % 10 == 0 else f"{CIVIL} ({i})") for i in range(100)]
        start_worker(**TO_THIS_RECEIVER)
        found = wait_until_scored(app, ids, timeout=2 * SLOW_MACHINE)
        assert Counter(found.values()) == {"published": 90, "held": 10}
        received = receiver.wait_for(100, timeout=SLOW_MACHINE)
        time.sleep(0.5)  # any duplicate would arrive now
        assert len(receiver.received) == 100 and all(r.signature_valid for r in received)
    with app.app_context():
        audits = Counter(db.session.scalars(
            select(AuditEntry.comment_id).where(AuditEntry.action.like("status:pending->%"))))
        deliveries = Counter(db.session.scalars(select(WebhookDelivery.comment_id)))
        undelivered = db.session.scalar(select(func.count()).select_from(WebhookDelivery)
                                        .where(WebhookDelivery.delivered_at.is_(None)))
    assert audits == Counter(ids) and deliveries == Counter(ids) and undelivered == 0
    assert Counter(r.event["comment"]["id"] for r in received) == Counter(ids)


@pytest.fixture
def broker(tmp_path):
    """A Redis of its own, so stopping it disturbs no other test. Yields (url, dir); stopped at the end."""
    broker_dir = tmp_path / "broker"
    url, proc = start_redis(broker_dir)
    procs = [proc]
    yield url, broker_dir, procs
    for p in procs:
        if p is not None and p.poll() is None:
            p.terminate()
            p.wait(timeout=10)


def _stop(procs) -> None:
    for p in procs:
        p.terminate()
        p.wait(timeout=10)


def _client_for(services, url: str, tmp_path):
    config = Config.from_env(DATABASE_URL=services.database_url, REDIS_URL=url, VAR_DIR=tmp_path,
                             SECRET_KEY="test-secret", TESTING=True)
    return create_app(config).test_client()


def test_a_comment_is_accepted_quickly_while_the_broker_is_down(app, make_site, services, broker, tmp_path,
                                                               monkeypatch):
    import kombu.utils.functional

    url, _, procs = broker
    _stop(procs)
    site = make_site("daily-planet")
    client = _client_for(services, url, tmp_path)
    # kombu retries a refused connection unless told not to (max_retries 0 in the broker transport
    # options), sleeping 1 s twice per POST between tries; a site's request must not wait for that.
    # Its sleeps are counted rather than each POST timed against 1 s, which a busy machine can
    # take anyway (the first POST also sets up the app's database pool and Celery).
    sleeps: list[float] = []
    real_sleep = kombu.utils.functional.sleep
    monkeypatch.setattr(kombu.utils.functional, "sleep", lambda seconds: (sleeps.append(seconds), real_sleep(seconds)))
    started = time.monotonic()
    for i in range(3):
        post(client, site, str(i), CIVIL)
    assert sleeps == [], "sending to a dead broker must fail fast, not retry"
    # And however kombu might retry instead: three POSTs that each retried took over 6 s.
    assert time.monotonic() - started < 5.0, "sending to a dead broker must fail fast"


def test_comments_accepted_while_the_broker_is_down_are_scored_once_it_is_back(
    app, make_site, start_worker, services, broker, tmp_path, monkeypatch
):
    url, broker_dir, procs = broker
    _stop(procs)
    site = make_site("daily-planet")
    client = _client_for(services, url, tmp_path)
    ids = [post(client, site, str(i), f"{CIVIL} ({i})") for i in range(20)]
    assert set(statuses(app, ids).values()) == {"pending"}

    procs.append(start_redis(broker_dir)[1])
    monkeypatch.setattr(services, "redis_url", url)  # the worker's broker
    start_worker(**TO_THIS_RECEIVER, beat=True, SWEEP_INTERVAL="2", PENDING_RESEND_AFTER="1")
    found = wait_until_scored(app, ids, timeout=SLOW_MACHINE)  # a sweep every 2 s
    assert set(found.values()) == {"published"}
    with app.app_context():
        audits = Counter(db.session.scalars(
            select(AuditEntry.comment_id).where(AuditEntry.action.like("status:pending->%"))))
    assert audits == Counter(ids)


def test_a_moderators_decision_sends_exactly_one_signed_webhook(app, client, make_site, moderator, start_worker):
    with WebhookReceiver() as receiver:
        site = make_site("daily-planet", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        start_worker(**TO_THIS_RECEIVER)
        comment_id = post(client, site, "1", ABUSIVE)
        assert wait_until_scored(app, [comment_id], timeout=SLOW_MACHINE) == {comment_id: "held"}
        receiver.wait_for(1, timeout=SLOW_MACHINE)
        with app.app_context():
            comment = db.session.get(Comment, comment_id)
            comment.decision, comment.decision_reason = "approved", "satire, in context"
            comment.decided_by, comment.decided_at = moderator.id, now()
            delivery = change_status(db.session, comment, "approved", actor=f"user:{moderator.username}", by=DECISION)
            db.session.commit()
            send_webhooks(db.session, [delivery])
        receiver.wait_for(2, timeout=SLOW_MACHINE)
        time.sleep(0.5)  # any duplicate would arrive now
        decisions = [r for r in receiver.received if r.event["comment"]["status"] == "approved"]
    assert len(decisions) == 1 and decisions[0].signature_valid
    event = decisions[0].event
    assert event["previous_status"] == "held" and event["comment"]["visible"] is True
    # Sites see no login names unless they opt in.
    pseudonym = moderator_pseudonym(moderator.id, DomainSettings.from_config(app.config).pseudonym_key)
    assert event["comment"]["decision"] == {"action": "approved", "reason": "satire, in context",
                                             "moderator": pseudonym, "decided_at": event["comment"]["decision"]["decided_at"]}


def test_a_webhook_refused_at_first_is_retried_by_the_worker_until_delivered_once(app, client, make_site, start_worker):
    with WebhookReceiver(fail_first=2) as receiver:
        site = make_site("daily-planet", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        start_worker(**TO_THIS_RECEIVER, WEBHOOK_BACKOFF_BASE="0.5")
        post(client, site, "1", CIVIL)
        receiver.wait_for(3, timeout=SLOW_MACHINE)
        time.sleep(1.5)  # a spurious further attempt would arrive now
        assert len(receiver.received) == 3 and all(r.signature_valid for r in receiver.received)
        assert len({r.headers["X-Moderation-Delivery"] for r in receiver.received}) == 1
    with app.app_context():
        [delivery] = db.session.scalars(select(WebhookDelivery))
    assert delivery.delivered_at is not None and delivery.attempts == 3 and not delivery.failed
