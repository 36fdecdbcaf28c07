"""The model-generic numbers behind the backtest and the threshold tuner."""
from __future__ import annotations

import numpy as np
import pytest

from classifiers.comparison import (effect_at, flag_metrics, pr_curve, ranking_metrics, roc_auc_difference,
                                    score_histograms, threshold_for_volume)
from classifiers.plots import pr_curves_png, score_histograms_png, threshold_png

Y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
SCORE = np.array([0.9, 0.8, 0.3, 0.2, 0.7, 0.1, 0.05, 0.6])


def test_ranking_and_flag_metrics_on_a_known_set():
    assert ranking_metrics(Y, SCORE)["roc_auc"] == pytest.approx(0.75)
    assert ranking_metrics(np.ones(3), np.ones(3)) == {"roc_auc": None, "pr_auc": None}
    assert flag_metrics(Y, SCORE >= 0.5) == {"flagged": 4, "true_positives": 2, "precision": 0.5, "recall": 0.5}
    assert flag_metrics(Y, SCORE >= 2)["precision"] is None


def test_an_auc_difference_on_few_decisions_has_an_interval_wide_enough_to_hold_zero():
    """The same edge, 0.15 of ROC AUC, is chance on 19 decisions and beyond it on 2,000; the interval
    agrees with 2,000 bootstrap resamples to about 0.01 on 200 (a check run by hand, 2026-12-06)."""
    rng = np.random.default_rng(1)
    for n, within_chance in ((19, True), (2000, False)):
        y = rng.random(n) < 0.3
        first, second = y * 0.5 + rng.random(n), y * 0.8 + rng.random(n)
        found = roc_auc_difference(y, first, second)
        assert found["difference"] == pytest.approx(ranking_metrics(y, second)["roc_auc"] - ranking_metrics(y, first)["roc_auc"])
        assert (found["low"] <= 0 <= found["high"]) is within_chance
    assert roc_auc_difference(Y, SCORE, SCORE) == {"difference": 0.0, "low": 0.0, "high": 0.0}
    assert roc_auc_difference(np.array([1, 0, 0]), np.ones(3), np.ones(3)) is None  # one rejection says nothing


def test_threshold_for_volume_holds_no_more_than_asked_even_with_ties():
    scores = np.array([0.9, 0.8, 0.8, 0.8, 0.1])
    assert (scores >= threshold_for_volume(scores, per_day=1, days=2)).sum() == 1  # 2 allowed, but 0.8 is a 3-way tie
    assert (scores >= threshold_for_volume(scores, per_day=2, days=2)).sum() == 4
    assert threshold_for_volume(scores, per_day=10, days=2) == pytest.approx(0.1)  # everything fits
    assert (scores >= threshold_for_volume(scores, per_day=0, days=2)).sum() == 0


def test_threshold_for_volume_stays_below_the_value_that_turns_a_hold_off():
    scores = np.array([1.0, 1.0, 0.5])
    assert threshold_for_volume(scores, per_day=1, days=1) == pytest.approx(0.999999)
    assert threshold_for_volume(scores, per_day=0, days=1, off=0.9) == pytest.approx(0.899999)
    assert threshold_for_volume(np.array([0.0, 0.0]), per_day=5, days=1) == pytest.approx(1e-6)  # 0 would hold all
    # Six places, as a saved threshold has, and still above the first score left out however it rounds.
    for left_out in (0.3, 0.7, 0.1 + 0.2, 0.123456, 0.9999985):
        cut = threshold_for_volume(np.array([1.0, left_out]), per_day=1, days=1)
        assert cut > left_out and cut == round(cut, 6), (left_out, cut)
    assert threshold_for_volume(np.array([1.0, 0.9999995]), per_day=1, days=1) == 0.999999  # none above it is below 1


def test_effect_counts_volume_over_every_comment_and_quality_over_decided_ones():
    effect = effect_at(Y, SCORE, 0.5, days=4, volume_score=np.r_[SCORE, [0.95, 0.05]])
    assert effect["held"] == 5 and effect["held_per_day"] == pytest.approx(1.25)
    assert (effect["precision"], effect["recall"]) == (0.5, 0.5)


def test_curves_histograms_and_their_plots():
    curve = pr_curve(Y, SCORE, points=5)
    assert len(curve["threshold"]) <= 5 and curve["recall"][0] == 1.0
    hist = score_histograms(Y, SCORE, bins=10)
    assert sum(hist["approved"]) == 4 and sum(hist["rejected"]) == 4
    for png in (pr_curves_png({"a": curve, "b": pr_curve(Y, 1 - SCORE)}), score_histograms_png({"a": hist, "b": hist}),
                threshold_png(curve, 0.6, 0.5, "t")):
        assert png.startswith(b"\x89PNG")


def test_two_models_whose_curves_coincide_both_show():
    """An admin's walk: the candidate's curve, drawn over the same active one, hid it though the legend named it."""
    import io

    from matplotlib import image

    curve = {"recall": [0.0, 0.5, 1.0], "precision": [1.0, 0.8, 0.5]}
    pixels = image.imread(io.BytesIO(pr_curves_png({"active": curve, "candidate": curve})), format="png")[..., :3]
    blue = (pixels[..., 2] > 0.6) & (pixels[..., 0] < 0.6) & (pixels[..., 1] > 0.5) & (pixels[..., 1] < 0.85)
    plot_area = blue[40:300, 80:450]  # the axes, not the legend's swatch at their foot
    assert plot_area.sum() > 300, "the active model's (blue) line is hidden under the candidate's"


def test_the_threshold_plot_steps_so_it_reads_what_the_table_says(monkeypatch):
    """An accessibility review: a line drawn between two thresholds showed 0.9 precision at the
    current threshold where the table said 1.000; precision holds steady between two scores."""
    import classifiers.plots as plots

    y = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1, 1])
    score = np.array([.1, .39, .2, .75, .8, .9, .95, .6, .7, .85])
    drawn = []
    monkeypatch.setattr(plots, "png_bytes", lambda figure: drawn.append(figure) or b"")
    curve = pr_curve(y, score)
    plots.threshold_png(curve, None, 0.511, "t")
    precision, recall = drawn[0].axes[0].get_lines()[:2]
    assert precision.get_drawstyle() == recall.get_drawstyle() == "steps-pre"
    # Drawn so, a threshold's value is the next point's at or above it: what holding at it gives.
    at = next(p for t, p in zip(curve["threshold"], curve["precision"]) if t >= 0.511)
    assert at == float(y[score >= 0.511].mean()) == 1.0


def test_a_chosen_threshold_just_below_1_is_not_labelled_1(monkeypatch):
    """A migrating site's walk: 0.999999 was labelled "chosen 1.000" beside a page saying 1 holds nothing."""
    import classifiers.plots as plots

    drawn = []
    monkeypatch.setattr(plots, "png_bytes", lambda figure: drawn.append(figure) or b"")
    curve = pr_curve(np.array([0, 1, 1]), np.array([.2, .9, .99]))
    plots.threshold_png(curve, 0.999999, 0.511, "t")
    plots.threshold_png(curve, 0.6, 0.511, "t")
    labels = [[text.get_text() for text in figure.axes[0].get_legend().get_texts()] for figure in drawn]
    assert "chosen 0.999999" in labels[0] and "chosen 0.600" in labels[1]
