"""Drift fixtures. Tests that make drift reports also clear them when they end (every test starts
with none: the app fixture empties every table), so nothing after them sees their banner."""
from __future__ import annotations

import pytest
from sqlalchemy import delete

from moderation import db
from moderation.models import DriftReport


@pytest.fixture
def no_drift_reports(app):
    def clear() -> None:
        with app.app_context():
            db.session.execute(delete(DriftReport))
            db.session.commit()

    clear()
    yield
    clear()


class CardModel:
    """A model as drift sees it: a version, thresholds and a card whose validation scores sit low.
    Pages warn only about the version in use: give it the shipped model's to see a banner."""

    attributes = ("toxicity", "insult")
    thresholds = {"toxicity": 0.5, "insult": 0.8}

    def __init__(self, validation_scores: dict | None = "default", version: str = "carded-1") -> None:
        self.version = version
        summary = {"bins": 10, "rows": 1000, "held_rate": 0.1,
                   "histograms": {"toxicity": [600, 200, 50, 30, 20, 20, 20, 20, 20, 20],
                                  "insult": [800, 100, 40, 20, 10, 10, 5, 5, 5, 5]}}
        self.card = {"name": "carded"} if validation_scores is None else {
            "validation_scores": summary if validation_scores == "default" else validation_scores}


def live_version(app) -> str:
    from moderation.scorer import get_model

    return get_model(app).version
