"""Plots (matplotlib, Agg backend): ROC, precision-recall and reliability for an evaluated file; PR
curves, score histograms and threshold curves for backtests and threshold tuning, as PNG bytes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np


def pyplot() -> Any:
    """matplotlib.pyplot, imported on first use: it adds most of a second to the start of every web,
    worker and beat process, and only the pages and reports that draw need it."""
    import matplotlib

    matplotlib.use("Agg")  # reports are written on servers without a display
    import matplotlib.pyplot as plt

    return plt


def plot_file(curves: dict[str, tuple[np.ndarray, np.ndarray]], title: str, path: Path, bins: int = 10) -> Path:
    """`curves` maps attribute -> (known labels, probabilities)."""
    from sklearn.metrics import precision_recall_curve, roc_curve  # here: see classifiers/__init__.py

    plt = pyplot()
    figure, (roc_ax, pr_ax, cal_ax) = plt.subplots(1, 3, figsize=(15, 4.5))
    for attribute, (y, p) in curves.items():
        if y.min() == y.max():
            continue
        fpr, tpr, _ = roc_curve(y, p)
        roc_ax.plot(fpr, tpr, label=attribute)
        precision, recall, _ = precision_recall_curve(y, p)
        pr_ax.plot(recall, precision, label=attribute)
        which = np.minimum((p * bins).astype(int), bins - 1)
        filled = [b for b in range(bins) if (which == b).any()]
        cal_ax.plot(
            [p[which == b].mean() for b in filled], [y[which == b].mean() for b in filled], marker="o", label=attribute
        )
    roc_ax.plot([0, 1], [0, 1], color="grey", linestyle=":")
    cal_ax.plot([0, 1], [0, 1], color="grey", linestyle=":")
    roc_ax.set(title="ROC", xlabel="false positive rate", ylabel="true positive rate")
    pr_ax.set(title="precision-recall", xlabel="recall", ylabel="precision")
    cal_ax.set(title="calibration", xlabel="mean predicted probability", ylabel="observed rate")
    for axis in (roc_ax, pr_ax, cal_ax):
        axis.legend(loc="best", fontsize="small")
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return path


def png_bytes(figure: Any, dpi: int = 80) -> bytes:
    """The figure as PNG bytes for a page (and closed: pyplot keeps every open figure alive)."""
    plt = pyplot()
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=dpi)
    plt.close(figure)
    return buffer.getvalue()


def pr_curves_png(curves: dict[str, dict[str, list[float]]], title: str = "precision-recall") -> bytes:
    """`curves` maps a label (a model version) to comparison.pr_curve's output; one line each."""
    plt = pyplot()
    figure, axis = plt.subplots(figsize=(6, 4.5))
    # Wide solid, then narrower dashed on top: where two models' curves coincide both still show (an
    # admin saw only the candidate's, the active one's drawn under it, though the legend named both).
    styles = [dict(linewidth=4.0, alpha=0.55), dict(linewidth=1.6, linestyle="--"), dict(linewidth=1.2, linestyle=":")]
    for index, (label, curve) in enumerate(curves.items()):
        if curve["recall"]:
            axis.plot(curve["recall"], curve["precision"], label=label, **styles[index % len(styles)])
    axis.set(title=title, xlabel="recall (of rejected comments)", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02))
    if any(curve["recall"] for curve in curves.values()):
        axis.legend(loc="lower left", fontsize="small")
    return png_bytes(figure)


def score_histograms_png(histograms: dict[str, dict[str, list[float]]],
                         xlabel: str = "highest score of the attributes it scores") -> bytes:
    """One panel per label: comparison.score_histograms' approved and rejected counts, overlaid, on
    one count scale so the panels compare at a glance (each had its own: 14 against 16)."""
    plt = pyplot()
    figure, axes = plt.subplots(1, len(histograms), figsize=(5 * len(histograms), 3.8), squeeze=False, sharey=True)
    for axis, (label, hist) in zip(axes[0], histograms.items()):
        edges = np.asarray(hist["edges"])
        width = edges[1] - edges[0]
        axis.bar(edges[:-1], hist["approved"], width=width, align="edge", alpha=0.6, label="approved")
        axis.bar(edges[:-1], hist["rejected"], width=width, align="edge", alpha=0.6, label="rejected")
        axis.set(title=label, xlabel=xlabel, ylabel="comments", xlim=(0, 1))
        axis.legend(loc="upper center", fontsize="small")
    return png_bytes(figure)


def threshold_png(curve: dict[str, list[float]], chosen: float | None, current: float | None, title: str) -> bytes:
    """Precision and recall against the threshold, with the current and the chosen one marked."""
    plt = pyplot()
    figure, axis = plt.subplots(figsize=(6.5, 4))
    # Steps, not lines: a threshold between two scores holds what the higher one holds, and a line
    # drawn across showed 0.9 precision where the table below it said 1.000 (an accessibility review).
    # A point's value holds for the thresholds from the score before it up to its own (steps-pre).
    axis.plot(curve["threshold"], curve["precision"], label="precision", drawstyle="steps-pre")
    axis.plot(curve["threshold"], curve["recall"], label="recall", drawstyle="steps-pre")
    if current is not None:
        axis.axvline(current, color="grey", linestyle=":", label=f"current {current:.3f}")
    if chosen is not None:
        # Three places unless that would round up to 1, which turns a hold off: 0.999999 read "chosen 1.000"
        # beside a page saying 1 holds nothing (a migrating site's walk).
        shown = f"{chosen:.3f}" if round(chosen, 3) < 1 or chosen >= 1 else f"{chosen:.6f}"
        axis.axvline(chosen, color="black", linestyle="--", label=f"chosen {shown}")
    axis.set(title=title, xlabel="threshold", ylabel="share of decided comments", xlim=(0, 1), ylim=(0, 1.02))
    axis.legend(loc="best", fontsize="small")
    return png_bytes(figure)
