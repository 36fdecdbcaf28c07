"""One calibrated linear head per attribute over shared features, trained on known labels only."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split

from classifiers.attributes import ATTRIBUTES

# Inverse regularisation of every head. Chosen by leaving one domain out on all the training rows
# (docs/recipe-history.md, run 8): 2 had the best mean over the six left-out domains
# and the best with Wikipedia left out. The earlier nested runs chose 4 on 3,000 rows per source.
DEFAULT_C = 2.0
# Fit on the columns the rows use when they use under 1/SPARSE_FIT_SHARE of them (a small training:
# a site's test run, the tests); the shipped recipe's data uses nearly all and is fitted as it was.
SPARSE_FIT_SHARE = 4


class MaskedLinearHeads(ClassifierMixin, BaseEstimator):
    """Logistic-regression heads that skip unknown (NaN) labels attribute by attribute.

    An attribute with too few known positives or negatives gets no head; its score is copied
    from `fallback` (toxicity) so callers always receive all six keys, and `attributes_`
    lists only the attributes with a head of their own.

    Probabilities are Platt-scaled on out-of-fold scores (`calibration_folds` models each
    trained without one fold), because source-balanced weights and regularisation leave raw
    logistic outputs miscalibrated; the head itself is then refit on every known row, so no
    data is held back from it. With `calibration_folds=1` a single slice is held out instead
    and the head is not refit (faster, for small experiments).
    """

    def __init__(
        self,
        C: float = DEFAULT_C,
        min_positives: int = 200,
        min_negatives: int = 200,
        calibration_folds: int = 2,
        calibration_fraction: float = 0.2,
        fallback: str = "toxicity",
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.min_positives = min_positives
        self.min_negatives = min_negatives
        self.calibration_folds = calibration_folds
        self.calibration_fraction = calibration_fraction
        self.fallback = fallback
        self.random_state = random_state

    def fit(
        self, X: sp.spmatrix, Y: np.ndarray, sample_weight: np.ndarray | None = None,
        on_head: Callable[[str, float], None] | None = None,
    ) -> "MaskedLinearHeads":
        """`on_head(attribute, fraction of all heads done)` is called before each logistic fit: progress,
        and a place for the caller to stop (by raising)."""
        Y = np.asarray(Y, dtype=np.float64)
        if Y.shape != (X.shape[0], len(ATTRIBUTES)):
            raise ValueError(f"labels must have shape (n, {len(ATTRIBUTES)}), got {Y.shape}")
        weights = np.ones(X.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
        X = sp.csr_matrix(X)
        trained: list[str] = []
        coefs: list[np.ndarray] = []
        intercepts: list[float] = []
        platt: list[tuple[float, float]] = []
        self.label_counts_: dict[str, dict[str, int]] = {}
        few_columns = np.count_nonzero(np.bincount(X.indices, minlength=X.shape[1])) * SPARSE_FIT_SHARE < X.shape[1]
        for j, name in enumerate(ATTRIBUTES):
            known = np.flatnonzero(~np.isnan(Y[:, j]))
            y = Y[known, j].astype(int)
            positives = int(y.sum())
            negatives = int(len(y) - positives)
            self.label_counts_[name] = {"known": int(len(y)), "positive": positives}
            if positives < self.min_positives or negatives < self.min_negatives:
                continue
            step = None if on_head is None else (
                lambda done, name=name, j=j: on_head(name, (j + done) / len(ATTRIBUTES)))
            # A small training set touches few of the hashed columns, and each liblinear iteration walks
            # them all: a 600-row training spent 14 of its 17 s there. Fitted on the columns its rows
            # use, the others' weights stay 0 (an L2 penalty and no data), as they would have.
            if few_columns:
                rows = X[known]
                used = np.flatnonzero(np.bincount(rows.indices, minlength=X.shape[1]))
                head, scale = self._fit_one(rows[:, used], np.arange(len(known)), y, weights[known], step)
                coef = np.zeros(X.shape[1], dtype=np.float32)
                coef[used] = head.coef_.ravel()
            else:
                head, scale = self._fit_one(X, known, y, weights, step)
                coef = head.coef_.ravel().astype(np.float32)
            trained.append(name)
            coefs.append(coef)
            intercepts.append(float(head.intercept_[0]))
            platt.append(scale)
        if self.fallback not in trained:
            raise ValueError(f"not enough labelled rows to train {self.fallback!r}")
        self.attributes_ = tuple(trained)
        # Stored feature-major so sparse @ dense needs no transposed copy at scoring time.
        self.weights_ = np.ascontiguousarray(np.vstack(coefs).T)
        self.intercept_ = np.asarray(intercepts, dtype=np.float64)
        self.platt_ = np.asarray(platt, dtype=np.float64)
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = X.shape[1]
        return self

    def _fit_one(
        self, X: sp.csr_matrix, rows: np.ndarray, y: np.ndarray, weights: np.ndarray,
        step: Callable[[float], None] | None = None,
    ) -> tuple[LogisticRegression, tuple[float, float]]:
        """`step(fraction of this head done)` before each logistic fit: one fit can take a minute."""
        step = step or (lambda done: None)

        def head() -> LogisticRegression:
            # liblinear shuffles the rows it reads by random_state, the global one if none: two runs of
            # the training command gave profanity heads 0.24 apart in a weight, where it stops at max_iter.
            return LogisticRegression(C=self.C, solver="liblinear", max_iter=200, random_state=self.random_state)

        if self.calibration_folds <= 1:
            step(0.0)
            fit, cal = train_test_split(
                np.arange(len(rows)), test_size=self.calibration_fraction, stratify=y, random_state=self.random_state
            )
            model = head().fit(X[rows[fit]], y[fit], sample_weight=weights[rows[fit]])
            logits, cal_y, cal_w = model.decision_function(X[rows[cal]]), y[cal], weights[rows[cal]]
        else:
            folds = StratifiedKFold(self.calibration_folds, shuffle=True, random_state=self.random_state)
            logits = np.empty(len(rows))
            for k, (fit, cal) in enumerate(folds.split(rows, y)):
                step(k / (self.calibration_folds + 1))
                fold_model = head().fit(X[rows[fit]], y[fit], sample_weight=weights[rows[fit]])
                logits[cal] = fold_model.decision_function(X[rows[cal]])
            cal_y, cal_w = y, weights[rows]
            step(self.calibration_folds / (self.calibration_folds + 1))
            model = head().fit(X[rows], y, sample_weight=weights[rows])
        scaler = LogisticRegression(C=1e4).fit(logits.reshape(-1, 1), cal_y, sample_weight=cal_w)
        return model, (float(scaler.coef_[0, 0]), float(scaler.intercept_[0]))

    def decision_function(self, X: sp.spmatrix) -> np.ndarray:
        """Raw log-odds per trained attribute, shape (n, len(attributes_))."""
        return np.asarray(X @ self.weights_, dtype=np.float64) + self.intercept_

    @property
    def coef_(self) -> np.ndarray:
        """scikit-learn's (n_heads, n_features) view of the weights."""
        return self.weights_.T

    def calibrate(self, logits: np.ndarray) -> np.ndarray:
        z = logits * self.platt_[:, 0] + self.platt_[:, 1]
        return 1.0 / (1.0 + np.exp(-z))

    def predict_proba(self, X: sp.spmatrix) -> np.ndarray:
        """Calibrated probabilities for all ATTRIBUTES, shape (n, 6)."""
        trained = self.calibrate(self.decision_function(X))
        out = np.empty((trained.shape[0], len(ATTRIBUTES)), dtype=np.float64)
        fallback = trained[:, self.attributes_.index(self.fallback)]
        for j, name in enumerate(ATTRIBUTES):
            out[:, j] = trained[:, self.attributes_.index(name)] if name in self.attributes_ else fallback
        return out

    def predict(self, X: sp.spmatrix) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)

    def head_index(self, attributes: Sequence[str]) -> list[int]:
        return [self.attributes_.index(a) for a in attributes]
