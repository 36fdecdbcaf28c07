"""The model registry: every trained version, and which one each site scores with.

Artifacts are content-addressed under the var dir: `models/<sha256>.skops` with its card beside
it as `models/<sha256>.card.json`, and kept in the row as bytes too, so a process whose var dir
lacks them (another machine, another container) writes them first (`materialize`). The digest covers both files (artifact bytes, a NUL, card
bytes), the same digest CivilityModel.version abbreviates, so a card edited after training is
a different version. Loading checks the digest of the bytes it read, then loads those same bytes
through classifiers' allow-list. Keeping loaded models is the ModelProvider's job, not this module's.

A site scores with its own assignment if it has one, else with the global one (site_id NULL).
Every change takes one PostgreSQL advisory lock for the transaction, so two admins (or two
processes bootstrapping at once) cannot interleave. The caller commits.

Bootstrap is lazy, on first use (`ensure_bootstrapped`, called by the ModelProvider and the
`models` commands): under the same lock, an empty registry registers the shipped model (or
MODEL_PATH) and makes it the global active version; a second process waits for the lock, then
finds it done.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from classifiers.errors import UntrustedModelError
from classifiers.paths import card_path_for
from moderation.domain.errors import Conflict, NotFound, ValidationFailed
from moderation.domain.label_export import sites_learnt_from
from moderation.domain.lifecycle import actor_in_words, audit
from moderation.models import AuditEntry, ModelAssignment, ModelVersion, Site, TrainingRun, User

if TYPE_CHECKING:
    from classifiers import CivilityModel

log = logging.getLogger(__name__)

CANDIDATE = "candidate"
SHADOW = "shadow"
ACTIVE = "active"
RETIRED = "retired"
# A candidate an admin threw away: its row and card stay (the audit log, training runs and backtests
# name it), its artifact's bytes go (migration 0032).
DISCARDED = "discarded"
STATUSES = (CANDIDATE, SHADOW, ACTIVE, RETIRED, DISCARDED)

ARTIFACT_DIR = "models"
# pg_advisory_xact_lock key for every registry change ("models" in ASCII).
REGISTRY_LOCK = 0x6D6F64656C73
# Card metrics kept in their own column for the versions table: validation, all sources pooled.
KEY_METRICS = ("roc_auc", "pr_auc", "precision", "recall")


class ArtifactMismatch(UntrustedModelError):
    """The files on disk are not the ones registered: changed, truncated or replaced."""


def artifact_digest(artifact: bytes, card: bytes) -> str:
    return hashlib.sha256(artifact + b"\0" + card).hexdigest()


def _load(artifact: bytes, card_bytes: bytes, name: str) -> CivilityModel:
    """The model in these bytes, the ones just hashed; raises UntrustedModelError."""
    from classifiers.model import load_model_bytes  # here: scikit-learn, for processes that load a model

    return load_model_bytes(artifact, card_bytes, name=name)


def _lock(session: Session) -> None:
    session.execute(select(func.pg_advisory_xact_lock(REGISTRY_LOCK)))


def _actor(by: User | str) -> tuple[str, int | None]:
    if isinstance(by, User):
        return f"user:{by.username}", by.id
    return str(by), None


def _key_metrics(card: dict[str, Any]) -> dict[str, Any]:
    metrics = card.get("metrics") if isinstance(card.get("metrics"), dict) else {}
    pooled = metrics.get("validation_pooled") if isinstance(metrics.get("validation_pooled"), dict) else {}
    return {
        attribute: {k: values[k] for k in KEY_METRICS if isinstance(values.get(k), (int, float))}
        for attribute, values in pooled.items() if isinstance(values, dict)
    }


def _training_data(card: dict[str, Any]) -> dict[str, Any]:
    data = card.get("data") if isinstance(card.get("data"), dict) else {}
    files = [f for f in data.get("files", []) if isinstance(f, dict)]
    summary: dict[str, Any] = {
        "sources": sorted(data.get("sources", {})) if isinstance(data.get("sources"), dict) else [],
        "files": [{"file": f.get("file"), "rows": f.get("rows"), "sha256": f.get("sha256")} for f in files],
        "train_rows": data.get("train_rows"),
        "validation_rows": data.get("validation_rows"),
    }
    for key in ("own_labels", "own_label_counts", "site_labels"):  # written by training on a site's decisions
        if key in data:
            summary[key] = data[key]
    return summary


def _write_once(path: Path, content: bytes) -> None:
    """Write through a temporary file and a rename: a reader sees no file or the whole file."""
    if path.exists() and path.read_bytes() == content:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def register_artifact(
    session: Session,
    path: str | Path,
    *,
    var_dir: Path,
    trained_by: User | int | None = None,
    trainer_name: str | None = None,
    notes: str | None = None,
    training_data: dict[str, Any] | None = None,
    actor: str | None = "system:registry",
) -> ModelVersion:
    """Copy an artifact and its card into the var dir and record them as a candidate.

    The artifact is loaded first (allow-list and pipeline checks), so nothing untrusted is ever
    registered. Registering the same version again returns the existing row unchanged. Audited
    as `actor` (None: not audited, for the bootstrap, which the row's notes record). `trainer_name`
    names who trained it where no account did ("cli:root").
    """
    path = Path(path)
    try:
        artifact, card_bytes = path.read_bytes(), card_path_for(path).read_bytes()
    except OSError as error:
        raise ValidationFailed(f"cannot read the artifact and its card: {error}", field="path") from error
    digest = artifact_digest(artifact, card_bytes)
    model = _load(artifact, card_bytes, str(path))  # refuses anything our training did not write
    _lock(session)
    existing = get_version(session, model.version)
    if existing is not None and existing.status == DISCARDED:  # registered again: a candidate once more
        existing.status, existing.artifact_bytes = CANDIDATE, artifact
    if existing is not None:
        _write_once(Path(var_dir) / existing.artifact, artifact)
        _write_once(card_path_for(Path(var_dir) / existing.artifact), card_bytes)
        return existing
    relative = f"{ARTIFACT_DIR}/{digest}.skops"
    stored = Path(var_dir) / relative
    _write_once(stored, artifact)
    _write_once(card_path_for(stored), card_bytes)
    row = ModelVersion(
        version=model.version, sha256=digest, artifact=relative, artifact_bytes=artifact, card_bytes=card_bytes,
        card=model.card,
        metrics=_key_metrics(model.card), status=CANDIDATE,
        trained_by=trained_by.id if isinstance(trained_by, User) else trained_by, trainer_name=trainer_name,
        training_data=training_data if training_data is not None else _training_data(model.card), notes=notes,
    )
    session.add(row)
    session.flush()
    if actor is not None:
        audit(session, actor, "model:registered", version=row.version, sha256=digest)
    return row


def get_version(session: Session, version: str) -> ModelVersion | None:
    return session.scalar(select(ModelVersion).where(ModelVersion.version == version))


def trained_for(row: ModelVersion) -> set[str]:
    """The sites whose own decisions a version learnt from."""
    return sites_learnt_from(row.card)


def copied_attributes(card: Any) -> dict[str, str | None]:
    """Attributes a card says the model had too little data for, each with the attribute whose score
    it copies (None if the card does not say): the card page and `models show` both name them."""
    found = card.get("insufficient_data") if isinstance(card, dict) else None
    return {attribute: info.get("score_copied_from") if isinstance(info, dict) else None
            for attribute, info in (found if isinstance(found, dict) else {}).items()}


def list_versions(session: Session) -> list[ModelVersion]:
    """Newest first."""
    return list(session.scalars(select(ModelVersion).order_by(ModelVersion.created_at.desc(), ModelVersion.id.desc())))


def run_requesters(session: Session) -> dict[int, str]:
    """Per version a training run made, who asked for it ("user:alice", "cli:root"): a run from the
    shell has no signed-in user, and the models page said "trained by —" (an admin's walk)."""
    return dict(session.execute(select(TrainingRun.version_id, TrainingRun.requested_by)
                                .where(TrainingRun.version_id.is_not(None))).all())


def trained_by(row: ModelVersion, requesters: dict[int, str]) -> str | None:
    """Who made a version: the signed-in user who registered it, else who asked for its training run
    (`run_requesters`), else the shell account of `moderation train`; the page and `models list` had
    told these apart ("cli:root" against "-"), and said "—" of a candidate `moderation train` made."""
    return row.trainer.username if row.trainer else requesters.get(row.id) or row.trainer_name


def list_assignments(session: Session) -> list[ModelAssignment]:
    """The global assignment first, then sites' overrides."""
    return list(session.scalars(select(ModelAssignment).order_by(ModelAssignment.site_id.nulls_first())))


def active_scopes(session: Session) -> dict[int, list[str]]:
    """For each version id, where it is active: "global" and/or site names."""
    scopes: dict[int, list[str]] = {}
    for version_id, site_name in session.execute(
            select(ModelAssignment.version_id, Site.name).outerjoin(Site, Site.id == ModelAssignment.site_id)
            .order_by(ModelAssignment.site_id.nulls_first(), Site.name)):
        scopes.setdefault(version_id, []).append(site_name or "global")
    return scopes


def materialize(session: Session, version_id: int, var_dir: Path) -> Path:
    """Write a version's files under `var_dir` from the database if they are missing (a process on
    another machine, or with its own var dir); load_version checks them against the hash anyway."""
    row = session.get(ModelVersion, version_id)
    if row is None:
        raise NotFound(f"there is no model version {version_id}")
    path = Path(var_dir) / row.artifact
    if not (path.exists() and card_path_for(path).exists()):
        if row.artifact_bytes is None or row.card_bytes is None:  # registered before 0013 kept them
            raise ArtifactMismatch(f"model {row.version}: {path} is missing, and it was registered before the "
                                   "registry kept a copy: copy it from the var dir it was registered in")
        _write_once(path, row.artifact_bytes)
        _write_once(card_path_for(path), row.card_bytes)
    return path


def load_stored(session: Session, version_id: int) -> CivilityModel:
    """The model from the registry's own copy of its bytes, checked against the registered digest,
    with no file written: for a process whose var dir cannot take the files."""
    row = session.get(ModelVersion, version_id)
    if row is None:
        raise NotFound(f"there is no model version {version_id}")
    artifact, card_bytes = row.artifact_bytes, row.card_bytes
    if artifact is None or card_bytes is None:
        raise ArtifactMismatch(f"model {row.version}: registered before the registry kept a copy, and its files are missing")
    if artifact_digest(artifact, card_bytes) != row.sha256:
        raise ArtifactMismatch(f"model {row.version}: the registry's copy does not match its SHA-256; refusing to load it")
    return _load(artifact, card_bytes, f"registry copy of {row.version}")


def load_registered(session: Session, row: ModelVersion, var_dir: Path) -> CivilityModel:
    """The version as registered, for whatever loads one (the scorer's provider, a backtest, the
    CLI): its files under var_dir when they match; missing, written from the registry's copy first;
    changed or damaged, or where they cannot be written, the registry's copy itself. A backtest read
    the files alone and failed on a version the scorer was using ("ArtifactMismatch: ... cannot read
    ...card.json"), and on any worker whose var dir had not scored with it (an admin's walk)."""
    if row.status == DISCARDED:
        raise ValidationFailed(f"{row.version} was discarded: its artifact is gone", field="model")
    path = Path(var_dir) / row.artifact
    if not (path.exists() and card_path_for(path).exists()):
        try:
            materialize(session, row.id, var_dir)
        except OSError as error:
            log.warning("cannot write model files to %s (%s): loading the registry's copy from memory", var_dir, error)
            return load_stored(session, row.id)
    try:
        return load_version(row, var_dir)
    except ArtifactMismatch as error:
        # Refusing outright stopped every batch holding that site's comments, and with them every
        # site's (an operator's walk).
        log.error("%s; loading the registry's own copy instead (replace or delete the file to end this)", error)
        return load_stored(session, row.id)


def load_version(row: ModelVersion, var_dir: Path) -> CivilityModel:
    """The model of a registered version, refused unless its files hash to the registered digest."""
    path = Path(var_dir) / row.artifact
    try:
        artifact, card_bytes = path.read_bytes(), card_path_for(path).read_bytes()
    except OSError as error:
        raise ArtifactMismatch(f"model {row.version}: cannot read {path}: {error}") from error
    digest = artifact_digest(artifact, card_bytes)
    if digest != row.sha256:
        raise ArtifactMismatch(f"model {row.version}: {path} does not match its registered SHA-256; refusing to load it")
    return _load(artifact, card_bytes, str(path))


def _assignment(session: Session, site_id: int | None) -> ModelAssignment | None:
    condition = ModelAssignment.site_id.is_(None) if site_id is None else ModelAssignment.site_id == site_id
    return session.scalar(select(ModelAssignment).where(condition))


def active_version(session: Session, site_id: int | None = None) -> ModelVersion:
    """The version a site scores with: its own assignment, else the global one."""
    found = _assignment(session, site_id) if site_id is not None else None
    found = found or _assignment(session, None)
    if found is None:
        raise NotFound("no model version is active yet (the registry is empty)")
    return found.version


def shadow_version(session: Session) -> ModelVersion | None:
    return session.scalar(select(ModelVersion).where(ModelVersion.status == SHADOW))


def _find(session: Session, version: str | ModelVersion) -> ModelVersion:
    if isinstance(version, ModelVersion):
        row = version
    else:
        row = get_version(session, str(version).strip())
        if row is None:
            # No version is longer than its column; a 10,000-character one was said back whole (a re-check).
            shown = str(version) if len(str(version)) <= 100 else f"{str(version)[:100]}..."
            raise NotFound(f"there is no model version {shown!r}", field="version")
    if row.status == DISCARDED:
        raise Conflict(f"{row.version} was discarded: its artifact is gone", field="version")
    return row


def discard(session: Session, version: str | ModelVersion, *, by: User | str, var_dir: Path) -> ModelVersion:
    """Throw away a candidate: its artifact's bytes leave the database, and its file this var dir, at
    once; its row and card stay. Each retrain had added about 8.6 MB to the database and to every
    dump, for good (an admin's walk). Only a candidate: a version that scores or ran, or runs, in
    shadow is history a rollback may need. Audited; the caller commits."""
    _lock(session)
    row = _find(session, version)
    if row.status != CANDIDATE or _is_assigned(session, row.id):
        raise Conflict(f"{row.version} is {row.status}: only a candidate can be discarded", field="version")
    actor, _ = _actor(by)
    size = session.scalar(select(func.length(ModelVersion.artifact_bytes)).where(ModelVersion.id == row.id)) or 0
    row.status, row.artifact_bytes = DISCARDED, b""
    audit(session, actor, "model:discarded", version=row.version, sha256=row.sha256, bytes_freed=size)
    session.flush()
    path = Path(var_dir) / row.artifact
    for file in (path, card_path_for(path)):
        file.unlink(missing_ok=True)
    return row


def _site(session: Session, site_id: int | None) -> Site | None:
    if site_id is None:
        return None
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound(f"there is no site {site_id}", field="site")
    return site


def _is_assigned(session: Session, version_id: int) -> bool:
    return session.scalar(select(func.count()).select_from(ModelAssignment)
                          .where(ModelAssignment.version_id == version_id)) > 0


def _settle(session: Session, *versions: ModelVersion | None) -> None:
    """Active while some scope scores with it; a version no scope uses any more is retired."""
    session.flush()
    for row in versions:
        if row is None:
            continue
        if _is_assigned(session, row.id):
            row.status = ACTIVE
        elif row.status == ACTIVE:
            row.status = RETIRED


# A note for the next admin, not an essay: the audit log's row shows it whole.
MAX_REASON = 500


def _why(reason: str | None) -> dict[str, str]:
    """The audit detail of a promotion's or rollback's reason: a second admin at 2 am could tell who
    and when from the audit log, never why (a data scientist's walk)."""
    reason = " ".join((reason or "").split())
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in reason):
        # A lone surrogate from the shell failed the audit insert with a traceback (a re-check).
        raise ValidationFailed("the reason must be text, without control characters", field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"the reason must be at most {MAX_REASON} characters", field="reason")
    return {"reason": reason} if reason else {}


def _scope(site: Site | None) -> dict[str, Any]:
    return {"site_id": site.id, "site": site.name} if site is not None else {"site_id": None, "site": "global"}


def promote(session: Session, version: str | ModelVersion, *, by: User | str,
            site_id: int | None = None, seen: str | None = None, reason: str | None = None) -> ModelAssignment:
    """Make `version` the active one of `site_id` (None: the global default), audited. With `seen`
    (the `assignments_token` the admin's page was drawn with) nothing happens if another promotion
    or rollback came since, as rollback's `from_version` does: laid over it, the promotion had
    replaced another admin's, seconds old, without a word (an admin's walk)."""
    why = _why(reason)
    _lock(session)
    if seen is not None and seen != assignments_token(session):
        raise Conflict("someone changed which version scores since you opened the page; nothing was promoted. "
                       "Look at the page again, then promote", field="version")
    row = _find(session, version)
    site = _site(session, site_id)
    actor, user_id = _actor(by)
    assignment = _assignment(session, site_id)
    replaced: ModelVersion | None = None
    if assignment is None:
        assignment = ModelAssignment(site_id=site_id, version_id=row.id, previous_version_id=None, assigned_by=user_id)
        session.add(assignment)
    else:
        if assignment.version_id == row.id:
            raise Conflict(f"{row.version} is already active for {_scope(site)['site']}", field="version")
        replaced = assignment.version
        assignment.previous_version_id = assignment.version_id
        assignment.version_id = row.id
        assignment.assigned_by = user_id
        assignment.assigned_at = func.now()
    if row.status == SHADOW:  # scoring live now, so no longer beside the live models
        audit(session, actor, "model:shadow_cleared", version=row.version, reason="promoted")
    _settle(session, row, replaced)
    audit(session, actor, "model:promoted", version=row.version,
          replaced=replaced.version if replaced else None, **_scope(site), **why)
    session.flush()
    session.refresh(assignment)
    return assignment


def assignments_token(session: Session) -> str:
    """A short fingerprint of which version scores where: a page's promote form carries the one it was
    drawn with, so a promotion from a page opened before another admin's is refused, not laid over it."""
    pairs = sorted(session.execute(select(ModelAssignment.site_id, ModelAssignment.version_id)).all(),
                   key=lambda pair: (pair[0] is not None, pair[0] or 0))
    return hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]


