"""What each known data source may be used for, and how the model card must credit it.

Licences are judged by the original data, not the copy (see shared/data/README.md).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SourceInfo:
    licence: str
    attribution: str
    # Synthetic/diagnostic sets stay out of training so that bias checks remain honest.
    trainable: bool = True
    note: str = ""
    # Where the shared copy came from (licences are judged by the original data, not the copy).
    via: str = ""
    # Labels of this source that say nothing and are dropped (set unknown) before training.
    ignore_labels: tuple[str, ...] = ()
    # Times the source's size-balanced weight (classifiers/weights.py); 1 for most. Chosen on the
    # held-out splits of every source, never on one file (docs/recipe-history.md).
    weight: float = 1.0
    # Its toxicity labels call mild swearing ("damn", "hell") toxic in itself: such rows' toxicity is
    # set unknown (classifiers/label_rules.swears_mildly_only; docs/recipe-history.md, run 21).
    mild_swearing_labelled_toxic: bool = False
    # Not trainable, but every training run measures on it (the card's `validation_only`), so versions
    # retrained from the admin pages carry the same out-of-domain check as the shipped one.
    measured_after_training: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


KNOWN_SOURCES: dict[str, SourceInfo] = {
    "jigsaw2018": SourceInfo(
        licence="labels CC0; comment text CC BY-SA 3.0 (Wikipedia)",
        attribution="Jigsaw/Conversation AI, Toxic Comment Classification Challenge (Kaggle 2018), "
        "comments from English Wikipedia talk pages",
        via="hurelyyu/NLP-Toxic-Comment-Classification@938722a, khanhhk/Data-Systems-for-Toxic-Comment-Classification@91c0131, AK-Algorithm/Toxic-Comment-Classification@a3867ee (copies state no licence)",
    ),
    "civil_sentences_weak": SourceInfo(
        licence="CC0 (Civil Comments)",
        attribution="Civil Comments dataset (Borkan et al. 2019), sentence split and weak labels by "
        "Dale et al. 2021, s-nlp/detox",
        note="weak labels from a classifier, lower-cased and tokenised text",
        via="s-nlp/detox@0ebaeab (emnlp2021 dev/test splits)",
        mild_swearing_labelled_toxic=True,
    ),
    "davidson": SourceInfo(
        licence="MIT",
        attribution="Davidson, Warmsley, Macy, Weber 2017, Automated Hate Speech Detection and the "
        "Problem of Offensive Language (t-davidson/hate-speech-and-offensive-language)",
        via="t-davidson/hate-speech-and-offensive-language@cb50f7e",
    ),
    "olid": SourceInfo(
        licence="CC BY 4.0",
        attribution="Zampieri et al. 2019, OLID / OffensEval 2019",
        via="wenliangdai/multi-task-offensive-language-detection@6c2071a",
    ),
    "convabuse": SourceInfo(
        licence="CC BY 4.0",
        attribution="Cercas Curry, Abercrombie, Rieser 2021, ConvAbuse (amandacurry/convabuse)",
        via="amandacurry/convabuse@c0a9469",
    ),
    "stormfront": SourceInfo(
        licence="CC BY-SA 3.0 ES",
        attribution="de Gibert, Perez, Garcia-Pablos, Cuadros 2018, Hate Speech Dataset from a "
        "White Supremacy Forum (Vicomtech/hate-speech-dataset)",
        via="Vicomtech/hate-speech-dataset@b802137",
    ),
    "hatecheck": SourceInfo(
        licence="CC BY 4.0",
        attribution="Roettger et al. 2021, HateCheck (paul-rottger/hatecheck-data)",
        trainable=False,
        note="synthetic functional tests: diagnostics only",
        via="paul-rottger/hatecheck-data@d843022",
    ),
    "bias_madlibs": SourceInfo(
        licence="Apache-2.0",
        attribution="Dixon et al. 2018, Conversation AI unintended-ml-bias-analysis bias_madlibs_77k",
        trainable=False,
        note="synthetic identity templates: bias checks only",
        via="conversationai/unintended-ml-bias-analysis@9c7d91a",
    ),
    "civil_spans": SourceInfo(
        licence="CC0 1.0",
        attribution="Pavlopoulos, Laugier, Xenos, Sorensen, Androutsopoulos 2022, From the Detection of "
        "Toxic Spans in Online Discussions to the Analysis of Toxic-to-Civil Transfer (ACL 2022; SemEval-2021 "
        "Task 5), comments from the Civil Comments dataset",
        note="every post was rated toxic before it was sampled: its toxicity (1 or unknown, never 0) is "
        "not used; its typed spans train insult, identity_attack, profanity and threat",
        via="ipavlopoulos/toxic_spans@beaf170",
        ignore_labels=("toxicity",),
    ),
    "wiki_context": SourceInfo(
        licence="Apache-2.0 (labels); comment text CC BY-SA 3.0 (Wikipedia)",
        attribution="Pavlopoulos, Sorensen, Dixon, Thain, Androutsopoulos 2020, Toxicity Detection: Does "
        "Context Really Matter? (ACL 2020), CAT-LARGE, comments from English Wikipedia talk pages",
        via="ipavlopoulos/context_toxicity@5df49c2",
    ),
    "surge": SourceInfo(
        licence="MIT",
        attribution="Surge AI, toxicity dataset (free English sample)",
        via="surge-ai/toxicity@ea80324",
    ),
    "hatexplain": SourceInfo(
        licence="MIT (HateXplain); the MAGPIE copy Apache-2.0",
        attribution="Mathew, Saha, Yimam, Biemann, Goyal, Mukherjee 2021, HateXplain (AAAI 2021), Twitter and "
        "Gab posts; preprocessed by the MAGPIE multi-task collection",
        note="lower-cased, rebuilt from tokens without punctuation; half the weight of a source its size",
        via="Media-Bias-Group/magpie-multi-task@d9d2164",
        # At full weight its toxicity labels cost the Twitter, chatbot and news files up to 0.018
        # ROC AUC (olid_test, davidson) for what they add to the other hate and Reddit files; at
        # half, those gains stay within 0.001 (docs/recipe-history.md, run 6).
        weight=0.5,
    ),
    "cad_reddit": SourceInfo(
        licence="not confirmed",
        attribution="Vidgen, Nguyen, Margetts, Rossini, Tromble 2021, Introducing CAD: the Contextual Abuse "
        "Dataset (NAACL 2021), Reddit",
        trainable=False,
        note="validation only: its licence could not be confirmed, so no shipped model trains on it",
        measured_after_training=True,
        via="NoamElul/cis-5300-final@3c569a1",
    ),
}


# A site's own moderators' labels, exported by `moderation dataset export` / `train --site`.
OWN_SOURCE_PREFIX = "site:"


def is_own_source(source: str) -> bool:
    return source.startswith(OWN_SOURCE_PREFIX) and len(source) > len(OWN_SOURCE_PREFIX)


def own_source_info(source: str) -> SourceInfo:
    site = source.removeprefix(OWN_SOURCE_PREFIX)
    return SourceInfo(
        licence=f"the site's own data ({site}): its comments and its moderators' decisions",
        attribution=f"moderators of {site}, through this service's decisions, report outcomes and "
        "suggestscore labels",
        note="private to the site: a model trained on it is for that site, not for shipping",
    )


def source_info(source: str) -> SourceInfo | None:
    if is_own_source(source):
        return own_source_info(source)
    return KNOWN_SOURCES.get(source)


def source_weight(source: str) -> float:
    """`SourceInfo.weight` of a known source; 1 for a site's own labels and unlisted sources."""
    info = KNOWN_SOURCES.get(source)
    return 1.0 if info is None else info.weight


