"""Where a status change's audit entry and webhook event go: the session, or a batch's own statements.

`change_status` records both for every change. For a moderator's decision they are ORM objects
flushed with the rest of the session (`SessionWrites`). A scored batch of hundreds collects them in
`BatchWrites`, which writes the batch's comment rows, audit entries and events with one statement
each (json_rows.py): at a batch of 250 the writes took 44 ms of CPU through the unit of work and
executemany, 11 ms so (bench/profile_path.py --parts).

The events' ids come first, from their sequence: the webhook task and the scoring task's own
delivery need them, and an INSERT of known ids needs no RETURNING.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from moderation.domain.json_rows import RowUpdate, as_parameters, insert_rows
from moderation.domain.loaded_rows import attach, unsaved
from moderation.models import AuditEntry, Comment, WebhookDelivery

# What scoring may change on a comment, and each column's type as jsonb_to_recordset reads it.
SCORED_COLUMNS = {
    "status": "varchar", "version": "integer", "status_changed_at": "timestamptz", "scores": "jsonb",
    "explanations": "jsonb", "model_version": "varchar", "published_by_version": "varchar",
    "scored_at": "timestamptz", "flagged": "jsonb", "priority": "double precision",
    "scored_priority": "double precision", "rule_hits": "jsonb", "review_after_edit": "boolean",
}
_EVENT_COLUMNS = {"id": "bigint", "site_id": "bigint", "comment_id": "bigint", "event": "jsonb",
                  "created_at": "timestamptz", "attempts": "integer", "failed": "boolean", "last_error": "text",
                  "delivered_at": "timestamptz", "next_attempt_at": "timestamptz", "bulk": "boolean"}
_SCORED = RowUpdate(Comment.__tablename__, SCORED_COLUMNS)
_INSERT_AUDIT = insert_rows(AuditEntry.__tablename__, {"actor": "varchar", "action": "varchar",
                                                       "comment_id": "bigint", "details": "jsonb"})
_INSERT_EVENTS = insert_rows(WebhookDelivery.__tablename__, _EVENT_COLUMNS)


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
                                                 next_attempt_at=None, bulk=False))
        self._events.append(delivery)
        return delivery  # its id is set by `write`

    def write(self, session: Session, comments: Sequence[Comment] = ()) -> None:
        """Write the batch: the scored `comments` (then out of the session: their rows are
        written, and the unit of work must not diff them again at commit), the audit entries and
        the events (then in the session as loaded, with their ids, for delivery after commit)."""
        _SCORED.write_and_release(session, comments)
        connection = session.connection()
        if self._audit:
            connection.execute(_INSERT_AUDIT, as_parameters(self._audit))
        if self._events:
            sequence = func.pg_get_serial_sequence(WebhookDelivery.__tablename__, "id")
            ids = connection.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, len(self._events))))
            for delivery, delivery_id in zip(self._events, ids, strict=True):
                inspect(delivery).dict["id"] = delivery_id
            connection.execute(_INSERT_EVENTS, as_parameters([{k: getattr(d, k) for k in _EVENT_COLUMNS} for d in self._events]))
            for delivery in self._events:
                attach(session, delivery)  # persistent without the unit of work's INSERT: the row was just written
        self._audit, self._events = [], []
