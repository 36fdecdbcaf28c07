"""Population stability index (PSI) between two score distributions, on fixed bins over [0, 1].

Scores are probabilities, so every distribution uses the same BINS equal-width bins: a model card
stores bin counts (not scores) and live counts compare with them bin for bin. PSI sums, over the
bins, (live share - reference share) * ln(live share / reference share); the usual reading is
below 0.1 stable, 0.1-0.25 a moderate shift, above 0.25 a large one.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

BINS = 10
# An empty bin on either side would make the log infinite; a share this small stands in for it.
EMPTY_SHARE = 1e-4


def histogram(scores: Sequence[float] | np.ndarray, bins: int = BINS) -> list[int]:
    """Counts of `scores` in `bins` equal bins over [0, 1] (1.0 falls in the last)."""
    values = np.clip(np.asarray(scores, dtype=float), 0.0, 1.0)
    counts, _ = np.histogram(values, bins=bins, range=(0.0, 1.0))
    return [int(c) for c in counts]


def psi(reference: Sequence[float] | np.ndarray, live: Sequence[float] | np.ndarray) -> float:
    """PSI of `live` against `reference`, both bin counts (or shares) over the same bins."""
    expected = np.asarray(reference, dtype=float)
    actual = np.asarray(live, dtype=float)
    if expected.shape != actual.shape or expected.ndim != 1:
        raise ValueError(f"need two histograms of the same bins, got {expected.shape} and {actual.shape}")
    if expected.sum() <= 0 or actual.sum() <= 0:
        raise ValueError("a histogram with no counts has no distribution to compare")
    p = np.maximum(expected / expected.sum(), EMPTY_SHARE)
    q = np.maximum(actual / actual.sum(), EMPTY_SHARE)
    return float(np.sum((q - p) * np.log(q / p)))


def validation_scores(
    probabilities: np.ndarray, attributes: Sequence[str], columns: Mapping[str, int], thresholds: Mapping[str, float],
    bins: int = BINS,
) -> dict[str, Any]:
    """The card's summary of validation scores: per attribute its histogram, and the share of rows
    any attribute would hold at the model's thresholds (what drift compares live traffic with)."""
    held = np.zeros(len(probabilities), dtype=bool)
    for attribute in attributes:
        if attribute in thresholds:
            held |= probabilities[:, columns[attribute]] >= thresholds[attribute]
    return {
        "bins": bins,
        "rows": int(len(probabilities)),
        "histograms": {a: histogram(probabilities[:, columns[a]], bins) for a in attributes},
        "held_rate": float(held.mean()) if len(probabilities) else None,
    }
