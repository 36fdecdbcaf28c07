"""At most one scoring task waits in the queue: it claims every pending comment when it starts.
And the domain sends through the dispatcher its session carries, not through the Flask app."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from moderation import db
from moderation.dispatcher import CeleryDispatcher
from moderation.domain.dispatch import SCORE_QUEUED_KEY, scoring_task_finishing, send_for_scoring, send_webhooks
from moderation.models import WebhookDelivery


def queued_tasks(services) -> int:
    return services.redis().llen("moderation")


@pytest.fixture
def marker_ttl_ms(monkeypatch, services) -> Iterator[int]:
    """The marker lives SCORE_QUEUED_TTL_MS (2 s) in Redis's own clock. A test that needs it alive
    between two steps gives it ten minutes instead: a busy machine can hold a test process for
    longer than 2 s, or than the 100 ms of a marker "about to expire", and the marker would be gone."""
    import moderation.dispatcher

    monkeypatch.setattr(moderation.dispatcher, "SCORE_QUEUED_TTL_MS", 600_000)
    yield 600_000
    services.redis().delete(SCORE_QUEUED_KEY)  # left for ten minutes, it would hold back later tests' tasks


def test_comments_posted_while_a_scoring_task_waits_send_no_task_of_their_own(app, services, marker_ttl_ms):
    with app.app_context():
        for comment_id in (1, 2, 3):
            assert send_for_scoring(db.session, [comment_id])
    assert queued_tasks(services) == 1


def test_once_the_task_has_started_the_next_comment_sends_a_new_task(app, services):
    with app.app_context():
        send_for_scoring(db.session, [1])
        scoring_task_finishing(db.session)
        send_for_scoring(db.session, [2])
    assert queued_tasks(services) == 2


def test_a_comment_is_still_sent_when_the_marker_cannot_be_read(app_with, services, tmp_path):
    app = app_with(REDIS_URL=f"redis+socket://{tmp_path}/absent.sock")
    with app.app_context():
        assert send_for_scoring(db.session, [1]) is False  # the broker is down too: the sweep will score it


class FlakyBroker:
    """A Celery whose first send fails, as when the broker connection broke a moment ago."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.fail = True

    def send_task(self, name: str, args: list, retry: bool) -> None:
        if self.fail:
            self.fail = False
            raise ConnectionError("broker connection lost")
        self.sent.append(name)


def test_a_failed_send_leaves_no_marker_so_the_next_comment_sends_its_own_task(services):
    services.redis().delete(SCORE_QUEUED_KEY)  # an earlier test's marker would send nothing at all
    broker = FlakyBroker()
    dispatcher = CeleryDispatcher(broker, services.redis())

    assert dispatcher.send_for_scoring([1]) is False
    assert not services.redis().exists(SCORE_QUEUED_KEY)
    assert dispatcher.send_for_scoring([2]) is True
    assert broker.sent == ["workers.tasks.score_comments"]  # not left waiting for the sweep


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, list[int]]] = []

    def send_webhooks(self, by_site: dict[int, list[int]], *, bulk: bool = False) -> None:
        self.sent.append(("webhooks", by_site))

    def send_for_scoring(self, comment_ids: list[int]) -> bool:
        self.sent.append(("scoring", comment_ids))
        return True

    def scoring_task_finishing(self) -> None:
        self.sent.append(("started", []))


def test_the_domain_sends_through_its_sessions_dispatcher_without_an_app():
    recorder = Recorder()
    session = Session(info={"dispatcher": recorder})  # no Flask app, no Celery, no Redis

    send_webhooks(session, [WebhookDelivery(id=7, site_id=1), None, WebhookDelivery(id=9, site_id=2),
                            WebhookDelivery(id=8, site_id=1)])
    send_for_scoring(session, [3])
    scoring_task_finishing(session)

    assert recorder.sent == [("webhooks", {1: [7, 8], 2: [9]}), ("scoring", [3]), ("started", [])]


def test_a_session_without_a_dispatcher_says_so():
    with pytest.raises(RuntimeError, match="no dispatcher"):
        send_for_scoring(Session(), [1])


class StaleOnce:
    """A Redis client whose pooled connection is from before a restart: the first command fails."""

    def __init__(self) -> None:
        self.keys = {SCORE_QUEUED_KEY}
        self.calls = 0

    def delete(self, key: str) -> None:
        self.calls += 1
        if self.calls == 1:
            import redis

            raise redis.ConnectionError("Connection closed by server.")
        self.keys.discard(key)


def test_a_finishing_task_clears_the_marker_even_on_a_connection_from_before_a_redis_restart():
    marker = StaleOnce()
    CeleryDispatcher(FlakyBroker(), marker).scoring_task_finishing()
    assert marker.keys == set()  # left set, new comments would send no task for its whole TTL


def test_a_scoring_turn_releases_once_and_hands_on_after_releasing():
    from moderation.domain.dispatch import ScoringTurn

    recorder = Recorder()
    turn = ScoringTurn(Session(info={"dispatcher": recorder}))
    turn.carry_on()
    turn.finish()  # already released: nothing more
    assert recorder.sent == [("started", []), ("scoring", [])]

    stopped = Recorder()
    ScoringTurn(Session(info={"dispatcher": stopped})).finish()  # stopped by an error before releasing
    assert stopped.sent == [("started", [])]


class Broker:
    def __init__(self) -> None:
        self.sent: list[tuple[str, list]] = []

    def send_task(self, name: str, args: list, retry: bool) -> None:
        self.sent.append((name, args))


def clear_helper_slots(services, upto: int = 4) -> None:
    from moderation.domain.dispatch import SCORE_HELPER_KEY

    services.redis().delete(*[SCORE_HELPER_KEY.format(slot) for slot in range(1, upto)])


