"""Webhook events wait in a list per site, and each site has at most one turn in the webhook
queue (domain/dispatch.py, domain/webhook_turns.py): one site's flood puts one task ahead of a
quiet site's event, not one per batch of it.

The real dispatcher against the test Redis and database, with a broker that records what it was
sent, in order, as the queue would hold it. Needs no worker.
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import update

from moderation import db
from moderation.celery_app import WEBHOOK_SITE_TASK
from moderation.dispatcher import CeleryDispatcher
from moderation.domain.dispatch import WEBHOOK_TURN_KEY, WEBHOOK_WAITING_KEY, Taken
from moderation.domain.webhook_turns import deliver_turn
from moderation.models import WebhookDelivery
from test_direct_delivery import SETTINGS, queue_events
from webhook_receiver import WebhookReceiver

LOUD, QUIET = 1, 2
NOTHING = Taken([], [])


class Queue:
    """Stands in for Celery: the tasks sent, in order; `fail_next` makes the next send fail."""

    def __init__(self) -> None:
        self.tasks: list[tuple[str, list]] = []
        self.fail_next = False

    def send_task(self, name: str, args: list, retry: bool) -> None:
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("broker connection lost")
        self.tasks.append((name, args))


@pytest.fixture
def queue(app, services):
    return Queue()


@pytest.fixture
def turns(queue, services) -> CeleryDispatcher:
    return CeleryDispatcher(queue, services.redis())


@pytest.fixture
def hooked(app, make_site, turns):
    """A site whose webhook is a live receiver, an app context, and `events(n)`: n of the site's
    events committed, not yet sent, with this context's session then using `turns`."""
    with WebhookReceiver() as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret

        def events(count: int) -> list[int]:
            ids = queue_events(app, site.id, count)
            # Set after: the app context queue_events pushes removes this one's session as it ends.
            db.session.info["dispatcher"] = turns
            return ids

        with app.app_context():
            yield receiver, site, events


def test_a_flood_queues_one_turn_so_a_quiet_sites_event_waits_behind_one_task_not_ninety(turns, queue):
    for batch in range(90):  # a 22,500-comment flood's scored batches
        turns.send_webhooks({LOUD: list(range(batch * 250, (batch + 1) * 250))})
    turns.send_webhooks({QUIET: [99_999]})
    assert queue.tasks == [(WEBHOOK_SITE_TASK, [LOUD]), (WEBHOOK_SITE_TASK, [QUIET])]

    # The loud site's turn takes its oldest events and, with more waiting, queues its next turn
    # behind the quiet site's.
    assert turns.take_site_webhooks(LOUD, 200).ids() == list(range(200))
    turns.end_site_turn(LOUD, NOTHING)
    assert queue.tasks[2:] == [(WEBHOOK_SITE_TASK, [LOUD])]
    assert turns.take_site_webhooks(QUIET, 200).ids() == [99_999]
    turns.end_site_turn(QUIET, NOTHING)
    assert len(queue.tasks) == 3  # nothing left for the quiet site: no turn


def test_events_a_slow_endpoint_left_untried_come_first_in_the_sites_next_turn(turns, queue):
    turns.send_webhooks({LOUD: [1, 2, 3, 4, 5]})
    taken = turns.take_site_webhooks(LOUD, 4)
    assert taken.ids() == [1, 2, 3, 4]
    turns.end_site_turn(LOUD, Taken([3, 4], []))
    assert queue.tasks == [(WEBHOOK_SITE_TASK, [LOUD])] * 2
    assert turns.take_site_webhooks(LOUD, 10).ids() == [3, 4, 5]


