"""Leave-one-source-out validation: how well a model trained on the other sources ranks a new one."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from tqdm.auto import tqdm

from classifiers.attributes import ATTRIBUTES
from classifiers.datasets import LabelledData
from classifiers.features import CivilityFeatures
from classifiers.heads import DEFAULT_C
from classifiers.metrics import binary_report
from classifiers.sources import source_weight
from classifiers.weights import source_weights


def leave_one_source_out(
    data: LabelledData,
    *,
    attribute: str = "toxicity",
    C: float = DEFAULT_C,
    source_balance: float = 0.5,
    features: CivilityFeatures | None = None,
    X: sp.csr_matrix | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """For each source, fit `attribute` on every other source and report metrics on the held-out one.

    We are judged on comments from sites we never saw, so this, not a random split, is the
    number to tune on. Pass a precomputed `X` to compare heads settings without re-featurising.
    """
    j = ATTRIBUTES.index(attribute)
    if X is None:
        X = (features or CivilityFeatures()).fit(data.texts).transform(data.texts)
    sources = np.asarray(data.sources)
    known = ~np.isnan(data.labels[:, j])
    results: dict[str, Any] = {}
    for held_out in tqdm(sorted(set(data.sources)), desc="leave one source out", disable=not progress):
        test = known & (sources == held_out)
        train = known & (sources != held_out)
        y_test = data.labels[test, j]
        if not test.any() or y_test.min() == y_test.max():
            continue
        weights = source_weights(sources[train].tolist(), source_balance, source_weight)
        model = LogisticRegression(C=C, solver="liblinear")
        model.fit(X[train], data.labels[train, j].astype(int), sample_weight=weights)
        results[held_out] = binary_report(y_test, model.decision_function(X[test]))
        results[held_out].pop("ece")  # raw log-odds are not probabilities
    aucs = [r["roc_auc"] for r in results.values() if r["roc_auc"] is not None]
    results["_mean_roc_auc"] = float(np.mean(aucs)) if aucs else None
    results["_worst_roc_auc"] = float(np.min(aucs)) if aucs else None
    return results
