"""The models a process scores with, following the registry without a restart.

create_app builds one ModelProvider per process (app.extensions["models"]); workers and web
processes reach it through the same app. `refresh()` re-reads the assignments at most every
MODEL_CHECK_INTERVAL seconds, one small query in a session of its own (so it never commits or
rolls back the caller's work), and a version is loaded at most once per process: a worker notices
a promotion or rollback within seconds of it, at its next batch, and keeps every model still in
use in memory, plus the KEEP_UNUSED most recently used others, so rolling back (or promoting again)
a version the process just scored with needs no load.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Integer, literal, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from moderation.bounded_reads import NoAnswer, read_within
from moderation.domain import model_registry as registry
from moderation.models import ModelAssignment, ModelVersion

if TYPE_CHECKING:
    from classifiers import CivilityModel

log = logging.getLogger(__name__)

# Models kept loaded although no scope uses them now: the usual rollback target is among them.
KEEP_UNUSED = 2
# A site's own version that failed to load is tried again after this long, not at every batch.
RETRY_FAILED_AFTER = 60.0


@dataclass(frozen=True)
class _Entry:
    """What a process needs to load a version, copied out of the session that read it."""

    id: int
    version: str
    sha256: str
    artifact: str

    def as_row(self) -> ModelVersion:
        return ModelVersion(id=self.id, version=self.version, sha256=self.sha256, artifact=self.artifact)


# The whole check: every assignment (a handful of rows: the global one and sites' overrides) and the shadow.
_ASSIGNMENTS_AND_SHADOW = union_all(
    select(literal("assigned").label("kind"), ModelAssignment.site_id, ModelVersion.id, ModelVersion.version,
           ModelVersion.sha256, ModelVersion.artifact)
    .join(ModelVersion, ModelVersion.id == ModelAssignment.version_id),
    select(literal("shadow"), literal(None, Integer), ModelVersion.id, ModelVersion.version, ModelVersion.sha256,
           ModelVersion.artifact)
    .where(ModelVersion.status == registry.SHADOW),
)


class ModelProvider:
    def __init__(self, engine: Engine, *, var_dir: Path, model_path: Path, check_interval: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self.var_dir = Path(var_dir)
        self.model_path = Path(model_path)
        self.check_interval = check_interval
        self.clock = clock
        self._lock = threading.RLock()
        self._checked_at: float | None = None
        self._global: _Entry | None = None
        self._sites: dict[int, _Entry] = {}
        self._shadow: _Entry | None = None
        self._models: OrderedDict[str, CivilityModel] = OrderedDict()  # least recently used first
        self._failed: dict[str, float] = {}  # version -> when it last failed to load

    # -- what the scorer asks ------------------------------------------------------------------

    def for_site(self, site_id: int | None) -> CivilityModel:
        """The model `site_id` scores with: its own active version, else the global one. An own version
        that cannot be loaded (its files and the registry's copy both damaged) gives the global one,
        logged: refused, it stopped every batch holding that site's comments, every site's with them,
        and the site's Perspective requests and every site's drift check (an operator's walk)."""
        self._ensure_checked()
        entry = self._sites.get(site_id) if site_id is not None else None
        own = self._load_own(entry, f"site {site_id}") if entry is not None else None
        return own if own is not None else self._load(self._global)

    def default(self) -> CivilityModel:
        return self.for_site(None)

    def shadow(self) -> CivilityModel | None:
        self._ensure_checked()
        return self._load(self._shadow) if self._shadow is not None else None

    def versions_in_use(self) -> list[str]:
        """Every version scoring some site, without loading any: the global one first, then sites' own, each once."""
        self._ensure_checked()
        return list(dict.fromkeys([self._global.version, *sorted(e.version for e in self._sites.values())]))  # type: ignore[union-attr]

    def in_use_model(self, version: str) -> CivilityModel | None:
        """The model of `version` if some site scores with it (loaded once, as for_site loads it), else
        None; None too for a site's own version that cannot be loaded, which for_site stands in for."""
        self._ensure_checked()
        entry = next((e for e in (self._global, *self._sites.values()) if e is not None and e.version == version), None)
        if entry is None:
            return None
        return self._load(entry) if entry is self._global else self._load_own(entry, f"version {entry.version}")

    def in_use(self) -> list[CivilityModel]:
        """Every version scoring some site, loaded: the global one first, then sites' own, each once."""
        return [model for version in self.versions_in_use() if (model := self.in_use_model(version)) is not None]

    def version_for(self, site_id: int | None) -> str:
        """The active version's name, without loading it."""
        self._ensure_checked()
        entry = self._sites.get(site_id) if site_id is not None else None
        return (entry or self._global).version  # type: ignore[union-attr]

    def refresh(self, *, force: bool = False) -> None:
        """Re-read the assignments if the last check is older than check_interval (or `force`). With a
        version already known, the check is not waited for past bounded_reads' bound: a stalled
        database kept every Perspective request waiting on it (an operator's walk)."""
        with self._lock:
            if not force and self._checked_at is not None and self.clock() - self._checked_at < self.check_interval:
                return
            known = self._global
        try:
            if known is None or force:  # nothing to score with yet, or a caller that just changed the registry
                rows = self._query()
            else:
                rows = read_within(("models", id(self)), self._query)
        except NoAnswer as error:
            if error.first:
                log.warning("the model registry did not answer in time; keeping %s for now", known.version)
        except OperationalError:
            if known is None:
                raise
            # The database is away: keep scoring with what was active, and look again later.
            log.warning("could not check the model registry; keeping %s for now", known.version)
        else:
            with self._lock:
                self._apply(rows)
            return
        self._checked_at = self.clock()

    # -- inside ----------------------------------------------------------------------------------

    def _ensure_checked(self) -> None:
        if self._checked_at is None or self._global is None:
            self.refresh(force=True)

    def _query(self) -> list:
        """The assignments and the shadow; outside the lock, which loading a model also takes."""
        with Session(self.engine) as session:
            rows = session.execute(_ASSIGNMENTS_AND_SHADOW).all()
            if not any(r.kind == "assigned" and r.site_id is None for r in rows):
                # An empty registry: the shipped model becomes the global version (once, under a lock).
                registry.ensure_bootstrapped(session, var_dir=self.var_dir, model_path=self.model_path)
                session.commit()
                rows = session.execute(_ASSIGNMENTS_AND_SHADOW).all()
        return rows

    def _apply(self, rows: list) -> None:
        global_entry, sites, shadow = None, {}, None
        for r in rows:
            entry = _Entry(r.id, r.version, r.sha256, r.artifact)
            if r.kind == "shadow":
                shadow = entry
            elif r.site_id is None:
                global_entry = entry
            else:
                sites[r.site_id] = entry
        if global_entry is not None and self._global is None:
            # Not "is now": said at every start, it read as a promotion (an operator's walk).
            log.info("scoring with model %s, the global version", global_entry.version)
        elif global_entry is not None and global_entry.version != self._global.version:
            log.info("model %s is now the global version", global_entry.version)
        self._global, self._sites, self._shadow = global_entry, sites, shadow
        self._checked_at = self.clock()
        in_use = {e.version for e in (global_entry, shadow, *sites.values()) if e is not None}
        unused = [v for v in self._models if v not in in_use]
        for version in unused[:max(0, len(unused) - KEEP_UNUSED)]:
            del self._models[version]

    def _load_own(self, entry: _Entry, whose: str) -> CivilityModel | None:
        """A site's own version, or None when it cannot be loaded: said once, and not tried again for
        RETRY_FAILED_AFTER seconds (every batch had read and hashed the file and the registry's copy
        again, and logged it: a re-check). A lost database is not the version's fault: raised."""
        failed_at = self._failed.get(entry.version)
        if failed_at is not None and self.clock() - failed_at < RETRY_FAILED_AFTER:
            return None
        try:
            return self._load(entry)
        except OperationalError:
            raise
        except Exception as error:
            with self._lock:
                self._failed[entry.version] = self.clock()
            log.error("%s's own model %s cannot be loaded (%s); scoring with the global model %s instead; trying it "
                      "again in %.0f s", whose, entry.version, error, self._global.version if self._global else "-",
                      RETRY_FAILED_AFTER)
            return None

    def _load(self, entry: _Entry | None) -> CivilityModel:
        if entry is None:
            raise LookupError("no model version is active")
        model = self._models.get(entry.version)
        if model is not None:
            with self._lock:
                if entry.version in self._models:
                    self._models.move_to_end(entry.version)
            return model
        with self._lock:
            model = self._models.get(entry.version)
            if model is None:
                started = time.perf_counter()
                with Session(self.engine) as session:  # used only where the files will not do
                    model = registry.load_registered(session, entry.as_row(), self.var_dir)
                self._models[entry.version] = model
                log.info("loaded model %s in %.1f s", entry.version, time.perf_counter() - started)
        return model

class FixedModels:
    """One model for every site and no registry: for tests and tools that bring their own model."""

    def __init__(self, model: CivilityModel) -> None:
        self.model = model

    def for_site(self, site_id: int | None) -> CivilityModel:
        return self.model

    def default(self) -> CivilityModel:
        return self.model

    def versions_in_use(self) -> list[str]:
        return [self.model.version]

    def in_use_model(self, version: str) -> CivilityModel | None:
        return self.model if version == self.model.version else None

    def in_use(self) -> list[CivilityModel]:
        return [self.model]

    def shadow(self) -> None:
        return None

    def refresh(self, *, force: bool = False) -> None:
        pass