def test_an_event_committed_while_its_sites_turn_runs_waits_for_its_end_to_queue_the_next(turns, queue):
    """An integrator's walk: queued at once, the next turn ran beside the first, and a slow endpoint had
    turns running on every thread of the webhook worker while another site's events waited seconds."""
    turns.send_webhooks({LOUD: [1]})
    assert turns.take_site_webhooks(LOUD, 200).ids() == [1]
    turns.send_webhooks({LOUD: [2]})  # meanwhile
    turns.send_webhooks({LOUD: [3]})
    assert queue.tasks == [(WEBHOOK_SITE_TASK, [LOUD])]  # no second turn while the first runs
    turns.end_site_turn(LOUD, NOTHING)
    assert queue.tasks == [(WEBHOOK_SITE_TASK, [LOUD])] * 2  # the next, at the turn's end
    assert turns.take_site_webhooks(LOUD, 200).ids() == [2, 3]
    turns.end_site_turn(LOUD, NOTHING)
    assert len(queue.tasks) == 2  # nothing left: no turn


def test_a_running_turn_whose_worker_died_frees_its_site_after_a_while(queue, services):
    turns = CeleryDispatcher(queue, services.redis(), turn_lost_after=0.3)
    turns.send_webhooks({LOUD: [1]})
    assert turns.take_site_webhooks(LOUD, 200).ids() == [1]  # and its worker is killed: no end_site_turn
    time.sleep(0.5)
    turns.send_webhooks({LOUD: [2]})
    assert queue.tasks == [(WEBHOOK_SITE_TASK, [LOUD])] * 2


def test_a_turn_the_broker_refused_leaves_no_marker_so_the_next_event_queues_one(turns, queue, services):
    queue.fail_next = True
    turns.send_webhooks({LOUD: [1]})
    assert queue.tasks == [] and not services.redis().exists(WEBHOOK_TURN_KEY.format(LOUD))
    turns.send_webhooks({LOUD: [2]})
    assert queue.tasks == [(WEBHOOK_SITE_TASK, [LOUD])]
    assert turns.take_site_webhooks(LOUD, 200).ids() == [1, 2]  # the first waited, not lost


def test_with_redis_down_events_are_left_to_the_sweep_without_an_error(tmp_path, queue):
    import redis

    absent = redis.Redis(unix_socket_path=str(tmp_path / "absent.sock"), socket_timeout=0.5)
    down = CeleryDispatcher(queue, absent)
    down.send_webhooks({LOUD: [1, 2]})  # the request that committed them still answers
    assert down.take_site_webhooks(LOUD, 200).ids() == [] and queue.tasks == []


def test_a_turn_delivers_its_sites_waiting_events_signed_and_leaves_nothing_waiting(hooked, turns, queue, services):
    receiver, site, events = hooked
    ids = events(3)
    turns.send_webhooks({site.id: ids})
    outcomes = deliver_turn(db.session, site.id, **SETTINGS)
    assert {i: o.state for i, o in outcomes.items()} == {i: "delivered" for i in ids}
    assert all(db.session.get(WebhookDelivery, i).delivered_at is not None for i in ids)
    assert sorted(r.event["delivery_id"] for r in receiver.received) == ids
    assert all(r.signature_valid for r in receiver.received)
    assert queue.tasks == [(WEBHOOK_SITE_TASK, [site.id])]  # no next turn: nothing waits
    assert not services.redis().exists(WEBHOOK_WAITING_KEY.format(site.id))


def test_a_turn_not_started_in_time_is_taken_for_lost_and_the_next_event_queues_another(queue, services):
    # A worker that had reserved the turn lost its broker connection: the broker gives the turn back
    # only after its visibility timeout (ten minutes), and until then the site's events sat waiting.
    turns = CeleryDispatcher(queue, services.redis(), turn_lost_after=0.3)
    turns.send_webhooks({LOUD: [1]})
    turns.send_webhooks({LOUD: [2]})
    assert len(queue.tasks) == 1
    time.sleep(0.5)
    turns.send_webhooks({LOUD: [1, 2]})  # the sweep resending them
    assert queue.tasks == [(WEBHOOK_SITE_TASK, [LOUD])] * 2


