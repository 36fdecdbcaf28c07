"""Model-generic numbers for comparing a classifier's scores with human decisions (no database).

`y` is 1 where a moderator rejected the comment, 0 where one approved it; `score` is one number
per comment; `flagged` is whether the policy would have held it. Used by the backtest and by the
threshold tuner, which both live in moderation/domain and feed plain arrays in here.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

CURVE_POINTS = 200  # enough for a smooth plot, few enough to keep in a cached result
HISTOGRAM_BINS = 20


def ranking_metrics(y: np.ndarray, score: np.ndarray) -> dict[str, float | None]:
    """ROC AUC and PR AUC (average precision); None when only one class was decided."""
    y = np.asarray(y, dtype=int)
    score = np.asarray(score, dtype=float)
    if len(y) == 0 or y.min() == y.max():
        return {"roc_auc": None, "pr_auc": None}
    from sklearn.metrics import average_precision_score, roc_auc_score  # here: see classifiers/__init__.py

    return {"roc_auc": float(roc_auc_score(y, score)), "pr_auc": float(average_precision_score(y, score))}


def roc_auc_difference(y: np.ndarray, first: np.ndarray, second: np.ndarray) -> dict[str, float] | None:
    """ROC AUC of `second` minus that of `first`, scored on the same comments, and its 95 %
    interval by DeLong's method for paired curves (the fast form of Sun and Xu, 2014); None without
    two of each class. On 19 decisions a poisoned candidate read 0.06 better than the model it would
    replace, which the interval (about -0.2 to +0.3) would have called chance (a model admin's walk)."""
    from scipy.stats import rankdata  # here: see classifiers/__init__.py

    y = np.asarray(y, dtype=bool)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives < 2 or negatives < 2:
        return None
    aucs, placements_pos, placements_neg = [], [], []
    for score in (np.asarray(first, dtype=float), np.asarray(second, dtype=float)):
        pos, neg = score[y], score[~y]
        together = rankdata(np.concatenate([pos, neg]))
        within_pos, within_neg = rankdata(pos), rankdata(neg)
        placements_pos.append((together[:positives] - within_pos) / negatives)
        placements_neg.append(1.0 - (together[positives:] - within_neg) / positives)
        aucs.append(float(placements_pos[-1].mean()))
    cov_pos, cov_neg = np.cov(np.array(placements_pos)), np.cov(np.array(placements_neg))
    variance = ((cov_pos[0, 0] + cov_pos[1, 1] - 2 * cov_pos[0, 1]) / positives
                + (cov_neg[0, 0] + cov_neg[1, 1] - 2 * cov_neg[0, 1]) / negatives)
    half = 1.959964 * math.sqrt(max(float(variance), 0.0))
    difference = aucs[1] - aucs[0]
    return {"difference": difference, "low": max(-1.0, difference - half), "high": min(1.0, difference + half)}


def flag_metrics(y: np.ndarray, flagged: np.ndarray) -> dict[str, Any]:
    """Precision and recall of "held" against "rejected by a moderator"."""
    y = np.asarray(y, dtype=bool)
    flagged = np.asarray(flagged, dtype=bool)
    tp = int((flagged & y).sum())
    return {
        "flagged": int(flagged.sum()),
        "true_positives": tp,
        "precision": tp / int(flagged.sum()) if flagged.any() else None,
        "recall": tp / int(y.sum()) if y.any() else None,
    }


def pr_curve(y: np.ndarray, score: np.ndarray, points: int = CURVE_POINTS) -> dict[str, list[float]]:
    """The precision-recall curve thinned to at most `points` points (empty with one class)."""
    y = np.asarray(y, dtype=int)
    if len(y) == 0 or y.min() == y.max():
        return {"precision": [], "recall": [], "threshold": []}
    from sklearn.metrics import precision_recall_curve  # here: see classifiers/__init__.py

    precision, recall, thresholds = precision_recall_curve(y, np.asarray(score, dtype=float))
    # precision/recall have one more entry than thresholds (the (1, 0) end point): drop it.
    precision, recall = precision[:-1], recall[:-1]
    keep = np.unique(np.linspace(0, len(thresholds) - 1, min(points, len(thresholds))).round().astype(int))
    return {"precision": precision[keep].tolist(), "recall": recall[keep].tolist(),
            "threshold": thresholds[keep].tolist()}


def score_histograms(y: np.ndarray, score: np.ndarray, bins: int = HISTOGRAM_BINS) -> dict[str, list[float]]:
    """Counts of approved and rejected comments per equal-width score bin over [0, 1]."""
    y = np.asarray(y, dtype=bool)
    score = np.clip(np.asarray(score, dtype=float), 0.0, 1.0)
    edges = np.linspace(0.0, 1.0, bins + 1)
    return {"edges": edges.tolist(),
            "approved": np.histogram(score[~y], edges)[0].tolist(),
            "rejected": np.histogram(score[y], edges)[0].tolist()}


def effect_at(y: np.ndarray, score: np.ndarray, threshold: float, days: float,
              volume_score: np.ndarray | None = None) -> dict[str, Any]:
    """What holding at `threshold` would do: held per day, precision and recall on the decided ones.

    `volume_score` (default: `score`) is every comment the site received in the `days`, decided or
    not, so lowering a threshold also counts the published comments nobody ever decided.
    """
    score = np.asarray(score, dtype=float)
    volume = score if volume_score is None else np.asarray(volume_score, dtype=float)
    held = int((volume >= threshold).sum())
    return {"threshold": float(threshold), "held": held, "held_per_day": held / max(days, 1e-9),
            **flag_metrics(y, score >= threshold)}


def highest_below(off: float = 1.0, decimals: int = 6) -> float:
    """The highest threshold of `decimals` places that is still below `off`."""
    scale = 10 ** decimals
    return (round(off * scale) - 1) / scale


def threshold_for_volume(score: np.ndarray, per_day: float, days: float, *, off: float = 1.0,
                         decimals: int = 6) -> float:
    """The lowest threshold holding at most `per_day` comments a day out of `score` (over `days`).

    It has `decimals` places, as a saved threshold does, and stays below `off`, the value at which
    a threshold holds nothing because the attribute is off: offered 1.000 for "5 a day", an admin
    saved a hold that never held. When no threshold below `off` holds so few, the highest one does,
    and the caller says the target was not reached.
    """
    scale = 10 ** decimals
    highest = highest_below(off, decimals)
    ordered = np.sort(np.asarray(score, dtype=float))[::-1]
    allowed = int(np.floor(per_day * days))
    if len(ordered) == 0:
        return highest
    if allowed >= len(ordered):
        lowest = float(ordered[-1])
        k = math.floor(lowest * scale)
        while k / scale > lowest:  # at or below the lowest score, so it holds them all
            k -= 1
    else:
        # Ties at the cut would all be held, so the cut goes just above the first score left out
        # (0.3 * 1e6 is 299999.99999999994: floor and one more gave 0.3 itself, which holds it).
        left_out = float(ordered[allowed])
        k = math.floor(left_out * scale)
        while k / scale <= left_out:
            k += 1
    return float(min(max(k, 1), round(highest * scale)) / scale)
