"""A stand-in scorer for tests about what an edit or a decision does, not about the model."""
from __future__ import annotations


class WordModel:
    """Scores "idiot" as an insult and everything else as civil: enough to tell the edits apart."""

    version = "words-1"
    attributes = ("toxicity",)
    thresholds = {"toxicity": 0.5}

    def score(self, texts):
        return [{"toxicity": 0.9 if "idiot" in text else 0.01} for text in texts]

    def explain(self, text, attributes=None, top_k=5):
        return {}