def test_the_sweeps_resend_queues_a_turn_though_one_seems_queued(turns, queue):
    # A worker killed after reserving the site's turn took it along; the key says it is queued.
    turns.send_webhooks({LOUD: [1, 2]})
    turns.resend_webhooks({LOUD: [1, 2, 3]})
    assert queue.tasks == [(WEBHOOK_SITE_TASK, [LOUD])] * 2
    # What still waits is not added again: behind a slow endpoint's backlog the sweep finds the
    # same oldest events every round, and each copy took a slot in a turn.
    assert turns.take_site_webhooks(LOUD, 200).ids() == [1, 2, 3]


def test_a_turn_whose_time_is_up_while_another_site_waits_leaves_the_rest_first_in_line(hooked, turns, queue):
    """While another site's turn waits, a turn POSTs for TURN_SECONDS, not TURN_SIZE events whatever they
    take: by count, three flooding sites' turns of 200 kept a quiet site's event 8 s at the median (an
    agency's 25 sites). With no one waiting it goes on: cut short always, a slow endpoint got one event a
    turn and most of a flood had not arrived after 280 s (bench/webhook_fairness.py)."""
    receiver, site, events = hooked
    ids = events(8)
    turns.send_webhooks({site.id: ids[:4]})
    alone = deliver_turn(db.session, site.id, turn_seconds=0.0, **SETTINGS)
    assert sorted(alone) == ids[:4]  # no one waiting: the whole turn
    turns.send_webhooks({site.id: ids[4:]})
    turns.send_webhooks({QUIET: [99_999]})  # another site's turn queued behind
    outcomes = deliver_turn(db.session, site.id, turn_seconds=0.0, **SETTINGS)
    assert {i: o.state for i, o in outcomes.items()} == {ids[4]: "delivered"}  # the first alone, then time's up
    assert sorted(r.event["delivery_id"] for r in receiver.received) == ids[:5]
    assert queue.tasks[-1] == (WEBHOOK_SITE_TASK, [site.id])  # the site's next turn, at the back
    assert turns.take_site_webhooks(site.id, 200).ids() == ids[5:]


def test_a_readers_event_during_the_sites_import_is_in_the_sites_next_turn(turns, queue):
    """Behind its own site's import in one list, a reader's event waited 53 s at the median for an
    endpoint taking 50 ms (bench/import_lane.py --delay 0.05)."""
    for batch in range(40):  # a 10,000-comment import's scored batches
        turns.send_webhooks({LOUD: list(range(batch * 250, (batch + 1) * 250))}, bulk=True)
    turns.send_webhooks({LOUD: [99_999]})  # a reader's comment posted meanwhile, scored

    taken = turns.take_site_webhooks(LOUD, 200)

    assert taken.live == [99_999] and taken.bulk == list(range(199))


def test_a_sites_live_events_leave_half_of_each_turn_to_its_import(turns, queue):
    turns.send_webhooks({LOUD: list(range(1000))}, bulk=True)
    turns.send_webhooks({LOUD: list(range(5000, 5300))})

    taken = turns.take_site_webhooks(LOUD, 200)
    turns.end_site_turn(LOUD, Taken(taken.live[-10:], taken.bulk[-10:]))  # the endpoint slowed: untried

    assert taken == Taken(list(range(5000, 5100)), list(range(100)))
    assert turns.take_site_webhooks(LOUD, 200) == Taken(list(range(5090, 5190)), list(range(90, 190)))


def test_a_turn_posts_the_sites_live_events_before_its_imports(hooked, turns, queue):
    """In id order alone, a turn cut short by another site's wait left the newest, the readers', untried."""
    receiver, site, events = hooked
    ids = events(6)
    db.session.execute(update(WebhookDelivery).where(WebhookDelivery.id.in_(ids[:4])).values(bulk=True))
    db.session.commit()
    turns.send_webhooks({site.id: ids[:4]}, bulk=True)
    turns.send_webhooks({site.id: ids[4:]})
    turns.send_webhooks({QUIET: [99_999]})  # another site's turn waits: this one's first POST only

    outcomes = deliver_turn(db.session, site.id, turn_seconds=0.0, **SETTINGS)

    assert {i: o.state for i, o in outcomes.items()} == {ids[4]: "delivered"}
    assert turns.take_site_webhooks(site.id, 200) == Taken([ids[5]], ids[:4])
