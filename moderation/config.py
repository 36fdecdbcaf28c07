"""Configuration read from the environment, with a test override passed to create_app."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Config:
    """Every setting the service reads; the README's configuration table mirrors this class."""

    DATABASE_URL: str | None = field(default_factory=lambda: os.environ.get("DATABASE_URL") or None)
    REDIS_URL: str | None = field(default_factory=lambda: os.environ.get("REDIS_URL") or None)
    VAR_DIR: Path = field(default_factory=lambda: Path(os.environ.get("MODERATION_VAR_DIR", REPO_ROOT / "var")).resolve())
    SECRET_KEY: str | None = field(default_factory=lambda: os.environ.get("SECRET_KEY") or None)
    MODEL_PATH: Path | None = field(default_factory=lambda: Path(os.environ["MODEL_PATH"]) if os.environ.get("MODEL_PATH") else None)
    HOST: str = field(default_factory=lambda: os.environ.get("HOST", "127.0.0.1"))
    PORT: int = field(default_factory=lambda: _env_int("PORT", 8080))
    WEB_WORKERS: int = field(default_factory=lambda: _env_int("WEB_WORKERS", 2))
    WORKER_CONCURRENCY: int = field(default_factory=lambda: _env_int("WORKER_CONCURRENCY", 2))
    # Comments still pending after this many seconds are scored again by the sweep.
    PENDING_RESEND_AFTER: float = field(default_factory=lambda: _env_float("PENDING_RESEND_AFTER", 30.0))
    SWEEP_INTERVAL: float = field(default_factory=lambda: _env_float("SWEEP_INTERVAL", 30.0))
    SCORE_BATCH_SIZE: int = field(default_factory=lambda: _env_int("SCORE_BATCH_SIZE", 256))
    MAX_TEXT_LENGTH: int = field(default_factory=lambda: _env_int("MAX_TEXT_LENGTH", 20_000))
    WEBHOOK_TIMEOUT: float = field(default_factory=lambda: _env_float("WEBHOOK_TIMEOUT", 5.0))
    WEBHOOK_MAX_RETRIES: int = field(default_factory=lambda: _env_int("WEBHOOK_MAX_RETRIES", 8))
    # Seconds before the first webhook retry; each further retry waits twice as long (at most 300).
    WEBHOOK_BACKOFF_BASE: float = field(default_factory=lambda: _env_float("WEBHOOK_BACKOFF_BASE", 5.0))
    BROKER_TIMEOUT: float = field(default_factory=lambda: _env_float("BROKER_TIMEOUT", 1.0))
    PERSPECTIVE_RATE_LIMIT: int = field(default_factory=lambda: _env_int("PERSPECTIVE_RATE_LIMIT", 6000))
    SESSION_COOKIE_SECURE: bool = field(default_factory=lambda: _env_bool("SESSION_COOKIE_SECURE", False))
    # How many proxies in front of the web server set X-Forwarded-*; 0 trusts none of those headers.
    PROXY_COUNT: int = field(default_factory=lambda: _env_int("PROXY_COUNT", 0))
    # Least a report keeps of its reason's weight when its reporter's earlier reports were mostly
    # dismissed (see domain/reporter_weights.py): low enough that a brigade loses force, above 0
    # so a reporter who was often wrong is still heard. 1 turns the discount off.
    REPORTER_WEIGHT_FLOOR: float = field(default_factory=lambda: _env_float("REPORTER_WEIGHT_FLOOR", 0.25))
    TESTING: bool = False
    WTF_CSRF_ENABLED: bool = True

    @classmethod
    def from_env(cls, **overrides: object) -> "Config":
        config = cls()
        names = {f.name for f in fields(cls)}
        for key, value in overrides.items():
            if key not in names:
                raise KeyError(f"unknown setting {key}")
            setattr(config, key, value)
        return config

    def as_flask(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
