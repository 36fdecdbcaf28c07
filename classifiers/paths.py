"""Where the shipped model lives and where an artifact's card sits: names a process needs before
(or without) loading a model, in a module that does not import scikit-learn."""
from __future__ import annotations

from pathlib import Path

DEFAULT_MODEL_PATH: Path = Path(__file__).resolve().parents[1] / "models" / "civility.skops"


def card_path_for(path: Path) -> Path:
    return path.with_suffix(".card.json")
