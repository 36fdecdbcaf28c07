"""PNG plots for the shadow and drift pages (matplotlib, Agg backend: servers have no display)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.ticker import MaxNLocator

from classifiers.plots import png_bytes, pyplot
from moderation.domain.shadow import Day


def empty_plot(message: str) -> bytes:
    plt = pyplot()
    figure, axis = plt.subplots(figsize=(8, 2))
    axis.axis("off")
    axis.text(0.5, 0.5, message, ha="center", va="center", color="#5a6472")
    return png_bytes(figure, dpi=96)


def agreement_plot(days: Sequence[Day], version: str | None) -> bytes:
    """Agreement per day (above) and would-be changes both ways per day (below), each on its own axis
    and labelled with its figures. On one twin axis the bars, counts, stood against the percentage
    scale: a first shadow day's 61 would-publish read as "95 %" (an admin's walk)."""
    plt = pyplot()
    if not days:
        return empty_plot("No shadow scores yet")
    figure, (agreement_axis, changes_axis) = plt.subplots(
        2, 1, figsize=(10, 5.2), sharex=True, gridspec_kw={"height_ratios": [1, 1.3]})
    x = np.arange(len(days))
    labels = [d.day.isoformat() for d in days]
    agreement = [100 * d.agreement for d in days]
    agreement_axis.plot(x, agreement, color="#1b1f24", marker="o")
    for at, value in zip(x, agreement):
        agreement_axis.annotate(f"{value:.1f} %", (at, value), textcoords="offset points", xytext=(0, -14),
                                ha="center", fontsize="small")
    agreement_axis.set_ylim(0, 105)
    agreement_axis.set_ylabel("same status (%)")
    width = 0.38
    hold = changes_axis.bar(x - width / 2, [d.would_hold for d in days], width, color="#c0392b", alpha=0.6,
                            label="would hold (published live)")
    publish = changes_axis.bar(x + width / 2, [d.would_publish for d in days], width, color="#2e86c1", alpha=0.6,
                               label="would publish (held live)")
    changes_axis.bar_label(hold, fontsize="small")
    changes_axis.bar_label(publish, fontsize="small")
    changes_axis.set_ylabel("comments changed")
    # Counts of comments: whole numbers from 0 (with none changed, matplotlib drew -0.04 to 0.04).
    changes_axis.set_ylim(bottom=0, top=max(1, *(max(d.would_hold, d.would_publish) for d in days)) * 1.2)
    changes_axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    # A day or two are not stretched across the whole width.
    changes_axis.set_xlim(-0.75, max(len(days) - 0.25, 2.25))
    changes_axis.set_xticks(x, labels, rotation=30 if len(days) > 8 else 0, fontsize="small")
    changes_axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.34 if len(days) > 8 else -0.22), ncol=2,
                        fontsize="small", frameon=False)
    agreement_axis.set_title(f"Shadow {version}: agreement with the live model per day (UTC)")
    return png_bytes(figure, dpi=96)


def drift_plot(live: Mapping[str, Sequence[int]], validation: Mapping[str, Sequence[int]],
               psi: Mapping[str, float], version: str) -> bytes:
    """Per attribute, the share of comments in each score bin: validation against the day's live scores."""
    plt = pyplot()
    attributes = [a for a in validation if a in live]
    if not attributes:
        return empty_plot("No histograms to compare")
    columns = min(3, len(attributes))
    rows = -(-len(attributes) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4 * columns, 2.8 * rows), squeeze=False)
    for axis, attribute in zip(axes.flat, attributes):
        reference, today = np.asarray(validation[attribute], float), np.asarray(live[attribute], float)
        edges = np.linspace(0, 1, len(reference) + 1)
        centres, width = (edges[:-1] + edges[1:]) / 2, (edges[1] - edges[0]) * 0.4
        axis.bar(centres - width / 2, reference / max(reference.sum(), 1), width, color="#7f8c8d", label="validation")
        axis.bar(centres + width / 2, today / max(today.sum(), 1), width, color="#d35400", label="live")
        axis.set_yscale("log")
        axis.set_ylim(1e-4, 1.5)
        axis.set_title(f"{attribute.replace('_', ' ')}: PSI {psi.get(attribute, float('nan')):.3f}", fontsize="medium")
        axis.set_xlabel("score", fontsize="small")
    for axis in list(axes.flat)[len(attributes):]:
        axis.axis("off")
    axes.flat[0].set_ylabel("share of comments (log)", fontsize="small")
    axes.flat[0].legend(fontsize="small")
    figure.suptitle(f"Model {version}: live scores against validation scores")
    return png_bytes(figure, dpi=96)
