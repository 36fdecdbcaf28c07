"""What an upgraded installation does not take up by itself, said when it starts (`moderation up`,
`moderation db upgrade`): a new release changes no model and no site's rules without an admin.

* The model a release ships is registered by itself only into an empty registry. An installation
  that already has one keeps scoring with it, and an operator who upgraded would not know there is
  a newer one to compare. One from before the registry, whose comments an unregistered model
  scored, is told that the shipped model takes over and how to bring the old one back.
* New sites start with the starter rules; sites made before a starter rule existed never had it.
  A site whose making recorded the starter kinds it was offered (`keys create` does, with
  `--rules none` or not) is named only for kinds added since.

* Held comments a release shows or hides otherwise than their sites were last told (a release
  hiding more while held on post-moderation sites, migration 0038's rule kinds) get an event each,
  once per release (domain/upgrade_visibility.py), and the hint says how many, on which site.

Each is said once: a start that says it records so in the audit log (`record=True`), as a site's
making records what it was offered. Said at every start, the same hint stayed on screen for
months, and a site that did not want a rule could never silence it (an operator's walk).
"""
from __future__ import annotations

import functools
import json
import logging
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import create_engine, select

from classifiers.paths import card_path_for, version_name

log = logging.getLogger(__name__)


# The audit actions that say what an installation has been offered or told, and by whom.
SITE_CREATED, RULES_TOLD, MODEL_TOLD, ACTOR = "site:created", "site:starter_rules_told", "release:model_told", "system:upgrade"
VISIBILITY_TOLD = "release:visibility_told"


class _Installed(NamedTuple):
    """What the database says the installation has and has been told."""
    registered: set[str]
    told_models: set[str]
    scored_by: list[str]
    sites: list
    offered: dict[int, set[str]]
    kinds_ever: dict[int, set[str]]


def upgrade_hints(database_url: str, model_path: Path, *, record: bool = False) -> list[str]:
    """The hints not said before; with `record`, each said is recorded, so the next start is quiet."""
    from moderation.models import AuditEntry

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            installed = _installed(conn)
        hints, told = _hints(installed, model_path)
        if record and told:
            try:
                with engine.begin() as conn:
                    conn.execute(AuditEntry.__table__.insert(),
                                 [{"actor": ACTOR, "action": action, "details": details} for action, details in told])
            except Exception:  # noqa: BLE001 - a hint said again next time is better than a service that does not start
                log.warning("could not record the upgrade hints as said; they will be said again", exc_info=True)
        if record:
            try:
                hints += _tell_visibility(engine)
            except Exception:  # noqa: BLE001 - as above: tried again at the next start
                log.warning("could not tell sites of held comments this release shows or hides; "
                            "the next start tries again", exc_info=True)
        return hints
    finally:
        engine.dispose()


