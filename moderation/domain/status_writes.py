"""Where a status change's audit entry and webhook event go: the session, or a batch's own statements.

`change_status` records both for every change. For a moderator's decision they are ORM objects
flushed with the rest of the session (`SessionWrites`). A scored batch of hundreds collects them in
`BatchWrites`, which writes the batch's comment rows, audit entries and events with one statement
each: the rows as one JSON parameter that PostgreSQL's jsonb_to_recordset reads back as a table.
At a batch of 250 this took the writes from 44 to 11 ms of CPU (bench/profile_path.py --parts):
the unit of work diffed every attribute of every comment and psycopg adapted every parameter of
every row in Python, where `json.dumps` is one call in C. Before that (an executemany each),
the unit of work RETURNING-inserted every row and psycopg parsed each many-row INSERT afresh.

The events' ids come first, from their sequence: the webhook task and the scoring task's own
delivery need them, and an INSERT of known ids needs no RETURNING.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from moderation.domain.loaded_rows import attach, unsaved
from moderation.models import AuditEntry, Comment, WebhookDelivery

# What scoring may change on a comment, and each column's type as jsonb_to_recordset reads it.
SCORED_COLUMNS = {
    "status": "varchar", "version": "integer", "status_changed_at": "timestamptz", "scores": "jsonb",
    "explanations": "jsonb", "model_version": "varchar", "scored_at": "timestamptz", "flagged": "jsonb",
    "priority": "double precision", "rule_hits": "jsonb", "review_after_edit": "boolean",
}
_AUDIT_COLUMNS = {"actor": "varchar", "action": "varchar", "comment_id": "bigint", "details": "jsonb"}
_EVENT_COLUMNS = {"id": "bigint", "site_id": "bigint", "comment_id": "bigint", "event": "jsonb",
                  "created_at": "timestamptz", "attempts": "integer", "failed": "boolean", "last_error": "text",
                  "delivered_at": "timestamptz", "next_attempt_at": "timestamptz"}


def _value(column: str, kind: str) -> str:
    # A JSON null read as jsonb is the JSON value null; the ORM's None is SQL NULL, and so is this.
    return f"NULLIF(v.{column}, 'null'::jsonb)" if kind == "jsonb" else f"v.{column}"


def _rows(columns: dict[str, str]) -> str:
    return f"jsonb_to_recordset(CAST(:rows AS jsonb)) AS v({', '.join(f'{c} {t}' for c, t in columns.items())})"


_UPDATE_SCORED = text(
    f"UPDATE comments SET {', '.join(f'{c} = {_value(c, t)}' for c, t in SCORED_COLUMNS.items())} "
    f"FROM {_rows({'id': 'bigint', **SCORED_COLUMNS})} WHERE comments.id = v.id")


def _insert(table: str, columns: dict[str, str]) -> Any:
    values = ", ".join(_value(c, t) for c, t in columns.items())
    return text(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {_rows(columns)}")


_INSERT_AUDIT = _insert(AuditEntry.__tablename__, _AUDIT_COLUMNS)
_INSERT_EVENTS = _insert(WebhookDelivery.__tablename__, _EVENT_COLUMNS)


def _as_json(rows: list[dict[str, Any]]) -> dict[str, str]:
    return {"rows": json.dumps(rows, default=_json_default)}


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


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

    def write(self, session: Session, comments: Sequence[Comment] = ()) -> None:
        """Write the batch: the scored `comments` (then out of the session: their rows are
        written, and the unit of work must not diff them again at commit), the audit entries and
        the events (then in the session as loaded, with their ids, for delivery after commit)."""
        connection = session.connection()
        if comments:
            _check_only_scored_columns_changed(comments)
            connection.execute(_UPDATE_SCORED, _as_json(
                [{"id": c.id, **{k: getattr(c, k) for k in SCORED_COLUMNS}} for c in comments]))
            for comment in comments:
                session.expunge(comment)
        if self._audit:
            connection.execute(_INSERT_AUDIT, _as_json(self._audit))
        if self._events:
            sequence = func.pg_get_serial_sequence(WebhookDelivery.__tablename__, "id")
            ids = connection.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, len(self._events))))
            for delivery, delivery_id in zip(self._events, ids, strict=True):
                inspect(delivery).dict["id"] = delivery_id
            connection.execute(_INSERT_EVENTS, _as_json([{k: getattr(d, k) for k in _EVENT_COLUMNS} for d in self._events]))
            for delivery in self._events:
                attach(session, delivery)  # persistent without the unit of work's INSERT: the row was just written
        self._audit, self._events = [], []


def _check_only_scored_columns_changed(comments: Sequence[Comment]) -> None:
    """A change to any other column would be lost with the object: fail the batch instead (it is
    then scored one by one, and each comment set aside), so a new assignment in scoring cannot
    go unwritten unnoticed."""
    for comment in comments:
        other = set(inspect(comment).committed_state) - SCORED_COLUMNS.keys()
        if other:
            raise RuntimeError(f"scoring changed {sorted(other)} of comment {comment.id}, which BatchWrites does not write")
