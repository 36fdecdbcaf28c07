"""Other versions of the shipped model for registry tests: the same weights with a different card.

The version digest covers the card, so each variant is a distinct version that scores exactly
like the shipped one; a test tells them apart by the version each comment records.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from classifiers import DEFAULT_MODEL_PATH
from classifiers.model import card_path_for


def model_variant(directory: Path, stem: str, **card_changes: object) -> Path:
    """A copy of the shipped artifact at directory/<stem>.skops whose card is named `stem` and says
    `card_changes` (a `name` among them overrides the stem)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.skops"
    shutil.copyfile(DEFAULT_MODEL_PATH, path)
    card = json.loads(card_path_for(DEFAULT_MODEL_PATH).read_text())
    card.update({"name": stem, **card_changes})
    card_path_for(path).write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return path
