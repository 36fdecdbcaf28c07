"""The classifier a process scores with, from the app's ModelProvider (moderation/model_provider.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

from moderation.domain import rules
from moderation.model_provider import ModelProvider

if TYPE_CHECKING:
    from classifiers import CivilityModel


def get_provider(app: Flask | None = None) -> ModelProvider:
    app = app or current_app._get_current_object()
    return app.extensions["models"]


def get_model(app: Flask | None = None) -> CivilityModel:
    """The global active version (a site's own may differ: ask the provider's for_site)."""
    provider = get_provider(app)
    provider.refresh()
    return provider.default()


def models_in_use(app: Flask | None = None) -> list[CivilityModel]:
    """The global active version and every site's own, each once: what drift checks."""
    provider = get_provider(app)
    provider.refresh()
    return provider.in_use()


def preload(app: Flask) -> CivilityModel:
    """Load the global model before a server forks, so its children share it; the database
    connections this opened are closed, so no child inherits (and shares) one. The rules' patterns
    are prepared here too, for the same children."""
    rules.warm()
    try:
        return get_model(app)
    finally:
        app.extensions["db_engine"].dispose()
