"""Training: read CSVs, hold out a stratified validation part, fit, choose thresholds, write artifact + card."""

from __future__ import annotations

import datetime as dt
import platform
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
import skops
from sklearn.pipeline import Pipeline
from tqdm.auto import tqdm

from classifiers.attributes import ATTRIBUTES
from classifiers.bias import IDENTITY_TERMS
from classifiers.counterfactual import COPY_WEIGHT, counterfactual_copies
from classifiers.datasets import LabelledData, concat, read_labelled_csv, sha256_of
from classifiers.debias import (
    GROUP_NOUNS, HEALTH_TERMS, PARTY_NAMES, PEOPLE_NAMES, RELIGION_NAMES, neutralise_identity_terms,
)
from classifiers.drift import validation_scores
from classifiers.errors import DataError
from classifiers.features import CivilityFeatures
from classifiers.heads import DEFAULT_C, MaskedLinearHeads
from classifiers.metrics import LOWEST_THRESHOLD, binary_report, threshold_for_precision
from classifiers.name_swaps import COPY_WEIGHT as NAME_COPY_WEIGHT, card_entry as name_swaps_card, name_copies
from classifiers.label_rules import (
    INSULT_RULE, MILD_SWEARING_RULE, PROFANITY_RULE, SEVERE_TOXICITY_RULE, THIN_POSITIVES, THREAT_RULE, imply_labels,
    positives_by_origin, swears_mildly_only, thin_attributes,
)
from classifiers.model import save_model
from classifiers.floors import ScoreFloors
from classifiers.pooling import SentencePooling, pooled_scores
from classifiers.cancellation import TrainingCancelled
from classifiers.recipe import HELD_OUT_PERCENT, is_held_out
from classifiers.sources import is_own_source, source_info, source_weight
from classifiers.validate import leave_one_source_out
from classifiers.weights import balanced_weights, source_weights


ProgressCallback = Callable[[str, float], None]


class _Stages:
    """Reports `stage, fraction done` to a caller (a Celery task's progress) and stops when asked."""

    # Rough share of a run on the shared data each stage takes, so the fraction moves evenly.
    SHARES = {"read": 0.05, "featurise train": 0.2, "fit heads": 0.55, "score validation": 0.05,
              "thresholds": 0.1, "write": 0.05}

    def __init__(self, on_progress: ProgressCallback | None, should_stop: Callable[[], bool] | None) -> None:
        self.on_progress, self.should_stop = on_progress, should_stop

    def at(self, stage: str, within: float = 0.0) -> None:
        if self.should_stop is not None and self.should_stop():
            raise TrainingCancelled(f"training cancelled during {stage}")
        if self.on_progress is not None:
            done = 0.0
            for name, share in self.SHARES.items():
                if name == stage:
                    done += share * min(max(within, 0.0), 1.0)
                    break
                done += share
            self.on_progress(stage, round(done, 4))


def row_weights(sources: Sequence[str], balance: float, own_label_weight: float,
                toxicity: np.ndarray | None = None) -> np.ndarray:
    """Source-balanced weights, each source's times its `SourceInfo.weight`, with a site's own
    labels (source "site:...") counting `own_label_weight` times as much: they say what this
    site's moderators decide. Mean 1. With `toxicity`, each source's toxic and non-toxic rows
    weigh the same in total."""
    weights = (balanced_weights(sources, toxicity, balance, scale=source_weight) if toxicity is not None
               else source_weights(sources, balance, source_weight))
    own = np.array([is_own_source(s) for s in sources], dtype=bool)
    if own.any() and own_label_weight != 1.0:
        weights = np.where(own, weights * own_label_weight, weights)
        weights = weights / weights.mean()
    return weights


def label_counts(labels: np.ndarray) -> dict[str, dict[str, int]]:
    counts = {}
    for j, name in enumerate(ATTRIBUTES):
        known = ~np.isnan(labels[:, j])
        counts[name] = {"known": int(known.sum()), "positive": int(np.nansum(labels[:, j]))}
    return counts


