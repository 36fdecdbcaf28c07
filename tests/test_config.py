"""Settings the service cannot run with stop it at start, with a message naming the setting."""
from __future__ import annotations

import math
import os
from dataclasses import fields

import click
import pytest
from click.testing import CliRunner

from moderation.cli import main
from moderation.config import _RULES, Config, ConfigError


@pytest.mark.parametrize("name, raw, words", [
    ("WEBHOOK_TIMEOUT", "0", "WEBHOOK_TIMEOUT must be above 0, not 0.0"),
    ("WEBHOOK_TIMEOUT", "-5", "WEBHOOK_TIMEOUT must be above 0, not -5.0"),
    ("WEBHOOK_TIMEOUT", "five", "WEBHOOK_TIMEOUT must be a number, not 'five'"),
    ("WEBHOOK_TIMEOUT", "nan", "WEBHOOK_TIMEOUT must be a finite number, not 'nan'"),
    ("SWEEP_INTERVAL", "inf", "SWEEP_INTERVAL must be a finite number, not 'inf'"),
    ("SCORE_BATCH_SIZE", "2.5", "SCORE_BATCH_SIZE must be a whole number, not '2.5'"),
    ("SCORE_BATCH_SIZE", "0", "SCORE_BATCH_SIZE must be above 0, not 0"),
    ("PORT", "70000", "PORT must be from 1 to 65535, not 70000"),
    ("WEBHOOK_MAX_RETRIES", "-1", "WEBHOOK_MAX_RETRIES must be 0 or more, not -1"),
    ("REPORTER_WEIGHT_FLOOR", "1.5", "REPORTER_WEIGHT_FLOOR must be from 0 to 1, not 1.5"),
    # 0 would call every report late the moment it is filed, and lift every reported comment at once.
    ("REPORT_WAIT_MINUTES", "0", "REPORT_WAIT_MINUTES must be from 1 to 10080, not 0"),
    # A task that lingers that long between claims holds a pool process asleep while comments wait.
    ("SCORE_LINGER", "1e9", "SCORE_LINGER must be from 0 to 1, not 1000000000.0"),
    ("SCORE_LINGER", "-0.1", "SCORE_LINGER must be from 0 to 1, not -0.1"),
    ("SCORING_TASKS", "0", "SCORING_TASKS must be above 0, not 0"),
    # Finite, but an OverflowError in every webhook socket's settimeout.
    ("WEBHOOK_TIMEOUT", "1e12", "WEBHOOK_TIMEOUT must be at most 1,000,000,000, not 1000000000000.0"),
    ("SCORE_BATCH_SIZE", "99999999999999999999", "SCORE_BATCH_SIZE must be at most 1,000,000,000, not 99999999999999999999"),
    # Not numbers, but as sure to be wrong: read as off, a cookie would go out insecure without a word.
    ("SESSION_COOKIE_SECURE", "maybe", "SESSION_COOKIE_SECURE must be one of 1, true, yes, on, 0, false, no, off, "
                                       "not 'maybe'"),
    ("WEBHOOK_ALLOWED_NETWORKS", "10.0.0.0/8,notacidr", "WEBHOOK_ALLOWED_NETWORKS: 'notacidr' is not a network (CIDR)"),
    ("WEBHOOK_ALLOWED_NETWORKS", "10.0.0.1/8", "WEBHOOK_ALLOWED_NETWORKS: '10.0.0.1/8' has host bits set; "
                                               "the network is 10.0.0.0/8"),
    # What `keys moderator-id-secret` prints, mistyped: a traceback at every start before.
    ("MODERATOR_ID_SECRET", "hex:zz", "MODERATOR_ID_SECRET=hex:... must be hex digits after 'hex:'"),
    ("REDIS_URL", "bogus://x", "REDIS_URL must start with redis://, rediss://, redis+socket://, unix://, not 'bogus'"),
    # A 57-line traceback ended in "Could not parse SQLAlchemy URL"; mysql:// in a missing driver.
    ("DATABASE_URL", "garbage", "DATABASE_URL must be a PostgreSQL URL such as "
                                "postgresql+psycopg://user:password@host:5432/db, not one starting 'garbage'"),
    ("DATABASE_URL", "mysql://u@h/db", "DATABASE_URL must be a PostgreSQL URL such as "
                                       "postgresql+psycopg://user:password@host:5432/db, not one starting 'mysql'"),
])
def test_a_bad_number_in_the_environment_names_its_setting(monkeypatch, name, raw, words):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ConfigError) as raised:
        Config.from_env()
    assert str(raised.value) == words


