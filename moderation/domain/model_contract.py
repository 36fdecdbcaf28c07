"""What the service needs from a scoring model: classifiers.CivilityModel provides it, and tests
may pass a small fake. Scoring, backtests and the Perspective endpoint all speak to this one type."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class Model(Protocol):
    version: str
    attributes: tuple[str, ...]  # the attributes it really scores; others are never reported
    thresholds: dict[str, float]

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]: ...

    def explain(self, text: str, attributes: Sequence[str] | None = None, top_k: int = 5) -> dict[str, Any]: ...


class ModelSource(Protocol):
    """Which model scores a site's comments (moderation.model_provider.ModelProvider)."""

    def for_site(self, site_id: int | None) -> Model: ...

    def refresh(self) -> None: ...
