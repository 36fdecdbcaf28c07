"""The period a report or an export covers, read from a query string: the last N days ending now
(`days`), or whole calendar days (`from`, `to`, both kept, or `month`), UTC days unless `tz` names a
zone.

An audience analyst's monthly report and a DSA transparency report's half year could not be had:
only "the last 30 days" ending now, so November's numbers were gone once December began, and
`?since=`, `?month=` or `?days=31` fell back to the last 7 days without a word. Anything unreadable
here is a ValidationFailed naming its parameter, never a default.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from moderation.domain.errors import ValidationFailed
from moderation.domain.zones import known_zone

PERIODS = (1, 7, 30, 90, 365)  # days, as the decisions page offers them
DEFAULT_DAYS = 7
# A calendar year, a leap year's too, at most: no more than `days=365` already reads, whose queries
# scan every comment of the period (a year of a busy site's is the slowest page here).
MAX_DAYS = 366
# Years a date may name: the day after 9999-12-31 is an OverflowError, a 500 (an author file's re-check).
YEARS = (1970, 2999)
# Names a reader tries for the dates, each once read as nothing (`?since=2026-11-01` was the last 7 days).
OTHER_NAMES = {"since": "from", "until": "to", "start": "from", "end": "to"}


@dataclass(frozen=True)
class ReportPeriod:
    since: datetime  # the first instant counted
    until: datetime  # the first instant not counted; never after `now`
    days: int | None = None  # `days=` as given; None for calendar days
    first: date | None = None  # calendar days, both kept
    last: date | None = None
    zone: str | None = None  # the zone of those days; None: UTC
    ends_later: datetime | None = None  # the period's end when it is not over yet (counted until now)

    def as_args(self) -> dict[str, str]:
        """The query-string form, for links that keep the period."""
        if self.first is None or self.last is None:
            return {"days": str(self.days)}
        args = {"from": self.first.isoformat(), "to": self.last.isoformat()}
        return {**args, "tz": self.zone} if self.zone else args

    @property
    def name(self) -> str:
        """For a file's name: "7d", or "2026-11-01-to-2026-11-30"."""
        return f"{self.days}d" if self.first is None else f"{self.first}-to-{self.last}"


def one(args: Mapping[str, str], name: str) -> str:
    """A parameter's value stripped ("" when absent); sent twice, a 400 naming it, as the API answers:
    `days=7&days=30` had read 7 days, and `site=1&site=2` site 1, without a word."""
    values = args.getlist(name) if hasattr(args, "getlist") else ([args[name]] if name in args else [])
    if len(values) > 1:
        raise ValidationFailed(f"{name} is given {len(values)} times; give it once", field=name)
    return values[0].strip() if values else ""


def _day(args: Mapping[str, str], name: str) -> date | None:
    raw = one(args, name)
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None or not YEARS[0] <= day.year <= YEARS[1]:
        raise ValidationFailed(f"{name} must be a day like 2026-11-30, in the years {YEARS[0]} to {YEARS[1]}",
                               field=name)
    return day


def _month(args: Mapping[str, str]) -> tuple[date, date] | None:
    raw = one(args, "month")
    if not raw:
        return None
    try:
        first = date.fromisoformat(raw + "-01") if len(raw) == 7 else None
    except ValueError:
        first = None
    if first is None or not YEARS[0] <= first.year <= YEARS[1]:
        raise ValidationFailed("month must be a month like 2026-11", field="month")
    return first, (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)


def _zone(args: Mapping[str, str]) -> str | None:
    raw = one(args, "tz")
    if not raw:
        return None
    if known_zone(raw) is None:
        # Not UTC in its place: a report's days in another zone than asked would not say so.
        raise ValidationFailed("tz must be a time zone such as Europe/Berlin, or left out for UTC days", field="tz")
    return known_zone(raw)


def calendar_days(args: Mapping[str, str], *, today: date,
                  longest: int | None = None) -> tuple[date | None, date | None]:
    """`from` and `to`, or `month`, as read; either end may be missing. A reversed range, a month
    beside dates, or more than `longest` days is refused."""
    for other, name in OTHER_NAMES.items():
        if other in args:
            raise ValidationFailed(f"{other} is not read here: give {name} (a day like 2026-11-30)", field=other)
    first, last = _day(args, "from"), _day(args, "to")
    month = _month(args)
    if month is not None:
        if first or last:
            raise ValidationFailed("give month, or from and to, not both", field="month")
        first, last = month
    if first and last and first > last:
        raise ValidationFailed(f"from ({first}) must not be after to ({last})", field="from")
    if longest is not None and first and (last or today) - first >= timedelta(days=longest):
        raise ValidationFailed(f"from and to may cover at most {longest} days, a calendar year; "
                               "download a longer time a year at a time", field="to" if last else "from")
    return first, last


def report_period(args: Mapping[str, str], *, now: datetime) -> ReportPeriod:
    """The decisions report's period. `days` alone, or `from` (to, by default, today) with `to`, or
    `month`; none of them: the last 7 days."""
    zone_name = _zone(args)
    zone = ZoneInfo(zone_name) if zone_name else timezone.utc
    raw_days = one(args, "days")
    today = now.astimezone(zone).date()
    first, last = calendar_days(args, today=today, longest=MAX_DAYS)
    if raw_days and (first or last):
        raise ValidationFailed("give days, or from and to (or month), not both", field="days")
    if first is None and last is None:
        if zone_name:
            raise ValidationFailed("tz names the zone of from and to: give it with them", field="tz")
        days = int(raw_days) if raw_days.isascii() and raw_days.isdigit() and len(raw_days) < 4 else None
        if raw_days and days not in PERIODS:
            raise ValidationFailed(f"days must be one of {', '.join(map(str, PERIODS))}", field="days")
        days = days or DEFAULT_DAYS
        return ReportPeriod(now - timedelta(days=days), now, days=days)
    if first is None:
        raise ValidationFailed("from is needed with to: the first day to count", field="from")
    last = last or today
    since = datetime.combine(first, time(), zone)
    end = datetime.combine(last + timedelta(days=1), time(), zone)
    if since > now:
        raise ValidationFailed(f"from ({first}) is after today", field="from")
    # Not yet over (this month): counted until now, and said so, not as if the rest had come and gone quiet.
    return ReportPeriod(since.astimezone(timezone.utc), min(end, now).astimezone(timezone.utc), first=first, last=last,
                        zone=zone_name, ends_later=end.astimezone(timezone.utc) if end > now else None)


def day_bounds(args: Mapping[str, str], *, now: datetime) -> tuple[datetime | None, datetime | None]:
    """The instants `from`, `to` (or `month`) and `tz` bound, for a log read a page at a time: either
    end may be open, and no length is refused. The audit log's CSV had no dates at all: a month's
    entries were the whole log, to be cut by hand. `days`, which a log does not take, is refused, not
    read as the whole log (a re-check: `?days=1` gave every entry)."""
    if "days" in args:
        raise ValidationFailed("days is not read here: give from and to (days like 2026-11-30), or month",
                               field="days")
    zone_name = _zone(args)
    zone = ZoneInfo(zone_name) if zone_name else timezone.utc
    first, last = calendar_days(args, today=now.astimezone(zone).date())
    if zone_name and not (first or last):
        raise ValidationFailed("tz names the zone of from and to: give it with them", field="tz")
    since = datetime.combine(first, time(), zone) if first else None
    until = datetime.combine(last + timedelta(days=1), time(), zone) if last else None
    return since, until
