"""Row weights that stop one large source from defining what toxic means."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np


def source_weights(
    sources: Sequence[str], balance: float, scale: Callable[[str], float] | None = None
) -> np.ndarray:
    """Weight rows by (rows in their source)^-balance, times `scale(source)` if given, mean 1:
    balance 0 keeps raw counts, 1 makes every source count equally, because label definitions
    and base rates differ by source."""
    names, inverse, counts = np.unique(np.asarray(sources), return_inverse=True, return_counts=True)
    factors = np.array([1.0 if scale is None else float(scale(name)) for name in names])
    weights = counts[inverse].astype(float) ** -balance * factors[inverse]
    return weights / weights.mean()


def balanced_weights(
    sources: Sequence[str], y: np.ndarray, balance: float, class_balance: bool = True,
    scale: Callable[[str], float] | None = None,
) -> np.ndarray:
    """Source weights, and with `class_balance` the positives and negatives of each source weigh
    the same in total: base rates run from 1 % (wiki_context) to 83 % (davidson), and without this a
    model learns a source's style (tweets, lower-cased text) as a sign of toxicity."""
    weights = source_weights(sources, balance, scale)
    if class_balance:
        sources = np.asarray(sources)
        y = np.asarray(y)
        for source in np.unique(sources):
            rows = sources == source
            positives = (y[rows] == 1).sum()  # unknown labels (NaN) keep their source weight
            negatives = (y[rows] == 0).sum()
            if positives and negatives:
                known = positives + negatives
                weights[rows & (y == 1)] *= known / (2 * positives)
                weights[rows & (y == 0)] *= known / (2 * negatives)
        weights = weights / weights.mean()
    return weights
