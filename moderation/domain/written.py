"""When a comment was written, as SQL: the site's `created_at` beside our `received_at`."""
from __future__ import annotations

from sqlalchemy import and_, case, func, literal_column

from moderation.models import Comment

# Migration 0028's bounds: a day inside Python's years, so psycopg can read what lies between.
_READABLE = and_(Comment.created_at >= literal_column("TIMESTAMPTZ '0001-01-03 00:00:00+00'"),
                 Comment.created_at < literal_column("TIMESTAMPTZ '9999-12-30 00:00:00+00'"))


def written_at():  # noqa: ANN201 - an SQL expression
    """When a comment was written, for spans of days: the site's `created_at` where it sent one before
    the comment arrived, else its arrival. An import of a month's history arrives in a minute, and
    "held per day" over arrival times read 11,904 for a site that held 17 (a migrating site's walk)."""
    return func.least(func.coalesce(Comment.created_at, Comment.received_at), Comment.received_at)


def readable_created_at():  # noqa: ANN201 - an SQL expression
    """`created_at` where psycopg can read it, else NULL: a row stored before it was range-checked
    (year 10,000 in UTC) made every page that loaded it a 500, so pages that show it read it so."""
    return case((_READABLE, Comment.created_at), else_=None)
