"""deploy/systemd: every unit starts a command the CLI has, with options it takes (an operator's walk
found no supervision for a deployment without Docker: a worker killed with -9 stayed down)."""
from __future__ import annotations

import shlex
from pathlib import Path

from click.testing import CliRunner

from moderation.cli import main

UNITS = Path(__file__).resolve().parents[1] / "deploy" / "systemd"
BINARY = "/opt/moderation/.venv/bin/moderation"


def _commands(unit: Path) -> list[list[str]]:
    lines = [line.split("=", 1)[1] for line in unit.read_text().splitlines()
             if line.startswith(("ExecStart=", "ExecStartPre="))]
    return [shlex.split(line)[1:] for line in lines if line.startswith(BINARY)]


def test_every_unit_runs_a_command_the_cli_has_and_restarts_when_it_dies():
    units = sorted(UNITS.glob("moderation-*.service"))
    assert [u.name for u in units] == ["moderation-beat.service", "moderation-migrate.service",
                                       "moderation-trainer.service", "moderation-web.service",
                                       "moderation-webhooks.service", "moderation-worker.service"]
    wanted = (UNITS / "moderation.target").read_text()
    for unit in units:
        text = unit.read_text()
        assert "User=moderation" in text and unit.name in wanted
        for args in _commands(unit):
            result = CliRunner().invoke(main, [*args, "--help"])
            assert result.exit_code == 0, f"{unit.name}: moderation {' '.join(args)}: {result.output}"
        if unit.name == "moderation-migrate.service":
            continue
        assert "Restart=always" in text
        # A stop's SIGTERM to the main process only: to every process at once (systemd's default),
        # a worker's pool died mid-batch instead of finishing it (an operator's walk).
        assert "\nKillMode=mixed\n" in text, unit.name


def test_migrations_run_once_without_a_start_timeout_before_any_process_starts():
    """An operator's walk: the web unit migrated in ExecStartPre, killed at systemd's 90 s start timeout
    over two million comments, rolled back and tried again for ever, while the workers, with no such
    step, ran the new code on the old schema."""
    migrate = (UNITS / "moderation-migrate.service").read_text()
    assert _commands(UNITS / "moderation-migrate.service") == [["db", "upgrade"]]
    assert "\nType=oneshot\n" in migrate and "\nTimeoutStartSec=infinity\n" in migrate
    for unit in sorted(UNITS.glob("moderation-*.service")):
        if unit.name == "moderation-migrate.service":
            continue
        lines = unit.read_text().splitlines()
        after = next(line for line in lines if line.startswith("After="))
        assert "moderation-migrate.service" in after and "Requires=moderation-migrate.service" in lines, unit.name
        assert not any(line.startswith("ExecStartPre=") for line in lines), unit.name
