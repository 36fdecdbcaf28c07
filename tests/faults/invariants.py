"""What must hold after every fault, checked the same way each time.

* every comment answered 202 reaches exactly one final status (held counts: scoring is done
  and a moderator takes it from there), and so does any comment stored without a 202;
* it was scored once: one `status:pending->...` audit entry per comment, agreeing with its status;
* the site took in one event per status change, counted as a site counts them: distinct
  X-Moderation-Delivery ids, whose event carries the comment's final status;
* the service said in its logs what went wrong.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import select

from moderation import db
from moderation.models import AuditEntry, Comment, WebhookDelivery
from site_endpoint import SiteEndpoint
from stack import wait_for

SCORED = ("published", "held", "rejected")
# A duplicate webhook would be sent within a retry's backoff; wait this long for one to show up.
QUIET_PERIOD = 1.0


@dataclass
class Traffic:
    """What a site sent and what it was told."""

    name: str
    accepted: list[int] = field(default_factory=list)  # comment ids answered 202
    codes: Counter[int] = field(default_factory=Counter)

    @property
    def sent(self) -> int:
        return sum(self.codes.values())

    def post(self, client, site, external_id: str, text: str) -> int:
        body = {"id": external_id, "story_id": "story-1", "author_id": f"author-{external_id}", "text": text}
        response = client.post("/api/v1/comments", json=body, headers=site.headers)
        self.codes[response.status_code] += 1
        if response.status_code == 202:
            self.accepted.append(response.get_json()["id"])
        return response.status_code


def _state(app: Flask) -> tuple[dict[int, str], list]:
    with app.app_context():
        statuses = dict(db.session.execute(select(Comment.id, Comment.status)).all())
        deliveries = list(db.session.execute(select(WebhookDelivery.id, WebhookDelivery.comment_id,
                                                    WebhookDelivery.delivered_at, WebhookDelivery.failed)))
        db.session.rollback()
    return statuses, deliveries


def wait_until_settled(app: Flask, endpoint: SiteEndpoint | None, *, timeout: float) -> None:
    """Every stored comment scored and every delivery taken in by the site and recorded as delivered
    (or given up). Not only taken in: the worker records the delivery after the site answers, and a
    check run in between (seen on a loaded machine after a Redis restart) found it not yet recorded."""
    left: list[str] = []

    def settled() -> bool:
        statuses, deliveries = _state(app)
        pending = sorted(i for i, s in statuses.items() if s == "pending")
        taken = set(endpoint.accepted_per_delivery()) if endpoint is not None else set()
        undelivered = sorted(d.id for d in deliveries
                             if not d.failed and (str(d.id) not in taken or d.delivered_at is None))
        if endpoint is None:
            undelivered = []
        left[:] = [f"pending comments {pending[:10]} ({len(pending)})",
                   f"deliveries not taken in or not recorded {undelivered[:10]} ({len(undelivered)})"]
        return not pending and not undelivered

    try:
        wait_for(settled, timeout=timeout, what="every comment scored and every webhook taken in", interval=0.2)
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {'; '.join(left)}") from None
    time.sleep(QUIET_PERIOD)


def check_after_fault(app: Flask, endpoint: SiteEndpoint | None, traffic: Traffic, *,
                      logs: str | Callable[[], str], says: str, record: Callable[[str], None],
                      timeout: float = 60, extra: str = "") -> None:
    """Wait for the service to settle, then assert the invariants above and record the counts.

    `says`: a regular expression the logs must match, naming the fault. `logs` may be a callable,
    read after the wait, so a service that never settles shows what its workers said meanwhile.
    """
    read = logs if callable(logs) else (lambda: logs)
    try:
        wait_until_settled(app, endpoint, timeout=timeout)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nlogs, last 4,000 characters:\n{read()[-4000:]}") from None
    logs = read()
    statuses, deliveries = _state(app)
    with app.app_context():
        scorings = list(db.session.execute(
            select(AuditEntry.comment_id, AuditEntry.action).where(AuditEntry.action.like("status:pending->%"))))
        db.session.rollback()
    final = [i for i in traffic.accepted if statuses.get(i) in SCORED]
    events = endpoint.events_by_comment() if endpoint is not None else {}
    webhooks = sum(len(v) for v in events.values())
    line = (f"FAULT {traffic.name}: sent={traffic.sent}, accepted={len(traffic.accepted)}, final={len(final)}, "
            f"stored={len(statuses)}, webhooks={webhooks}, codes={dict(sorted(traffic.codes.items()))}"
            + (f", {extra}" if extra else ""))
    record(line)

    assert traffic.accepted, "the scenario accepted nothing, so it proves nothing"
    assert set(traffic.accepted) <= set(statuses), "a comment answered 202 was not stored"
    assert all(s in SCORED for s in statuses.values()), Counter(statuses.values())
    twice = {cid: n for cid, n in Counter(cid for cid, _ in scorings).items() if n != 1}
    never = set(statuses) - {cid for cid, _ in scorings}
    assert not twice and not never, f"scored twice: {twice}; never: {sorted(never)[:20]}"
    assert all(action == f"status:pending->{statuses[cid]}" for cid, action in scorings)
    if endpoint is not None:
        assert Counter(d.comment_id for d in deliveries) == Counter(statuses.keys()), "one event per status change"
        assert not [d.id for d in deliveries if d.failed or d.delivered_at is None], [
            (d.id, d.failed, d.delivered_at) for d in deliveries if d.failed or d.delivered_at is None][:10]
        assert all(p.signature_valid for p in endpoint.posts)
        assert {cid: len(v) for cid, v in events.items()} == {cid: 1 for cid in statuses}
        assert {cid: next(iter(v.values()))["comment"]["status"] for cid, v in events.items()} == statuses
    assert re.search(says, logs), f"the logs do not say what happened (/{says}/):\n{logs[-3000:]}"
