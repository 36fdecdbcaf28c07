"""Drift: does live traffic still look like the data the model was validated on?

Once a day (Celery beat, or `moderation drift check`) the scores the model gave over the last day
are binned like the card's `validation_scores` (classifiers/drift.py) and compared attribute by
attribute with the population stability index; the share of comments the model's own thresholds
would hold is compared with the validation held rate. Each check is one drift_reports row. The
admin pages warn when the latest one for the model in use says so: some attribute's PSI above
DRIFT_PSI_WARN, from at least DRIFT_MIN_COMMENTS comments (fewer would warn on noise).

A card without `validation_scores` (a model trained before cards carried them) gets a report
saying so instead of a PSI: retrain to compare.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from classifiers.drift import BINS, histogram, psi
from moderation.domain.lifecycle import now
from moderation.models import Comment, DriftReport

WINDOW = timedelta(days=1)
NO_VALIDATION_SCORES = ("This model's card has no validation score distribution (it was trained before cards "
                        "carried one): retrain it to compare live scores with its validation data.")


class CardModel(Protocol):
    version: str
    card: Mapping[str, Any]
    thresholds: Mapping[str, float]


@dataclass(frozen=True)
class DriftSettings:
    psi_warn: float
    min_comments: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "DriftSettings":
        return cls(float(config["DRIFT_PSI_WARN"]), int(config["DRIFT_MIN_COMMENTS"]))


def check_drift(session: Session, model: CardModel, settings: DriftSettings, *, window: timedelta = WINDOW,
                at: datetime | None = None) -> DriftReport:
    """Compare the last `window` of the model's live scores with its card; store and return the report."""
    end = at or now()
    start = end - window
    reference = model.card.get("validation_scores") if isinstance(model.card, Mapping) else None
    scores = [s for s in session.scalars(
        select(Comment.scores).where(Comment.model_version == model.version, Comment.scored_at >= start,
                                     Comment.scored_at < end, Comment.scores.is_not(None))) if isinstance(s, dict)]
    report = DriftReport(version=model.version, window_start=start, window_end=end, comments=len(scores),
                         psi={}, live_histograms={}, validation_histograms={}, warning=False)
    if not _usable(reference):
        report.note = NO_VALIDATION_SCORES
        return _store(session, report)
    bins = int(reference.get("bins", BINS))
    validation = {a: list(map(int, c)) for a, c in reference["histograms"].items() if len(c) == bins and sum(c) > 0}
    report.validation_histograms = validation
    report.validation_held_rate = reference.get("held_rate")
    if scores:
        report.live_histograms = {a: histogram([float(s.get(a, 0.0)) for s in scores], bins) for a in validation}
        report.held_rate = _held_rate(scores, model.thresholds, list(validation))
        report.psi = {a: round(psi(validation[a], report.live_histograms[a]), 6) for a in validation}
        report.max_psi = max(report.psi.values(), default=None)
    if len(scores) < settings.min_comments:
        report.note = (f"Only {len(scores)} comments scored by this model in the window; "
                       f"a warning needs at least {settings.min_comments}.")
    report.warning = bool(report.max_psi is not None and report.max_psi > settings.psi_warn
                          and len(scores) >= settings.min_comments)
    return _store(session, report)


def check_models(session: Session, models: Iterable[CardModel], settings: DriftSettings, *,
                 window: timedelta = WINDOW, at: datetime | None = None) -> list[DriftReport]:
    """A report for each model: the global version and every site's own. Checking the global one only,
    a site on its own promoted model was never checked (an admin's walk)."""
    end = at or now()
    return [check_drift(session, model, settings, window=window, at=end) for model in models]


def _usable(reference: Any) -> bool:
    return isinstance(reference, Mapping) and isinstance(reference.get("histograms"), Mapping) and bool(
        reference["histograms"])


def _held_rate(scores: list[dict[str, Any]], thresholds: Mapping[str, float], attributes: list[str]) -> float:
    """Share of comments some attribute would hold at the model's own thresholds: the validation
    held rate's definition, so site overrides and reports do not pass for drift."""
    limits = {a: float(thresholds[a]) for a in attributes if a in thresholds}
    held = np.array([any(float(s.get(a, 0.0)) >= t for a, t in limits.items()) for s in scores])
    return float(held.mean()) if len(held) else 0.0


def _store(session: Session, report: DriftReport) -> DriftReport:
    session.add(report)
    session.flush()
    return report


def latest_reports(session: Session, limit: int = 30) -> list[DriftReport]:
    return list(session.scalars(select(DriftReport).order_by(DriftReport.created_at.desc(), DriftReport.id.desc())
                                .limit(limit)))


def current_warnings(session: Session, versions: Iterable[str] | None = None) -> list[DriftReport]:
    """Of each of `versions` (the global one first), its latest report if it warns; without
    `versions`, the latest report if it warns. A site's own version that warned beside the global
    one went unnamed on the banner (an admin's walk)."""
    query = select(DriftReport).order_by(DriftReport.created_at.desc(), DriftReport.id.desc()).limit(1)
    if versions is None:
        latest = session.scalar(query)
        return [latest] if latest is not None and latest.warning else []
    found = []
    for version in versions:
        latest = session.scalar(query.where(DriftReport.version == version))
        if latest is not None and latest.warning:
            found.append(latest)
    return found
