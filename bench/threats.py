"""The threat head of one or more model artifacts, side by side (docs/recipe-history.md, run 10).

    .venv/bin/python bench/threats.py                       # the shipped model
    .venv/bin/python bench/threats.py old.skops models/civility.skops

Prints, per model: ROC and PR AUC on civil_spans' held-out rows with human threat labels (no
rule-labelled rows, so the fairest check); hatecheck's threat cases against all its other cases
(never trained on) and the share of its direct and normative threats flagged; and how many held-out
comments labelled not toxic, in every shared file, the threat score flags.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from classifier import DATA, default_files, load_rows  # noqa: E402  (bench/classifier.py: which rows are held out)

from classifiers import ATTRIBUTES, DEFAULT_MODEL_PATH, CivilityModel, load_model  # noqa: E402
from classifiers.datasets import read_labelled_csv  # noqa: E402
from classifiers.recipe import is_held_out  # noqa: E402

THREAT = ATTRIBUTES.index("threat")


def civil_spans_threats() -> tuple[list[str], np.ndarray]:
    data = read_labelled_csv(DATA / "civil_spans.csv")
    rows = [i for i, t in enumerate(data.texts) if is_held_out(t) and not np.isnan(data.labels[i, THREAT])]
    return [data.texts[i] for i in rows], data.labels[rows, THREAT].astype(int)


def not_toxic_comments(trained_on: set[str]) -> list[str]:
    """The rows `bench/classifier.py` scores (held-out splits, whole files never trained on) labelled
    not toxic, the synthetic bias set left out."""
    texts: list[str] = []
    for path in default_files():
        if path.name != "bias_madlibs.csv":
            data, _ = load_rows(path, trained_on)
            texts += [t for t, y in zip(data.texts, data.labels[:, 0]) if y == 0]
    return texts


def report(model: CivilityModel, spans: tuple[list[str], np.ndarray], hatecheck: list[dict[str, str]],
           civil: list[str]) -> list[str]:
    threshold = model.card["thresholds"]["threat"]
    texts, y = spans
    p = model.predict_matrix(texts)[:, THREAT]
    h = model.predict_matrix([r["text"] for r in hatecheck])[:, THREAT]
    kind = np.array([r["functionality"] for r in hatecheck])
    flagged = model.predict_matrix(civil)[:, THREAT] >= threshold
    return [
        model.version,
        f"{threshold:.3f}",
        f"{roc_auc_score(y, p):.3f} / {average_precision_score(y, p):.3f}",
        f"{int(((p >= threshold) & (y == 1)).sum())} of {int(y.sum())}, {int(((p >= threshold) & (y == 0)).sum())} wrongly",
        f"{roc_auc_score(np.char.startswith(kind, 'threat_'), h):.3f}",
        f"{(h[kind == 'threat_dir_h'] >= threshold).mean():.0%} / {(h[kind == 'threat_norm_h'] >= threshold).mean():.0%}",
        f"{int(flagged.sum())} of {len(civil):,}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", type=Path, help="artifacts (.skops, card beside it); default: the shipped model")
    args = parser.parse_args(argv)
    paths = args.models or [DEFAULT_MODEL_PATH]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such model file: {', '.join(missing)}")
    models = [load_model(path) for path in paths]
    spans = civil_spans_threats()
    with open(DATA / "hatecheck.csv", newline="", encoding="utf-8") as f:
        hatecheck = list(csv.DictReader(f))
    # Held-out rows are those of the files the first model trained on (the same for models trained
    # on the same files).
    trained_on = {f["sha256"] for f in models[0].card.get("data", {}).get("files", []) if f.get("rows", 1) > 0}
    civil = not_toxic_comments(trained_on)
    names = ["model", "threshold", "civil_spans human labels: ROC / PR AUC", "  flagged threats",
             "hatecheck threats vs rest: ROC AUC", "hatecheck direct / normative flagged",
             "not-toxic held-out comments flagged"]
    columns = [report(model, spans, hatecheck, civil) for model in models]
    width = max(map(len, names))
    for i, name in enumerate(names):
        print(f"{name:{width}}  " + "  ".join(f"{c[i]:>24}" for c in columns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
