"""Where a status change's audit entry and webhook event go: the session, or a batch's own statements.

`change_status` records both for every change. For a moderator's decision they are ORM objects
flushed with the rest of the session (`SessionWrites`). A scored batch of hundreds collects them in
`BatchWrites` and writes each kind with one executemany: the unit of work built, sorted and
RETURNING-inserted every row, and psycopg parsed each of its many-row INSERTs afresh (a statement
of thousands of parameters is too long for its cache), about half the CPU of committing a batch.

The events' ids come first, from their sequence: the webhook task and the scoring task's own
delivery need them, and an INSERT without RETURNING is what lets psycopg send the rows as one
prepared statement in a pipeline.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.orm import Session

from moderation.domain.loaded_rows import attach, unsaved
from moderation.models import AuditEntry, WebhookDelivery


class SessionWrites:
    """Added to the session: flushed, in order, with everything else it holds."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def audit(self, actor: str, action: str, *, comment_id: int | None, details: dict[str, Any]) -> None:
        self.session.add(AuditEntry(actor=actor, action=action, comment_id=comment_id, details=details))

    def event(self, *, site_id: int, comment_id: int, event: dict[str, Any], at: datetime) -> WebhookDelivery:
        delivery = WebhookDelivery(site_id=site_id, comment_id=comment_id, event=event)  # created_at: the server's
        self.session.add(delivery)
        return delivery  # its id is set at flush


class BatchWrites:
    """Collected while a batch is scored; `write` sends them, before the batch commits."""

    def __init__(self) -> None:
        self._audit: list[dict[str, Any]] = []
        self._events: list[WebhookDelivery] = []

    def audit(self, actor: str, action: str, *, comment_id: int | None, details: dict[str, Any]) -> None:
        self._audit.append({"actor": actor, "action": action, "comment_id": comment_id, "details": details})

    def event(self, *, site_id: int, comment_id: int, event: dict[str, Any], at: datetime) -> WebhookDelivery:
        delivery = unsaved(WebhookDelivery, dict(site_id=site_id, comment_id=comment_id, event=event, created_at=at,
                                                 attempts=0, failed=False, last_error=None, delivered_at=None,
                                                 next_attempt_at=None))
        self._events.append(delivery)
        return delivery  # its id is set by `write`

    def write(self, session: Session) -> None:
        if self._audit:
            session.execute(insert(AuditEntry.__table__), self._audit)
        if self._events:
            sequence = func.pg_get_serial_sequence(WebhookDelivery.__tablename__, "id")
            ids = session.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, len(self._events))))
            for delivery, delivery_id in zip(self._events, ids, strict=True):
                inspect(delivery).dict["id"] = delivery_id
            columns = [c.key for c in WebhookDelivery.__table__.columns]
            session.execute(insert(WebhookDelivery.__table__), [{k: getattr(d, k) for k in columns} for d in self._events])
            for delivery in self._events:
                attach(session, delivery)  # persistent without the unit of work's INSERT: the row was just written
        self._audit, self._events = [], []
