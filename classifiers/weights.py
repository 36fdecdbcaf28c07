"""Row weights that stop one large source from defining what toxic means."""

from __future__ import annotations

from typing import Sequence

import numpy as np


def source_weights(sources: Sequence[str], balance: float) -> np.ndarray:
    """Weight rows by (rows in their source)^-balance, mean 1: 0 keeps raw counts, 1 makes
    every source count equally, because label definitions and base rates differ by source."""
    names, inverse, counts = np.unique(np.asarray(sources), return_inverse=True, return_counts=True)
    weights = counts[inverse].astype(float) ** -balance
    return weights / weights.mean()
