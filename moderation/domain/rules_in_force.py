"""The kinds of a site's rules that hold or reject, kept per process for a moment.

The Perspective endpoint raises a score only where the site has a rule of the matcher's kind
(perspective/plain_words.py): a site created with no rules had its court reports scored 0.95 for a
threat they quoted, with no way to stop it (a Coral developer's walk, 2026-12-06). It asks on every
`comments:analyze`, so the answer is kept ROW_TTL seconds, as the site's row is (site_rows.py): a
save of rules in this process is seen at once, one made by another process within ROW_TTL. A read
that fails or stalls keeps the copy, as the row's does: a rule set is no security check, and a
request must not wait on a stalled database for it.
"""
from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import event, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Mapper, Session

from moderation.bounded_reads import NoAnswer, read_within
from moderation.domain.rules import FLAG
from moderation.domain.site_rows import ROW_TTL
from moderation.models import RuleSet, Site

log = logging.getLogger(__name__)

_kept: dict[int, tuple[float, frozenset[str]]] = {}  # site id -> (fresh until, kinds)
_lock = threading.Lock()


def kinds_of(rules: list[dict]) -> frozenset[str]:
    """The kinds among `rules` that hold or reject. A rule kept only as `flag` publishes what it reads,
    as if taken away (rule_sets.protections_removed reads it so too)."""
    return frozenset(rule["kind"] for rule in rules if isinstance(rule, dict) and rule.get("action") != FLAG)


def holding_kinds(session: Session, site_id: int) -> frozenset[str]:
    """kinds_of the site's rules in force, from this process's copy while fresh."""
    now = time.monotonic()
    with _lock:
        kept = _kept.get(site_id)
    if kept is not None and kept[0] > now:
        return kept[1]
    engine = session.get_bind()
    try:
        kinds = read_within(("rule kinds", engine, site_id), lambda: _read(engine, site_id))
    except (NoAnswer, OperationalError) as error:
        if kept is None:
            raise sa_exc.TimeoutError(f"site {site_id}'s rules could not be read") from None
        if not isinstance(error, NoAnswer) or error.first:
            log.warning("site %s's rules could not be read again; using this process's copy", site_id)
        kinds = kept[1]  # tried again in ROW_TTL, not by every request
    with _lock:
        _kept[site_id] = (now + ROW_TTL, kinds)
    return kinds


def _read(engine: Engine, site_id: int) -> frozenset[str]:
    with Session(engine) as own:
        rules = own.scalar(select(RuleSet.rules).where(RuleSet.site_id == site_id)
                           .order_by(RuleSet.version.desc()).limit(1))
    return kinds_of(rules or [])


def forget(site_id: int | None = None) -> None:
    """Drop the copy of one site's kinds (or of all): the next request reads them."""
    with _lock:
        if site_id is None:
            _kept.clear()
        else:
            _kept.pop(site_id, None)


@event.listens_for(RuleSet, "after_insert")
def _forget_saved(_mapper: Mapper, _connection: object, rule_set: RuleSet) -> None:
    forget(rule_set.site_id)


@event.listens_for(Site, "after_delete")
def _forget_deleted(_mapper: Mapper, _connection: object, site: Site) -> None:
    forget(site.id)
