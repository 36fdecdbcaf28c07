"""Civility classifier: hashed n-gram linear models over normalised text, scikit-learn only.

The model's names are imported on first use: importing scikit-learn takes about two seconds, which
a process that never scores (beat, most `moderation` commands, `--help`) should not pay because it
imported a light module of this package such as `classifiers.attributes`.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from classifiers.attributes import ATTRIBUTES
from classifiers.errors import UntrustedModelError
from classifiers.paths import DEFAULT_MODEL_PATH

if TYPE_CHECKING:
    from classifiers.model import CivilityModel, load_model

__all__ = ["ATTRIBUTES", "CivilityModel", "DEFAULT_MODEL_PATH", "UntrustedModelError", "load_model"]

_FROM_MODEL = {"CivilityModel", "load_model"}


def __getattr__(name: str) -> Any:
    if name in _FROM_MODEL:
        return getattr(import_module("classifiers.model"), name)
    raise AttributeError(f"module 'classifiers' has no attribute {name!r}")
