"""Threshold policies for the thin heads (threat, identity attack, severe toxicity), side by side
(docs/recipe-history.md, run 26).

    .venv/bin/python bench/thresholds.py                         # the shipped model
    .venv/bin/python bench/thresholds.py --check comments.csv    # and a labelled set never trained on

Each policy chooses a threshold on the validation rows `classifiers/train.py` chooses them on (every
trainable file's held-out split, labels as training reads them, scores without the sure-sentence
raise). Each is then measured on the scores the service gives:
- per source, the labelled positives it flags and its precision (labels as training reads them, the
  label rules' included; the heading names the sources whose own labels have positives);
- comments labelled civil it newly flags, and in brackets those nothing else held at the card's
  thresholds, on civil_sentences_weak, wiki_context and cad_reddit (validation only);
- civil comments naming a group: how many it newly holds, and how many it flags for this attribute
  in all, held or not (the reason a moderator reads, and the queue's band);
- with `--check` (columns text, toxic, threat, identity_attack, severe; a set to check by, never to
  tune on): its positives flagged, and its civil rows.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from classifiers import ATTRIBUTES, DEFAULT_MODEL_PATH, load_model  # noqa: E402
from classifiers.group_names import GROUP_NAME_WORDS  # noqa: E402
from classifiers.label_rules import imply_labels  # noqa: E402
from classifiers.metrics import LOWEST_THRESHOLD, threshold_for_precision  # noqa: E402
from classifiers.recipe import HELD_OUT_PERCENT  # noqa: E402
from classifiers.train import _read_sources, held_out_mask, row_weights, score_texts  # noqa: E402

DATA = REPO.parent / "shared" / "data"
FILES = ("civil_sentences_weak", "civil_spans", "convabuse_train", "davidson", "hatexplain", "jigsaw_train_pieces",
         "olid_train", "stormfront", "surge", "wiki_context", "cad_reddit")
HEADS = {"threat": "threat", "identity_attack": "identity_attack", "severe_toxicity": "severe"}
# Group words that open too many comments to say one is about a group ("man", "white", "straight").
TOO_COMMON = {"man", "men", "male", "female", "woman", "women", "straight", "blind", "deaf", "pole", "bi", "kiwi",
              "native", "brown", "white", "black", "whites", "blacks", "turk", "scot", "brit"}
GROUP_WORDS = GROUP_NAME_WORDS - TOO_COMMON
WORD = re.compile(r"[a-z]+")


def names_group(text: str) -> bool:
    return any(w in GROUP_WORDS for w in WORD.findall(text.lower()))


def policies(y: np.ndarray, p: np.ndarray, w: np.ndarray, sources: np.ndarray, real: set[str],
             shipped: float) -> dict[str, float]:
    """Each candidate's threshold, chosen on validation scores `p` of labels `y` (source weights `w`)."""
    def at(target: float, rows: np.ndarray | slice = slice(None), weights: np.ndarray | None = w) -> float:
        return threshold_for_precision(y[rows], p[rows], target, None if weights is None else weights[rows],
                                       LOWEST_THRESHOLD)["threshold"]
    order = np.argsort(-p)
    recall = np.cumsum((w * y)[order]) / (w * y).sum()
    per_source = [at(0.9, sources == s, None) for s in sorted(set(sources))
                  if y[sources == s].sum() >= 5 and (1 - y[sources == s]).sum() >= 5]
    return {
        "shipped (pooled, precision 0.9)": shipped,
        "pooled, precision 0.8": at(0.8), "pooled, precision 0.7": at(0.7),
        "recall floor 0.5 (at the 0.5 floor)": max(float(p[order][np.argmax(recall >= 0.5)]), LOWEST_THRESHOLD),
        "median of per-source thresholds (0.9)": float(np.median(per_source)),
        "real-label sources only (0.9)": at(0.9, np.isin(sources, sorted(real))),
        "0.3 (below the 0.5 floor)": 0.3,
    }


