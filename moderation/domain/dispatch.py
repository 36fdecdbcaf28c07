"""Sending work to the workers after a commit, through the dispatcher create_app built.

A domain function finds the dispatcher on its database session (`session.info["dispatcher"]`):
the session is the unit of work whose commits these messages follow. So nothing here reaches for
the Flask app, Celery or Redis, and a test can give a session a dispatcher of its own.

Scoring tasks are deduplicated: a scoring task claims every pending comment, so while one is
queued or scoring a newly committed comment needs no task of its own. A short-lived Redis key
says "a scoring task will claim"; the task keeps claiming while it finds comments, deletes the
key when a claim finds none, and claims once more (scoring.score_pending's `release`), so a
comment committed after that sends a new task and one committed before it is claimed. Without
the key, each POST queued a task and, under load, the queue filled with tasks that found nothing
left to score; with it deleted as each task started, a task was sent for every few comments.
The key expires on its own unless the task renews it, which it does at each claim, so a lost
task (or one that died) costs at most SCORE_QUEUED_TTL of deduplication, and the sweep catches
up on the rest.

One task scores one batch at a time, and posts its events in between, so past about 1,200
comments/s a backlog grew behind it while the other worker process sat mostly idle (bench/e2e.py's
batch row: the two pool processes at 64 % and 24 % of a core, the machine half idle). So a task
that claims a full batch asks for a helper: another scoring task, up to SCORING_TASKS at once,
each holding a slot key of its own while it scores. A helper stops at the first batch that is
not full and frees its slot; it never holds back new comments (that stays the first task's job).

Webhook events wait in a list per site, and each site with events waiting has one "turn" task in
the webhook queue (a key like the scoring one says it is queued). A turn takes up to TURN_SIZE of
its site's events, and if more are left queues the site's next turn, at the back. With a task per
batch of events, one site's flood of 22,500 comments put about 90 tasks ahead of a quiet site's
event, which arrived 45 s late (an SRE's walk); now at most one turn of each other site is ahead
of it. The events are rows first: whatever Redis loses, the sweep sends again.

A site's events wait in two lists, its lanes: the scoring events of comments that came in a batch
(`bulk`), and all the others. A turn takes from both, half each when both are long. In one list,
a reader's comment posted during the site's 10,000-comment import had its event behind the
import's: 53 s at the median for an endpoint taking 50 ms (bench/import_lane.py --delay 0.05).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple, Protocol

from sqlalchemy.orm import Session

from moderation.models import WebhookDelivery

DISPATCHER = "dispatcher"  # the key in Session.info
SCORE_QUEUED_KEY = "moderation:scoring-task-queued"
# Short: a task that dies (or is killed at shutdown) before it deletes the key strands the comments
# posted meanwhile until the next POST's task or the sweep, so for at most this long.
SCORE_QUEUED_TTL_MS = 2_000
SCORE_HELPER_KEY = "moderation:scoring-helper:{}"
# A helper frees its slot when it stops; one killed first frees it after this long.
SCORE_HELPER_TTL_MS = 60_000
WEBHOOK_WAITING_KEY = "moderation:webhooks-waiting:{}"  # a site's events waiting for its turn
WEBHOOK_BULK_KEY = "moderation:webhooks-waiting-bulk:{}"  # and those of its imports, in their lane
WEBHOOK_TURN_KEY = "moderation:webhook-turn-queued:{}"  # its next turn is in the queue
# Its turn is running: events committed meanwhile wait for the turn's end to queue the next one. They
# had queued it at once, so a slow endpoint (4 s an answer) had a turn running on every one of the
# webhook worker's threads, and a quiet site's events waited seconds behind them (an integrator's
# walk). Lives as long as a queued turn's key; a turn whose worker died frees the site after it.
WEBHOOK_RUNNING_KEY = "moderation:webhook-turn-running:{}"
# Seconds a queued turn's key lives (create_app: WEBHOOK_RESEND_AFTER, at most three WEBHOOK_TIMEOUTs,
# the time threads busy with other turns keep a queued one waiting). A turn lost with its worker's
# connection comes back only after the broker's visibility timeout, ten minutes, and a key Redis set
# as it came back from a freeze, after the client had given up, has no turn at all (a re-check).
WEBHOOK_TURN_LOST_AFTER = 15.0
# Events nobody takes (their turn could not be sent and none came after) are sent by the sweep; the
# list itself goes after this long so it cannot grow for good.
WEBHOOK_WAITING_TTL_MS = 3_600_000
TURN_SIZE = 200  # a turn's events: a healthy endpoint takes them in well under a second


class Taken(NamedTuple):
    """A turn's events from each of its site's lanes, oldest first in each."""

    live: list[int]
    bulk: list[int]

    def ids(self) -> list[int]:
        return [*self.live, *self.bulk]

    def among(self, ids: Iterable[int]) -> "Taken":
        """Those of `ids` this turn took, each in its lane."""
        wanted = set(ids)
        return Taken([i for i in self.live if i in wanted], [i for i in self.bulk if i in wanted])


class Dispatcher(Protocol):
    """moderation.dispatcher.CeleryDispatcher: tasks by name through the broker. A lost message is
    never lost work: the rows are committed first, and the sweep sends what is left."""

    def send_task(self, name: str, args: list[object]) -> bool:
        """Any task by name (a training run, a backtest): False when the broker could not take it."""

    def send_webhooks(self, by_site: Mapping[int, list[int]], *, bulk: bool = False) -> None:
        """Each site's events onto its list (its bulk lane's if `bulk`), and a turn queued for each
        site without one."""

    def resend_webhooks(self, by_site: Mapping[int, list[int]], *, bulk: bool = False) -> None:
        """The sweep's: events not delivered in time, whose site's queued turn may be lost with a
        worker. Each site gets a turn queued even if one seems queued already."""

    def take_site_webhooks(self, site_id: int, limit: int) -> Taken:
        """A turn begins: up to `limit` of the site's waiting events, oldest first in each lane, and
        from each lane at least half the limit if it has them; events added from now on queue the
        site's next turn."""

    def other_turns_waiting(self, site_id: int) -> bool:
        """Whether another site's turn is queued and not started; True when it cannot tell, since
        a short turn is the fair guess."""

    def end_site_turn(self, site_id: int, put_back: Taken) -> None:
        """A turn ends: `put_back` (not tried: the endpoint was slow) first in line again, each in
        its lane, and the site's next turn queued if events are waiting."""

    def send_for_scoring(self, comment_ids: list[int]) -> bool: ...

    def scoring_task_finishing(self) -> None: ...

    def scoring_task_holding(self) -> None: ...

    def send_scoring_helper(self) -> bool: ...

    def scoring_helper_finishing(self, slot: int) -> None: ...