def rollback_target(session: Session, site_id: int | None) -> ModelVersion | None:
    """The version a rollback would make active again: None when there is none, or when the site
    would follow the global version again."""
    assignment = _assignment(session, site_id)
    return assignment.previous_version if assignment is not None else None


def rollback(session: Session, *, by: User | str, site_id: int | None = None,
             from_version: str | None = None, reason: str | None = None) -> ModelAssignment | None:
    """Go back to the version active before the last promotion, audited.

    The version rolled back from becomes the assignment's previous one, so a second rollback undoes
    the first. A site that followed the global default before its own promotion follows it again
    (returns None). With `from_version` (what the admin's page showed as active) nothing happens
    unless that is still the active one: two admins rolling back at once would otherwise swap the
    bad version back in, each told it was rolled back.
    """
    why = _why(reason)
    _lock(session)
    site = _site(session, site_id)
    actor, user_id = _actor(by)
    assignment = _assignment(session, site_id)
    scope = _scope(site)["site"]
    if assignment is None:
        if from_version is not None:
            raise Conflict(f"{scope} was rolled back already, since you opened the page; nothing changed", field="site")
        where = f"{site.name} follows the global model" if site else "no model is active yet"
        raise Conflict(f"nothing to roll back: {where}", field="site")
    current = assignment.version
    if from_version is not None and current.version != from_version:
        raise Conflict(f"{scope} runs {current.version} now, not {from_version}: someone changed it since you "
                       "opened the page; nothing was rolled back", field="site")
    if assignment.previous_version_id is None:
        if site is None:
            raise Conflict(f"nothing to roll back: {current.version} is the first global model", field="site")
        session.delete(assignment)
        _settle(session, current)
        audit(session, actor, "model:rolled_back", version=None, rolled_back=current.version,
              follows_global=True, **_scope(site), **why)
        return None
    previous = assignment.previous_version
    assignment.version_id, assignment.previous_version_id = previous.id, current.id
    assignment.assigned_by = user_id
    assignment.assigned_at = func.now()
    _settle(session, previous, current)
    audit(session, actor, "model:rolled_back", version=previous.version, rolled_back=current.version, **_scope(site),
          **why)
    session.flush()
    session.refresh(assignment)
    return assignment


