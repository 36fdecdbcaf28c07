"""Paths and request bodies shared by the Perspective endpoint tests."""
from __future__ import annotations

from moderation.config import Config

ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"


def config_for(services, **overrides: object) -> Config:
    settings: dict[str, object] = dict(
        DATABASE_URL=services.database_url,
        REDIS_URL=services.redis_url,
        VAR_DIR=services.var_dir,
        SECRET_KEY="test-secret",
        TESTING=True,
    )
    settings.update(overrides)
    return Config.from_env(**settings)


def analyze_body(text: str, *attributes: str, **extra: object) -> dict:
    return {"comment": {"text": text}, "requestedAttributes": {a: {} for a in attributes or ("TOXICITY",)},
            "languages": ["en"], **extra}
