"""Training on public data plus a site's own labels (source "site:<name>"), weighted, credited in the card."""
from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from classifiers import load_model
from classifiers.sources import source_info, trainable_files, training_run_files
from classifiers.train import TrainingCancelled, train_model

HEADER = ["text", "toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat", "source"]
CIVIL = ["thanks for the thoughtful article", "the council meeting is on tuesday", "great reporting on the library",
         "the bus schedule changed last week", "i love pineapple on pizza", "what a lovely photo of the harbour"]
ABUSIVE = ["you are a worthless idiot", "shut up you stupid moron", "you pathetic stupid loser",
           "this author is a moron and an idiot", "stupid idiot, nobody cares", "what an idiot"]
OPENERS = ["", "honestly ", "well, ", "again ", "wow ", "so "]
CLOSERS = ["", " today", " for sure", " as usual", " again", " really", " lol", " imo"]
# What this site's moderators reject although the public data calls it civil.
SITE_REJECTS = [f"{o}pineapple on pizza{c}" for o, c in itertools.product(OPENERS, CLOSERS)]
PROBE = "pineapple on pizza is the best"


def public_rows() -> list[dict[str, str]]:
    return [{"text": f"{o}{t}{c}", "toxicity": str(y), "source": "convabuse" if i % 2 else "olid"}
            for i, ((t, y), o, c) in enumerate(itertools.product([(t, 0) for t in CIVIL] + [(t, 1) for t in ABUSIVE],
                                                                  OPENERS, CLOSERS))]


