"""The author's file: every comment of theirs over a period with its whole history, to read or print
for a lawyer or a reader's complaint (domain/author_file.py)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from flask import render_template, request

from moderation import auth, db
from moderation.domain.author_file import author_file
from moderation.domain.queue_filters import zone, zone_name
from moderation.domain.sanctions import KIND_LABELS
from moderation.request_input import MAX_INT8, parse_int
from moderation.review.authors import site_or_404
from moderation.review.routes import bp

DEFAULT_DAYS = 30


# The years a period may name: a To of 9999-12-31 had no day after it to end on, and answered 500
# (a re-check).
YEARS = (1970, 2999)


def _day(name: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return day if day is None or YEARS[0] <= day.year <= YEARS[1] else None


@bp.get("/review/author-file/<int:site_id>")
@auth.login_required("moderator")
def author_file_page(site_id: int) -> str | tuple[str, int]:
    """?id=AUTHOR&from=YYYY-MM-DD&to=YYYY-MM-DD&tz=ZONE (days of that zone, UTC without one; both days
    kept; the last 30 days by default)."""
    site = site_or_404(site_id)
    author_id = request.args.get("id", "")
    named = zone_name(request.args)
    # Today in the moderator's zone: UTC's had left a Sydney morning's comments out of the default file
    # once its days were read in her zone (a second re-check).
    today = datetime.now(zone(named)).date()
    first, last = _day("from"), _day("to")
    wrong = [name for name in ("from", "to") if request.args.get(name, "").strip() and _day(name) is None]
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if wrong or first > last:
        return render_template("error.html", title="Cannot read these dates",
                               message=f"From and To are days like 2026-11-28, in the years {YEARS[0]} to {YEARS[1]}, "
                                       "From not after To."), 400
    # Days of the moderator's zone, as the page's times are shown (local_time.js names it in the form):
    # UTC days had listed 6 December's comments on a "5 December" file for a viewer at UTC+14 (a re-check).
    since = datetime.combine(first, time(), zone(named))
    until = datetime.combine(last + timedelta(days=1), time(), zone(named))
    after = parse_int(request.args.get("after"), maximum=MAX_INT8) or 0
    found = author_file(db.session, site.id, author_id, since=since, until=until, after=after)
    return render_template("review/author_file.html", site=site, file=found, first=first, last=last, zone=named,
                           kinds=KIND_LABELS, printed_by=auth.current_user().username,
                           printed_at=datetime.now(timezone.utc))
