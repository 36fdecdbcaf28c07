"""A small training set uses few of the hashed columns; the heads are fitted on those alone (a
600-row training had spent 14 of its 17 s walking the unused ones), and must come out as a fit on
every column does."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import classifiers.heads as heads
from classifiers.attributes import ATTRIBUTES
from classifiers.heads import MaskedLinearHeads


def _data(seed: int = 3) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, columns = 400, 1 << 16
    used = rng.choice(columns, 300, replace=False)  # a few hundred of 65,536 columns
    X = sp.random(n, 300, density=0.05, random_state=seed, format="csr", dtype=np.float64)
    X = sp.csr_matrix((X.data, used[X.indices], X.indptr), shape=(n, columns))
    signal = np.asarray(X[:, used[:20]].sum(axis=1)).ravel()
    Y = np.full((n, len(ATTRIBUTES)), np.nan)
    Y[:, ATTRIBUTES.index("toxicity")] = signal > np.median(signal)
    insult = ATTRIBUTES.index("insult")
    Y[: n // 2, insult] = signal[: n // 2] > np.percentile(signal, 60)  # known for half the rows only
    return X, Y, rng.uniform(0.5, 2.0, n)


def _fit(share: int) -> MaskedLinearHeads:
    X, Y, w = _data()
    old = heads.SPARSE_FIT_SHARE
    heads.SPARSE_FIT_SHARE = share
    try:
        return MaskedLinearHeads(min_positives=20, min_negatives=20).fit(X, Y, sample_weight=w)
    finally:
        heads.SPARSE_FIT_SHARE = old


def test_heads_fitted_on_the_columns_their_rows_use_are_the_heads_fitted_on_all():
    few, every = _fit(share=4), _fit(share=10**9)  # 10**9: never few enough, every column is fitted
    X, _, _ = _data()
    assert few.attributes_ == every.attributes_ == ("toxicity", "insult")
    assert np.abs(few.weights_ - every.weights_).max() < 1e-6
    assert few.intercept_ == pytest.approx(every.intercept_, abs=1e-9)
    assert few.platt_ == pytest.approx(every.platt_, abs=1e-9)
    unused = np.bincount(X.indices, minlength=X.shape[1]) == 0
    assert not few.weights_[unused].any()  # no weight where no row had a value
    assert few.predict_proba(X[:50]).shape == every.predict_proba(X[:50]).shape
    assert np.abs(few.predict_proba(X) - every.predict_proba(X)).max() < 1e-9
