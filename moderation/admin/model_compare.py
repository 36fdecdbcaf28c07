"""Two registered versions side by side, from their cards: what an admin weighs before promoting one
over the other, which the versions table (two AUCs a version) and one card page at a time left to
memory and a second tab."""
from __future__ import annotations

from typing import Any

from classifiers.attributes import ATTRIBUTES
from classifiers.sources import is_own_source
from moderation.admin.model_card import METRIC_NAMES

MEASURES = {"roc_auc": "ROC AUC", "pr_auc": "PR AUC", "precision": "Precision at threshold",
            "recall": "Recall at threshold"}
# Differences smaller than this are noise between two trainings on the same rows.
NOTICEABLE = 0.005
# At a threshold the figures move more from one training to the next (a few rows either side of it).
NOTICEABLE_AT_THRESHOLD = 0.02
# What a noticeable rise and fall mean, in words an admin weighs: an AUC is better or worse; at the
# threshold, precision and recall trade against each other, so each says what changes for readers
# (an admin saw a threat recall fall from 0.375 to 0.222 in plain grey, only the AUCs coloured).
VERDICTS = {"roc_auc": ("better", "worse"), "pr_auc": ("better", "worse"),
            "recall": ("holds more of them", "lets more through"),
            "precision": ("fewer civil ones held", "more civil ones held")}


def _line(measure: str, a: float | None, b: float | None) -> dict[str, Any]:
    change = b - a if a is not None and b is not None else None
    noticeable = NOTICEABLE if measure in ("roc_auc", "pr_auc") else NOTICEABLE_AT_THRESHOLD
    judged = measure in VERDICTS and change is not None and abs(change) >= noticeable
    rise, fall = VERDICTS.get(measure, (None, None))
    return {"measure": MEASURES.get(measure, "Hold at"), "a": a, "b": b, "change": change,
            "verdict": ("better" if change > 0 else "worse") if judged else None,
            "words": (rise if change > 0 else fall) if judged else None}


def _table(a: dict[str, dict[str, float]], b: dict[str, dict[str, float]],
           thresholds: tuple[dict[str, float], dict[str, float]] | None) -> list[dict[str, Any]]:
    rows = []
    for attribute in ATTRIBUTES:
        if attribute not in a and attribute not in b:
            continue
        lines = [_line("threshold", *(t.get(attribute) for t in thresholds))] if thresholds else []
        lines += [_line(name, a.get(attribute, {}).get(name), b.get(attribute, {}).get(name)) for name in METRIC_NAMES]
        rows.append({"attribute": attribute, "lines": [line for line in lines if line["a"] is not None
                                                       or line["b"] is not None]})
    return rows


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """`a` and `b` are card_summary()s. Pooled metrics per attribute, and on each validation-only
    source both cards measured; and whether the two were measured on the same rows at all."""
    # The public sources: a site-trained card adds its own ("site:terraces"), whose rows newer cards
    # leave out of the pooled metrics, and every site-trained candidate was told its numbers did not
    # compare (an admin's walk, on cards with the same 24,748 public rows).
    same_sources = _public(a) == _public(b)
    # Own labels were pooled in on older cards; on newer ones the pooled rows are the public ones alone.
    same_rows = same_sources and a["validation_rows"] == b["validation_rows"] and all(
        card["pooled_on_public"] or not card["own_labels"] for card in (a, b))
    return {
        "pooled": _table(a["metrics"], b["metrics"], (a["thresholds"], b["thresholds"])),
        "unseen": {source: _table(a["unseen"][source], b["unseen"][source], None)
                   for source in a["unseen"] if source in b["unseen"]},
        # Measured on one card only: said, not left out in silence (a retrained candidate had no
        # cad_reddit section, and the admin took it for fine or not applicable).
        "unseen_by_one": sorted((source, which) for which, mine, theirs in (("a", a, b), ("b", b, a))
                                for source in mine["unseen"] if source not in theirs["unseen"]),
        "same_rows": same_rows,
    }


def _public(card: dict[str, Any]) -> set[str]:
    return {s["name"] for s in card["sources"] if not is_own_source(s["name"])}
