"""Shared fixtures: a real PostgreSQL and Redis for the whole run, fresh tables for each test,
and the personas the tests talk about (a site, a moderator, an admin, an outsider site)."""
from __future__ import annotations

import os
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis as redis_lib
# The service loads its model before it serves (gunicorn --preload, the worker's start); a test's app
# loads it on first use. Import skops once here, so no test's first /readyz or scoring call is
# charged its 1.5 s import (5 s on a busy machine: one run's /readyz timed out on it).
import skops.io  # noqa: F401
from argon2 import PasswordHasher
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from db_reset import empty_database
from worker_process import Worker
from moderation import db
from moderation.app import create_app
from moderation.config import Config
from moderation.embedded import start_postgres, start_redis
from moderation.migrate import upgrade

REPO = Path(__file__).resolve().parents[1]
# The tests' webhook receiver listens on http://127.0.0.1: allowed explicitly, as an operator would.
LOCAL_WEBHOOKS = dict(WEBHOOK_ALLOW_HTTP="1", WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8")


# Tests that run the fuzzer, real workers and servers, or a browser, longest kind first: a minute or
# more each, then tens of seconds, then a few seconds.
LONG_TESTS = ("tests/security/test_schemathesis.py", "tests/integration/", "tests/faults/", "tests/browser/")


def _length_rank(item: pytest.Item) -> int:
    return next((rank for rank, prefix in enumerate(LONG_TESTS) if item.nodeid.startswith(prefix)), len(LONG_TESTS))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first (otherwise in their usual order): spread over `make test`'s processes
    from the start, the run ends on short tests rather than one process finishing a long one alone."""
    items.sort(key=_length_rank)


@pytest.fixture(scope="session", autouse=True)
def cheap_argon2() -> Iterator[None]:
    """Argon2 with its cheapest parameters in this process: the default costs 0.3 s per hash and as
    much per check here, and most tests make a site or a user and sign in (a tenth of the suite's
    time). Still argon2id, still verified by the same code; hashes keep their parameters, so the
    workers and servers the tests start verify them alike. Tests of what argon2 costs count calls."""
    from moderation.domain import passwords

    default = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    passwords._dummy_hash.cache_clear()
    yield
    passwords._hasher = default
    passwords._dummy_hash.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def models_loaded_once() -> Iterator[None]:
    """A model artifact's bytes are loaded once per test process. A test on an empty registry has it
    register the shipped model, which loads it to check it and again to score with: with an app for
    every test, that was a third of the time of the API, review and Perspective tests. Keyed by the
    bytes' digest, so a test that changes an artifact still loads (and is refused) afresh."""
    from moderation.domain import model_registry

    load, loaded, lock = model_registry._load, OrderedDict(), threading.Lock()

    def load_once(artifact: bytes, card_bytes: bytes, name: str):
        key = model_registry.artifact_digest(artifact, card_bytes)
        with lock:  # the threads of a test's live server load too
            if key not in loaded:
                loaded[key] = load(artifact, card_bytes, name)
                if len(loaded) > 4:  # trained candidates come and go; the shipped model stays in use
                    loaded.popitem(last=False)
            loaded.move_to_end(key)
            return loaded[key]

    model_registry._load = load_once
    yield
    model_registry._load = load


@dataclass
class Services:
    var_dir: Path
    database_url: str
    redis_url: str
    redis_proc: subprocess.Popen | None

    def env(self, **extra: str) -> dict[str, str]:
        return dict(os.environ, DATABASE_URL=self.database_url, REDIS_URL=self.redis_url,
                    MODERATION_VAR_DIR=str(self.var_dir), **{**LOCAL_WEBHOOKS, **extra})

    def redis(self) -> redis_lib.Redis:
        return redis_lib.Redis(unix_socket_path=self.redis_url.removeprefix("redis+socket://"), socket_timeout=5)


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    var_dir = tmp_path_factory.mktemp("var")
    database_url = start_postgres(var_dir)
    redis_url, redis_proc = start_redis(var_dir)
    upgrade(database_url)
    yield Services(var_dir, database_url, redis_url, redis_proc)
    if redis_proc is not None:
        redis_proc.terminate()
        redis_proc.wait(timeout=10)


def make_config(services: Services, **overrides: object) -> Config:
    """Settings for an app on the test servers; tests override single settings."""
    settings = dict(
        DATABASE_URL=services.database_url,
        REDIS_URL=services.redis_url,
        VAR_DIR=services.var_dir,
        SECRET_KEY="test-secret",
        TESTING=True,
        WEBHOOK_ALLOW_HTTP=True,
        WEBHOOK_ALLOWED_NETWORKS=LOCAL_WEBHOOKS["WEBHOOK_ALLOWED_NETWORKS"],
        # A machine busy with other tests can keep Redis from answering in the default 50 ms, and
        # the limits would then let requests through, as they should when Redis is slow.
        REDIS_COUNTER_TIMEOUT=2.0,
        # Likewise the broker's 1 s, which bounds sending a task, the scoring marker, the backtest
        # job store and /readyz's broker check: past it a test sees no task queued, or a 503. A
        # broker that is down still fails at once (a missing socket is refused, not waited for).
        BROKER_TIMEOUT=5.0,
    )
    settings.update(overrides)
    return Config.from_env(**settings)


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per test process and shared by every app the tests make. Each test
    makes its own app, so without it each page a test renders was parsed and compiled again (a
    quarter of a review test's time). Jinja still checks each template's source against its
    checksum, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


def make_app(config: Config):
    app = create_app(config)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return app


@pytest.fixture(scope="session")
def process_app(services: Services):
    """One app per test process, lent to each test by `app`: building one (a hundred URL rules
    compiled, an engine and its first connection, the Celery app) cost 40 ms on a quiet machine
    and 0.1-0.2 s under the suite's load, for each of two thousand tests."""
    return make_app(make_config(services))


@pytest.fixture
def app(services: Services, process_app):
    """The process's app on an emptied database and Redis, as if new: settings a test sets and
    services it replaces are put back afterwards, and it gets a model provider of its own (the
    registry it followed was emptied with the database). A service changed in place is not put
    back: change one with `monkeypatch`, or make an app of its own with `app_with`."""
    from moderation.app import model_provider
    from moderation.domain.rules_in_force import forget as forget_rule_kinds
    from moderation.domain.sites import forget_verified_keys

    forget_verified_keys()  # ids restart with each test, so no key verified earlier may linger
    forget_rule_kinds()  # nor a site's rule kinds
    config, extensions = dict(process_app.config), dict(process_app.extensions)
    process_app.extensions["models"] = model_provider(process_app)
    process_app.extensions["perspective_cache"] = type(extensions["perspective_cache"])()  # tests count its hits
    # Each app's Celery app becomes the one tasks run in as it is made (moderation/celery_app.py):
    # this one again, whatever apps earlier tests made.
    process_app.extensions["celery"].set_current()
    process_app.extensions["celery"].set_default()
    with process_app.app_context():
        empty_database(db.session)
        db.session.commit()
    services.redis().flushall()
    yield process_app
    process_app.config.clear()
    process_app.config.update(config)
    process_app.extensions.clear()
    process_app.extensions.update(extensions)


@pytest.fixture
def app_with(services: Services, app):
    """Another app on the same (already emptied) database and Redis, with settings overridden."""
    return lambda **overrides: make_app(make_config(services, **overrides))


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class SitePersona:
    id: int
    name: str
    api_key: str
    webhook_secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


def _make_site(app, name: str, **kwargs: object) -> SitePersona:
    from moderation.domain.sites import create_site

    with app.app_context():
        new = create_site(db.session, name, **kwargs)
        db.session.commit()
        return SitePersona(new.site.id, name, new.api_key, new.webhook_secret)


@pytest.fixture
def site(app) -> SitePersona:
    return _make_site(app, "daily-planet")


@pytest.fixture
def outsider(app) -> SitePersona:
    return _make_site(app, "other-gazette")


@pytest.fixture
def make_site(app):
    return lambda name, **kwargs: _make_site(app, name, **kwargs)


@dataclass
class UserPersona:
    id: int
    username: str
    password: str
    role: str


def _make_user(app, username: str, role: str) -> UserPersona:
    from moderation.domain.users import create_user

    password = f"{username}-password"
    with app.app_context():
        user = create_user(db.session, username, password, role)
        db.session.commit()
        return UserPersona(user.id, username, password, role)


@pytest.fixture
def moderator(app) -> UserPersona:
    """A moderator of no site yet: tests that show them comments `grant` them the comments' sites."""
    return _make_user(app, "mona", "moderator")


@pytest.fixture
def admin(app) -> UserPersona:
    return _make_user(app, "ada", "admin")


def _grant(app, user: UserPersona, sites: Iterable[SitePersona | int]) -> None:
    from moderation.models import SiteMember

    with app.app_context():
        for site in sites:
            db.session.add(SiteMember(user_id=user.id, site_id=site if isinstance(site, int) else site.id))
        db.session.commit()


@pytest.fixture
def shell(services, app, monkeypatch):
    """`shell(*args, input=None, ok=True) -> click Result`: a `moderation` command on the tests'
    database, broker and var dir, asserting it succeeded (or, with ok=False, failed)."""
    from click.testing import CliRunner

    from moderation.cli import main

    for name, value in services.env().items():
        if name in ("DATABASE_URL", "REDIS_URL", "MODERATION_VAR_DIR"):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("SECRET_KEY", "test-secret")

    def run(*args: str, input: str | None = None, ok: bool = True):
        result = CliRunner().invoke(main, list(args), input=input)
        assert (result.exit_code == 0) == ok, result.output
        return result

    return run


@pytest.fixture
def grant(app):
    """`grant(user, site, ...)`: make a moderator persona a member of sites (personas or ids)."""
    return lambda user, *sites: _grant(app, user, sites)


@pytest.fixture
def make_moderator(app):
    """`make_moderator(name, sites=[...]) -> UserPersona`: a moderator of those sites only, e.g. of another site."""

    def make(name: str, sites: Iterable[SitePersona | int] = (), role: str = "moderator") -> UserPersona:
        user = _make_user(app, name, role)
        _grant(app, user, sites)
        return user

    return make


@pytest.fixture
def make_site_admin(make_moderator):
    """`make_site_admin(name, sites=[...]) -> UserPersona`: a site admin of those sites only."""
    return lambda name, sites=(): make_moderator(name, sites, role="site_admin")


@pytest.fixture
def start_worker(services: Services, tmp_path: Path):
    """Start real worker processes; they are stopped when the test ends."""
    workers: list[Worker] = []

    def start(*, beat: bool = False, queues: str = "moderation,webhooks", entry: str = "workers.entry",
              pool: str | None = None, **env: str) -> Worker:
        worker = Worker(services, tmp_path / f"worker{len(workers)}.log", queues, entry=entry, pool=pool,
                        **env).start(beat=beat)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill()
