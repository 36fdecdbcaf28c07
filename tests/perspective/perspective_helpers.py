"""Paths and request bodies shared by the Perspective endpoint tests."""
from __future__ import annotations

ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"


def analyze_body(text: str, *attributes: str, **extra: object) -> dict:
    return {"comment": {"text": text}, "requestedAttributes": {a: {} for a in attributes or ("TOXICITY",)},
            "languages": ["en"], **extra}
