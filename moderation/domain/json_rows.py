"""Many rows in one statement: the rows as one JSON parameter that PostgreSQL reads back as a
table with jsonb_to_recordset.

For the hundreds of rows of a scored batch, or of its webhook deliveries, this is one call to
`orjson.dumps` and one statement, where the unit of work diffed every attribute of every
object and psycopg adapted every parameter of every row in Python (bench/profile_path.py --parts:
a batch of 250 comments' writes took 44 ms of CPU that way, 11 ms this way).

`columns` maps each column to its type as jsonb_to_recordset reads it ("bigint", "timestamptz",
"jsonb"...). A Python None is SQL NULL, in a jsonb column too, as the ORM writes it.

orjson rather than the standard json: a scored batch's rows (scores, highlights, events) took
7.5 % of a scoring worker's CPU in json.dumps at 2,000 comments/s (py-spy --gil); with orjson a
batch of 250's writes take 6.8 ms of CPU, not 11 (profile_path.py --parts). It writes datetimes
as ISO 8601 itself.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import TextClause, inspect, text
from sqlalchemy.orm import Session


def _value(column: str, kind: str) -> str:
    # Read as jsonb, a JSON null is the JSON value null, not SQL NULL.
    return f"NULLIF(v.{column}, 'null'::jsonb)" if kind == "jsonb" else f"v.{column}"


def _rows(columns: Mapping[str, str]) -> str:
    return f"jsonb_to_recordset(CAST(:rows AS jsonb)) AS v({', '.join(f'{c} {t}' for c, t in columns.items())})"


def insert_rows(table: str, columns: Mapping[str, str]) -> TextClause:
    """INSERT INTO table (columns) from the rows; run with `as_parameters(rows)`."""
    values = ", ".join(_value(c, t) for c, t in columns.items())
    return text(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {_rows(columns)}")


def update_rows(table: str, columns: Mapping[str, str], where: str | None = None) -> TextClause:
    """UPDATE table's rows by their bigint `id` (each row's "id", not in `columns`) to the rows' values;
    with `where`, only the rows it holds for (SQL, the new values as `v.<column>`)."""
    assignments = ", ".join(f"{c} = {_value(c, t)}" for c, t in columns.items())
    guard = f" AND {where}" if where else ""
    return text(f"UPDATE {table} SET {assignments} FROM {_rows({'id': 'bigint', **columns})} WHERE {table}.id = v.id{guard}")


# Written as JSON null, NaN and infinity would pass unseen: scoring refuses such scores before any write.
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def as_parameters(rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    return {"rows": orjson.dumps(rows, default=_refuse, option=_OPTIONS).decode()}


def _refuse(value: Any) -> Any:
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def only_these_changed(objects: Sequence[Any], columns: Mapping[str, str]) -> None:
    """Raise if any of these ORM objects has a change outside `columns`: written by an UPDATE of
    those columns and then dropped from the session, that change would be lost without a trace."""
    for obj in objects:
        other = set(inspect(obj).committed_state) - columns.keys()
        if other:
            raise RuntimeError(f"{type(obj).__name__} {obj.id} changed {sorted(other)}, which this write does not include")


class RowUpdate:
    """An UPDATE of `columns` of a table's rows by id, from ORM objects that changed nothing else."""

    def __init__(self, table: str, columns: Mapping[str, str], where: str | None = None) -> None:
        self.columns = dict(columns)
        self.statement = update_rows(table, self.columns, where)

    def write_and_release(self, session: Session, objects: Sequence[Any]) -> None:
        """Write the objects' rows in one statement, then take them out of the session: the unit
        of work would otherwise diff every attribute of each again at commit."""
        if not objects:
            return
        only_these_changed(objects, self.columns)
        session.connection().execute(self.statement, as_parameters(
            [{"id": obj.id, **{k: getattr(obj, k) for k in self.columns}} for obj in objects]))
        for obj in objects:
            session.expunge(obj)
