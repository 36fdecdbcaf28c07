"""ROC, precision-recall and reliability plots for one evaluated file (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # reports are written on servers without a display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import precision_recall_curve, roc_curve  # noqa: E402


def plot_file(curves: dict[str, tuple[np.ndarray, np.ndarray]], title: str, path: Path, bins: int = 10) -> Path:
    """`curves` maps attribute -> (known labels, probabilities)."""
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
