from __future__ import annotations

import numpy as np
import pytest

from classifiers.metrics import binary_report, expected_calibration_error, threshold_for_precision


def test_it_picks_the_lowest_threshold_that_reaches_the_target_precision() -> None:
    y = np.array([1, 1, 0, 1, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    # precision at 0.8 is 1.0, at 0.6 is 0.75: a 0.75 target takes 0.6 and its higher recall
    assert threshold_for_precision(y, p, 0.75)["threshold"] == pytest.approx(0.6)
    assert threshold_for_precision(y, p, 0.9)["threshold"] == pytest.approx(0.8)
    # weighting the negative at 0.7 down lets precision stay high further down the ranking
    weighted = threshold_for_precision(y, p, 0.9, weights=np.array([1, 1, 0.1, 1, 1, 1]))
    assert weighted["threshold"] == pytest.approx(0.6) and weighted["target_reached"]


def test_below_the_last_positive_a_lower_threshold_gains_nothing_so_it_is_not_chosen() -> None:
    """A target of 0.5 gave 0.011 where 0.3 caught every rejection already (a moderator's walk)."""
    y = np.array([1, 0, 1, 0, 0, 0])
    p = np.array([0.9, 0.6, 0.3, 0.2, 0.1, 0.011])
    found = threshold_for_precision(y, p, 0.5)
    assert found["threshold"] == pytest.approx(0.3) and found["recall"] == 1.0 and found["precision"] == pytest.approx(2 / 3)


def test_no_threshold_is_below_the_lowest_allowed() -> None:
    # Nine positives in ten all the way down: 0.9 is reached at the bottom, where the model says 0.1.
    y = np.array([1, 1, 1, 1, 0, 1, 1, 1, 1, 1] * 2)
    p = np.linspace(0.95, 0.1, len(y))
    assert threshold_for_precision(y, p, 0.9)["threshold"] == pytest.approx(0.1)
    floored = threshold_for_precision(y, p, 0.9, lowest=0.5)
    assert floored["threshold"] >= 0.5 and floored["target_reached"]
    assert floored["recall"] < 1.0  # the rows the model thinks more likely clean are not flagged


def test_a_target_met_only_by_the_top_few_rows_is_not_reached() -> None:
    # One positive on top, then one in two: precision 0.9 holds for 1 positive of 40 (2.5 % recall).
    y = np.array([1] + [0, 1] * 39 + [0] * 20)
    p = np.linspace(1.0, 0.01, len(y))
    found = threshold_for_precision(y, p, 0.9)
    assert not found["target_reached"]
    assert found["recall"] >= 0.05 and found["threshold"] < p[0]
    assert threshold_for_precision(y, p, 0.5)["target_reached"]  # one in two is reached, at full recall


def test_an_unreached_target_takes_the_surest_precision_not_the_luckiest_few_rows() -> None:
    # 60 positives. The top 4 rows hold 3 (0.75 precision at 5 % recall), then seven in ten down to
    # 63 % recall (0.70), then one in four.
    y = np.array([1, 0, 1, 1] + [0, 1, 1, 1, 0, 1, 1, 0, 1, 1] * 5 + [0, 0, 0, 1] * 22)
    p = np.linspace(1.0, 0.001, len(y))
    found = threshold_for_precision(y, p, 0.9)
    assert not found["target_reached"]
    assert found["recall"] == pytest.approx(38 / 60) and found["precision"] == pytest.approx(38 / 54)


def test_calibration_error_is_zero_when_rates_match_probabilities() -> None:
    y = np.array([0, 0, 0, 1] * 25 + [1, 1, 1, 0] * 25)
    p = np.array([0.25] * 100 + [0.75] * 100)
    assert expected_calibration_error(y, p) == pytest.approx(0.0)
    assert expected_calibration_error(y, 1 - p) == pytest.approx(0.5)


def test_reports_ignore_unknown_labels() -> None:
    report = binary_report(np.array([1.0, 0.0, np.nan, 1.0]), np.array([0.9, 0.1, 0.99, 0.8]), threshold=0.5)
    assert report["n"] == 3 and report["roc_auc"] == pytest.approx(1.0)
    assert report["precision"] == pytest.approx(1.0) and report["recall"] == pytest.approx(1.0)