def _validation_only_metrics(features: CivilityFeatures, heads: MaskedLinearHeads, pooling: SentencePooling | None,
                             floors: ScoreFloors | None, data: LabelledData, thresholds: dict[str, float],
                             progress: bool) -> dict[str, dict[str, Any]]:
    if not len(data):
        return {}
    P = score_texts(features, heads, data.texts, pooling, progress, "score validation-only sources", floors=floors)
    report: dict[str, dict[str, Any]] = {}
    for source in sorted(set(data.sources)):
        rows = np.array([s == source for s in data.sources])
        for j, attribute in enumerate(ATTRIBUTES):
            known = rows & ~np.isnan(data.labels[:, j])
            y = data.labels[known, j]
            if attribute in heads.attributes_ and known.any() and y.min() != y.max():
                report.setdefault(source, {})[attribute] = binary_report(
                    y, P[known, j], thresholds.get(attribute, 0.5))
    return report


def held_out_mask(data: LabelledData, fraction: float, random_state: int) -> np.ndarray:
    """Which rows are held out: the stable split (a hash of each text, the one bench/classifier.py
    reports on) when `fraction` is its 15 %; another fraction draws a seeded random split of that size."""
    if round(fraction * 100) == HELD_OUT_PERCENT:
        held = np.array([is_held_out(t) for t in data.texts], dtype=bool)
    else:
        held = np.random.default_rng(random_state).random(len(data)) < fraction
    if held.all() or not held.any():  # tiny sets: keep at least one row on each side
        held = np.zeros(len(data), dtype=bool)
        held[:: max(2, int(round(1 / max(fraction, 1e-9))))] = True
    return held


def _chunks(texts: Sequence[str], chunk: int, progress: bool, desc: str, stages: _Stages | None) -> Iterator[Sequence[str]]:
    """`texts` a chunk at a time, with a progress bar and the stage's progress (which may cancel)."""
    for i in tqdm(range(0, len(texts), chunk), desc=desc, unit="chunk", disable=not progress):
        if stages is not None:
            stages.at(desc, i / max(len(texts), 1))
        yield texts[i : i + chunk]


def featurise(
    features: CivilityFeatures, texts: Sequence[str], progress: bool, desc: str, chunk: int = 2048,
    stages: _Stages | None = None,
) -> sp.csr_matrix:
    blocks = [features.transform(part) for part in _chunks(texts, chunk, progress, desc, stages)]
    return sp.vstack(blocks, format="csr") if blocks else features.transform([])


def score_texts(
    features: CivilityFeatures, heads: MaskedLinearHeads, texts: Sequence[str], pooling: SentencePooling | None,
    progress: bool, desc: str, chunk: int = 2048, stages: _Stages | None = None, floors: ScoreFloors | None = None,
) -> np.ndarray:
    """What the trained model will answer for each text (as CivilityModel scores it, cut at
    max_chars as `featurise` cuts), a chunk at a time."""
    blocks = [pooled_scores(features, heads, [t[: features.max_chars] for t in part], pooling, floors)
              for part in _chunks(texts, chunk, progress, desc, stages)]
    return np.vstack(blocks) if blocks else np.empty((0, len(ATTRIBUTES)))


