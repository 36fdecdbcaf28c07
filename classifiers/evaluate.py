"""Evaluation of a trained model on labelled CSVs: per file and attribute metrics, JSON report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
from tqdm.auto import tqdm

from classifiers.attributes import ATTRIBUTES
from classifiers.bias import bias_report, identities_in_text
from classifiers.datasets import read_labelled_csv, sha256_of
from classifiers.metrics import binary_report
from classifiers.model import CivilityModel
from classifiers.plots import plot_file


def score_matrix(model: CivilityModel, texts: Sequence[str], progress: bool = False, batch: int = 1024) -> np.ndarray:
    blocks = [
        model.predict_matrix(texts[i : i + batch])
        for i in tqdm(range(0, len(texts), batch), desc="score", unit="batch", disable=not progress)
    ]
    return np.vstack(blocks) if blocks else np.empty((0, len(ATTRIBUTES)))


def evaluate_model(
    model: CivilityModel,
    csv_paths: Iterable[str | Path],
    *,
    report_dir: str | Path | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Metrics for every file and every attribute with known labels in it; writes
    `<report_dir>/report.json` when a report_dir is given."""
    report: dict[str, Any] = {"model_version": model.version, "files": {}}
    out = Path(report_dir) if report_dir is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for path in [Path(p) for p in csv_paths]:
        data = read_labelled_csv(path)
        probabilities = score_matrix(model, data.texts, progress)
        identities, identity_origin = _identities(data.texts, data.extra)
        per_attribute: dict[str, Any] = {}
        bias: dict[str, Any] = {}
        curves: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for j, attribute in enumerate(ATTRIBUTES):
            known = ~np.isnan(data.labels[:, j])
            if not known.any():
                continue
            y, p = data.labels[known, j].astype(int), probabilities[known, j]
            result = binary_report(y, p, model.thresholds.get(attribute))
            result["reliable"] = attribute in model.attributes
            per_attribute[attribute] = result
            curves[attribute] = (y, p)
            summary = bias_report(y, p, [identities[i] for i in np.flatnonzero(known)])
            if summary["identities"]:
                summary["identities_from"] = identity_origin
                bias[attribute] = summary
        entry: dict[str, Any] = {"rows": len(data), "sha256": sha256_of(path), "attributes": per_attribute}
        if bias:
            entry["bias"] = bias
        if "functionality" in data.extra:
            entry["by_functionality"] = by_functionality(model, probabilities, data.labels, data.extra["functionality"])
        if out is not None and curves:
            entry["plot"] = str(plot_file(curves, f"{path.name} - model {model.version}", out / f"{path.stem}.png"))
        report["files"][path.name] = entry
    if out is not None:
        (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def by_functionality(
    model: CivilityModel, probabilities: np.ndarray, labels: np.ndarray, functionality: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Per functional test (hatecheck's `functionality` column): its rows, the share labelled 1 in
    any attribute, the share the model would hold (any reliable attribute at its own threshold), and
    the mean toxicity. The summary AUCs hide which kinds of hate pass: "I hate women." and
    "We are going to put an end to all trans people." each score under every threshold."""
    limits = [(ATTRIBUTES.index(a), model.thresholds[a]) for a in model.attributes if a in model.thresholds]
    held = np.zeros(len(probabilities), dtype=bool)
    for j, threshold in limits:
        held |= probabilities[:, j] >= threshold
    labelled = np.nan_to_num(labels, nan=0.0).max(axis=1) == 1
    names = np.asarray(functionality)
    table = {}
    for name in sorted(set(functionality)):
        rows = names == name
        table[name] = {"rows": int(rows.sum()), "labelled": float(labelled[rows].mean()),
                       "held": float(held[rows].mean()), "mean_toxicity": float(probabilities[rows, 0].mean())}
    return table


def _worst_first(item: tuple[str, dict[str, Any]]) -> tuple[bool, float]:
    """Functional tests labelled 1 that pass most, then those labelled 0 that are held most."""
    row = item[1]
    labelled = row["labelled"] >= 0.5
    return (not labelled, row["held"] if labelled else -row["held"])


def _identities(texts: Sequence[str], extra: dict[str, list[str]]) -> tuple[list[set[str]], str]:
    """Identities per row: hatecheck names its target, elsewhere we look for identity words."""
    if "target_ident" in extra:
        return [{v.strip().lower()} if v.strip() else set() for v in extra["target_ident"]], "target_ident column"
    return [identities_in_text(t) for t in texts], "identity terms in text"


def format_report(report: dict[str, Any]) -> str:
    """Plain-text table: one line per file and attribute."""
    def cell(value: Any) -> str:
        return "   -  " if value is None else f"{value:6.3f}"

    lines = [f"model {report['model_version']}"]
    header = f"{'file':28} {'attribute':16} {'n':>6} {'pos':>6} {'ROCAUC':>6} {'PRAUC':>6} {'prec':>6} {'recall':>6} {'ECE':>6}"
    lines.append(header)
    for name, result in report["files"].items():
        for attribute, r in result["attributes"].items():
            flag = "" if r.get("reliable") else " (insufficient data)"
            lines.append(
                f"{name:28} {attribute:16} {r['n']:6d} {r['positives']:6d} {cell(r['roc_auc'])} {cell(r['pr_auc'])} "
                f"{cell(r.get('precision'))} {cell(r.get('recall'))} {cell(r['ece'])}{flag}"
            )
    for name, result in report["files"].items():
        table = result.get("by_functionality")
        if table:
            lines.append("")
            lines.append(f"{name} by functionality (held: any attribute at the model's thresholds; the labelled ones "
                         "first, least held first, then the others, most held first)")
            lines.append(f"  {'functionality':28} {'rows':>6} {'labelled':>8} {'held':>6} {'mean toxicity':>13}")
            for functionality, r in sorted(table.items(), key=_worst_first):
                lines.append(f"  {functionality:28} {r['rows']:6d} {r['labelled']:8.2f} {r['held']:6.2f} {r['mean_toxicity']:13.2f}")
    for name, result in report["files"].items():
        for attribute, b in result.get("bias", {}).items():
            means = b["generalised_means"]
            lines.append("")
            lines.append(
                f"{name} {attribute}: unintended-bias final score {cell(b['final_score'])} "
                f"(overall AUC {cell(b['overall_auc'])}; power means p={b['power']:g}: subgroup "
                f"{cell(means['subgroup_auc'])} BPSN {cell(means['bpsn_auc'])} BNSP {cell(means['bnsp_auc'])}; "
                f"identities from {b['identities_from']})"
            )
            lines.append(f"  {'identity':24} {'rows':>6} {'subgrp':>6} {'BPSN':>6} {'BNSP':>6}")
            for identity, r in sorted(b["identities"].items(), key=lambda kv: kv[1]["subgroup_auc"] or 0):
                lines.append(
                    f"  {identity:24} {r['rows']:6d} {cell(r['subgroup_auc'])} {cell(r['bpsn_auc'])} {cell(r['bnsp_auc'])}"
                )
    return "\n".join(lines)