def follow_global(session: Session, site_id: int, *, by: User | str, from_version: str | None = None,
                  reason: str | None = None) -> None:
    """The site's own version set aside: it follows the global version again, audited. After two
    promotions for one site, a rollback led only to the first, and promoting the global version
    pinned it for the site, which a later global promotion then passed by (a data scientist's walk).
    With `from_version` (what the admin's page showed) nothing happens unless it still runs."""
    why = _why(reason)
    _lock(session)
    site = _site(session, site_id)
    if site is None:
        raise NotFound(f"no site with id {site_id}", field="site")
    actor, _ = _actor(by)
    assignment = _assignment(session, site_id)
    if assignment is None:
        raise Conflict(f"{site.name} follows the global model already", field="site")
    current = assignment.version
    if from_version is not None and current.version != from_version:
        raise Conflict(f"{site.name} runs {current.version} now, not {from_version}: someone changed it since you "
                       "opened the page; nothing changed", field="site")
    session.delete(assignment)
    _settle(session, current)
    audit(session, actor, "model:follows_global", left=current.version, **_scope(site), **why)


def set_shadow(session: Session, version: str | ModelVersion | None, *, by: User | str,
               stopping: str | None = None) -> ModelVersion | None:
    """Run `version` in shadow beside the active models (None: stop the shadow), audited.

    There is at most one shadow; the one it replaces goes back to being a candidate, or retired if it scored once. `stopping`:
    the shadow the admin's page showed; another one started since is left running (a stale Stop
    stopped it).
    """
    _lock(session)
    actor, _ = _actor(by)
    current = shadow_version(session)
    if version is None and current is None:
        raise Conflict("no version runs in shadow; nothing was changed", field="version")
    if version is None and stopping is not None and current.version != stopping:
        raise Conflict(f"{stopping} no longer runs in shadow ({current.version} does, since you opened the page); "
                       "nothing was changed", field="version")
    row = _find(session, version) if version is not None else None
    if row is not None and _is_assigned(session, row.id):
        raise Conflict(f"{row.version} is active; only a version no site scores with can run in shadow", field="version")
    if current is not None and (row is None or current.id != row.id):
        current.status = _out_of_shadow(session, current)
        session.flush()  # the one-shadow index is checked row by row
    if row is not None:
        row.status = SHADOW
    session.flush()
    if row is None:
        audit(session, actor, "model:shadow_cleared", version=current.version if current else None)
    else:
        audit(session, actor, "model:shadow_set", version=row.version, replaced=current.version if current else None)
    return row


