"""Hand-built decided comments and two table-driven fake models whose backtest numbers are known.

Shared by the backtest, threshold-tuning and admin page tests.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from moderation import db
from moderation.domain.lifecycle import APPROVED, REJECTED
from moderation.models import Comment

START = datetime(2026, 11, 1, tzinfo=timezone.utc)


class TableModel:
    """Scores each text from a table: toxicity only, held at 0.5 unless the site says otherwise."""

    attributes = ("toxicity",)
    thresholds = {"toxicity": 0.5}

    def __init__(self, version: str, table: dict[str, float]) -> None:
        self.version = version
        self.table = table

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [{"toxicity": self.table[t], "insult": 0.99} for t in texts]  # insult is not reliable here


# text -> (moderator's decision, active model's toxicity, candidate's toxicity)
DECIDED = {
    "r1": (REJECTED, 0.9, 0.9), "r2": (REJECTED, 0.8, 0.9), "r3": (REJECTED, 0.3, 0.9), "r4": (REJECTED, 0.2, 0.9),
    "a1": (APPROVED, 0.7, 0.1), "a2": (APPROVED, 0.1, 0.1), "a3": (APPROVED, 0.05, 0.1), "a4": (APPROVED, 0.6, 0.1),
}
ACTIVE = TableModel("old-1", {t: v[1] for t, v in DECIDED.items()})
CANDIDATE = TableModel("new-2", {t: v[2] for t, v in DECIDED.items()})


def add_comment(site_id: int, text: str, *, status: str, decision: str | None = None, day: float = 0.0,
                scores: dict[str, float] | None = None) -> Comment:
    at = START + timedelta(days=day)
    comment = Comment(site_id=site_id, external_id=text, story_id="s", author_id="a", text=text, body_hash="0" * 64,
                      status=status, decision=decision, decided_at=at + timedelta(hours=1) if decision else None,
                      received_at=at, scores=scores, model_version="old-1" if scores else None,
                      scored_at=at if scores else None)
    db.session.add(comment)
    return comment


def add_quick_decisions(site_id: int, count: int, hours: float, prefix: str) -> None:
    """`count` decided comments spread evenly over `hours`, rejected (toxicity 0.9) and approved (0.1) in
    turn: decisions from under a day, whose real span held-per-day counts. The caller commits."""
    for i in range(count):
        decision = REJECTED if i % 2 else APPROVED
        add_comment(site_id, f"{prefix}{i}", status=decision, decision=decision, day=i * hours / (count - 1) / 24,
                    scores={"toxicity": 0.9 if i % 2 else 0.1})
