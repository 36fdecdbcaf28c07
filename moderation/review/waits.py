"""How long a card's readers' reports have waited, as the review pages say it (domain/report_wait.py).

Each page says it as of its drawing; static/waits.js counts on from there while the page stays open.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from flask import g
from markupsafe import Markup

from moderation import db
from moderation.domain.lifecycle import now
from moderation.domain.report_wait import oldest_report_at, report_window, waited_past
from moderation.models import Comment


def ago(value: datetime, at: datetime | None = None) -> str:
    """"just now", "14 min ago", "2 h 5 min ago", "3 days ago": static/waits.js says it alike."""
    minutes = int(max((at or now()) - value, timedelta()).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min ago"
    return f"{minutes // (24 * 60)} days ago"


class ReportWait(NamedTuple):
    oldest: datetime  # when the oldest open report came in
    overdue: bool  # past the desk's window
    window_minutes: int


def report_wait(comment: Comment) -> ReportWait | None:
    """The card's oldest open report and whether it waited past the window (the domain's waited_past,
    which the queue's banner and the sweep count by); None if none is open."""
    open_reports = [r for r in comment.reports if r.outcome is None]
    oldest = oldest_report_at(open_reports)
    if oldest is None:
        return None
    window = _page_window()
    return ReportWait(oldest, waited_past(open_reports, window, now()), int(window.total_seconds() // 60))


def _page_window() -> timedelta:
    """The desk's window, read once for the page's request however many cards it draws."""
    if "report_window" not in g:
        g.report_window = report_window(db.session)
    return g.report_window


def waited(value: datetime, prefix: str = "") -> Markup:
    """`prefix` and how long ago, in a <time> static/waits.js keeps counting; the time in its tooltip, in UTC
    said so, which static/local_time.js shows in the moderator's own zone."""
    return Markup('<time datetime="{}" title="{}" data-ago="{}">{}{}</time>').format(
        value.isoformat(), value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), prefix, prefix, ago(value))
