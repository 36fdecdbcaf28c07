"""Configuration read from the environment, with a test override passed to create_app."""
from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


class ConfigError(ValueError):
    """A setting the service cannot run with; the message names it and says what it must be."""


# Flask signs session cookies with SECRET_KEY: a short or placeholder one lets anyone who guesses it
# sign a cookie as any admin (an operator's walk signed one with SECRET_KEY=a and opened
# /admin/operations). The one the service makes itself, in var/secret_key, is 64 hex digits.
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT = 8  # 40 spaces passed the length alone (a re-check walk); hex has 16


def check_secret_key(value: str | None) -> None:
    """ConfigError for a SECRET_KEY too short to keep sessions unforgeable; unset is fine (generated)."""
    if value is not None and (len(value) < MIN_SECRET_KEY_LENGTH or len(set(value)) < MIN_SECRET_KEY_DISTINCT):
        raise ConfigError(f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters, not {len(value)}, and not "
                          f"one repeated (it has {len(set(value))} different ones): make one "
                          "with `python3 -c 'import secrets; print(secrets.token_hex(32))'`, or leave it unset "
                          "and the service keeps its own in var/secret_key")


def _number(name: str, raw: object, kind: type) -> int | float:
    """`raw` as an int or float, or a ConfigError naming the setting (never a bare ValueError)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and (kind is float or isinstance(raw, int)):
        value = raw
    else:
        try:
            value = kind(str(raw).strip())
        except ValueError:
            words = "a whole number" if kind is int else "a number"
            raise ConfigError(f"{name} must be {words}, not {raw!r}") from None
    if not math.isfinite(value):
        raise ConfigError(f"{name} must be a finite number, not {raw!r}")
    return value


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(_number(name, raw, float)) if raw not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(_number(name, raw, int)) if raw not in (None, "") else default


Rule = tuple[Callable[[float], bool], str]
_ABOVE_ZERO: Rule = (lambda v: v > 0, "above 0")
_ZERO_OR_MORE: Rule = (lambda v: v >= 0, "0 or more")


# No number setting means anything past this (about 31 years of seconds, a billion of anything),
# and larger ones break where they are used: a WEBHOOK_TIMEOUT of 1e12 is an OverflowError in
# every socket's settimeout, an interval of 1e308 in Celery beat's timedelta.
LARGEST = 1_000_000_000


def _between(low: float, high: float) -> Rule:
    return (lambda v: low <= v <= high, f"from {low} to {high}")


# What each number may be. 0 where 0 means something (no limit, off, none); above 0 where 0 or
# less would break the service quietly: a WEBHOOK_TIMEOUT of 0 fails every delivery as a timeout,
# a SCORE_BATCH_SIZE of 0 never scores, a negative interval makes Celery beat spin.
_RULES: dict[str, Rule] = {
    "PORT": _between(1, 65535),
    "METRICS_PORT": _between(0, 65535),
    # A hundred years, as a site's retention: more days than that reach back past the timestamps
    # PostgreSQL can subtract, and the retention task would fail on every run.
    "WEBHOOK_EVENT_DAYS": _between(0, 36_500),
    "AUDIT_LOG_DAYS": _between(0, 36_500),
    "REPORTER_WEIGHT_FLOOR": _between(0, 1),
    # A week: longer, a report would never count as late on any desk.
    "REPORT_WAIT_MINUTES": _between(1, 7 * 24 * 60),
    # Longer, a streaming task's pool process would sleep rather than score, and a comment's wait
    # for it would pass the one second the service answers for under load.
    "SCORE_LINGER": _between(0, 1),
    **{name: _ZERO_OR_MORE for name in (
        "DATABASE_STATEMENT_TIMEOUT", "PROXY_COUNT", "WEBHOOK_MAX_RETRIES", "BACKPRESSURE_SOFT_LIMIT",
        "BACKPRESSURE_HARD_LIMIT", "BACKPRESSURE_RECHECK_SECONDS", "ANONYMOUS_REPORT_WEIGHT_CAP",
        "ANONYMOUS_REPORT_FACTOR", "ANONYMOUS_REPORT_THRESHOLD_SHARE", "DRIFT_PSI_WARN", "OWN_LABEL_WEIGHT",
        "PENDING_RESEND_AFTER", "WEBHOOK_RESEND_AFTER")},
    **{name: _ABOVE_ZERO for name in (
        "WEB_WORKERS", "WORKER_CONCURRENCY", "WEBHOOK_CONCURRENCY", "SWEEP_INTERVAL", "SCORE_BATCH_SIZE", "SCORING_TASKS", "MAX_TEXT_LENGTH",
        "WEBHOOK_TIMEOUT", "WEBHOOK_BACKOFF_BASE", "WEBHOOK_BACKOFF_MAX", "BROKER_TIMEOUT", "REDIS_COUNTER_TIMEOUT",
        "PERSPECTIVE_RATE_LIMIT", "PERSPECTIVE_CONCURRENCY_PER_SITE", "PERSPECTIVE_CONCURRENCY",
        "LOGIN_MAX_FAILURES_PER_ACCOUNT", "LOGIN_MAX_FAILURES_PER_ADDRESS",
        "LOGIN_FAILURE_WINDOW", "LOGIN_ARGON2_SLOTS", "KEY_MAX_FAILURES_PER_KEY_ID",
        "KEY_MAX_FAILURES_PER_ADDRESS", "KEY_FAILURE_WINDOW", "SUGGEST_MAX_CONTEXT_BYTES",
        "REPORTS_PER_COMMENT_PER_MINUTE", "REPORTS_PER_REPORTER_PER_MINUTE", "UNDO_WINDOW_SECONDS",
        "CLAIM_LEASE_SECONDS", "MODEL_CHECK_INTERVAL", "DRIFT_MIN_COMMENTS", "TRAINING_MIN_POSITIVES",
        "RETENTION_INTERVAL", "BATCH_MAX_BYTES", "SESSION_IDLE_MINUTES")},
}


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
# Redis URL schemes redis-py and Celery's transport both read.
REDIS_SCHEMES = ("redis", "rediss", "redis+socket", "unix")


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    word = raw.strip().lower()
    if word not in _TRUE | _FALSE:  # "maybe" read as off would leave a cookie insecure without a word
        raise ConfigError(f"{name} must be one of 1, true, yes, on, 0, false, no, off, not {raw!r}")
    return word in _TRUE


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _log_level() -> str:
    raw = os.environ.get("LOG_LEVEL") or "INFO"
    if raw.strip().upper() not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {raw!r}")
    return raw.strip().upper()


@dataclass
class Config:
    """Every setting the service reads; docs/operations.md's configuration table mirrors this class."""

    DATABASE_URL: str | None = field(default_factory=lambda: os.environ.get("DATABASE_URL") or None)
    REDIS_URL: str | None = field(default_factory=lambda: os.environ.get("REDIS_URL") or None)
    VAR_DIR: Path = field(default_factory=lambda: Path(os.environ.get("MODERATION_VAR_DIR", REPO_ROOT / "var")).resolve())
    SECRET_KEY: str | None = field(default_factory=lambda: os.environ.get("SECRET_KEY") or None)
    MODEL_PATH: Path | None = field(default_factory=lambda: Path(os.environ["MODEL_PATH"]) if os.environ.get("MODEL_PATH") else None)
    HOST: str = field(default_factory=lambda: os.environ.get("HOST", "127.0.0.1"))
    PORT: int = field(default_factory=lambda: _env_int("PORT", 8080))
    WEB_WORKERS: int = field(default_factory=lambda: _env_int("WEB_WORKERS", 2))
    WORKER_CONCURRENCY: int = field(default_factory=lambda: _env_int("WORKER_CONCURRENCY", 2))
    # Threads of the webhook worker: each POST that waits on a slow site's server holds one.
    WEBHOOK_CONCURRENCY: int = field(default_factory=lambda: _env_int("WEBHOOK_CONCURRENCY", 8))
    # Comments still pending after this many seconds are scored again by the sweep.
    PENDING_RESEND_AFTER: float = field(default_factory=lambda: _env_float("PENDING_RESEND_AFTER", 30.0))
    SWEEP_INTERVAL: float = field(default_factory=lambda: _env_float("SWEEP_INTERVAL", 30.0))
    SCORE_BATCH_SIZE: int = field(default_factory=lambda: _env_int("SCORE_BATCH_SIZE", 256))
    # Most scoring tasks at once when comments come faster than one scores them (domain/dispatch.py).
    SCORING_TASKS: int = field(default_factory=lambda: _env_int("SCORING_TASKS", 2))
    # Seconds between a scoring task's claims while comments stream in (scoring.score_pending's linger).
    SCORE_LINGER: float = field(default_factory=lambda: _env_float("SCORE_LINGER", 0.1))
    MAX_TEXT_LENGTH: int = field(default_factory=lambda: _env_int("MAX_TEXT_LENGTH", 20_000))
    WEBHOOK_TIMEOUT: float = field(default_factory=lambda: _env_float("WEBHOOK_TIMEOUT", 5.0))
    # With the backoff below, 20 retries span about 11 hours: a site's outage over a night, not 15 minutes.
    WEBHOOK_MAX_RETRIES: int = field(default_factory=lambda: _env_int("WEBHOOK_MAX_RETRIES", 20))
    # Seconds before the first webhook retry; each further retry waits twice as long (at most WEBHOOK_BACKOFF_MAX).
    WEBHOOK_BACKOFF_BASE: float = field(default_factory=lambda: _env_float("WEBHOOK_BACKOFF_BASE", 5.0))
    BROKER_TIMEOUT: float = field(default_factory=lambda: _env_float("BROKER_TIMEOUT", 1.0))
    # Longest one SQL statement of the web app or a worker may run (0: no limit). A statement stuck
    # behind a lock would otherwise hold its web thread for good; past this it fails as "database
    # unavailable" (503 with Retry-After; a worker retries the task). Migrations are not limited.
    DATABASE_STATEMENT_TIMEOUT: float = field(default_factory=lambda: _env_float("DATABASE_STATEMENT_TIMEOUT", 30.0))
    PERSPECTIVE_RATE_LIMIT: int = field(default_factory=lambda: _env_int("PERSPECTIVE_RATE_LIMIT", 6000))
    # Long texts (over 2,000 characters) one web process scores at once for the analyze endpoint, for
    # one site and for all (perspective/slots.py): of its 4 threads, one site's long texts take at
    # most two and all sites' three, so the comment API always has one. Two per site, not one: a
    # Coral site refused is a comment published unscored, so its own two long comments at once pass.
    PERSPECTIVE_CONCURRENCY_PER_SITE: int = field(default_factory=lambda: _env_int("PERSPECTIVE_CONCURRENCY_PER_SITE", 2))
    PERSPECTIVE_CONCURRENCY: int = field(default_factory=lambda: _env_int("PERSPECTIVE_CONCURRENCY", 3))
    # Seconds a web request waits on Redis to count a request or a failed attempt; past it the
    # count is let through (rate limit) or kept in memory (attempts) for a few seconds. Short,
    # because a count must never add noticeably to a request.
    REDIS_COUNTER_TIMEOUT: float = field(default_factory=lambda: _env_float("REDIS_COUNTER_TIMEOUT", 0.05))
    # Unset: on when PUBLIC_URL is https://, where the browser reaches us over TLS (an operator behind
    # a TLS proxy got a session cookie without Secure, sent again over any plain-HTTP link).
    SESSION_COOKIE_SECURE: bool = field(default_factory=lambda: _env_bool(
        "SESSION_COOKIE_SECURE", (os.environ.get("PUBLIC_URL") or "").strip().lower().startswith("https://")))
    # Minutes a signed-in session may go unused before it ends; a shift's lunch break is not enough,
    # a night is. Pages' own polling does not count as use (auth.PASSIVE_ENDPOINTS).
    SESSION_IDLE_MINUTES: int = field(default_factory=lambda: _env_int("SESSION_IDLE_MINUTES", 480))
    # How many proxies in front of the web server set X-Forwarded-*; 0 trusts none of those headers.
    PROXY_COUNT: int = field(default_factory=lambda: _env_int("PROXY_COUNT", 0))
    # Failed sign-ins allowed per account and per client address in LOGIN_FAILURE_WINDOW seconds;
    # past either, sign-in is refused (429) even with the right password until the window ends.
    LOGIN_MAX_FAILURES_PER_ACCOUNT: int = field(default_factory=lambda: _env_int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 10))
    LOGIN_MAX_FAILURES_PER_ADDRESS: int = field(default_factory=lambda: _env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 30))
    LOGIN_FAILURE_WINDOW: int = field(default_factory=lambda: _env_int("LOGIN_FAILURE_WINDOW", 900))
    # Sign-ins hashing at once per web process: argon2 must not take every thread from the API.
    LOGIN_ARGON2_SLOTS: int = field(default_factory=lambda: _env_int("LOGIN_ARGON2_SLOTS", 2))
    # Failed API key checks allowed per key id and per client address in KEY_FAILURE_WINDOW seconds,
    # counted before argon2 runs so a guessed secret cannot buy CPU. Valid keys already verified
    # by a process keep working from its cache.
    KEY_MAX_FAILURES_PER_KEY_ID: int = field(default_factory=lambda: _env_int("KEY_MAX_FAILURES_PER_KEY_ID", 20))
    KEY_MAX_FAILURES_PER_ADDRESS: int = field(default_factory=lambda: _env_int("KEY_MAX_FAILURES_PER_ADDRESS", 20))
    KEY_FAILURE_WINDOW: int = field(default_factory=lambda: _env_int("KEY_FAILURE_WINDOW", 60))
    # Longest wait between two webhook retries: past it a dead endpoint is still tried hourly.
    WEBHOOK_BACKOFF_MAX: float = field(default_factory=lambda: _env_float("WEBHOOK_BACKOFF_MAX", 3600.0))
    # Plain http webhooks let anyone on the path read and replay events; only for local work.
    WEBHOOK_ALLOW_HTTP: bool = field(default_factory=lambda: _env_bool("WEBHOOK_ALLOW_HTTP", False))
    # Deliver no webhook event; each waits, undelivered, until a start without it. For a copy of the
    # database (an upgrade drill, a restore test): it holds the live sites' URLs and secrets, and an
    # operator's drill sent them a database.restored for a restore production never had.
    WEBHOOKS_PAUSED: bool = field(default_factory=lambda: _env_bool("WEBHOOKS_PAUSED", False))
    # How much every process logs. At INFO each comment costs about three lines (its POST's access
    # line, the task received and succeeded), some 430 MB a day at a million comments (an operator's walk).
    LOG_LEVEL: str = field(default_factory=lambda: _log_level())
    ACCESS_LOG: bool = field(default_factory=lambda: _env_bool("ACCESS_LOG", True))
    # Comma-separated CIDRs webhooks may reach although private (an intranet receiver, local tests);
    # without it a webhook URL could make the server call its own metadata service or databases.
    WEBHOOK_ALLOWED_NETWORKS: str = field(default_factory=lambda: os.environ.get("WEBHOOK_ALLOWED_NETWORKS", ""))
    # Keys the pseudonymous moderator ids sent to sites; blank derives one from SECRET_KEY. Set it
    # to keep the ids stable across a SECRET_KEY rotation.
    MODERATOR_ID_SECRET: str | None = field(default_factory=lambda: os.environ.get("MODERATOR_ID_SECRET") or None)
    # Where clients reach this service (e.g. "https://moderation.example.org"), used in the Perspective
    # discovery document's rootUrl. Never taken from the request's Host header, which the caller
    # chooses; unset, it is http://HOST:PORT/.
    PUBLIC_URL: str | None = field(default_factory=lambda: os.environ.get("PUBLIC_URL") or None)
    # Bytes of JSON one suggestscore call may store as its context: every call keeps it.
    SUGGEST_MAX_CONTEXT_BYTES: int = field(default_factory=lambda: _env_int("SUGGEST_MAX_CONTEXT_BYTES", 32 * 1024))
    # Reader reports: a flood on one comment, or from one reporter id, must not buy unbounded weight
    # and review priority (4,385 anonymous reports in 25 s once weighed 8,782). Beyond a limit: 429.
    REPORTS_PER_COMMENT_PER_MINUTE: int = field(default_factory=lambda: _env_int("REPORTS_PER_COMMENT_PER_MINUTE", 30))
    REPORTS_PER_REPORTER_PER_MINUTE: int = field(default_factory=lambda: _env_int("REPORTS_PER_REPORTER_PER_MINUTE", 10))
    # Most weight all anonymous reports on one comment add up to; ANONYMOUS_REPORT_THRESHOLD_SHARE
    # (at the end) keeps them below the site's report threshold too, so they never hide it alone.
    ANONYMOUS_REPORT_WEIGHT_CAP: float = field(default_factory=lambda: _env_float("ANONYMOUS_REPORT_WEIGHT_CAP", 4.0))
    # Least a report keeps of its reason's weight when its reporter's earlier reports were mostly
    # dismissed (see domain/reporter_weights.py): low enough that a brigade loses force, above 0
    # so a reporter who was often wrong is still heard. 1 turns the discount off.
    REPORTER_WEIGHT_FLOOR: float = field(default_factory=lambda: _env_float("REPORTER_WEIGHT_FLOOR", 0.25))
    # Minutes a reader's report may wait for a moderator's answer (domain/report_wait.py): past it the
    # comment ranks above model-only holds, and the queue counts it. An editor's "readers' reports are
    # looked at within 15 minutes" had no place on an election night's queue.
    REPORT_WAIT_MINUTES: int = field(default_factory=lambda: _env_int("REPORT_WAIT_MINUTES", 15))
    TESTING: bool = False
    WTF_CSRF_ENABLED: bool = True
    # Seconds before the sweep resends a webhook whose task was lost (a crashed worker held it,
    # unacknowledged, until the broker's 600 s visibility timeout).
    WEBHOOK_RESEND_AFTER: float = field(default_factory=lambda: _env_float("WEBHOOK_RESEND_AFTER", 60.0))
    # How long a moderator may undo their own decision (admins may reverse any, any time): long
    # enough to notice a misclick on the next item, short enough that the site has not acted on it.
    UNDO_WINDOW_SECONDS: int = field(default_factory=lambda: _env_int("UNDO_WINDOW_SECONDS", 600))
    # Seconds a moderator's claim on a comment lasts (domain/claims.py); the page renews it every
    # minute while they stay on the card, so this only bounds how long a closed laptop blocks others.
    CLAIM_LEASE_SECONDS: int = field(default_factory=lambda: _env_int("CLAIM_LEASE_SECONDS", 180))
    # Seconds between two checks of which model version is active (model_provider.py): how soon a
    # promotion or rollback reaches every web process and worker. Each check is one small query.
    MODEL_CHECK_INTERVAL: float = field(default_factory=lambda: _env_float("MODEL_CHECK_INTERVAL", 2.0))
    # The daily drift check (domain/drift.py) warns on the admin pages when any attribute's population
    # stability index, live scores against the card's validation scores, passes this (0.2-0.25 is the
    # usual "large shift"), and only with at least DRIFT_MIN_COMMENTS scored that day: fewer make PSI noise.
    DRIFT_PSI_WARN: float = field(default_factory=lambda: _env_float("DRIFT_PSI_WARN", 0.2))
    DRIFT_MIN_COMMENTS: int = field(default_factory=lambda: _env_int("DRIFT_MIN_COMMENTS", 300))
    # How much one of a site's own labels (its moderators' decisions, report outcomes, suggestscore)
    # weighs in training against a public row of a source of the same size (classifiers.train).
    OWN_LABEL_WEIGHT: float = field(default_factory=lambda: _env_float("OWN_LABEL_WEIGHT", 2.0))
    # The shared public training CSVs; only the licence-cleared ones are read (classifiers/sources.py).
    TRAINING_DATA_DIR: Path = field(default_factory=lambda: Path(
        os.environ.get("TRAINING_DATA_DIR") or REPO_ROOT.parent / "shared" / "data").resolve())
    # Anonymous reports (no reporter_id) can be filed by anyone, so they weigh this fraction of a
    # named report's weight (at most 0.5), and all of one comment's together at most this share of
    # its site's report threshold (kept below 0.9): two anonymous "other" reports once hid a civil
    # comment; now they only raise it in the queue, or tip it over with a named report.
    ANONYMOUS_REPORT_FACTOR: float = field(default_factory=lambda: _env_float("ANONYMOUS_REPORT_FACTOR", 0.5))
    ANONYMOUS_REPORT_THRESHOLD_SHARE: float = field(
        default_factory=lambda: _env_float("ANONYMOUS_REPORT_THRESHOLD_SHARE", 0.5))
    # An attribute needs this many known positive (and negative) rows to get its own head when a
    # candidate is trained from /admin/training (as `moderation train --min-positives`).
    TRAINING_MIN_POSITIVES: int = field(default_factory=lambda: _env_int("TRAINING_MIN_POSITIVES", 100))
    # /metrics: 0 serves it on the web port to signed-in admins; a port number serves it there
    # instead, without authentication, for Prometheus (bind it to a private network only).
    METRICS_PORT: int = field(default_factory=lambda: _env_int("METRICS_PORT", 0))
    # Where every process writes its metric files (prometheus_client's multiprocess mode); all the
    # processes whose metrics /metrics should add up must share it. Blank: $MODERATION_VAR_DIR/metrics.
    METRICS_DIR: str | None = field(default_factory=lambda: os.environ.get("METRICS_DIR") or None)
    # Seconds between two runs of the retention task (domain/retention.py), which erases the texts
    # whose site's retention period after their final decision has ended.
    RETENTION_INTERVAL: float = field(default_factory=lambda: _env_float("RETENTION_INTERVAL", 3600.0))
    # Days a delivered webhook event is kept (the retention task deletes older ones; 0 keeps them
    # for good). Each holds the comment, its author's name and the moderator's reason as sent, and
    # nothing reads one once delivered but a comment's history page. Dead letters stay until an admin acts.
    WEBHOOK_EVENT_DAYS: int = field(default_factory=lambda: _env_int("WEBHOOK_EVENT_DAYS", 30))
    # Days an audit entry is kept (0, the default: for good). The log is the record of who decided
    # what, which a newsroom may owe a reader or a regulator for years, so nothing is deleted unless an
    # operator says how long; it also grows by an entry for every comment scored.
    AUDIT_LOG_DAYS: int = field(default_factory=lambda: _env_int("AUDIT_LOG_DAYS", 0))
    # Back-pressure (domain/backpressure.py): past BACKPRESSURE_SOFT_LIMIT pending comments a new one is
    # still stored but the answer carries a slow-down hint and /readyz says "degraded"; past
    # BACKPRESSURE_HARD_LIMIT it is refused with 503 and Retry-After, not stored. 0 turns a limit off.
    BACKPRESSURE_SOFT_LIMIT: int = field(default_factory=lambda: _env_int("BACKPRESSURE_SOFT_LIMIT", 2_000))
    BACKPRESSURE_HARD_LIMIT: int = field(default_factory=lambda: _env_int("BACKPRESSURE_HARD_LIMIT", 20_000))
    # Past the soft limit each web process reuses its count of pending comments for this many seconds
    # (counting a deep backlog costs milliseconds; a flood must be cheap to refuse). 0: count every time.
    BACKPRESSURE_RECHECK_SECONDS: float = field(default_factory=lambda: _env_float("BACKPRESSURE_RECHECK_SECONDS", 1.0))
    # Largest body POST /api/v1/comments:batch reads (other routes keep 1 MiB): 500 comments of a
    # few thousand characters each, and a bound on what one request can make a web process parse.
    BATCH_MAX_BYTES: int = field(default_factory=lambda: _env_int("BATCH_MAX_BYTES", 8 * 1024 * 1024))

    @classmethod
    def from_env(cls, **overrides: object) -> "Config":
        config = cls()
        names = {f.name for f in fields(cls)}
        for key, value in overrides.items():
            if key not in names:
                raise KeyError(f"unknown setting {key}")
            setattr(config, key, value)
        config.check()
        return config

    def check(self) -> None:
        """Raise ConfigError for the first number the service cannot run with (the environment's
        strings are numbers by now; an override given as a string is read as the environment's)."""
        kinds = {"int": int, "float": float}
        for f in fields(self):
            kind = kinds.get(str(f.type))
            if kind is None:
                continue
            value = _number(f.name, getattr(self, f.name), kind)
            setattr(self, f.name, value)
            rule = _RULES.get(f.name)
            if rule is not None and not rule[0](value):
                raise ConfigError(f"{f.name} must be {rule[1]}, not {value!r}")
            if value > LARGEST:
                raise ConfigError(f"{f.name} must be at most {LARGEST:,}, not {value!r}")
        if self.DATABASE_URL and not self.DATABASE_URL.split("://", 1)[0].lower().startswith("postgresql"):
            # Anything else got a 57-line traceback (or, for mysql://, one about a missing driver).
            raise ConfigError("DATABASE_URL must be a PostgreSQL URL such as "
                              f"postgresql+psycopg://user:password@host:5432/db, not one starting "
                              f"{self.DATABASE_URL.split('://', 1)[0][:40]!r}")
        if self.REDIS_URL and self.REDIS_URL.split("://", 1)[0].lower() not in REDIS_SCHEMES:
            raise ConfigError(f"REDIS_URL must start with {', '.join(s + '://' for s in REDIS_SCHEMES)}, "
                              f"not {self.REDIS_URL.split('://', 1)[0]!r}")
        if self.MODERATOR_ID_SECRET:
            from moderation.domain.settings import configured_pseudonym_key

            try:
                configured_pseudonym_key(self.MODERATOR_ID_SECRET)
            except ValueError as error:
                raise ConfigError(str(error)) from None
        if self.WEBHOOK_ALLOWED_NETWORKS:
            from moderation.domain.webhook_urls import parse_networks  # here: it brings urllib3 along

            try:
                parse_networks(self.WEBHOOK_ALLOWED_NETWORKS)
            except ValueError as error:
                raise ConfigError(str(error)) from None
        soft, hard = self.BACKPRESSURE_SOFT_LIMIT, self.BACKPRESSURE_HARD_LIMIT
        if soft and hard and hard <= soft:
            raise ConfigError(f"BACKPRESSURE_HARD_LIMIT ({hard}) must be above BACKPRESSURE_SOFT_LIMIT ({soft}), "
                              "or either 0 to turn it off: past the hard limit nothing is stored, so the soft "
                              "limit's slow-down hint would never be seen")

    def as_flask(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
