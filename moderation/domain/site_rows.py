"""A site's row, kept per process for a moment, so an API request need not read it every time.

Under load every API request read its site's row through the ORM: a round trip and a fifth of a
comment POST's CPU (bench/e2e.py with py-spy), for a row that changes a few times a year. A copy
is kept for ROW_TTL seconds. A change this process makes is seen at once (a Site's update or
delete forgets it); one made by another process is seen within ROW_TTL.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.util import identity_key

from moderation.bounded_reads import NoAnswer, read_within
from moderation.domain.loaded_rows import as_loaded
from moderation.models import Site

log = logging.getLogger(__name__)

ROW_TTL = 2.0
# How long a copy whose reading again failed or did not answer may stand. Past it the request is
# refused (503) rather than served on the copy: the change being missed may be a key revoked or a
# site turned off, committed before the re-read stalled behind a lock (a security review: a revoked
# key answered for 26 s behind a 25-second lock on `sites`).
MAX_STALE = 10.0

_rows: dict[int, tuple[float, dict[str, Any], float | None]] = {}  # fresh until, values, stale since
_lock = threading.Lock()
_COLUMNS = [attribute.key for attribute in Site.__mapper__.column_attrs]


def site_row(session: Session, site_id: int) -> Site | None:
    """The site, from this process's copy while fresh, else read (and kept). A copy past its time
    is read again, but not waited for past bounded_reads' bound: while the database does not
    answer, the copy stands, for MAX_STALE seconds at most."""
    now = time.monotonic()
    with _lock:
        kept = _rows.get(site_id)
    if kept is None:
        site = session.get(Site, site_id)
        if site is not None:
            _keep(site_id, {key: _fresh(getattr(site, key)) for key in _COLUMNS}, now)
        return site
    in_session = session.identity_map.get(identity_key(Site, site_id))
    if in_session is not None:
        return in_session
    values, stale_since = kept[1], None
    if kept[0] <= now:
        engine = session.get_bind()
        try:
            values = read_within(("site", engine, site_id), lambda: _read(engine, site_id))
        except (NoAnswer, OperationalError) as error:
            stale_since = kept[2] if kept[2] is not None else now
            if now - stale_since > MAX_STALE:
                raise sa_exc.TimeoutError(f"site {site_id}'s row could not be read again for {MAX_STALE:g} s") from None
            if not isinstance(error, NoAnswer) or error.first:
                why = "in time" if isinstance(error, NoAnswer) else f"({str(error).splitlines()[0]})"
                log.warning("site %s's row could not be read again %s; using this process's copy for up to %g s",
                            site_id, why, MAX_STALE)
        if values is None:
            forget(site_id)
            return None
        _keep(site_id, values, now, stale_since)  # a failed read too: tried again in ROW_TTL, not by every request
    # Not merge: that copies every attribute again, for a row no one has here.
    return as_loaded(session, Site, {key: _fresh(value) for key, value in values.items()})


def _read(engine: Engine, site_id: int) -> dict[str, Any] | None:
    with Session(engine) as own:
        site = own.get(Site, site_id)
        return None if site is None else {key: _fresh(getattr(site, key)) for key in _COLUMNS}


def _keep(site_id: int, values: dict[str, Any], now: float, stale_since: float | None = None) -> None:
    with _lock:
        _rows[site_id] = (now + ROW_TTL, values, stale_since)


def _fresh(value: Any) -> Any:
    """A copy deep enough that a request changing a JSON column in place (a site's thresholds)
    cannot change the kept row; every other value (str, int, float, bool, datetime) is immutable.
    copy.deepcopy, mostly on datetimes, was 5 % of a comment POST's CPU (bench/profile_path.py)."""
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh(item) for item in value]
    return value


def forget(site_id: int | None = None) -> None:
    """Drop the copy of one site (or of all): the next request reads the row."""
    with _lock:
        if site_id is None:
            _rows.clear()
        else:
            _rows.pop(site_id, None)


# Mapper events on Site alone: a listener on every flush would walk every session's dirty set.
@event.listens_for(Site, "after_update")
@event.listens_for(Site, "after_delete")
def _forget_changed_site(_mapper: Mapper, _connection: object, site: Site) -> None:
    forget(site.id)
