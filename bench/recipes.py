"""Choose the training recipe by validation across sources, not by one file.

Leave-one-domain-out: for each domain (Wikipedia, news, Twitter, hate forums/Gab, chatbot logs,
mixed social media) every design is trained on the trainable sources of the OTHER domains and
scored on the held-out domain's toxicity labels; `cad_reddit` (validation only, never trained on)
and the held-out split of `wiki_context` are domain checks scored by a model trained on every
trainable source's training split. Rows per source are capped so that one run fits a shared
2-core machine; the table, not any one cell, decides.

    python bench/recipes.py [--cap 12000] [--designs current,tfidf,nbsvm,stacked,sgd_en]
    python bench/recipes.py --nested --cap 4000 --balance 0.5 --designs current,tfidf,nbsvm   # C tuned per fold
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import roc_auc_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from classifiers.datasets import read_labelled_csv  # noqa: E402
from classifiers.features import CivilityFeatures  # noqa: E402
from classifiers.normalise import normalise  # noqa: E402
from classifiers.recipe import DOMAINS, TfidfHashing, is_held_out, log_count_ratio  # noqa: E402
from classifiers.sources import source_weight  # noqa: E402
from classifiers.weights import balanced_weights  # noqa: E402

DATA = REPO.parent / "shared" / "data"
TRAIN_FILES = ("jigsaw_train_pieces.csv", "wiki_context.csv", "civil_sentences_weak.csv", "civil_spans.csv",
               "davidson.csv", "olid_train.csv", "hatexplain.csv", "stormfront.csv", "convabuse_train.csv",
               "surge.csv")
# Every civil_spans post was rated toxic before it was sampled: toxicity there is 1 or unknown,
# never 0, so as toxicity rows it would only teach "a news comment is toxic".
NO_TOXICITY_FROM = ("civil_spans",)
CHECKS = {"cad_reddit": "cad_reddit.csv", "olid_test": "olid_test.csv", "convabuse_test": "convabuse_test.csv"}


def load(cap: int) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    texts, y, sources, held = [], [], [], []
    rng = np.random.default_rng(0)
    for name in TRAIN_FILES:
        data = read_labelled_csv(DATA / name)
        known = np.flatnonzero(~np.isnan(data.labels[:, 0]))
        if data.sources and data.sources[0] in NO_TOXICITY_FROM:
            continue
        if len(known) > cap:
            known = np.sort(rng.choice(known, cap, replace=False))
        for i in known:
            texts.append(data.texts[i])
            y.append(int(data.labels[i, 0]))
            sources.append(data.sources[i])
            held.append(is_held_out(data.texts[i]))
    return texts, np.array(y), np.array(sources), np.array(held)


def load_check(name: str) -> tuple[list[str], np.ndarray]:
    data = read_labelled_csv(DATA / name)
    known = np.flatnonzero(~np.isnan(data.labels[:, 0]))
    return [data.texts[i] for i in known], data.labels[known, 0].astype(int)


class Matrices:
    """Raw hashed counts computed once; each design derives its features per fold from them."""

    def __init__(self, cleaned: Sequence[str]) -> None:
        self.tfidf = TfidfHashing()
        self.words, self.chars = self.tfidf.counts(cleaned)
        self.current = CivilityFeatures().transform_normalised(cleaned)


def fit_predict(design: str, train: Matrices, rows: np.ndarray, y: np.ndarray, w: np.ndarray,
                tests: list[Matrices], C: float = 4.0) -> list[np.ndarray]:
    """Each design's toxicity logits for `tests`, trained on `rows`; C is the inverse regularisation
    strength (for sgd_en, its alpha scales as 1/C, with C=4 giving the 2e-6 of the unnested runs)."""
    def lr(X: sp.csr_matrix) -> LogisticRegression:
        return LogisticRegression(C=C, solver="liblinear", max_iter=200).fit(
            X, y, sample_weight=w)

    if design == "current":
        model = lr(train.current[rows])
        return [model.decision_function(t.current) for t in tests]
    tfidf = TfidfHashing().fit_counts(train.words[rows], train.chars[rows])
    X = tfidf.weigh(train.words[rows], train.chars[rows])
    Xt = [tfidf.weigh(t.words, t.chars) for t in tests]
    if design == "tfidf":
        model = lr(X)
        return [model.decision_function(x) for x in Xt]
    if design == "nbsvm":
        r = log_count_ratio(X, y)
        model = lr(X.multiply(r).tocsr())
        return [model.decision_function(x.multiply(r).tocsr()) for x in Xt]
    if design == "stacked":
        n_word = train.words.shape[1]
        word, char = lr(X[:, :n_word]), lr(X[:, n_word:])
        return [word.decision_function(x[:, :n_word]) + char.decision_function(x[:, n_word:]) for x in Xt]
    if design == "sgd_en":
        model = SGDClassifier(loss="log_loss", penalty="elasticnet", alpha=8e-6 / C, l1_ratio=0.1,
                              max_iter=15, tol=None, random_state=0).fit(X, y, sample_weight=w)
        return [model.decision_function(x) for x in Xt]
    raise ValueError(design)


def auc(y: np.ndarray, p: np.ndarray) -> float:
    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cap", type=int, default=12000, help="rows per source at most")
    parser.add_argument("--designs", default="current,tfidf,nbsvm,stacked,sgd_en")
    parser.add_argument("--balance", type=float, default=0.0, help="source balance exponent (0 = none)")
    parser.add_argument("--class-balance", action="store_true",
                        help="within each source, positives and negatives weigh the same in total")
    parser.add_argument("--nested", action="store_true",
                        help="choose each design's C inside every left-out domain, by leaving out each of the "
                             "remaining domains in turn; the left-out domain never takes part in the choice")
    parser.add_argument("--grid", default="1,4,16", type=_grid, help="values of C tried by --nested")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    designs = args.designs.split(",")
    started = time.perf_counter()
    texts, y, sources, held = load(args.cap)
    everything = Matrices([normalise(t[:5000]) for t in texts])
    checks = {}
    for name, file in CHECKS.items():
        check_texts, check_y = load_check(file)
        checks[name] = (Matrices([normalise(t[:5000]) for t in check_texts]), check_y)
    print(f"{len(texts)} rows, features in {time.perf_counter() - started:.0f} s", flush=True)
    domain_of = np.array([DOMAINS.get(s, s) for s in sources])
    results: dict[str, dict[str, float]] = {d: {} for d in designs}
    chosen: dict[str, dict[str, float]] = {}
    # Leave one domain out: train on the others' training split, score the domain's held-out split.
    for domain in sorted(set(domain_of)):
        rows = np.flatnonzero((domain_of != domain) & ~held)
        test = np.flatnonzero((domain_of == domain) & held & np.isin(sources, ["civil_spans"], invert=True))
        if len(set(y[test])) < 2:
            continue
        sub = _slice(everything, test)
        w = weights(sources[rows], y[rows], args)
        for design in designs:
            t0 = time.perf_counter()
            C = choose_c(design, everything, y, sources, held, domain_of, domain, args) if args.nested else 4.0
            chosen.setdefault(design, {})[domain] = C
            (p,) = fit_predict(design, everything, rows, y[rows], w, [sub], C=C)
            results[design][f"out:{domain}"] = auc(y[test], p)
            print(f"  {design:8} without {domain:10} AUC {results[design][f'out:{domain}']:.4f} "
                  f"(C={C:g}, {time.perf_counter() - t0:.0f} s)", flush=True)
    # Domain checks: trained on every training split; wiki_context's held-out split, cad_reddit, …
    rows = np.flatnonzero(~held)
    w = weights(sources[rows], y[rows], args)
    wiki = np.flatnonzero(held & (sources == "wiki_context"))
    jig = np.flatnonzero(held & (sources == "jigsaw2018"))
    tests = [_slice(everything, wiki), _slice(everything, jig)] + [m for m, _ in checks.values()]
    truths = [y[wiki], y[jig]] + [t for _, t in checks.values()]
    names = ["wiki_context", "jigsaw"] + list(checks)
    for design in designs:
        # Every domain is in these models' training data, so the C most often chosen above.
        C = max(set(chosen[design].values()), key=list(chosen[design].values()).count) if args.nested else 4.0
        scores = fit_predict(design, everything, rows, y[rows], w, tests, C=C)
        for name, truth, p in zip(names, truths, scores):
            results[design][f"all:{name}"] = auc(truth, p)
        print(f"  {design:8} all-sources checks done", flush=True)
    columns = sorted({c for r in results.values() for c in r})
    print()
    print(f"{'design':8} " + " ".join(f"{c[:14]:>14}" for c in columns) + f" {'mean out':>9}")
    for design in designs:
        outs = [v for c, v in results[design].items() if c.startswith("out:") and not np.isnan(v)]
        print(f"{design:8} " + " ".join(f"{results[design].get(c, float('nan')):14.4f}" for c in columns)
              + f" {np.mean(outs):9.4f}")
    if args.nested:
        print("\nC chosen per left-out domain: " + "; ".join(
            f"{design} " + ", ".join(f"{d}={c:g}" for d, c in sorted(chosen[design].items())) for design in designs))
    print(f"(cap {args.cap} rows per source, balance {args.balance}, class balance {args.class_balance}, "
          f"{'nested C from ' + ','.join(f'{c:g}' for c in args.grid) if args.nested else 'C=4'}, {time.perf_counter() - started:.0f} s)")
    return 0


def _grid(raw: str) -> list[float]:
    try:
        values = [float(c) for c in raw.split(",") if c.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r}: give positive numbers separated by commas") from None
    if not values or not all(0 < c < float("inf") for c in values):
        raise argparse.ArgumentTypeError(f"{raw!r}: every C must be a positive number")
    return values


def choose_c(design: str, everything: Matrices, y: np.ndarray, sources: np.ndarray, held: np.ndarray,
             domain_of: np.ndarray, outer: str, args: argparse.Namespace) -> float:
    """The C with the best mean AUC over inner folds: each remaining domain's held-out split scored
    by a model trained on the training splits of the domains other than it and `outer`."""
    grid = args.grid
    inner_domains = sorted(set(domain_of) - {outer})
    means = []
    for C in grid:
        aucs = []
        for inner in inner_domains:
            rows = np.flatnonzero((domain_of != outer) & (domain_of != inner) & ~held)
            test = np.flatnonzero((domain_of == inner) & held & np.isin(sources, ["civil_spans"], invert=True))
            if len(set(y[test])) < 2:
                continue
            (p,) = fit_predict(design, everything, rows, y[rows], weights(sources[rows], y[rows], args),
                               [_slice(everything, test)], C=C)
            aucs.append(auc(y[test], p))
        means.append(float(np.mean(aucs)))
    print(f"    {design} without {outer}: inner mean AUC " + ", ".join(f"C={c:g} {m:.4f}" for c, m in zip(grid, means)),
          flush=True)
    return grid[int(np.argmax(means))]


def weights(sources: np.ndarray, y: np.ndarray, args: argparse.Namespace) -> np.ndarray:
    return balanced_weights(sources, y, args.balance, args.class_balance, scale=source_weight)


def _slice(m: Matrices, rows: np.ndarray) -> Matrices:
    out = Matrices.__new__(Matrices)
    out.words, out.chars, out.current = m.words[rows], m.chars[rows], m.current[rows]
    return out


if __name__ == "__main__":
    raise SystemExit(main())