# Kept for measuring, never trained on: these splits are what `evaluate` reads (docs/recipe-history.md).
EVALUATION_SPLITS = ("_test", "_valid")


def _sources_of(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row.get("source") or path.stem for row in csv.DictReader(handle)}


def trainable_files(data_dir: str | Path) -> list[Path]:
    """The CSVs of `data_dir` a model may be trained on: every row's source listed above as
    trainable (so never cad_reddit, unlisted, NC or GPL data), evaluation splits left out."""
    return [path for path, infos in _classified(data_dir) if _all(infos, lambda info: info.trainable)]


def training_run_files(data_dir: str | Path) -> list[Path]:
    """What a training run reads: the trainable CSVs, and those it only measures on afterwards
    (cad_reddit), whose rows training leaves out (classifiers/train.py) and scores as validation only.
    With the trainable ones alone, a retrained version's card had no cad_reddit figures to compare.
    None when none is trainable: cad_reddit alone is nothing to train on. One reading of the folder:
    each file is read whole to learn its sources, and the callers had read it twice."""
    classified = _classified(data_dir)
    if not any(_all(infos, lambda info: info.trainable) for _, infos in classified):
        return []
    return [path for path, infos in classified
            if _all(infos, lambda info: info.trainable or info.measured_after_training)]


def _classified(data_dir: str | Path) -> list[tuple[Path, list[SourceInfo | None]]]:
    """Each CSV of `data_dir` but the evaluation splits, with what is known of each of its sources."""
    return [(path, [KNOWN_SOURCES.get(s) for s in _sources_of(path)])
            for path in sorted(Path(data_dir).glob("*.csv")) if not path.stem.endswith(EVALUATION_SPLITS)]


def _all(infos: list[SourceInfo | None], wanted: Callable[[SourceInfo], bool]) -> bool:
    return bool(infos) and all(info is not None and wanted(info) for info in infos)