def write(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows({k: r.get(k, "") for k in header} for r in rows)
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("own")
    own = [{"text": t, "toxicity": "1", "insult": "1", "source": "site:daily-planet"} for t in SITE_REJECTS]
    own += [{"text": f"{o}great reporting on the library{c}", "toxicity": "0", "source": "site:daily-planet"}
            for o, c in itertools.product(OPENERS, CLOSERS[:3])]
    return write(folder / "public.csv", public_rows()), write(folder / "own.csv", own)


def toxicity(path: Path, text: str) -> float:
    return load_model(path).score([text])[0]["toxicity"]


def test_a_sites_own_labels_train_without_an_unlisted_source_flag_and_the_card_credits_both(data, tmp_path):
    public, own = data
    path = train_model([public, own], out_dir=tmp_path, progress=False, min_positives=20, own_label_weight=3.0)
    card = load_model(path).card
    assert set(card["training_data"]["public_sources"]) == {"convabuse", "olid"}
    assert card["training_data"]["own_labels"]["site:daily-planet"]["rows"] == len(SITE_REJECTS) + 18
    assert card["training_data"]["own_labels"]["site:daily-planet"]["label_counts"]["insult"]["positive"] == len(SITE_REJECTS)
    assert card["training_data"]["own_label_weight"] == 3.0
    assert "site's own data" in card["data"]["sources"]["site:daily-planet"]["licence"]
    assert source_info("site:daily-planet").trainable and source_info("site:") is None


def test_own_labels_shift_a_prediction_toward_the_sites_decisions_more_with_more_weight(data, tmp_path):
    public, own = data
    alone = toxicity(train_model([public], out_dir=tmp_path / "a", progress=False, min_positives=20), PROBE)
    light = toxicity(train_model([public, own], out_dir=tmp_path / "b", progress=False, min_positives=20,
                                 own_label_weight=0.2), PROBE)
    heavy = toxicity(train_model([public, own], out_dir=tmp_path / "c", progress=False, min_positives=20,
                                 own_label_weight=5.0), PROBE)
    assert alone < light < heavy
    assert alone < 0.5 < heavy


def test_training_reports_progress_and_can_be_cancelled(data, tmp_path):
    public, own = data
    heard: list[tuple[str, float]] = []
    train_model([public, own], out_dir=tmp_path, progress=False, min_positives=20,
                on_progress=lambda stage, done: heard.append((stage, done)))
    fractions = [f for _, f in heard]
    assert fractions == sorted(fractions) and heard[-1] == ("done", 1.0)
    assert {"read", "fit heads", "write"} <= {s for s, _ in heard}
    with pytest.raises(TrainingCancelled, match="training cancelled"):
        train_model([public, own], out_dir=tmp_path / "x", progress=False, min_positives=20,
                    on_progress=lambda stage, done: heard.append((stage, done)),
                    should_stop=lambda: heard[-1][0] == "featurise train")
    assert not (tmp_path / "x").exists()


def test_only_licence_cleared_training_files_are_picked_from_the_shared_folder(tmp_path):
    write(tmp_path / "davidson.csv", [{"text": "a", "toxicity": "1", "source": "davidson"}])
    write(tmp_path / "olid_train.csv", [{"text": "b", "toxicity": "0", "source": "olid"}])
    write(tmp_path / "olid_test.csv", [{"text": "c", "toxicity": "0", "source": "olid"}])
    write(tmp_path / "cad_reddit.csv", [{"text": "d", "toxicity": "1", "source": "cad_reddit", "split": "train"}],
          HEADER + ["split"])
    write(tmp_path / "bias_madlibs.csv", [{"text": "e", "toxicity": "0", "source": "bias_madlibs"}])
    write(tmp_path / "nc_corpus.csv", [{"text": "f", "toxicity": "1", "source": "some_nc_set"}])
    assert [p.name for p in trainable_files(tmp_path)] == ["davidson.csv", "olid_train.csv"]
    # A run also reads what it only measures on (its rows are never trained on: train_model leaves
    # them out), so a retrained version's card has the shipped one's out-of-domain figures.
    assert [p.name for p in training_run_files(tmp_path)] == ["cad_reddit.csv", "davidson.csv", "olid_train.csv"]



def test_a_folder_with_only_what_runs_measure_on_gives_a_run_nothing(tmp_path):
    write(tmp_path / "cad_reddit.csv", [{"text": "d", "toxicity": "1", "source": "cad_reddit", "split": "train"}],
          HEADER + ["split"])
    assert training_run_files(tmp_path) == []  # cad_reddit alone is nothing to train on


def test_a_sites_decisions_kept_to_measure_are_reported_apart_and_do_not_move_the_thresholds(tmp_path):
    """A data scientist's walk: their moderators approved rude comments the public labels call toxic;
    pooled into threshold selection those decisions moved toxicity's threshold to 0.999, and the
    candidate held almost nothing. The card said "800 labelled comments", not that none trained it.
    Here two runs differ only in the labels of the site's rows that fall in validation."""
    from classifiers.recipe import is_held_out

    texts = [f"{t} #{n}" for n, t in enumerate(SITE_REJECTS)] + [
        f"{o}{t}{c} #{n}" for n, (t, o, c) in enumerate(itertools.product(ABUSIVE, OPENERS, CLOSERS))]
    held = [t for t in texts if is_held_out(t)]
    public = write(tmp_path / "public.csv", public_rows())
    cards = []
    for flip in (False, True):
        rows = [{"text": t, "toxicity": str(int((t in held) == flip)) if t in held else "1",
                 "source": "site:daily-planet"} for t in texts]
        own = write(tmp_path / f"own-{flip}.csv", rows)
        cards.append(load_model(train_model([public, own], out_dir=tmp_path / f"out-{flip}", progress=False,
                                            min_positives=20, own_label_weight=2.0)).card)
    mine = cards[0]["training_data"]["own_labels"]["site:daily-planet"]
    assert (mine["trained_on"], mine["validation"]) == (len(texts) - len(held), len(held)) and held
    assert cards[0]["data"]["public_validation_rows"] == cards[0]["data"]["validation_rows"] - len(held)
    assert cards[0]["thresholds"] == cards[1]["thresholds"]
    assert cards[0]["metrics"]["validation_pooled"] == cards[1]["metrics"]["validation_pooled"]
    by_site = [card["metrics"]["validation_by_source"]["site:daily-planet"]["toxicity"] for card in cards]
    assert by_site[0] != by_site[1]  # reported, by source