def dispatcher(session: Session) -> Dispatcher:
    found = session.info.get(DISPATCHER)
    if found is None:
        raise RuntimeError("this database session has no dispatcher: use moderation.db.session "
                           "(create_app sets one) or pass info={'dispatcher': ...}")
    return found


def send_webhooks(session: Session, deliveries: Iterable[WebhookDelivery | None]) -> None:
    """Call after commit: the events wait for their sites' turns."""
    for bulk, by_site in by_lane(d for d in deliveries if d is not None).items():
        dispatcher(session).send_webhooks(by_site, bulk=bulk)


def resend_webhooks(session: Session, deliveries: Iterable[WebhookDelivery]) -> None:
    """Call after commit: events the sweep found undelivered too long."""
    for bulk, by_site in by_lane(deliveries).items():
        dispatcher(session).resend_webhooks(by_site, bulk=bulk)


def in_bulk_lane(deliveries: Iterable[WebhookDelivery | None]) -> list[WebhookDelivery | None]:
    """Mark the events of one action on many comments (a bulk decision, holding published comments the
    rules fire on, publishing those raised thresholds would) for their site's bulk lane, before
    commit: a re-check's "Hold these 500" kept a reader's webhook 22.5 s behind them."""
    deliveries = list(deliveries)
    for delivery in deliveries:
        if delivery is not None:
            delivery.bulk = True
    return deliveries


def by_lane(deliveries: Iterable[WebhookDelivery]) -> dict[bool, dict[int, list[int]]]:
    """Each lane's events by site: the live lane's (False) first."""
    lanes: dict[bool, list[WebhookDelivery]] = {}
    for delivery in deliveries:
        lanes.setdefault(bool(delivery.bulk), []).append(delivery)
    return {bulk: by_site_of(lanes[bulk]) for bulk in (False, True) if bulk in lanes}


def by_site_of(deliveries: Iterable[WebhookDelivery]) -> dict[int, list[int]]:
    by_site: dict[int, list[int]] = {}
    for delivery in deliveries:
        by_site.setdefault(delivery.site_id, []).append(delivery.id)
    return by_site


def send_task(session: Session, name: str, args: list[object]) -> bool:
    """Call after commit: a task by name (a training run, a backtest); False when the broker could not take it."""
    return dispatcher(session).send_task(name, args)


def send_for_scoring(session: Session, comment_ids: list[int]) -> bool:
    """Call after commit; comments whose message is lost stay pending until the sweep scores them."""
    return dispatcher(session).send_for_scoring(comment_ids)


def scoring_task_finishing(session: Session) -> None:
    """A scoring task calls this before its last claim, so comments committed from now on send a task."""
    dispatcher(session).scoring_task_finishing()


class ScoringTurn:
    """A scoring task's hold on the "a scoring task will claim" key: comments committed while it
    scores are left to it until `release` (scoring.score_pending calls it before its last claim).
    `carry_on` hands the rest to a fresh task at the batch limit; `finish`, in a `finally`,
    releases a turn that stopped early (an error), so new comments send a task again."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.released = False

    def release(self) -> None:
        self.released = True
        scoring_task_finishing(self.session)

    def carry_on(self) -> None:
        self.release()
        send_for_scoring(self.session, [])  # after the release, so it sends a task of its own

    def claimed(self, full: bool) -> None:
        """Call on each claim that found comments. Until released, the key stays alive: under a
        steady stream one task claims for minutes, and an expired key let every POST send a task
        that then claimed alongside it. On a full batch comments come faster than this task
        scores them, so it asks for a helper."""
        if not self.released:
            dispatcher(self.session).scoring_task_holding()
        if full:
            dispatcher(self.session).send_scoring_helper()

    def finish(self) -> None:
        if not self.released:
            scoring_task_finishing(self.session)


class HelperTurn:
    """A helper's hold on its slot (see the module's docstring): freed when it stops, however it stops."""

    # Unlike ScoringTurn, it holds back no new comments and hands nothing on: it stops at the
    # first batch that is not full (scoring.score_pending without `release` or `carry_on`).
    release = None
    carry_on = None

    def __init__(self, session: Session, slot: int) -> None:
        self.session = session
        self.slot = slot

    def claimed(self, full: bool) -> None:
        if full:
            dispatcher(self.session).send_scoring_helper()  # the next free slot, if any

    def finish(self) -> None:
        dispatcher(self.session).scoring_helper_finishing(self.slot)
