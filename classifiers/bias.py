"""Jigsaw Unintended Bias metrics: subgroup, BPSN and BNSP AUC per identity, and their final score.

Borkan et al. 2019, as scored in Kaggle's "Jigsaw Unintended Bias in Toxicity Classification":
final = 0.25 * overall AUC + 0.25 * sum over the three bias AUCs of their power mean (p = -5)
across identities.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np
from sklearn.metrics import roc_auc_score

# Identity words of the bias_madlibs templates (conversationai/unintended-ml-bias-analysis);
# multi-word terms first so "african american" is not also counted as "american".
IDENTITY_TERMS: tuple[str, ...] = tuple(
    sorted(
        (
            "african american", "middle eastern", "middle aged", "lesbian", "gay", "bisexual",
            "transgender", "trans", "queer", "lgbt", "lgbtq", "homosexual", "straight", "heterosexual",
            "male", "female", "nonbinary", "african", "black", "white", "european", "hispanic", "latino",
            "latina", "latinx", "mexican", "canadian", "american", "asian", "indian", "chinese",
            "japanese", "christian", "muslim", "jewish", "buddhist", "catholic", "protestant", "sikh",
            "taoist", "old", "older", "young", "younger", "teenage", "millenial", "elderly", "blind",
            "deaf", "paralyzed",
        ),
        key=lambda term: (-len(term), term),
    )
)
_TERMS_RE = re.compile(r"\b(" + "|".join(re.escape(t) for t in IDENTITY_TERMS) + r")\b")

POWER = -5.0
MIN_SUBGROUP_ROWS = 30
MIN_PER_CLASS = 5


def identities_in_text(text: str) -> set[str]:
    return set(_TERMS_RE.findall(text.lower()))


def _auc(y: np.ndarray, p: np.ndarray) -> float | None:
    if len(y) == 0 or y.min() == y.max():
        return None
    return float(roc_auc_score(y, p))


def power_mean(values: Sequence[float], p: float = POWER) -> float | None:
    values = np.asarray([v for v in values if v is not None], dtype=float)
    if len(values) == 0:
        return None
    return float(np.mean(values**p) ** (1.0 / p))


def bias_report(
    y: np.ndarray,
    p: np.ndarray,
    identities: Sequence[set[str]],
    *,
    min_rows: int = MIN_SUBGROUP_ROWS,
    min_per_class: int = MIN_PER_CLASS,
) -> dict[str, Any]:
    """Per-identity subgroup/BPSN/BNSP AUCs and the combined final score for one attribute.

    `identities[i]` holds the identities row i mentions; identities with fewer than
    `min_rows` rows or `min_per_class` of either class are skipped as too noisy.
    """
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    names = sorted({name for row in identities for name in row})
    per_identity: dict[str, dict[str, float | int | None]] = {}
    for name in names:
        in_group = np.array([name in row for row in identities])
        group_y = y[in_group]
        if (
            in_group.sum() < min_rows
            or (group_y == 1).sum() < min_per_class
            or (group_y == 0).sum() < min_per_class
        ):
            continue
        background = ~in_group
        bpsn = (in_group & (y == 0)) | (background & (y == 1))
        bnsp = (in_group & (y == 1)) | (background & (y == 0))
        per_identity[name] = {
            "rows": int(in_group.sum()),
            "subgroup_auc": _auc(y[in_group], p[in_group]),
            "bpsn_auc": _auc(y[bpsn], p[bpsn]),
            "bnsp_auc": _auc(y[bnsp], p[bnsp]),
        }
    overall = _auc(y, p)
    means = {
        metric: power_mean([r[metric] for r in per_identity.values()])
        for metric in ("subgroup_auc", "bpsn_auc", "bnsp_auc")
    }
    final = None
    if overall is not None and all(v is not None for v in means.values()):
        final = 0.25 * overall + 0.25 * sum(means.values())
    return {
        "overall_auc": overall,
        "power": POWER,
        "generalised_means": means,
        "final_score": final,
        "identities": per_identity,
    }
