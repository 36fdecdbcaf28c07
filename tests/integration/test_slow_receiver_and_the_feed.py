"""A webhook POST in flight holds no transaction id, so no site's changes feed waits for it.

A security review: delivery held its rows FOR UPDATE while it POSTed, which gave its transaction an
id; the changes feed reads only below the oldest id still running, server wide, so a receiver
answering in 4.8 s held every other site's feed 9.7 s behind. Against a real receiver on 127.0.0.1
and the real database; needs no worker.
"""
from __future__ import annotations

import threading
import time

import pytest
from test_direct_delivery import SETTINGS, queue_events

from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.lifecycle import SCORER, change_status
from moderation.domain.sites import set_site_active
from moderation.domain.webhooks import SITE_DEACTIVATED, deliver_many
from moderation.models import Site, WebhookDelivery
from webhook_receiver import WebhookReceiver

# The receiver's answer time: long enough that what the test does meanwhile happens while it waits.
SLOW = 3.0


def _feed(client, site, after):
    response = client.get("/api/v1/comments/changes", headers=site.headers, query_string={"after": after})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _posting(app, delivery_ids: int | list[int], receiver: WebhookReceiver, wait_for: int = 1) -> threading.Thread:
    """Delivers in a thread of its own, as a webhook worker does, and returns once the `wait_for`th POST
    is in flight (a site's first event goes alone, the rest after it is answered)."""
    ids = delivery_ids if isinstance(delivery_ids, list) else [delivery_ids]

    def deliver() -> None:
        with app.app_context():
            deliver_many(db.session, ids, **SETTINGS)

    thread = threading.Thread(target=deliver)
    thread.start()
    deadline = time.monotonic() + 30
    while receiver.in_flight == 0 or len(receiver.received) < wait_for:
        assert time.monotonic() < deadline, "the POST never reached the receiver"
        time.sleep(0.01)
    return thread


def _publish(app, site_id: int) -> int:
    with app.app_context():
        site = db.session.get(Site, site_id)
        data = CommentInput(external_id="while-posting", story_id="s", author_id="a", text="hello")
        comment = submit_comment(db.session, site, data).comment
        change_status(db.session, comment, "published", actor="test", by=SCORER)
        db.session.commit()
        return comment.id


def test_another_sites_change_is_in_its_feed_while_a_slow_receiver_is_answering(app, client, site, make_site):
    with WebhookReceiver(delay=SLOW) as slow:
        theirs = make_site("slow-hooks", webhook_url=slow.url)
        events = queue_events(app, theirs.id, 2)
        cursor = _feed(client, site, "now")["next_after"]
        posting = _posting(app, events, slow, wait_for=2)  # the first answered, its outcome held; the second out
        try:
            mine = _publish(app, site.id)
            page = _feed(client, site, cursor)
            assert slow.in_flight == 1, "the POST had already been answered: the test proved nothing"
            assert [(c["id"], c["status"]) for c in page["comments"]] == [(mine, "published")]
        finally:
            posting.join()
    with app.app_context():
        assert all(db.session.get(WebhookDelivery, event).delivered_at is not None for event in events)


@pytest.mark.parametrize("answer", [200, 500])
def test_a_site_deactivated_while_its_event_is_posted_keeps_it_closed_unless_delivered(app, make_site, answer):
    """Deactivation no longer waits for a POST in flight; the POST's outcome must not reopen the event
    it closed (a refused one would have been retried against the departed site)."""
    with WebhookReceiver(delay=SLOW, status=answer) as receiver:
        leaving = make_site("leaving-mid-post", webhook_url=receiver.url)
        [event] = queue_events(app, leaving.id, 1)
        posting = _posting(app, event, receiver)
        try:
            with app.app_context():
                assert set_site_active(db.session, db.session.get(Site, leaving.id), active=False, actor="test") == 1
                db.session.commit()
            assert receiver.in_flight == 1, "the POST had already been answered: the test proved nothing"
        finally:
            posting.join()
    with app.app_context():
        row = db.session.get(WebhookDelivery, event)
        if answer == 200:
            assert row.delivered_at is not None and not row.failed
        else:
            assert (row.delivered_at, row.failed, row.last_error) == (None, True, SITE_DEACTIVATED)


def test_a_turn_stops_posting_to_a_site_soon_after_it_is_deactivated(app, make_site):
    """A security review: deactivation no longer waits for a turn's claims, and the turn went on POSTing
    new chunks to the departed site for 2.4 s after `keys deactivate` answered (24 of them)."""
    from moderation.domain.webhook_posts import PARALLEL_POSTS

    with WebhookReceiver(delay=0.4) as receiver:
        leaving = make_site("leaving-mid-turn", webhook_url=receiver.url)
        events = queue_events(app, leaving.id, 40)

        def deliver() -> None:
            with app.app_context():
                deliver_many(db.session, events, **SETTINGS)

        posting = threading.Thread(target=deliver)
        posting.start()
        try:
            deadline = time.monotonic() + 30
            while len(receiver.received) < 2:  # the first alone, then the first chunk under way
                assert time.monotonic() < deadline, "no POSTs"
                time.sleep(0.01)
            with app.app_context():
                set_site_active(db.session, db.session.get(Site, leaving.id), active=False, actor="test")
                db.session.commit()
            started_by_then = len(receiver.received)
        finally:
            posting.join()
    # The chunk under way may finish, and one more start before the turn looks again; no more.
    assert len(receiver.received) <= started_by_then + PARALLEL_POSTS
    assert len(receiver.received) < 40