def test_zero_where_it_means_off_or_no_limit_is_accepted(monkeypatch):
    for name in ("DATABASE_STATEMENT_TIMEOUT", "BACKPRESSURE_SOFT_LIMIT", "BACKPRESSURE_RECHECK_SECONDS",
                 "WEBHOOK_MAX_RETRIES", "METRICS_PORT", "PROXY_COUNT"):
        monkeypatch.setenv(name, "0")
    config = Config.from_env()
    assert config.DATABASE_STATEMENT_TIMEOUT == 0 and config.BACKPRESSURE_SOFT_LIMIT == 0


def test_a_hard_limit_at_or_below_the_soft_one_is_refused_unless_one_is_off(monkeypatch):
    monkeypatch.setenv("BACKPRESSURE_SOFT_LIMIT", "500")
    monkeypatch.setenv("BACKPRESSURE_HARD_LIMIT", "500")
    with pytest.raises(ConfigError, match=r"BACKPRESSURE_HARD_LIMIT \(500\) must be above BACKPRESSURE_SOFT_LIMIT \(500\)"):
        Config.from_env()
    monkeypatch.setenv("BACKPRESSURE_HARD_LIMIT", "0")
    assert Config.from_env().BACKPRESSURE_HARD_LIMIT == 0


def test_overrides_are_checked_and_read_as_the_environment_is():
    assert Config.from_env(SWEEP_INTERVAL="2").SWEEP_INTERVAL == 2.0
    with pytest.raises(ConfigError, match="WEBHOOK_TIMEOUT must be above 0"):
        Config.from_env(WEBHOOK_TIMEOUT=0)
    with pytest.raises(ConfigError, match="WEBHOOK_TIMEOUT must be a finite number"):
        Config.from_env(WEBHOOK_TIMEOUT=math.inf)


def test_every_number_setting_has_a_rule():
    numbers = {f.name for f in fields(Config) if str(f.type) in ("int", "float")}
    assert numbers == set(_RULES)


def test_the_defaults_pass_their_own_rules():
    Config.from_env()  # raises if a default breaks a rule


@pytest.mark.parametrize("name, raw, words", [
    ("WEBHOOK_TIMEOUT", "0", "WEBHOOK_TIMEOUT must be above 0, not 0.0"),
    ("WEBHOOK_ALLOWED_NETWORKS", "notacidr", "WEBHOOK_ALLOWED_NETWORKS: 'notacidr' is not a network (CIDR)"),
])
def test_a_command_prints_the_bad_setting_instead_of_a_traceback(monkeypatch, name, raw, words):
    monkeypatch.setenv(name, raw)
    result = CliRunner().invoke(main, ["keys", "list"])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {words}"


def test_switches_read_the_usual_words_either_way(monkeypatch):
    for raw, value in (("TRUE", True), ("on", True), ("0", False), ("No", False), ("", False)):
        monkeypatch.setenv("SESSION_COOKIE_SECURE", raw)
        assert Config.from_env().SESSION_COOKIE_SECURE is value


