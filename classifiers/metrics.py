"""Metrics computed on known labels only, and threshold choice for a target precision."""

from __future__ import annotations

from typing import Any

import numpy as np


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Mean |observed rate - mean probability| over equal-width bins, weighted by bin size."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    if len(y) == 0:
        return float("nan")
    which = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.sum() * abs(y[mask].mean() - p[mask].mean())
    return float(total / len(y))


MIN_RECALL = 0.05
# When no threshold reaches the target, the most precise point is noise: profanity's held-out rows
# have about 70 positives, so 5 % recall is 4 of them, and 4 in 6 (0.65) beat 26 in 48 (0.55). The
# fallback takes the threshold whose precision is surest instead: the highest Wilson lower bound
# (95 %) of its precision, with the flagged rows as the count.
WILSON_Z = 1.96
# A trained model never flags an attribute at a score below this: its scores are calibrated, so
# below 0.5 the model thinks the attribute more likely absent. Profanity needs it: with every
# obscenity a positive, 0.9 precision was reached at 0.07, where "Shiitake mushrooms" scored 0.08
# and one comment in eight that profanity held on Reddit neither swore nor was obscene (docs/recipe-history.md, run 14).
LOWEST_THRESHOLD = 0.5


def threshold_for_precision(
    y: np.ndarray, p: np.ndarray, target: float, weights: np.ndarray | None = None, lowest: float = 0.0
) -> dict[str, Any]:
    """Lowest threshold whose (weighted) precision reaches `target` with at least 5% recall, so
    recall is highest (of those with that recall, the highest threshold); if none does, the threshold with at least 5% recall whose precision has
    the highest 95% Wilson lower bound (see WILSON_Z). No threshold is below `lowest`.

    Train passes source-balanced weights so one source's base rate (davidson is 83%
    offensive) does not set everyone's threshold.
    """
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    order = np.argsort(-p, kind="stable")
    y, p, w = y[order], p[order], w[order]
    tp = np.cumsum(w * y)
    fp = np.cumsum(w * (1 - y))
    precision = tp / np.maximum(tp + fp, 1e-12)
    recall = tp / max(tp[-1], 1e-12)
    candidates = np.flatnonzero(np.r_[p[1:] != p[:-1], True])  # last row of each tie
    if (p[candidates] >= lowest).any():
        candidates = candidates[p[candidates] >= lowest]
    # A threshold that flags a handful of the top rows "reaches" any target by luck (profanity's did
    # at 1 positive in 71): reaching it counts only with the recall the fallback keeps too.
    ok = candidates[(precision[candidates] >= target) & (recall[candidates] >= MIN_RECALL)]
    if len(ok):
        # The lowest threshold has the most recall; of those with as much, the highest holds least:
        # past the last rejected comment, a lower one only held more approved ones (a target of 0.5
        # gave 0.011 where 0.3 caught the same: a moderator's walk).
        most = recall[ok[-1]]
        i, reached = int(ok[np.argmax(recall[ok] >= most - 1e-12)]), True
    else:
        usable = candidates[recall[candidates] >= MIN_RECALL]
        usable = usable if len(usable) else candidates
        bound = _wilson_lower_bound(precision[usable], usable + 1.0)
        i, reached = int(usable[np.argmax(bound)]), False
    return {
        "threshold": float(p[i]),
        "precision": float(precision[i]),
        "recall": float(recall[i]),
        "target_precision": float(target),
        "target_reached": reached,
        "weighting": "unweighted" if weights is None else "source-balanced",
        "lowest_allowed": float(lowest),
    }


def _wilson_lower_bound(rate: np.ndarray, n: np.ndarray, z: float = WILSON_Z) -> np.ndarray:
    """The lower end of the Wilson score interval of a rate observed over n rows."""
    z2 = z * z
    centre = rate + z2 / (2 * n)
    spread = z * np.sqrt(rate * (1 - rate) / n + z2 / (4 * n * n))
    return (centre - spread) / (1 + z2 / n)


def binary_report(y: np.ndarray, p: np.ndarray, threshold: float | None = None) -> dict[str, Any]:
    """ROC AUC, PR AUC, ECE and (given a threshold) precision/recall for rows with known labels."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    known = ~np.isnan(y)
    y, p = y[known].astype(int), p[known]
    report: dict[str, Any] = {"n": int(len(y)), "positives": int(y.sum())}
    if len(y) == 0 or y.min() == y.max():
        report.update(roc_auc=None, pr_auc=None)
    else:
        from sklearn.metrics import average_precision_score, roc_auc_score  # here: see classifiers/__init__.py

        report.update(roc_auc=float(roc_auc_score(y, p)), pr_auc=float(average_precision_score(y, p)))
    report["ece"] = expected_calibration_error(y, p) if len(y) else None
    if threshold is not None and len(y):
        flagged = p >= threshold
        tp = int((flagged & (y == 1)).sum())
        report["threshold"] = float(threshold)
        report["precision"] = float(tp / flagged.sum()) if flagged.sum() else None
        report["recall"] = float(tp / y.sum()) if y.sum() else None
    return report
