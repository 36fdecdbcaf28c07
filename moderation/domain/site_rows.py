"""A site's row, kept per process for a moment, so an API request need not read it every time.

Under load every API request read its site's row through the ORM: a round trip and a fifth of a
comment POST's CPU (bench/e2e.py with py-spy), for a row that changes a few times a year. A copy
is kept for ROW_TTL seconds. A change this process makes is seen at once (a Site's update or
delete forgets it); one made by another process is seen within ROW_TTL.
"""
from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.util import identity_key

from moderation.domain.loaded_rows import as_loaded
from moderation.models import Site

ROW_TTL = 2.0

_rows: dict[int, tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()
_COLUMNS = [attribute.key for attribute in Site.__mapper__.column_attrs]


def site_row(session: Session, site_id: int) -> Site | None:
    """The site, from this process's copy while fresh, else read (and kept)."""
    now = time.monotonic()
    with _lock:
        kept = _rows.get(site_id)
    if kept is None or kept[0] <= now:
        site = session.get(Site, site_id)
        if site is not None:
            values = {key: _fresh(getattr(site, key)) for key in _COLUMNS}
            with _lock:
                _rows[site_id] = (now + ROW_TTL, values)
        return site
    in_session = session.identity_map.get(identity_key(Site, site_id))
    if in_session is not None:
        return in_session
    # Not merge: that copies every attribute again, for a row no one has here.
    return as_loaded(session, Site, {key: _fresh(value) for key, value in kept[1].items()})


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
