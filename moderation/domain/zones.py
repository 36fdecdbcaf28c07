"""Which time-zone names a page or report may be asked for: the IANA zones this server's tzdata
lists. `ZoneInfo` also opens "localtime" and "posixrules", files beside the zones that mean whatever
this server was set to, so a report asked for "localtime" days said the server's zone under a name
that is none."""
from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones


# Files in the zone directory that are not zones of their own: "localtime" is this server's, even
# in available_timezones() where the system's tzdata has it; "posix/" and "right/" copy the others.
_NOT_ZONES = {"localtime", "posixrules", "Factory"}


@cache
def _known() -> frozenset[str]:
    return frozenset(name for name in available_timezones()
                     if name not in _NOT_ZONES and not name.startswith(("posix/", "right/"))) | {"UTC"}


def known_zone(raw: str | None) -> str | None:
    """The zone's name if this server knows it (surrounding spaces dropped), else None."""
    name = (raw or "").strip()
    return name if 0 < len(name) <= 64 and name in _known() else None
