"""PNG plots for the shadow and drift pages (matplotlib, Agg backend: servers have no display)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

import numpy as np
from matplotlib.dates import DateFormatter, DayLocator
from matplotlib.ticker import MaxNLocator

from classifiers.plots import png_bytes, pyplot
from moderation.domain.shadow import Day
from moderation.domain.version_effect import DayShare


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


VERSION_PLOT_SITES = 8


def version_effect_plot(site_names: Mapping[int, str], shares: Sequence[DayShare]) -> bytes:
    """Per site (the busiest VERSION_PLOT_SITES), the share of each day's scored comments the model
    flagged, one line per version, so a promotion shows as one colour giving way to the next."""
    plt = pyplot()
    scored: dict[int, int] = {}
    for share in shares:
        scored[share.site_id] = scored.get(share.site_id, 0) + share.scored
    sites = sorted(scored, key=lambda site_id: (-scored[site_id], site_names.get(site_id, "")))[:VERSION_PLOT_SITES]
    if not sites:
        return empty_plot("No comments scored in these days")
    figure, axes = plt.subplots(len(sites), 1, figsize=(10, 2.6 * len(sites)), squeeze=False, sharex=True)
    versions = sorted({s.version for s in shares if s.site_id in sites})
    colours = dict(zip(versions, plt.get_cmap("tab10").colors * (len(versions) // 10 + 1)))
    for axis, site_id in zip(axes[:, 0], sites):
        highest = 0.0
        for version in versions:
            days = [s for s in shares if s.site_id == site_id and s.version == version]
            if days:
                percent = [100 * d.flagged / d.scored for d in days]
                highest = max(highest, *percent)
                axis.plot([d.day for d in days], percent, marker="o",
                          color=colours[version], label=f"{version} ({sum(d.scored for d in days):,} scored)")
        # From 0, and to at least 5 %: a site that flagged nothing had a scale of 0 to 0.05.
        axis.set_ylim(0, max(5.0, highest * 1.15))
        axis.set_ylabel("flagged (%)", fontsize="small")
        axis.set_title(site_names.get(site_id, f"site {site_id}"), fontsize="medium", loc="left")
        axis.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    # Whole days, at most about ten ticks: matplotlib's own fell at noon too. A day either side, set:
    # one day alone was stretched over years, a tick on each (looked at on a first day's page).
    first, last = min(s.day for s in shares), max(s.day for s in shares)
    axes[-1, 0].set_xlim(first - timedelta(days=1), last + timedelta(days=1))
    axes[-1, 0].xaxis.set_major_locator(DayLocator(interval=max(1, ((last - first).days + 3) // 10)))
    axes[-1, 0].xaxis.set_major_formatter(DateFormatter("%m-%d"))
    axes[-1, 0].tick_params(axis="x", labelrotation=30, labelsize="small")
    figure.suptitle("Share of each day's scored comments the model flagged, by version (UTC days)")
    return png_bytes(figure, dpi=96)