def test_a_command_that_cannot_reach_the_database_says_so_in_one_line(tmp_path):
    """It printed a 151-line traceback."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/db", MODERATION_VAR_DIR=str(tmp_path))
    done = subprocess.run([str(Path(sys.executable).with_name("moderation")), "keys", "list"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("Error: cannot reach the database (DATABASE_URL): connection failed")


def test_a_database_that_takes_the_connection_and_never_answers_is_a_one_line_error_too(tmp_path):
    """A stalled server, or a firewall that drops packets: every command hung without a word, in the
    migration every command runs first, whose engine had no connect timeout."""
    import os
    import socket
    import subprocess
    import sys
    import threading
    from pathlib import Path

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True).start()
    port = listener.getsockname()[1]
    env = dict(os.environ, DATABASE_URL=f"postgresql+psycopg://u:p@127.0.0.1:{port}/db", MODERATION_VAR_DIR=str(tmp_path))
    try:
        done = subprocess.run([str(Path(sys.executable).with_name("moderation")), "keys", "list"], env=env,
                              capture_output=True, text=True, timeout=120)
    finally:
        listener.close()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == "Error: cannot reach the database (DATABASE_URL): connection timeout expired"


@pytest.mark.parametrize("command", [["web"], ["up"]])
@pytest.mark.parametrize("key", ["a", " " * 40, "ab" * 20])
def test_the_service_refuses_a_secret_key_short_enough_to_guess(monkeypatch, command, key):
    """An operator started web with SECRET_KEY=a, signed a session cookie with it and opened an admin
    page; a re-check walk started it with 40 spaces."""
    monkeypatch.setenv("SECRET_KEY", key)
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1
    assert f"SECRET_KEY must be at least 32 characters, not {len(key)}, and not one repeated" in result.output


def test_session_cookies_are_secure_by_default_when_the_public_url_is_https(monkeypatch):
    """An operator behind a TLS proxy, PUBLIC_URL https://..., got a session cookie without Secure."""
    from moderation.config import Config

    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.setenv("PUBLIC_URL", "https://comments.example.org/")
    assert Config.from_env().SESSION_COOKIE_SECURE is True
    monkeypatch.setenv("PUBLIC_URL", "http://127.0.0.1:8080/")
    assert Config.from_env().SESSION_COOKIE_SECURE is False
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "false")  # said outright, it wins
    monkeypatch.setenv("PUBLIC_URL", "https://comments.example.org/")
    assert Config.from_env().SESSION_COOKIE_SECURE is False


@pytest.mark.parametrize("name", ["WEBHOOK_EVENT_DAYS", "AUDIT_LOG_DAYS"])
@pytest.mark.parametrize("raw", ["-1", "36501", "1000000000", "1e3", "thirty"])
def test_retention_days_outside_a_hundred_years_are_refused_at_start(monkeypatch, raw, name):
    """10^9 days passed the general bound and made the retention task fail on every run."""
    from moderation.config import Config, ConfigError

    monkeypatch.setenv(name, raw)
    with pytest.raises(ConfigError, match=f"{name} must be"):
        Config.from_env()


def test_a_second_up_on_the_same_data_is_refused_before_it_touches_anything(monkeypatch, tmp_path):
    """It was not: it wiped the running service's metric files, and when the first stopped it took the
    embedded Redis along, leaving the second answering 202 and scoring nothing (an upgrade walk)."""
    from moderation.cli import service_commands

    metrics_file = tmp_path / "metrics" / "web-1.db"
    metrics_file.parent.mkdir()
    metrics_file.write_bytes(b"counting")
    service_commands.hold_var_dir(tmp_path)  # the running service
    try:
        monkeypatch.setenv("MODERATION_VAR_DIR", str(tmp_path))
        monkeypatch.setenv("SECRET_KEY", "a-long-enough-secret-key-for-this-test-0123456789")
        result = CliRunner().invoke(main, ["up"])
    finally:
        service_commands._held.pop().close()
    assert result.exit_code == 1
    assert f"the service is already running on {tmp_path} (pid {os.getpid()}): stop it first" in result.output
    assert metrics_file.read_bytes() == b"counting" and not (tmp_path / "pgdata").exists()


