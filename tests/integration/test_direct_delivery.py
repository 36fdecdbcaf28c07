"""A scored batch's webhook events, POSTed by the scoring task itself to endpoints that answered
fast lately, and by the webhook task otherwise (moderation/domain/direct_delivery.py).

Against real HTTP endpoints on 127.0.0.1 and the real database; the dispatcher is a recorder, so
what would have gone to the webhook task is visible. Like test_webhook_delivery, not marked
integration: it needs no worker.
"""
from __future__ import annotations

import time

import itertools

import pytest

from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.direct_delivery import deliver_scored
from moderation.domain.lifecycle import SCORER, change_status
from moderation.domain.webhook_health import EndpointHealth
from moderation.domain.webhooks import deliver_many
from moderation.models import Site, WebhookDelivery
from webhook_receiver import WebhookReceiver

SETTINGS = dict(timeout=5.0, max_retries=3, backoff_base=1.0)


@pytest.fixture
def roomy_direct_timeout(monkeypatch):
    """For tests of which events go directly, not of how long a POST may take: DIRECT_TIMEOUT (1 s)
    bounds each POST made here to an endpoint that answers at once, and a busy machine can hold
    the test process (and the receiver thread in it) that long; the event would then be a retry."""
    import moderation.domain.direct_delivery as direct

    monkeypatch.setattr(direct, "DIRECT_TIMEOUT", SETTINGS["timeout"])


_numbers = itertools.count()


def queue_events(app, site_id: int, count: int) -> list[int]:
    """Scored comments' events, committed and not yet sent."""
    with app.app_context():
        site = db.session.get(Site, site_id)
        deliveries = []
        for _ in range(count):
            data = CommentInput(external_id=f"c-{next(_numbers)}", story_id="s", author_id="a", text="hello")
            comment = submit_comment(db.session, site, data).comment
            deliveries.append(change_status(db.session, comment, "published", actor="test", by=SCORER))
        db.session.commit()
        return [d.id for d in deliveries]


