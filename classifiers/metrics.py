"""Metrics computed on known labels only, and threshold choice for a target precision."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score


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


def threshold_for_precision(y: np.ndarray, p: np.ndarray, target: float) -> dict[str, float]:
    """Lowest threshold whose precision reaches `target` (so recall is highest); if none does,
    the threshold with the best precision among those keeping at least 5% recall."""
    precision, recall, thresholds = precision_recall_curve(y, p)
    precision, recall = precision[:-1], recall[:-1]
    ok = np.flatnonzero(precision >= target)
    if len(ok):
        i = int(ok[0])
        reached = True
    else:
        usable = np.flatnonzero(recall >= 0.05)
        i = int(usable[np.argmax(precision[usable])]) if len(usable) else int(np.argmax(precision))
        reached = False
    return {
        "threshold": float(thresholds[i]),
        "precision": float(precision[i]),
        "recall": float(recall[i]),
        "target_precision": float(target),
        "target_reached": reached,
    }


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
        report.update(roc_auc=float(roc_auc_score(y, p)), pr_auc=float(average_precision_score(y, p)))
    report["ece"] = expected_calibration_error(y, p) if len(y) else None
    if threshold is not None and len(y):
        flagged = p >= threshold
        tp = int((flagged & (y == 1)).sum())
        report["threshold"] = float(threshold)
        report["precision"] = float(tp / flagged.sum()) if flagged.sum() else None
        report["recall"] = float(tp / y.sum()) if y.sum() else None
    return report