def test_a_database_a_newer_release_migrated_stops_the_servers_up_started_and_says_so(monkeypatch):
    from alembic.util.exc import CommandError

    from moderation import migrate
    from moderation.cli import service_commands

    class Server:
        stopped = False

        def terminate(self) -> None:
            self.stopped = True

        def wait(self, timeout: float) -> None:
            pass

    def newer(url: str) -> None:
        raise CommandError("Can't locate revision identified by '0099_from_the_future'")

    monkeypatch.setattr(migrate, "upgrade", newer)
    redis = Server()
    with pytest.raises(click.ClickException) as refused:
        service_commands._migrate_or_stop("postgresql://x", [redis])
    assert redis.stopped
    assert refused.value.message.startswith("cannot migrate the database: Can't locate revision identified by "
                                            "'0099_from_the_future'. A database a newer release has migrated needs")


def test_up_on_a_port_something_listens_on_says_so_before_starting_anything(monkeypatch, tmp_path):
    """It printed its banner with the other service's address, then stopped after five seconds of
    gunicorn's "Connection in use" (an operator's walk)."""
    import socket

    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        monkeypatch.setenv("MODERATION_VAR_DIR", str(tmp_path))
        monkeypatch.setenv("SECRET_KEY", "a-long-enough-secret-key-for-this-test-0123456789")
        monkeypatch.setenv("PORT", str(port))
        monkeypatch.setenv("HOST", "127.0.0.1")
        result = CliRunner().invoke(main, ["up"])
    from moderation.cli import service_commands
    service_commands._held.pop().close()
    assert result.exit_code == 1 and f"127.0.0.1:{port} is in use" in result.output
    assert "Moderation service on" not in result.output and not (tmp_path / "pgdata").exists()
    # A HOST that does not resolve is said as such, not as a port in use (a re-check).
    monkeypatch.setenv("HOST", "bogus.invalid")
    result = CliRunner().invoke(main, ["up"])
    service_commands._held.pop().close()
    assert result.exit_code == 1 and f"cannot listen on bogus.invalid:{port}" in result.output


def test_a_worker_for_a_queue_nothing_sends_to_is_refused():
    """A typo gave a worker that consumed a queue nobody uses, saying nothing (an operator's walk)."""
    result = CliRunner().invoke(main, ["worker", "--queues", "moderation,webhook"])
    assert result.exit_code == 2
    assert "no queue 'webhook': the queues are moderation, webhooks, training" in result.output
    spaced = CliRunner().invoke(main, ["worker", "--queues", "training, webhooks"])  # a re-check: " webhooks" was taken
    assert spaced.exit_code == 2 and "no queue ' webhooks'" in spaced.output


def test_log_level_and_access_log_reach_every_process(monkeypatch, tmp_path):
    """At INFO each comment logs about three lines, and nothing turned that down (an operator's walk)."""
    from moderation.cli.service_commands import beat_argv, web_argv, worker_argv

    monkeypatch.setenv("MODERATION_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LOG_LEVEL", "warning")
    monkeypatch.setenv("ACCESS_LOG", "false")
    config = Config.from_env(SECRET_KEY="a-long-enough-secret-key-for-this-test-0123456789")

    web = web_argv(config)
    assert web[web.index("--log-level") + 1] == "warning" and "--access-logfile" not in web
    for argv in (worker_argv(config), beat_argv(config)):
        assert argv[argv.index("--loglevel") + 1] == "WARNING"
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(ConfigError, match="LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR"):
        Config.from_env()


def test_at_debug_the_http_client_does_not_log_webhook_urls(app_with):
    """A security review: at LOG_LEVEL=DEBUG urllib3 logged each request line, a webhook URL's
    query string (a site's token) with it."""
    import logging

    root = logging.getLogger()
    level = root.level
    try:
        root.setLevel(logging.DEBUG)  # as basicConfig leaves it at LOG_LEVEL=DEBUG
        app_with(LOG_LEVEL="DEBUG")
        assert logging.getLogger("urllib3").getEffectiveLevel() >= logging.INFO
    finally:
        root.setLevel(level)