class Recorder:
    """Stands in for the Celery dispatcher: what went to the webhook task."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def send_webhooks(self, by_site: dict[int, list[int]], *, bulk: bool = False) -> None:
        self.sent.extend(i for ids in by_site.values() for i in ids)


def send_scored(app, ids: list[int], health: EndpointHealth) -> tuple[dict, list[int]]:
    recorder = Recorder()
    with app.app_context():
        db.session.info["dispatcher"] = recorder
        deliveries = [db.session.get(WebhookDelivery, i) for i in ids]
        db.session.commit()
        outcomes = deliver_scored(db.session, deliveries, health=health, settings=SETTINGS)
    return {i: o.state for i, o in outcomes.items()}, recorder.sent


def delivered(app, ids: list[int]) -> list[bool]:
    with app.app_context():
        return [db.session.get(WebhookDelivery, i).delivered_at is not None for i in ids]


def test_a_site_not_heard_from_goes_by_task_and_one_that_answered_fast_is_posted_directly(app, make_site,
                                                                                          roomy_direct_timeout):
    health = EndpointHealth()
    with WebhookReceiver() as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        first = queue_events(app, site.id, 2)
        outcomes, by_task = send_scored(app, first, health)
        assert outcomes == {} and by_task == first and receiver.received == []

        health.record(site.id, ok=True, seconds=0.01)  # as the webhook task does after its POSTs
        second = queue_events(app, site.id, 3)
        outcomes, by_task = send_scored(app, second, health)
        assert outcomes == {i: "delivered" for i in second} and by_task == []
        assert sorted(r.event["delivery_id"] for r in receiver.received) == second
        assert all(r.signature_valid for r in receiver.received)
    assert delivered(app, second) == [True, True, True]


def test_an_endpoint_that_turned_slow_costs_one_short_timeout_then_goes_by_task(app, make_site):
    health = EndpointHealth()
    # It answers after 10 s, past either timeout: a delivery held to the webhook timeout took 5 s.
    with WebhookReceiver(delay=10) as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        health.record(site.id, ok=True, seconds=0.01)
        ids = queue_events(app, site.id, 2)
        started = time.monotonic()
        outcomes, by_task = send_scored(app, ids, health)
        took = time.monotonic() - started
        # The direct timeout (1 s), not the webhook timeout (5 s); the first event is retried
        # later, and the second, not tried, waits with it. Under 4 s, not 2.5 s: a busy machine
        # can add more than a second to the one it takes.
        assert took < 4.0
        assert outcomes == {ids[0]: "retry", ids[1]: "retry"} and by_task == []
        assert not health.healthy(site.id)

        later = queue_events(app, site.id, 1)
        outcomes, by_task = send_scored(app, later, health)
        assert outcomes == {} and by_task == later


def test_only_the_healthy_sites_events_are_posted_directly(app, make_site, roomy_direct_timeout):
    health = EndpointHealth()
    with WebhookReceiver() as fast, WebhookReceiver() as unknown:
        known = make_site("known", webhook_url=fast.url)
        other = make_site("other", webhook_url=unknown.url)
        health.record(known.id, ok=True, seconds=0.01)
        known_ids, other_ids = queue_events(app, known.id, 2), queue_events(app, other.id, 2)
        outcomes, by_task = send_scored(app, known_ids + other_ids, health)
        assert set(outcomes) == set(known_ids) and by_task == other_ids
        assert len(fast.received) == 2 and unknown.received == []


def test_an_error_while_delivering_sends_the_events_to_the_task_instead(app, make_site, monkeypatch):
    import moderation.domain.direct_delivery as direct

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away mid-delivery")

    monkeypatch.setattr(direct, "deliver_many", broken)
    health = EndpointHealth()
    with WebhookReceiver() as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        health.record(site.id, ok=True, seconds=0.01)
        ids = queue_events(app, site.id, 2)
        outcomes, by_task = send_scored(app, ids, health)
    assert outcomes == {} and by_task == ids
    assert delivered(app, ids) == [False, False]


def test_an_event_another_worker_is_posting_is_not_posted_again(app, make_site, roomy_direct_timeout):
    from sqlalchemy.orm import Session

    from moderation.domain.webhooks import claim

    health = EndpointHealth()
    with WebhookReceiver() as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        health.record(site.id, ok=True, seconds=0.01)
        busy, free = queue_events(app, site.id, 2)
        with app.app_context(), Session(db.session.get_bind()) as other:
            # The sweep's task holds this row while it POSTs it.
            assert claim(other, [busy]) == [busy]
            outcomes, by_task = send_scored(app, [busy, free], health)
            other.rollback()
        assert outcomes == {free: "delivered"} and by_task == []
        assert [r.event["delivery_id"] for r in receiver.received] == [free]


def test_events_in_hand_when_their_site_is_deactivated_are_closed_not_posted(app, make_site):
    """The next re-check: a scoring task holds its batch's events and their sites; 17 arrived at a site
    after `keys deactivate` had answered, the site read as the task had loaded it."""
    from moderation.domain.sites import set_site_active
    from moderation.domain.webhooks import SITE_DEACTIVATED

    with WebhookReceiver() as receiver:
        leaving = make_site("leaving-post", webhook_url=receiver.url)
        sessions = app.extensions[db.SESSIONS]
        with app.app_context(), sessions() as task, sessions() as admin:
            task.info.update(db.session.info)
            site = task.get(Site, leaving.id)  # loaded, active, as a scoring task holds it
            set_site_active(admin, admin.get(Site, leaving.id), active=False, actor="test")
            admin.commit()  # meanwhile, an admin offboards the site
            held = WebhookDelivery(site_id=site.id, event={"type": "comment.status_changed"})
            task.add(held)
            task.commit()  # the batch's commit, after the offboarding's
            assert site.active  # as the task still holds it
            outcomes = deliver_many(task, [held.id], in_hand=[held], **SETTINGS)
            task.commit()
        assert receiver.received == []
    assert outcomes[held.id].state != "delivered"
    with app.app_context():
        assert db.session.get(WebhookDelivery, held.id).last_error == SITE_DEACTIVATED
