"""Fixtures for the Perspective-compatible endpoint."""
from __future__ import annotations

import pytest
from perspective_helpers import config_for

from moderation.app import create_app


@pytest.fixture
def app_with(services, app):
    """Another app on the same (already emptied) database and Redis, with settings overridden."""
    def build(**overrides: object):
        return create_app(config_for(services, **overrides))
    return build
