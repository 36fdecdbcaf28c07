"""Naming a model to backtest: a registry version string, or (on the command line) a .skops path.

Loading goes through classifiers.load_model's allow-list either way (the registry also checks
the artifact's hash). The web page offers only what `known_models` lists, never a typed path.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from classifiers import DEFAULT_MODEL_PATH, load_model
from moderation.domain.errors import ValidationFailed

try:  # the registry arrives on its own branch (h8-reg); until then only paths are understood
    from moderation.domain import model_registry
except ImportError:  # pragma: no cover - only before the registry is merged
    model_registry = None  # type: ignore[assignment]


def load_reference(session: Session, reference: str, *, var_dir: Path, allow_paths: bool = False) -> Any:
    """The model named by `reference`; ValidationFailed (field "model") if there is none."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed("name a model version", field="model")
    if model_registry is not None:
        row = model_registry.get_version(session, reference)
        if row is not None:
            return model_registry.load_version(row, var_dir)
    path = Path(reference)
    if allow_paths and path.suffix == ".skops":
        if not path.is_file():
            raise ValidationFailed(f"{reference}: no such model file", field="model")
        return load_model(path)
    if not allow_paths:
        for known in _artifact_files(var_dir):
            if _version_of(known) == reference:
                return load_model(known)
    raise ValidationFailed(f"{reference}: no such model version", field="model")


def active_reference(session: Session, site_id: int, *, fallback: Any) -> Any:
    """The site's active model: the registry's assignment, else `fallback` (the loaded model)."""
    if model_registry is not None:
        row = model_registry.active_version(session, site_id)
        if row is not None:
            return row.version
    return fallback


def known_models(session: Session, *, var_dir: Path) -> list[dict[str, str]]:
    """What the backtest page offers: registry versions, else the artifacts on this server."""
    if model_registry is not None:
        from sqlalchemy import select

        from moderation.models import ModelVersion  # type: ignore[attr-defined]

        rows = session.scalars(select(ModelVersion).order_by(ModelVersion.created_at.desc())).all()
        return [{"version": r.version, "label": f"{r.version} ({r.status})"} for r in rows]
    found = []
    for path in _artifact_files(var_dir):
        version = _version_of(path)
        if version:
            found.append({"version": version, "label": f"{version} ({path.name})"})
    return found


_versions: dict[tuple[Path, float], str | None] = {}


def _version_of(path: Path) -> str | None:
    """An artifact's version without keeping it loaded (cached by path and modification time)."""
    key = (path, path.stat().st_mtime)
    if key not in _versions:
        try:
            _versions[key] = load_model(path).version
        except Exception:  # an unreadable or untrusted file is simply not offered
            _versions[key] = None
    return _versions[key]


def _artifact_files(var_dir: Path) -> list[Path]:
    places = [DEFAULT_MODEL_PATH.parent, Path(var_dir) / "models"]
    return sorted({p.resolve() for place in places if place.is_dir() for p in place.glob("*.skops")
                   if p.with_suffix(".card.json").is_file()})