def test_a_backlog_starts_helpers_up_to_scoring_tasks_and_a_finished_one_frees_its_slot(services):
    """SCORING_TASKS=3: the first task and at most two helpers score at once, each in its own slot."""
    clear_helper_slots(services)
    broker = Broker()
    dispatcher = CeleryDispatcher(broker, services.redis(), scoring_tasks=3)

    assert [dispatcher.send_scoring_helper() for _ in range(3)] == [True, True, False]
    assert broker.sent == [("workers.tasks.score_comments", [[], 1]), ("workers.tasks.score_comments", [[], 2])]

    dispatcher.scoring_helper_finishing(1)
    assert dispatcher.send_scoring_helper() is True
    assert broker.sent[-1] == ("workers.tasks.score_comments", [[], 1])
    clear_helper_slots(services)


def test_with_one_scoring_task_no_helper_is_ever_sent(services):
    clear_helper_slots(services)
    broker = Broker()
    assert CeleryDispatcher(broker, services.redis(), scoring_tasks=1).send_scoring_helper() is False
    assert broker.sent == []


def test_a_helper_that_could_not_be_sent_leaves_its_slot_free(services):
    clear_helper_slots(services)
    broker = FlakyBroker()
    dispatcher = CeleryDispatcher(broker, services.redis(), scoring_tasks=2)
    assert dispatcher.send_scoring_helper() is False  # the broker refused it
    assert dispatcher.send_scoring_helper() is True  # the slot was not left taken
    clear_helper_slots(services)


def test_a_helper_turn_asks_for_the_next_helper_and_frees_its_own_slot_when_it_stops(services):
    from moderation.domain.dispatch import SCORE_HELPER_KEY, HelperTurn

    clear_helper_slots(services)
    broker = Broker()
    dispatcher = CeleryDispatcher(broker, services.redis(), scoring_tasks=3)
    assert dispatcher.send_scoring_helper()  # the first task's helper, in slot 1
    turn = HelperTurn(Session(info={"dispatcher": dispatcher}), 1)

    turn.claimed(full=True)  # it found a full batch too
    assert broker.sent[-1] == ("workers.tasks.score_comments", [[], 2])
    turn.finish()
    assert not services.redis().exists(SCORE_HELPER_KEY.format(1))
    assert services.redis().exists(SCORE_HELPER_KEY.format(2))
    clear_helper_slots(services)


def test_a_scoring_task_keeps_its_marker_alive_while_it_claims_and_not_after_releasing(services, marker_ttl_ms):
    """Expired under a long stream, the marker let every POST send a task that claimed alongside."""
    from moderation.domain.dispatch import ScoringTurn

    # "About to expire" against the TTL a claim renews it to; still a minute away, so a test held up
    # by a busy machine finds it there to renew (100 ms was not always enough).
    expiring_ms = 60_000
    store = services.redis()
    dispatcher = CeleryDispatcher(Broker(), store, scoring_tasks=1)
    store.set(SCORE_QUEUED_KEY, "1", px=expiring_ms)  # about to expire
    turn = ScoringTurn(Session(info={"dispatcher": dispatcher}))

    turn.claimed(full=False)
    assert store.pttl(SCORE_QUEUED_KEY) > marker_ttl_ms - expiring_ms  # renewed to the full TTL

    turn.release()
    store.set(SCORE_QUEUED_KEY, "1", px=expiring_ms)  # the next comment's task's marker
    turn.claimed(full=False)  # this task's last claim, after the release
    assert store.pttl(SCORE_QUEUED_KEY) <= expiring_ms  # not this task's to keep


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Stalled:
    """Redis, or the broker on it, that answers nothing: each call fails after its whole timeout."""

    def __init__(self, clock: Clock) -> None:
        self.clock, self.calls = clock, 0

    def _stall(self, *args: object, **kwargs: object) -> None:
        import redis

        self.calls += 1
        self.clock.now += 1.0
        raise redis.TimeoutError("Timeout reading from socket")

    set = delete = pexpire = send_task = pipeline = llen = _stall


def test_after_one_call_stalls_for_its_whole_timeout_redis_is_left_alone_for_a_few_seconds():
    clock = Clock()
    marker, broker = Stalled(clock), Stalled(clock)
    dispatcher = CeleryDispatcher(broker, marker, broker_timeout=1.0, clock=clock)

    started = clock.now
    assert dispatcher.send_for_scoring([1]) is False
    assert clock.now - started == 1.0  # one stalled call, not a marker, a send and two clears (4 s)
    calls = marker.calls + broker.calls
    assert dispatcher.send_for_scoring([2]) is False  # at once: the comment waits for the sweep
    dispatcher.send_webhooks({1: [7]})
    dispatcher.scoring_task_finishing()
    assert marker.calls + broker.calls == calls and clock.now - started == 1.0

    clock.now += 5.1  # then it tries again
    assert dispatcher.send_for_scoring([3]) is False and marker.calls + broker.calls == calls + 1


def test_each_apps_sessions_carry_its_own_dispatcher(app, app_with, tmp_path):
    """With one sessionmaker per process, the last create_app's services went to every app's sessions:
    a test's second app, with a dead Redis, handed its dispatcher to the first (an onboarding review)."""
    other = app_with(REDIS_URL=f"redis+socket://{tmp_path}/absent.sock")
    with app.app_context():
        first = db.session.info["dispatcher"]
        with other.app_context():  # nested, as a test client's request inside a test's own context
            second = db.session.info["dispatcher"]
        assert db.session.info["dispatcher"] is first
    assert first is app.extensions["dispatcher"] and second is other.extensions["dispatcher"]
