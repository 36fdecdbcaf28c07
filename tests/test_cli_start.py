"""`moderation --help`, and every command that never loads a model, start without importing
scikit-learn: it was two of the four and a half seconds an operator waited for any command."""
from __future__ import annotations

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
