"""docker-compose.yml as Compose reads it: every service of ours gets the shared settings, and no
container's log grows without bound."""
from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[1] / "docker-compose.yml").read_text())
OURS = [name for name, service in COMPOSE["services"].items() if service.get("image") == "civility-moderation:latest"]


def test_every_service_of_ours_has_the_shared_environment_with_its_own_added():
    """YAML's merge is shallow: web's own `environment:` had replaced the shared one, and web ran
    without MODERATION_VAR_DIR, which the README said compose set for every service."""
    assert {"web", "worker", "webhooks", "trainer", "beat", "migrate"} <= set(OURS)
    for name in OURS:
        environment = COMPOSE["services"][name]["environment"]
        assert environment["MODERATION_VAR_DIR"] == "/app/var", name
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SESSION_COOKIE_SECURE"} <= set(environment), name
    assert COMPOSE["services"]["web"]["environment"]["PUBLIC_URL"].startswith("${PUBLIC_URL")
    assert COMPOSE["services"]["trainer"]["environment"]["TRAINING_DATA_DIR"] == "/data"


def test_every_container_s_log_is_capped():
    for name, service in COMPOSE["services"].items():
        if service.get("profiles"):
            continue  # the monitoring profile's own images
        options = service.get("logging", {}).get("options", {})
        assert options.get("max-size") and options.get("max-file"), name


def test_a_url_safe_password_stays_the_password_in_database_url():
    """The compose file tells the operator which characters a password may hold; those survive the URL."""
    template = COMPOSE["services"]["web"]["environment"]["DATABASE_URL"]
    password = "Az09-_.~" * 3
    url = make_url(template.replace("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}", password))
    assert url.password == password and url.host == "postgres"


def test_nothing_is_published_beyond_the_hosts_loopback_by_default():
    """A security review: web's gunicorn was published on every address, and twelve anonymous
    connections sending their headers slowly held every thread; the proxy goes on the host."""
    import re

    for name, service in COMPOSE["services"].items():
        for port in service.get("ports", []):
            default = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", port)
            assert default.startswith("127.0.0.1:"), (name, port)
