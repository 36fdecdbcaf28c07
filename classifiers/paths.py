"""Where the shipped model lives and where an artifact's card sits: names a process needs before
(or without) loading a model, in a module that does not import scikit-learn."""
from __future__ import annotations

from pathlib import Path
from typing import Any

DEFAULT_MODEL_PATH: Path = Path(__file__).resolve().parents[1] / "models" / "civility.skops"


def card_path_for(path: Path) -> Path:
    return path.with_suffix(".card.json")


def version_name(card: dict[str, Any], digest: str) -> str:
    """A model's version: the day it was trained and the start of the sha256 of its artifact and card."""
    date = str(card.get("trained_at", "0000-00-00"))[:10].replace("-", ".")
    return f"{date}-{digest[:8]}"