def _out_of_shadow(session: Session, row: ModelVersion) -> str:
    """What a version is once it leaves the shadow: retired if it ever scored (the audit log keeps each
    promotion), else a candidate. A retired version came back from a spell in shadow as a candidate,
    as if never used, and offered for discarding (an admin's walk)."""
    scored = session.scalar(select(AuditEntry.id).where(
        AuditEntry.action.in_(("model:promoted", "model:rolled_back")),
        or_(AuditEntry.details["version"].astext == row.version, AuditEntry.details["rolled_back"].astext == row.version),
    ).limit(1)) or session.scalar(select(ModelAssignment.id).where(ModelAssignment.previous_version_id == row.id).limit(1))
    return RETIRED if scored is not None else CANDIDATE


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str
    said: str  # "promoted for terraces", "rolled back from, for terraces"
    reason: str | None = None


def version_history(session: Session, row: ModelVersion) -> list[Event]:
    """When and by whom a version was promoted or rolled back, oldest first: only the audit log had it,
    and an admin deciding whether to trust a retired version asked its card (an admin's walk)."""
    # And a site's version set aside for the global one, which had no reason and no line here (a re-check).
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(("model:promoted", "model:rolled_back", "model:follows_global")),
        or_(AuditEntry.details["version"].astext == row.version, AuditEntry.details["rolled_back"].astext == row.version,
            AuditEntry.details["left"].astext == row.version),
    ).order_by(AuditEntry.id))
    events = []
    for entry in entries:
        details = entry.details or {}
        scope = details.get("site") or "global"
        if entry.action == "model:promoted":
            said = f"promoted for {scope}"
        elif entry.action == "model:follows_global":
            said = f"no longer {scope}'s own version ({scope} follows the global version)"
        elif details.get("rolled_back") == row.version:
            said = f"rolled back ({scope})"
        else:
            said = f"made active again by a rollback ({scope})"
        events.append(Event(entry.at, actor_in_words(entry.actor), said, details.get("reason")))
    return events


def ensure_bootstrapped(session: Session, *, var_dir: Path, model_path: str | Path) -> ModelVersion:
    """The global active version; on an empty registry, the model at `model_path` registered and
    promoted first. Safe to call from many processes at once (advisory lock). The caller commits."""
    found = _assignment(session, None)
    if found is not None:
        return found.version
    _lock(session)
    found = _assignment(session, None)
    if found is not None:
        return found.version
    # Not audited: no one chose it (the row's notes say where it came from), and the audit log
    # stays the record of people's actions.
    row = register_artifact(session, model_path, var_dir=var_dir, actor=None,
                            notes=f"registered at first use from {Path(model_path).name}")
    session.add(ModelAssignment(site_id=None, version_id=row.id))
    row.status = ACTIVE
    session.flush()
    return row


def card_text(row: ModelVersion) -> str:
    return json.dumps(row.card, indent=2, sort_keys=True)
