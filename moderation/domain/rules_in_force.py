"""The kinds a site keeps only to flag, kept per process for a moment.

The Perspective endpoint raises a score where a plain-words matcher reads a threat, an attack on a
group or urging self-harm (perspective/plain_words.py), unless the site has rules of that kind and
every one of them only flags: a site whose readers quote court reports had its quotes at 0.95 with
no lever (a Coral developer's walk, 2026-12-06), and setting its threats rule to flag is one. A kind
the site has no rule of still lifts: sites made before a kind joined the starter rules lack it, and
had lost its lift silently when only the kinds a site has lifted (a re-check).

It asks on every `comments:analyze`, so the answer is kept ROW_TTL seconds, as the site's row is
(site_rows.py): a save of rules in this process is seen at once, one made by another process within
ROW_TTL. A read that fails or stalls keeps the copy, or with none lifts every kind: a request must
not wait on a stalled database for it, nor a stall let a threat through.
"""
from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import event, select
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


def flag_only(rules: list[dict]) -> frozenset[str]:
    """The kinds among `rules` whose every rule only flags: those publish what they read, as if taken
    away (rule_sets.protections_removed reads them so too)."""
    rules = [rule for rule in rules if isinstance(rule, dict)]
    holding = {rule["kind"] for rule in rules if rule.get("action") != FLAG}
    return frozenset(rule["kind"] for rule in rules if rule["kind"] not in holding)


def flag_only_kinds(session: Session, site_id: int) -> frozenset[str]:
    """flag_only of the site's rules in force, from this process's copy while fresh."""
    now = time.monotonic()
    with _lock:
        kept = _kept.get(site_id)
    if kept is not None and kept[0] > now:
        return kept[1]
    engine = session.get_bind()
    try:
        kinds = read_within(("rule kinds", engine, site_id), lambda: _read(engine, site_id))
    except (NoAnswer, OperationalError) as error:
        if not isinstance(error, NoAnswer) or error.first:
            log.warning("site %s's rules could not be read; %s", site_id,
                        "using this process's copy" if kept else "every plain-words kind lifts until they are")
        kinds = kept[1] if kept is not None else frozenset()  # tried again in ROW_TTL, not by every request
    with _lock:
        _kept[site_id] = (now + ROW_TTL, kinds)
    return kinds


def _read(engine: Engine, site_id: int) -> frozenset[str]:
    with Session(engine) as own:
        rules = own.scalar(select(RuleSet.rules).where(RuleSet.site_id == site_id)
                           .order_by(RuleSet.version.desc()).limit(1))
    return flag_only(rules or [])


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