def _read_sources(
    csv_paths: Iterable[str | Path], allow_unlisted_sources: bool, progress: bool
) -> tuple[LabelledData, list[dict[str, Any]], list[dict[str, Any]], LabelledData]:
    """Trainable rows (labels a source marks as meaningless set unknown), the card's file list,
    what was left out and why, and the left-out rows themselves (scored as validation only)."""
    parts: list[LabelledData] = []
    left_out: list[LabelledData] = []
    files: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    for path in tqdm([Path(p) for p in csv_paths], desc="read", unit="file", disable=not progress):
        data = read_labelled_csv(path)
        keep = np.ones(len(data), dtype=bool)
        forgotten = 0
        for source in sorted(set(data.sources)):
            info = source_info(source)
            rows = np.array([s == source for s in data.sources])
            if info is None and not allow_unlisted_sources:
                raise DataError(
                    f"{path}: source {source!r} has no known licence; add it to classifiers/sources.py, or for a "
                    "private model allow unlisted sources (`moderation train --allow-unlisted-source`)"
                )
            if info is not None and not info.trainable:
                keep &= ~rows
                excluded.append({"file": path.name, "source": source, "rows": int(rows.sum()), "why": info.note})
            for attribute in info.ignore_labels if info is not None else ():
                data.labels[rows, ATTRIBUTES.index(attribute)] = np.nan
            if info is not None and info.mild_swearing_labelled_toxic:
                forgotten += _forget_mild_swearing_toxicity(data, rows)
        files.append(
            {
                "file": path.name,
                "sha256": sha256_of(path),
                "rows": int(keep.sum()),
                "sources": sorted({s for s, k in zip(data.sources, keep) if k}),
                "label_counts": label_counts(data.labels[keep]),
                **({"toxicity_unknown_for_mild_swearing": forgotten} if forgotten else {}),
            }
        )
        parts.append(data.subset(np.flatnonzero(keep)))
        if not keep.all():
            left_out.append(data.subset(np.flatnonzero(~keep)))
    return concat(parts), files, excluded, concat(left_out)


def _forget_mild_swearing_toxicity(data: LabelledData, rows: np.ndarray) -> int:
    """Toxicity unknown for `rows` labelled toxic for mild swearing alone, as far as the word lists
    tell (classifiers/label_rules.py, MILD_SWEARING_RULE); how many."""
    toxicity = ATTRIBUTES.index("toxicity")
    toxic = rows & (data.labels[:, toxicity] == 1)
    mild = [i for i in np.flatnonzero(toxic).tolist() if swears_mildly_only(data.texts[i])]
    data.labels[mild, toxicity] = np.nan
    return len(mild)


