"""Webhook delivery against a real HTTP endpoint on 127.0.0.1 (no worker needed: the domain function).

Kept beside the worker tests because it shares their webhook receiver; it is fast and not marked
integration.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.lifecycle import DECISION, SCORER, change_status
from moderation.domain.webhooks import deliver, deliver_many, sign, verify_signature
from moderation.models import Site, WebhookDelivery
from webhook_receiver import WebhookReceiver


def queue_event(app, site_id: int) -> int:
    with app.app_context():
        data = CommentInput(external_id="c1", story_id="s", author_id="a", text="hello")
        comment = submit_comment(db.session, db.session.get(Site, site_id), data).comment
        delivery = change_status(db.session, comment, "published", actor="test", by=SCORER)
        db.session.commit()
        return delivery.id


# The whole POST's time for endpoints here that answer at once: a few milliseconds, but a busy
# machine can hold the test process (and the receiver thread in it) for a second or more.
ROOMY = 10.0


def run(app, delivery_id: int, **kwargs):
    settings = dict(timeout=ROOMY, max_retries=2, backoff_base=1.0) | kwargs
    with app.app_context():
        return deliver(db.session, delivery_id, **settings)


def row(app, delivery_id: int) -> WebhookDelivery:
    with app.app_context():
        return db.session.get(WebhookDelivery, delivery_id)


def test_a_delivery_is_posted_signed_and_marked_delivered(app, make_site):
    with WebhookReceiver() as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        delivery_id = queue_event(app, site.id)
        assert run(app, delivery_id).state == "delivered"
        [received] = receiver.received
    assert received.signature_valid
    assert received.headers["X-Moderation-Delivery"] == str(delivery_id)
    assert received.event["comment"]["status"] == "published" and received.event["delivery_id"] == delivery_id
    assert row(app, delivery_id).delivered_at is not None


def test_a_delivered_event_is_not_posted_again(app, make_site):
    with WebhookReceiver() as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        delivery_id = queue_event(app, site.id)
        run(app, delivery_id)
        assert run(app, delivery_id).state == "skipped"
        assert len(receiver.received) == 1


def test_a_failing_endpoint_is_retried_with_growing_backoff_then_given_up(app, make_site):
    with WebhookReceiver(status=500) as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        delivery_id = queue_event(app, site.id)
        outcomes = [run(app, delivery_id, max_retries=2) for _ in range(4)]
    assert [o.state for o in outcomes] == ["retry", "retry", "failed", "skipped"]
    assert [o.retry_in for o in outcomes[:2]] == [1.0, 2.0]
    stored = row(app, delivery_id)
    assert stored.failed and stored.attempts == 3 and stored.last_error == "HTTP 500"
    assert len(receiver.received) == 3


def test_a_slow_endpoint_times_out_instead_of_blocking(app, make_site):
    # It would answer after 10 s: a delivery that waited for it took 10 s, one that kept its 0.5 s
    # timeout well under 5 s however busy the machine.
    with WebhookReceiver(delay=10) as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        delivery_id = queue_event(app, site.id)
        started = time.monotonic()
        outcome = run(app, delivery_id, timeout=0.5)
        assert time.monotonic() - started < 5
    assert outcome.state == "retry" and "Timeout" in outcome.error


def test_an_unreachable_endpoint_is_a_retry_not_a_crash(app, make_site):
    site = make_site("hooked", webhook_url="http://127.0.0.1:9/nothing-listens")
    delivery_id = queue_event(app, site.id)
    assert run(app, delivery_id).state == "retry"


def test_verify_signature_accepts_ours_and_refuses_tampering_and_replays():
    body, secret, ts = b'{"a":1}', "whsec_x", int(time.time())
    good = sign(secret, body, ts)
    assert verify_signature(secret, body, ts, good)
    assert verify_signature(secret, body, str(ts), good)
    assert not verify_signature(secret, b'{"a":2}', ts, good)
    assert not verify_signature("whsec_other", body, ts, good)
    assert not verify_signature(secret, body, ts, "v1=" + "0" * 64)
    assert not verify_signature(secret, body, "not-a-number", good)
    assert not verify_signature(secret, body, ts - 301, sign(secret, body, ts - 301))
    assert verify_signature(secret, body, ts - 301, sign(secret, body, ts - 301), tolerance=600)


def queue_events(app, site_id: int, count: int) -> list[int]:
    with app.app_context():
        site = db.session.get(Site, site_id)
        deliveries = []
        for i in range(count):
            data = CommentInput(external_id=f"batch-{i}", story_id="s", author_id="a", text=f"hello {i}")
            comment = submit_comment(db.session, site, data).comment
            deliveries.append(change_status(db.session, comment, "published", actor="test", by=SCORER))
        db.session.commit()
        return [d.id for d in deliveries]


def test_a_batch_stops_calling_a_failing_site_but_still_reaches_the_others(app, make_site):
    with WebhookReceiver(status=500) as broken, WebhookReceiver() as healthy:
        down = make_site("down", webhook_url=broken.url)
        up = make_site("up", webhook_url=healthy.url)
        down_ids = queue_events(app, down.id, 3)
        up_ids = queue_events(app, up.id, 2)
        with app.app_context():
            outcomes = deliver_many(db.session, down_ids + up_ids, timeout=ROOMY, max_retries=2, backoff_base=1.0)
        assert len(broken.received) == 1, "one timeout or error per batch, not one per event"
        assert len(healthy.received) == 2
    # The two not sent wait as the one that failed (one timeout a round), with no attempt counted.
    assert [outcomes[i].state for i in down_ids] == ["retry", "retry", "retry"]
    assert {outcomes[i].retry_in for i in down_ids} == {1.0} and {outcomes[i].site_id for i in down_ids} == {down.id}
    assert [outcomes[i].state for i in up_ids] == ["delivered", "delivered"]
    with app.app_context():
        rows = [db.session.get(WebhookDelivery, i) for i in down_ids]
    assert [r.attempts for r in rows] == [1, 0, 0]
    assert all(r.last_error.startswith("not sent: the endpoint failed another event just now") for r in rows[1:])


def test_an_endpoint_failing_one_post_in_ten_gets_a_whole_backlog_without_dead_letters(app, make_site):
    # After an outage 60 events wait; the endpoint is back but one POST in ten fails. Each round
    # stops at the first failure. Were the events not sent charged an attempt, the tail of the
    # backlog would use up its 2 retries in three rounds without one POST of its own. Retries a
    # minute apart: the retry span (3 minutes) then outlasts the rounds on a loaded machine, where
    # 1 s apart (a 3 s span) made the last events dead letters by age before their turn came.
    with WebhookReceiver(fail_every=10) as receiver:
        site = make_site("flaky", webhook_url=receiver.url)
        ids = queue_events(app, site.id, 60)
        waiting, rounds, seen = set(ids), 0, {}
        while waiting and rounds < 40:
            with app.app_context():
                outcomes = deliver_many(db.session, sorted(waiting), timeout=ROOMY, max_retries=2, backoff_base=60.0)
                # What is still to send, as the rows say: "later" (a round that ran past the timeout on a
                # busy machine leaves the rest to a task of the site's own) and a row another session
                # held locked this round (left out of the outcomes) are, as a retry is.
                waiting = set(db.session.scalars(select(WebhookDelivery.id).where(
                    WebhookDelivery.id.in_(ids), WebhookDelivery.delivered_at.is_(None),
                    WebhookDelivery.failed.is_(False))))
            seen.update((i, o.state) for i, o in outcomes.items())
            rounds += 1
        assert not waiting, f"{len(waiting)} still waiting after {rounds} rounds"
        delivered = {int(r.headers["X-Moderation-Delivery"]) for r in receiver.received}
    # With each missing event's last outcome, so a failure on a busy machine says what happened.
    assert delivered == set(ids), {i: seen.get(i) for i in set(ids) - delivered}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WebhookDelivery).where(
            WebhookDelivery.failed.is_(True))) == 0


def _made_ago(app, delivery_id: int, age: timedelta) -> None:
    with app.app_context():
        db.session.get(WebhookDelivery, delivery_id).created_at = datetime.now(timezone.utc) - age
        db.session.commit()


def test_events_kept_back_from_a_dead_endpoint_wait_longer_the_longer_they_have_waited(app, make_site):
    """Kept back every backoff_base (5 s) whatever their age, 5,000 events behind a dead endpoint cost
    529,000 row updates in 15 minutes. They wait about half their age: none is later for it, as all
    are due at once when the endpoint takes a retried event again (the test after next but one)."""
    with WebhookReceiver(status=500) as receiver:
        site = make_site("long-down", webhook_url=receiver.url)
        first, fresh, hour_old = queue_events(app, site.id, 3)
        _made_ago(app, hour_old, timedelta(hours=1))
        with app.app_context():
            outcomes = deliver_many(db.session, [first, fresh, hour_old], timeout=ROOMY, max_retries=20,
                                    backoff_base=5.0)
        assert len(receiver.received) == 1
    assert [outcomes[i].state for i in (first, fresh, hour_old)] == ["retry"] * 3
    assert outcomes[first].retry_in == outcomes[fresh].retry_in == 5.0  # as long as the one that failed
    assert 900 <= outcomes[hour_old].retry_in <= 1800
    assert row(app, hour_old).attempts == 0


def test_an_event_kept_from_a_failing_endpoint_for_the_whole_retry_span_is_a_dead_letter(app, make_site):
    with WebhookReceiver(status=500) as receiver:
        site = make_site("down", webhook_url=receiver.url)
        first, old, fresh = queue_events(app, site.id, 3)
        # Queued before the last 11 hours of failures (2 retries 1 s apart here: 3 s).
        _made_ago(app, old, timedelta(seconds=10))
        with app.app_context():
            outcomes = deliver_many(db.session, [first, old, fresh], timeout=ROOMY, max_retries=2, backoff_base=1.0)
        assert len(receiver.received) == 1
    assert [outcomes[i].state for i in (first, old, fresh)] == ["retry", "failed", "retry"]
    assert row(app, old).failed and row(app, old).attempts == 0
    # Said as given up, not as the deferral's "is tried again" (an operator's walk), and whose.
    assert row(app, old).last_error.startswith("never sent: its endpoint was failing for the whole retry span")
    assert outcomes[old].site_id == site.id
    # One POSTed once and then kept back is not "never sent" (a re-check).
    with WebhookReceiver(status=500) as receiver:
        site = make_site("down-again", webhook_url=receiver.url)
        first, tried = queue_events(app, site.id, 2)
        with app.app_context():
            db.session.get(WebhookDelivery, tried).attempts = 1
            db.session.get(WebhookDelivery, tried).created_at = datetime.now(timezone.utc) - timedelta(seconds=10)
            db.session.commit()
            deliver_many(db.session, [first, tried], timeout=ROOMY, max_retries=2, backoff_base=1.0)
    assert row(app, tried).last_error.startswith("given up after 1 failed POST(s): its endpoint was failing")


# Ordering: every event says which version of the comment it describes.

def test_every_event_carries_the_comments_version_so_a_late_retry_can_be_ignored(app, make_site):
    with WebhookReceiver() as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        with app.app_context():
            data = CommentInput(external_id="c1", story_id="s", author_id="a", text="hello")
            comment = submit_comment(db.session, db.session.get(Site, site.id), data).comment
            held = change_status(db.session, comment, "held", actor="test", by=SCORER)
            db.session.commit()
            rejected = change_status(db.session, comment, "rejected", actor="test", by=DECISION)
            db.session.commit()
            held_id, rejected_id = held.id, rejected.id
        # The later change arrives first, as when the earlier one's first attempt failed.
        run(app, rejected_id)
        run(app, held_id)
        late_held, rejected_event = receiver.events()[1], receiver.events()[0]
    assert (rejected_event["version"], rejected_event["comment"]["version"]) == (3, 3)
    assert (late_held["version"], late_held["comment"]["version"]) == (2, 2)
    assert late_held["version"] < rejected_event["version"], "the receiver can tell the late event is stale"


def test_the_api_reports_the_version_too(app, client, site):
    response = client.post("/api/v1/comments", headers=site.headers,
                           json={"id": "v-1", "story_id": "s", "author_id": "a", "text": "hello"})
    assert response.get_json()["version"] == 1


# Retries: long enough for a real outage, then a dead letter.

def test_with_default_settings_a_dead_endpoint_is_retried_for_hours_not_minutes(app, make_site):
    from workers.tasks import _webhook_settings  # the settings the worker delivers with

    with WebhookReceiver(status=503) as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        delivery_id = queue_event(app, site.id)
        waited, outcomes = 0.0, []
        with app.app_context():
            settings = _webhook_settings()
            while not outcomes or outcomes[-1].state == "retry":
                outcomes.append(deliver(db.session, delivery_id, **settings))
                waited += outcomes[-1].retry_in or 0
    assert outcomes[-1].state == "failed"
    assert waited >= 8 * 3600, f"gave up after {waited / 60:.0f} minutes of retries"
    assert max(o.retry_in or 0 for o in outcomes) <= 3600, "a dead endpoint is still tried every hour"


def test_a_delivery_that_exhausts_its_retries_is_a_dead_letter_and_replaying_delivers_it(app, make_site):
    from moderation.domain.dead_letters import list_dead_letters, replay_dead_letters

    with WebhookReceiver(status=500) as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        delivery_id = queue_event(app, site.id)
        assert run(app, delivery_id, max_retries=0).state == "failed"
        with app.app_context():
            [dead] = list_dead_letters(db.session)
            assert (dead.id, dead.site_name, dead.event_type, dead.attempts, dead.last_error, dead.version) == (
                delivery_id, "hooked", "comment.status_changed", 1, "HTTP 500", 2)
            replayed = replay_dead_letters(db.session, actor="user:ada", ids=[delivery_id])
            db.session.commit()
            assert [d.id for d in replayed] == [delivery_id] and list_dead_letters(db.session) == []
        receiver.status = 200
        assert run(app, delivery_id, max_retries=0).state == "delivered"
        assert len(receiver.received) == 2 and receiver.received[-1].signature_valid
    assert row(app, delivery_id).delivered_at is not None


# Rotating the signing secret: both secrets verify during the grace period.

def test_during_a_rotations_grace_period_old_and_new_secrets_both_verify(app, make_site):
    from datetime import timedelta

    from moderation.domain.webhook_secrets import rotate_webhook_secret

    with WebhookReceiver() as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        with app.app_context():
            new_secret = rotate_webhook_secret(db.session, site.id, timedelta(hours=24), actor="cli").secret
            db.session.commit()
        run(app, queue_event(app, site.id))
        [received] = receiver.received
    signature = received.headers["X-Moderation-Signature"]
    timestamp = received.headers["X-Moderation-Timestamp"]
    assert len(signature.split(",")) == 2
    assert verify_signature(site.webhook_secret, received.body, timestamp, signature), "a site still on the old secret"
    assert verify_signature(new_secret, received.body, timestamp, signature), "a site already on the new secret"
    assert not verify_signature("whsec_someone-else", received.body, timestamp, signature)


def test_after_the_grace_period_only_the_new_secret_signs(app, make_site):
    from datetime import timedelta

    from moderation.domain.webhook_secrets import rotate_webhook_secret

    with WebhookReceiver() as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        with app.app_context():
            new_secret = rotate_webhook_secret(db.session, site.id, timedelta(0), actor="cli").secret
            db.session.commit()
        run(app, queue_event(app, site.id))
        [received] = receiver.received
    signature = received.headers["X-Moderation-Signature"]
    assert "," not in signature
    assert verify_signature(new_secret, received.body, received.headers["X-Moderation-Timestamp"], signature)
    assert not verify_signature(site.webhook_secret, received.body, received.headers["X-Moderation-Timestamp"], signature)


def test_a_batch_reaches_a_slow_site_several_events_at_a_time(app, make_site):
    # 0.3 s per answer: 17 events one after another would take over 5 s, side by side (the first
    # alone, then 8 and 8) about 1 s.
    with WebhookReceiver(delay=0.3) as slow:
        site = make_site("slow", webhook_url=slow.url)
        slow.secret = site.webhook_secret
        ids = queue_events(app, site.id, 17)
        started = time.monotonic()
        with app.app_context():
            outcomes = deliver_many(db.session, ids, timeout=ROOMY, max_retries=2, backoff_base=1.0)
        elapsed = time.monotonic() - started
    assert [outcomes[i].state for i in ids] == ["delivered"] * 17
    assert sorted(r.event["delivery_id"] for r in slow.received) == sorted(ids)
    assert all(r.signature_valid for r in slow.received)
    # The endpoint saw them overlap; and, timed, the batch beat the 5.1 s that one at a time
    # cannot (rather than 2.5 s, which a busy machine's stalls could use up).
    assert slow.most_in_flight > 1, "the events went one at a time"
    assert elapsed < 17 * 0.3, f"{elapsed:.1f} s: the events went one at a time"
    with app.app_context():
        assert all(db.session.get(WebhookDelivery, i).delivered_at is not None for i in ids)



def test_when_an_endpoint_answers_again_its_waiting_events_are_due_at_once_oldest_first(app, make_site):
    """An integrator's walk: after a 3-minute outage each event kept its own backoff, and the first
    event of the outage arrived 2.5 minutes after the endpoint was back, after every newer one."""
    with WebhookReceiver(status=500) as receiver:
        site = make_site("back-again", webhook_url=receiver.url)
        ids = queue_events(app, site.id, 3)
        with app.app_context():
            for delivery_id in ids:  # each failed on its own, as events of an outage do: each waits 10 minutes
                assert deliver_many(db.session, [delivery_id], timeout=ROOMY, max_retries=5,
                                    backoff_base=600.0)[delivery_id].state == "retry"
        receiver.status = 200

        with app.app_context():
            assert deliver_many(db.session, [ids[1]], timeout=ROOMY, max_retries=5,
                                backoff_base=600.0)[ids[1]].state == "delivered"
            waiting = db.session.execute(select(WebhookDelivery.id, WebhookDelivery.next_attempt_at - func.now())
                                         .where(WebhookDelivery.id.in_([ids[0], ids[2]]))).all()
    assert all(due <= timedelta(seconds=5) for _, due in waiting), waiting  # not in ten minutes


def test_an_event_the_endpoint_keeps_refusing_does_not_hold_back_the_others_for_long(app, make_site):
    """An integrator's walk: a receiver choking on one event of a batch; the 30 others were kept back
    as long as it was, round after round, and arrived 12 minutes later, when it was finally taken."""
    with WebhookReceiver(refuse=lambda body: b'"batch-0"' in body) as receiver:
        site = make_site("choking", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        ids = queue_events(app, site.id, 4)
        with app.app_context():
            first = deliver_many(db.session, ids, timeout=ROOMY, max_retries=5, backoff_base=60.0)
            # Once, it may be the endpoint: the others wait with it, one POST spent.
            assert [first[i].state for i in ids] == ["retry"] * 4 and len(receiver.received) == 1
            again = deliver_many(db.session, ids, timeout=ROOMY, max_retries=5, backoff_base=60.0)
    # Refused again: the next is tried alone, taken, and so are the rest; the refused one waits on its own.
    assert [again[i].state for i in ids] == ["retry", "delivered", "delivered", "delivered"]
    assert again[ids[0]].retry_in == 120.0


def test_an_endpoint_failing_a_share_of_posts_gets_the_rest_of_a_batch_at_once(app, make_site):
    """An integrator's walk: with one POST in ten refused, every failure kept the site's other events
    back, and the endpoint got 122 of 600 events in a minute; the backlog grew while it lasted."""
    with WebhookReceiver(fail_every=10) as receiver:
        site = make_site("one-bad-server", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        ids = queue_events(app, site.id, 40)
        with app.app_context():
            outcomes = deliver_many(db.session, ids, timeout=ROOMY, max_retries=5, backoff_base=60.0)
    states = [outcomes[i].state for i in ids]
    assert states.count("delivered") == 36 and states.count("retry") == 4, states
    assert all(not (o.error or "").startswith("not sent") for o in outcomes.values())  # none kept back


def test_events_kept_back_and_then_taken_do_not_pull_a_refused_event_forward(app, make_site):
    """A security review: behind an event the endpoint refuses, those kept back were taken each round,
    counted as the endpoint's recovery, and the refused one was made due at once each time: 7 POSTs
    of it in 55 s, its backoff spent in seconds."""
    with WebhookReceiver(refuse=lambda body: b'"batch-0"' in body) as receiver:
        site = make_site("choking-again", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        refused, *others = queue_events(app, site.id, 3)
        with app.app_context():
            deliver_many(db.session, [refused, *others], timeout=ROOMY, max_retries=5, backoff_base=60.0)
            taken = deliver_many(db.session, others, timeout=ROOMY, max_retries=5, backoff_base=60.0)
            waits = db.session.scalar(select(WebhookDelivery.next_attempt_at - func.now())
                                      .where(WebhookDelivery.id == refused))
    assert [taken[i].state for i in others] == ["delivered", "delivered"]
    assert waits > timedelta(seconds=30)  # still waiting out its own minute
