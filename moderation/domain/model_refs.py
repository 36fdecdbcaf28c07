"""Naming a model to backtest: a registry version string, or (command line only) a .skops path.

Loading goes through the registry (hash check, then classifiers.load_model's allow-list) or,
for a path, straight through load_model's allow-list. The web page offers only registered
versions, never a typed path.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from moderation.domain import model_registry
from moderation.domain.errors import ValidationFailed

if TYPE_CHECKING:
    from classifiers import CivilityModel


def load_reference(session: Session, reference: str, *, var_dir: Path, allow_paths: bool = False) -> CivilityModel:
    """The model named by `reference`; ValidationFailed (field "model") if there is none."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed("name a model version", field="model")
    row = model_registry.get_version(session, reference)
    if row is not None:
        return model_registry.load_registered(session, row, var_dir)
    if allow_paths and reference.endswith(".skops"):
        if not Path(reference).is_file():
            raise ValidationFailed(f"{reference}: no such model file", field="model")
        from classifiers import load_model  # here: scikit-learn is two seconds of a process's start

        return load_model(reference)
    raise ValidationFailed(f"{reference}: no such model version", field="model")


def active_for_site(session: Session, site_id: int, *, var_dir: Path, model_path: str | Path) -> str:
    """The version the site scores with now (bootstrapping an empty registry with the shipped model)."""
    model_registry.ensure_bootstrapped(session, var_dir=var_dir, model_path=model_path)
    return model_registry.active_version(session, site_id).version
