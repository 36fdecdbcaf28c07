"""A site's turn at the webhook worker: up to TURN_SIZE of its waiting events, oldest first in each
of its lanes (dispatch.py), delivered as any batch is (webhooks.deliver_many). Why turns: domain/dispatch.py."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from moderation.domain.dispatch import TURN_SIZE, Taken, dispatcher
from moderation.domain.webhooks import Outcome, deliver_many

# Past this long, a turn ends as soon as another site's turn is waiting, and its untried events wait
# for the site's next turn. By count alone, a turn of 200 took about 2 s on a busy machine, and a
# quiet site's event waited behind three flooding sites' turns 8 s at the median (an agency running
# 25 sites on one install). With no one waiting a turn goes on as long as WEBHOOK_TIMEOUT: cut
# short always, a site whose endpoint takes 0.6 s got one event a turn, and 3,181 of a 4,000-comment
# flood had not arrived after 280 s (bench/webhook_fairness.py).
TURN_SECONDS = 0.5


def deliver_turn(session: Session, site_id: int, *, limit: int = TURN_SIZE, turn_seconds: float = TURN_SECONDS,
                 **settings: Any) -> dict[int, Outcome]:
    """The turn's outcomes, but for the events left untried because the endpoint was slow or the
    turn's time was up: those are first in line for the site's next turn, which goes to the back of
    the queue, behind the other sites' turns. `settings` are deliver_many's."""
    turns = dispatcher(session)
    taken = turns.take_site_webhooks(site_id, limit)
    ids = taken.ids()
    try:
        outcomes = deliver_many(session, ids, yield_after=turn_seconds,
                                yield_if=lambda: turns.other_turns_waiting(site_id), **settings) if ids else {}
    except Exception:
        session.rollback()
        # The taken events are rows still undelivered, which the sweep sends again; the others
        # waiting get their turn, so one turn's failure holds up none of them.
        turns.end_site_turn(site_id, Taken([], []))
        raise
    later = [i for i in ids if i in outcomes and outcomes[i].state == "later"]
    turns.end_site_turn(site_id, taken.among(later))
    return {i: outcome for i, outcome in outcomes.items() if outcome.state != "later"}
