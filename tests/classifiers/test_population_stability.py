"""Population stability index on distributions whose PSI is known, and the card's validation summary."""
from __future__ import annotations

import math

import numpy as np
import pytest

from classifiers.drift import histogram, psi


def test_the_same_distribution_has_no_drift():
    assert psi([10, 20, 30, 40], [1, 2, 3, 4]) == pytest.approx(0.0)


def test_psi_matches_the_formula_on_a_known_shift():
    reference, live = [0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]
    expected = sum((q - p) * math.log(q / p) for p, q in zip(reference, live))
    assert psi(reference, live) == pytest.approx(expected) == pytest.approx(0.2282, abs=1e-4)


def test_a_large_shift_reads_as_large_and_an_empty_bin_stays_finite():
    assert psi([90, 10], [10, 90]) > 1.0
    assert math.isfinite(psi([100, 0], [50, 50]))


def test_scores_fall_into_ten_equal_bins_with_one_in_the_last():
    assert histogram([0.0, 0.05, 0.15, 0.99, 1.0]) == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]


def test_histograms_of_different_bins_or_no_counts_are_refused():
    with pytest.raises(ValueError):
        psi([1, 2], [1, 2, 3])
    with pytest.raises(ValueError):
        psi([0, 0], [1, 2])


def test_samples_of_one_distribution_are_stable_and_of_another_are_not():
    rng = np.random.default_rng(0)
    reference = histogram(rng.beta(1, 8, 5000))
    assert psi(reference, histogram(rng.beta(1, 8, 1000))) < 0.1
    assert psi(reference, histogram(rng.beta(2, 4, 1000))) > 0.25


def test_a_trained_card_carries_its_validation_score_distribution(tiny_model):
    summary = tiny_model.card["validation_scores"]
    assert summary["bins"] == 10
    assert set(summary["histograms"]) == set(tiny_model.attributes)
    assert all(sum(counts) == summary["rows"] > 0 for counts in summary["histograms"].values())
    assert 0.0 < summary["held_rate"] < 1.0