def flagged(scores: np.ndarray, labels: np.ndarray, t: float) -> str:
    known = ~np.isnan(labels)
    hit, y = scores[known] >= t, labels[known] == 1
    precision = f"{(hit & y).sum() / hit.sum():.2f}" if hit.any() else "none flagged"
    return f"{(hit & y).sum()}/{y.sum()} at {precision}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", nargs="?", default=str(DEFAULT_MODEL_PATH))
    parser.add_argument("--check", type=Path, help="a labelled CSV never trained on, to check by")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    model = load_model(args.model)
    data, _files, _excluded, cad = _read_sources([args.data / f"{f}.csv" for f in FILES], False, False)
    held = held_out_mask(data, HELD_OUT_PERCENT / 100, 0)
    given = data.labels[held]
    data.labels = imply_labels(data.labels, data.texts)
    valid = data.subset(np.flatnonzero(held))
    sources = np.array(valid.sources)
    unraised = replace(model.pooling, sure=None) if model.pooling is not None else None
    scored = score_texts(model.features, model.heads, valid.texts, model.pooling, False, "", floors=model.floors)
    chosen_on = score_texts(model.features, model.heads, valid.texts, unraised, False, "", floors=model.floors)
    cad_scored = score_texts(model.features, model.heads, cad.texts, model.pooling, False, "", floors=model.floors)
    cad_labels, cad_given = imply_labels(cad.labels, cad.texts), cad.labels
    weights = row_weights(list(sources), 0.5, 2.0)
    cut = np.array([model.thresholds.get(a, 1.0) for a in ATTRIBUTES])
    held_before, cad_held_before = (scored >= cut).any(axis=1), (cad_scored >= cut).any(axis=1)
    civil = valid.labels[:, 0] == 0
    civil_group = civil & np.array([names_group(t) for t in valid.texts])
    cad_civil = cad_labels[:, 0] == 0
    cad_civil_group = cad_civil & np.array([names_group(t) for t in cad.texts])
    check = list(csv.DictReader(args.check.open(encoding="utf-8"))) if args.check else []
    check_scores = model.predict_matrix([r["text"] for r in check]) if check else None
    for attribute, column in HEADS.items():
        j = ATTRIBUTES.index(attribute)
        known = ~np.isnan(valid.labels[:, j])
        # Sources whose own labels (not the label rules') name positives; severe toxicity is derived
        # everywhere, so its real sources are those whose threat or identity-attack labels are people's.
        reads = [ATTRIBUTES.index("threat"), ATTRIBUTES.index("identity_attack")] if column == "severe" else [j]
        real = {s for s in set(sources) if np.nansum(given[sources == s][:, reads]) >= 5}
        found = policies(valid.labels[known, j], chosen_on[known, j], weights[known], sources[known], real,
                         model.thresholds[attribute])
        shown = sorted(s for s in set(sources[known]) if np.nansum(valid.labels[known & (sources == s), j]))
        extra = ["cad_reddit"] if np.nansum(cad_given[:, j]) else []
        print(f"\n{attribute} (real labels: {', '.join(sorted(real))})\n")
        print("| policy | threshold | " + " | ".join(shown + extra) + " | civil newly flagged (held): "
              "civil_sentences_weak / wiki_context / cad_reddit | civil naming a group: newly held / flagged"
              + (" | check: labelled / civil |" if check else " |"))
        print("|---|---:|" + "---:|" * (len(shown) + len(extra) + 2) + ("---:|" if check else ""))
        for name, t in found.items():
            cells = [flagged(scored[sources == s, j], valid.labels[sources == s, j], t) for s in shown]
            cells += [flagged(cad_scored[:, j], cad_given[:, j], t)] if extra else []
            new = (scored[:, j] >= t) & (scored[:, j] < cut[j])
            cad_new = (cad_scored[:, j] >= t) & (cad_scored[:, j] < cut[j])
            civil_new = []
            for s in ("civil_sentences_weak", "wiki_context"):
                rows = new & civil & (sources == s)
                civil_new.append(f"{rows.sum()} ({(rows & ~held_before).sum()})")
            civil_new.append(f"{(cad_new & cad_civil).sum()} ({(cad_new & cad_civil & ~cad_held_before).sum()})")
            group_new = (new & civil_group & ~held_before).sum() + (cad_new & cad_civil_group & ~cad_held_before).sum()
            group_all = (civil_group & (scored[:, j] >= t)).sum() + (cad_civil_group & (cad_scored[:, j] >= t)).sum()
            row = (f"| {name} | {t:.3f} | " + " | ".join(cells) + f" | {' / '.join(civil_new)} | {group_new} / "
                   f"{group_all} of {civil_group.sum() + cad_civil_group.sum()}")
            if check_scores is not None:
                positive = np.array([r[column] == "1" for r in check])
                calm = np.array([r["toxic"] == "0" for r in check])
                hits = check_scores[:, j] >= t
                row += f" | {(hits & positive).sum()}/{positive.sum()} / {(hits & calm).sum()}/{calm.sum()}"
            print(row + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