def train_model(
    csv_paths: Iterable[str | Path],
    *,
    out_dir: str | Path,
    target_precision: float = 0.9,
    progress: bool = True,
    name: str = "civility",
    validation_fraction: float = HELD_OUT_PERCENT / 100,
    source_balance: float = 0.5,
    class_balance: bool = False,
    C: float = DEFAULT_C,
    min_positives: int = 100,
    allow_unlisted_sources: bool = False,
    cross_source: bool = False,
    neutral_terms: Sequence[str] | None = IDENTITY_TERMS + RELIGION_NAMES + PEOPLE_NAMES + HEALTH_TERMS,
    neutral_word_only: Sequence[str] = GROUP_NOUNS + PARTY_NAMES,
    random_state: int = 0,
    own_label_weight: float = 2.0,
    own_labels_read_at: str | None = None,
    group_swaps: int = 1,
    name_swap_weight: float = NAME_COPY_WEIGHT,
    pooling: SentencePooling | None = SentencePooling(),
    floors: ScoreFloors | None = ScoreFloors(),
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Path:
    """Train on the known labels of `csv_paths` and write `<out_dir>/<name>.skops` and its card.

    With `cross_source`, the card also records leave-one-source-out toxicity metrics on the
    training part (a few extra minutes), the best estimate of quality on unseen sites.
    Rows whose source starts with "site:" (a site's own moderators' labels) weigh
    `own_label_weight` times a public row of the same source size; `own_labels_read_at` (ISO time),
    when they were read from the database, goes on the card beside them: decisions made while the
    model trains are not in it. `on_progress(stage, fraction)`
    hears how far training is; `should_stop()` returning True raises TrainingCancelled between
    steps (a running fit finishes its step first). `group_swaps` copies of each training row that
    names a group, with the group swapped, train the identity_attack head (classifiers/counterfactual.py);
    one copy of each labelled row naming a person or a country, swapped for Nigel or Nigeria, weighs
    `name_swap_weight` of it (classifiers/name_swaps.py; 0: none).
    `pooling` is how the model scores a comment of several sentences (classifiers/pooling.py; None:
    as one text), and `floors` which scores are never below another's (classifiers/floors.py; None:
    none); thresholds and metrics are chosen on those scores, and the card records both.
    `neutral_terms` (identity words, people's names) lose their word and longer character n-gram
    weights in the toxicity and insult heads, `neutral_word_only` (groups' nouns, parties) their word weight
    (classifiers/debias.py).
    """
    if own_label_weight <= 0:
        raise ValueError(f"own_label_weight must be positive, got {own_label_weight}")
    started = time.perf_counter()
    stages = _Stages(on_progress, should_stop)
    stages.at("read")
    data, files, excluded, validation_only = _read_sources(csv_paths, allow_unlisted_sources, progress)
    if len(data) < 20:
        raise DataError(f"need at least 20 rows to train, got {len(data)}")
    held = held_out_mask(data, validation_fraction, random_state)
    given = data.labels[~held]
    data.labels = imply_labels(data.labels, data.texts)
    train, valid = data.subset(np.flatnonzero(~held)), data.subset(np.flatnonzero(held))
    positives = positives_by_origin(given, train.labels)

    train_weights = row_weights(train.sources, source_balance, own_label_weight,
                                train.labels[:, 0] if class_balance else None)
    swap_texts, swap_labels, swap_weights = counterfactual_copies(
        train.texts, train.labels, train_weights, copies=group_swaps, random_state=random_state)
    name_texts, name_labels, name_weights = name_copies(
        train.texts, train.labels, train_weights, copy_weight=name_swap_weight, random_state=random_state)
    features = CivilityFeatures().fit(train.texts)
    X_train = featurise(features, list(train.texts) + swap_texts + name_texts, progress, "featurise train",
                        stages=stages)
    heads = MaskedLinearHeads(C=C, min_positives=min_positives, min_negatives=min_positives, random_state=random_state)
    stages.at("fit heads")
    with tqdm(total=1, desc="fit heads", disable=not progress) as bar:
        heads.fit(X_train, np.vstack([train.labels, swap_labels, name_labels]),
                  sample_weight=np.r_[train_weights, swap_weights, name_weights],
                  on_head=lambda _attribute, done: stages.at("fit heads", done))  # cancellable between heads
        bar.update()
    X_train = X_train[: len(train)]  # the copies trained only; validation uses real rows
    neutralisation = neutralise_identity_terms(features, heads, neutral_terms or (), word_only=neutral_word_only)
    cross_source_report = (
        leave_one_source_out(train, C=C, source_balance=source_balance, X=X_train, progress=progress)
        if cross_source and len(set(train.sources)) > 1
        else None
    )
    del X_train
    pipeline = Pipeline([("features", features), ("heads", heads)])

    P_valid = score_texts(features, heads, valid.texts, pooling, progress, "score validation", stages=stages,
                          floors=floors)
    # Thresholds on the scores a sentence the model is sure of does not raise: chosen on the raised ones,
    # threat's went 0.66 -> 0.79 and "I'm going to shoot you tomorrow." was no longer flagged, as long
    # civil comments quoting a threat took the precision it is chosen for. The override only adds holds.
    unraised = replace(pooling, sure=None) if pooling is not None and pooling.sure is not None else None
    P_chosen = P_valid if unraised is None else score_texts(
        features, heads, valid.texts, unraised, progress, "score validation for thresholds", floors=floors)
    stages.at("thresholds")
    valid_weights = row_weights(valid.sources, source_balance, own_label_weight,
                                valid.labels[:, 0] if class_balance else None)
    thresholds: dict[str, float] = {}
    threshold_details: dict[str, dict[str, float]] = {}
    metrics: dict[str, Any] = {"validation_pooled": {}, "validation_by_source": {}}
    # Thresholds and the pooled report on the public rows alone: a site's own decisions follow its
    # own policy, and in the pool they moved toxicity's threshold to 0.999 (a data scientist's walk:
    # their site allowed swearing the public labels call toxic, and the candidate held almost
    # nothing). They are reported by source; the thresholds page fits a site's thresholds to them.
    public_valid = np.array([not is_own_source(s) for s in valid.sources], dtype=bool)
    for j, attribute in enumerate(ATTRIBUTES):
        if attribute not in heads.attributes_:
            continue
        labelled = ~np.isnan(valid.labels[:, j])
        known = labelled & public_valid
        if not known.any() or np.unique(valid.labels[known, j]).size < 2:
            known = labelled
        y, p = valid.labels[known, j].astype(int), P_valid[known, j]
        if y.min() == y.max():
            detail = {"threshold": 0.5, "target_reached": False, "note": "validation has one class only"}
        else:
            detail = threshold_for_precision(y, P_chosen[known, j], target_precision, weights=valid_weights[known],
                                             lowest=LOWEST_THRESHOLD)
        thresholds[attribute] = float(detail["threshold"])
        threshold_details[attribute] = detail
        metrics["validation_pooled"][attribute] = binary_report(y, p, thresholds[attribute])
        for source in sorted(set(valid.sources)):
            rows = np.array([s == source for s in valid.sources]) & labelled
            if rows.any():
                metrics["validation_by_source"].setdefault(source, {})[attribute] = binary_report(
                    valid.labels[rows, j], P_valid[rows, j], thresholds[attribute]
                )

    insufficient = {
        a: {**heads.label_counts_[a], "score_copied_from": heads.fallback}
        for a in ATTRIBUTES
        if a not in heads.attributes_
    }
    sources = sorted({s for f in files for s in f["sources"]})
    own_rows = {s: sum(1 for x in data.sources if x == s) for s in sources if is_own_source(s)}
    card: dict[str, Any] = {
        "name": name,
        "trained_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "attributes": list(heads.attributes_),
        "insufficient_data": insufficient,
        "thin_data": thin_attributes(positives, heads.attributes_),
        "insufficient_data_policy": (
            f"Attributes with fewer than {min_positives} known positive or negative rows get no head; "
            f"their score is the {heads.fallback} probability and they are left out of `attributes`."
        ),
        "thresholds": thresholds,
        "threshold_selection": threshold_details,
        "calibration": (
            f"Platt scaling per attribute on {heads.calibration_folds}-fold out-of-fold scores of the training "
            "rows (source-weighted); the head is then refit on all of them"
        ),
        "calibration_error": {
            a: {"ece_validation_pooled": r["ece"]} for a, r in metrics["validation_pooled"].items()
        },
        "metrics": metrics,
        "data": {
            "files": files,
            "excluded": excluded,
            "sources": {
                s: (source_info(s).as_dict() if source_info(s) else {"licence": "unlisted", "attribution": ""})
                for s in sources
            },
            "train_rows": len(train),
            "validation_rows": len(valid),
            # The rows the pooled metrics and the thresholds were measured on: validation less any
            # site's own labels.
            "public_validation_rows": int(public_valid.sum()),
            "train_label_counts": heads.label_counts_,
            "train_positives_by_origin": positives,
            "source_balance": source_balance,
            "stores_comment_text": False,
        },
        # What the model learnt from: the public sources, and each site's own labels.
        "training_data": {
            "public_sources": {s: source_info(s).as_dict() if source_info(s) else {"licence": "unlisted"}
                               for s in sources if not is_own_source(s)},
            # How many of each site's rows trained the model and how many only measured it: a row's
            # part follows its text's hash, as every source's does (a data scientist's walk: all 800
            # of a site's decisions fell in validation, and the card said only "800").
            "own_labels": {
                s: {"rows": n, "label_counts": label_counts(data.labels[[x == s for x in data.sources]]),
                    "trained_on": sum(1 for x in train.sources if x == s),
                    "validation": sum(1 for x in valid.sources if x == s),
                    **({"read_at": own_labels_read_at} if own_labels_read_at else {})}
                for s, n in own_rows.items()
            },
            "own_label_weight": own_label_weight if own_rows else None,
        },
        "features": features.get_params(),
        "scoring": {**(pooling.as_card() if pooling is not None else {}), **(floors.as_card() if floors is not None else {})},
        "heads": heads.get_params(),
        "explanation_units": "log-odds contribution of each span, before calibration",
        "intended_use": "Ranking and flagging English comments on news sites for human moderators.",
        "limitations": [
            "Bag of n-grams: misses context, sarcasm, negation (\"no one deserves to die\" reads like its words) "
            "and quoted or reported abuse.",
            "Violent words used figuratively (\"this bill will kill jobs\") score as toxic and as threats: most "
            "training comments that use them are abusive. A site's own decisions retrain it (`moderation train --site`).",
            "Identity words and words for health, disability and body size (\"mental\", \"disabled\", "
            "\"obese\") are neutralised in the toxicity and insult heads, and groups' nouns (\"jews\", "
            "\"muslims\") in severe_toxicity too, but not in identity_attack, which floors toxicity; see the bias metrics from `evaluate` on bias_madlibs.csv and hatecheck.csv. "
            "\"mentally\", \"fat\" and most nationalities are not: \"I am fat.\" and \"My wife is from Niger.\" may be held.",
            "Training labels come from Twitter and Gab, Wikipedia talk pages, chatbot logs, a white-supremacist "
            "forum, mixed social media and news comments (weakly labelled sentences and typed toxic spans); their "
            "definitions differ and none is a news-site moderation policy.",
            f"Attributes listed under thin_data had fewer than {THIN_POSITIVES:,} positives labelled by people "
            "to learn from; treat their scores and thresholds as rough.",
            "Thresholds meet the target precision on a source-balanced validation mix, not on any one site.",
        ] + (["Attributes listed under insufficient_data copy the toxicity score and must not drive decisions."]
             if insufficient else []),
        "libraries": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "skops": skops.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        },
        "leave_one_source_out_toxicity": cross_source_report,
        # Sources never trained on (cad_reddit, the synthetic bias sets), scored after training.
        "validation_only": _validation_only_metrics(features, heads, pooling, floors, validation_only, thresholds,
                                                    progress),
        "derived_labels": {"severe_toxicity": SEVERE_TOXICITY_RULE,
                           "sub_attributes": "a comment labelled not toxic is labelled 0 for every other attribute",
                           "profanity": PROFANITY_RULE, "threat": THREAT_RULE, "insult": INSULT_RULE,
                           "toxicity": MILD_SWEARING_RULE},
        "identity_term_neutralisation": neutralisation,
        "counterfactual_group_swaps": {
            "head": "identity_attack", "copies_per_row": group_swaps, "copy_weight": COPY_WEIGHT,
            "rows": len(swap_texts),
            "positives": int(np.nansum(swap_labels)),
            "why": "each group named in attacks about as often as any other (classifiers/counterfactual.py)",
        },
        "civil_name_swaps": name_swaps_card(name_texts, name_swap_weight),
        "train_seconds": round(time.perf_counter() - started, 1),
        # What drift checks compare live scores with (moderation/domain/drift.py).
        "validation_scores": validation_scores(
            P_valid, heads.attributes_, {a: j for j, a in enumerate(ATTRIBUTES)}, thresholds),
    }
    path = Path(out_dir) / f"{name}.skops"
    stages.at("write")
    with tqdm(total=1, desc="write", disable=not progress) as bar:
        save_model(pipeline, card, path)
        bar.update()
    if on_progress is not None:
        on_progress("done", 1.0)
    return path
