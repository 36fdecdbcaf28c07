"""A small stand-in for classifiers.CivilityModel, for domain tests that need exact scores.

Its scores come from marker words, so a test reads like the behaviour it checks. Integration
tests use the real model.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ATTRIBUTES = ("toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat")


class FakeModel:
    version = "fake-1"
    attributes = ("toxicity", "insult", "identity_attack")
    thresholds = {"toxicity": 0.5, "insult": 0.9, "identity_attack": 0.9}

    def __init__(self) -> None:
        self.scored: list[str] = []
        self.explained: list[str] = []

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        self.scored.extend(texts)
        return [self._one(t) for t in texts]

    @staticmethod
    def _one(text: str) -> dict[str, float]:
        scores = dict.fromkeys(ATTRIBUTES, 0.01)
        if "idiot" in text:
            scores.update(toxicity=0.8, insult=0.95)
        if "vile" in text:
            scores.update(toxicity=0.99)
        if "damn" in text:
            scores.update(profanity=0.99)  # not a reliable attribute: must not count
        return scores

    def explain(self, text: str, attributes: Sequence[str] | None = None, top_k: int = 5) -> dict[str, Any]:
        self.explained.append(text)
        start = text.find("idiot")
        return {a: [{"begin": start, "end": start + 5, "score": 1.0, "text": "idiot"}] for a in attributes or ()}
