"""Civility classifier: hashed n-gram linear models over normalised text, scikit-learn only."""

from classifiers.attributes import ATTRIBUTES
from classifiers.model import DEFAULT_MODEL_PATH, CivilityModel, UntrustedModelError, load_model

__all__ = ["ATTRIBUTES", "CivilityModel", "DEFAULT_MODEL_PATH", "UntrustedModelError", "load_model"]
