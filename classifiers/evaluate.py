"""Evaluation of a trained model on labelled CSVs: per file and attribute metrics, JSON report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
from tqdm.auto import tqdm

from classifiers.attributes import ATTRIBUTES
from classifiers.datasets import read_labelled_csv, sha256_of
from classifiers.metrics import binary_report
from classifiers.model import CivilityModel


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
    for path in [Path(p) for p in csv_paths]:
        data = read_labelled_csv(path)
        probabilities = score_matrix(model, data.texts, progress)
        per_attribute: dict[str, Any] = {}
        for j, attribute in enumerate(ATTRIBUTES):
            known = ~np.isnan(data.labels[:, j])
            if not known.any():
                continue
            result = binary_report(data.labels[:, j], probabilities[:, j], model.thresholds.get(attribute))
            result["reliable"] = attribute in model.attributes
            per_attribute[attribute] = result
        report["files"][path.name] = {
            "rows": len(data),
            "sha256": sha256_of(path),
            "attributes": per_attribute,
        }
    if report_dir is not None:
        out = Path(report_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


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
    return "\n".join(lines)