def _tell_visibility(engine) -> list[str]:  # noqa: ANN001 - an Engine
    """Once per release (its newest migration): events for held comments it shows or hides otherwise
    than their sites were told, and a hint naming them."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from moderation.domain.upgrade_visibility import tell_changed_visibility
    from moderation.models import AuditEntry

    with Session(engine) as session, session.begin():
        revision = session.scalar(text("SELECT max(version_num) FROM alembic_version"))
        if session.scalar(select(AuditEntry.id).where(AuditEntry.action == VISIBILITY_TOLD,
                                                      AuditEntry.details["revision"].astext == revision).limit(1)):
            return []
        changed = tell_changed_visibility(session, actor=ACTOR)
        session.add(AuditEntry(actor=ACTOR, action=VISIBILITY_TOLD,
                               details={"revision": revision, "comments": {site: ids for site, ids in changed.items()}}))
    if not changed:
        return []
    lines = [f"    {site}: {len(ids)} ({', '.join(map(str, ids[:10]))}{' ...' if len(ids) > 10 else ''})"
             for site, ids in sorted(changed.items())]
    return ["  Held comments this release shows or hides otherwise than their sites were last told (on a\n"
            "  post-moderation site: held by a pre-moderated story or author, or by a personal-information\n"
            "  rule before 2 December), by site:\n" + "\n".join(lines) + "\n"
            "  Each has a new version and a comment.status_changed event with \"visibility_changed\": true,\n"
            "  queued for its site. (Said once: the audit log keeps the ids, as release:visibility_told.)"]


def _installed(conn) -> _Installed:  # noqa: ANN001 - a Core connection
    from moderation.models import AuditEntry, Comment, ModelVersion, RuleSet, Site

    registered = set(conn.scalars(select(ModelVersion.sha256)))
    told_models = {d.get("sha256") for d in conn.scalars(
        select(AuditEntry.details).where(AuditEntry.action == MODEL_TOLD)) if isinstance(d, dict)}
    # Models that scored comments here before the registry kept them (releases of 28 November
    # read a file): a re-check walk's upgrade went on with the new model without a word.
    scored_by = [] if registered else sorted(v for v in conn.scalars(
        select(Comment.model_version).where(Comment.model_version.is_not(None)).distinct().limit(5)) if v)
    offered: dict[int, set[str]] = {}
    for details in conn.scalars(select(AuditEntry.details).where(AuditEntry.action.in_((SITE_CREATED, RULES_TOLD)))):
        if isinstance(details, dict) and isinstance(details.get("site_id"), int):
            offered.setdefault(details["site_id"], set()).update(details.get("starter_kinds_offered") or [])
    kinds_ever: dict[int, set[str]] = {}
    for site_id, rules in conn.execute(select(RuleSet.site_id, RuleSet.rules)):
        kinds_ever.setdefault(site_id, set()).update(r.get("kind") for r in rules or [])
    return _Installed(registered, told_models, scored_by, conn.execute(select(Site.id, Site.name)).all(),
                      offered, kinds_ever)


def _hints(installed: _Installed, model_path: Path) -> tuple[list[str], list[tuple[str, dict]]]:
    """The hints, and the audit entries that record them as said."""
    from moderation.domain.rule_sets import STARTER_RULES

    hints: list[str] = []
    told: list[tuple[str, dict]] = []
    shipped = _shipped_model(model_path)
    if installed.registered and shipped is not None and shipped[1] not in installed.registered | installed.told_models:
        told.append((MODEL_TOLD, {"version": shipped[0], "sha256": shipped[1]}))
        version, _ = shipped
        hints.append(f"  This release ships model {version} ({model_path.name}), which is not registered here, so\n"
                     f"  nothing scores with it. To compare it with the one in use and promote it:\n"
                     f"    .venv/bin/moderation models register {model_path}\n"
                     f"    then /admin/models (or `moderation models promote {version}`). (Said once.)")
    if installed.scored_by and shipped is not None:
        hints.append(f"  Comments here were scored by {', '.join(installed.scored_by)}, from before the registry kept models; this\n"
                     f"  release registers its own, {shipped[0]}, at first start and scores with it. To score with the\n"
                     f"  old one again, register the old release's models/civility.skops and promote it:\n"
                     f"    .venv/bin/moderation models register OLD/models/civility.skops")
    missing, lacking = [], {}
    for rule in STARTER_RULES:
        # Sites never offered it that never had it: one that had it and took it out chose to, and so
        # did one made without it when it was offered (`--rules none`).
        without = [(site_id, name) for site_id, name in installed.sites
                   if rule["kind"] not in installed.kinds_ever.get(site_id, set())
                   and rule["kind"] not in installed.offered.get(site_id, set())]
        if without:
            names = [name for _, name in without]
            listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            sites_word = "site" if len(names) == 1 else "sites"
            missing.append(f"    {rule['name']} (kind {rule['kind']}): {len(names)} {sites_word} ({listed})")
            for site_id, _ in without:
                lacking.setdefault(site_id, []).append(rule["kind"])
    if missing:  # one hint, a line a rule: a site from before the four personal-information rules lacks them all
        hints.append("  New sites start with rules that sites made before them never had, and how many lack each:\n"
                     + "\n".join(missing) + "\n  Add them on /admin: the site's Edit, then Rules and stories."
                     "\n  (Said once: the audit log keeps it, as site:starter_rules_told.)")
        told += [(RULES_TOLD, {"site_id": site_id, "starter_kinds_offered": kinds}) for site_id, kinds in lacking.items()]
    return hints, told


def shipped_model(model_path: Path) -> tuple[str, str] | None:
    """`_shipped_model`, read again only when the file changes: /admin/models asks at each view."""
    try:
        stat = model_path.stat()
    except OSError:
        return None
    return _shipped_cached(model_path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _shipped_cached(model_path: Path, _mtime: int, _size: int) -> tuple[str, str] | None:
    return _shipped_model(model_path)


def _shipped_model(model_path: Path) -> tuple[str, str] | None:
    """(version, digest) of the artifact at model_path, read without loading it; None if it is not there."""
    from moderation.domain.model_registry import artifact_digest  # here: it imports the models

    try:
        artifact, card = model_path.read_bytes(), card_path_for(model_path).read_bytes()
        parsed = json.loads(card)
    except (OSError, ValueError):
        return None
    digest = artifact_digest(artifact, card)
    return version_name(parsed if isinstance(parsed, dict) else {}, digest), digest
