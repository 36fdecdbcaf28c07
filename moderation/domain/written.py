"""When a comment was written (the site's `created_at` beside our `received_at`), and the span of days
a set of comments was written over, for "held per day" on the thresholds page and in the backtest."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, literal_column

from moderation.models import Comment

# Migration 0028's bounds: a day inside Python's years, so psycopg can read what lies between.
_READABLE = and_(Comment.created_at >= literal_column("TIMESTAMPTZ '0001-01-03 00:00:00+00'"),
                 Comment.created_at < literal_column("TIMESTAMPTZ '9999-12-30 00:00:00+00'"))


# A comment the reader wrote this long before it arrived is history a site imports: not a storm, not a
# flood, not a new author's first words. A newsroom importing its backlog with storm mode on had every
# story of the import held; an archive's import held a comment written 200 days after the same
# author's same words as "5 times in 1 min", and every comment as a new author's (storms.py, rule_facts.py).
HISTORY = timedelta(hours=1)


def is_history(comment: Comment) -> bool:
    return comment.created_at is not None and comment.created_at < comment.received_at - HISTORY


def written_at():  # noqa: ANN201 - an SQL expression
    """When a comment was written, for spans of days: the site's `created_at` where it sent one before
    the comment arrived, else its arrival. An import of a month's history arrives in a minute, and
    "held per day" over arrival times read 11,904 for a site that held 17 (a migrating site's walk)."""
    return func.least(func.coalesce(Comment.created_at, Comment.received_at), Comment.received_at)


def readable_created_at():  # noqa: ANN201 - an SQL expression
    """`created_at` where psycopg can read it, else NULL: a row stored before it was range-checked
    (year 10,000 in UTC) made every page that loaded it a 500, so pages that show it read it so."""
    return case((_READABLE, Comment.created_at), else_=None)


SECONDS_PER_DAY = 86_400.0
# Held per day is counted over the days the comments came in, at least an hour. Floored at a day,
# 755 comments received in 21 minutes read as 35 a day on the thresholds page where the threshold
# offered held 391 of that day's (a helper's walk), and the backtest page said 29 where it said
# 792 for the same threshold (a moderator's walk). An hour keeps a burst received in the same
# second from reading as thousands a day.
SHORTEST_SPAN_SECONDS = 3600.0


def span_days(first: datetime, last: datetime) -> float:
    return max((last - first).total_seconds(), SHORTEST_SPAN_SECONDS) / SECONDS_PER_DAY


def written_bounds(times: Sequence[datetime]) -> tuple[datetime, datetime]:
    """The first and last of `times`, leaving out a few at either end (up to a tenth of them) that lie
    apart from the rest by more than half the whole span, as often as there are such groups: one
    comment a site dated 1970 (a CMS's empty date sent as 0) had stretched a month's decisions over
    20,792 days and every held-per-day target then offered a threshold holding nearly everything (a
    re-check); two such, each 0, had too (a second); and 1970 beside 2000 (a third)."""
    ordered = sorted(times)
    left = max(1, len(ordered) // 10)  # how many may still be left out, at both ends together
    while left > 0 and len(ordered) > 2:
        whole = (ordered[-1] - ordered[0]).total_seconds()
        ends = min(left, len(ordered) - 2)
        gaps = [(k, (ordered[k] - ordered[k - 1]).total_seconds(), "low") for k in range(1, ends + 1)]
        gaps += [(k, (ordered[k] - ordered[k - 1]).total_seconds(), "high")
                 for k in range(len(ordered) - ends, len(ordered))]
        k, gap, side = max(gaps, key=lambda found: found[1])
        if gap <= whole / 2:
            break
        dropped = k if side == "low" else len(ordered) - k
        ordered = ordered[k:] if side == "low" else ordered[:k]
        left -= dropped
    return ordered[0], ordered[-1]


def span_words(days: float) -> str:
    """A span under a day in words: "an hour or less", "45 minutes", "3.0 hours"."""
    minutes = round(days * 24 * 60)
    if minutes <= SHORTEST_SPAN_SECONDS / 60:
        return "an hour or less"
    if minutes >= 23.95 * 60:  # "24.0 hours" (a re-check)
        return "a day"
    return f"{minutes} minutes" if minutes < 120 else f"{minutes / 60:.1f} hours"
