from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from classifiers import ATTRIBUTES, CivilityModel, load_model
from classifiers.datasets import read_labelled_csv
from classifiers.train import train_model

from classifier_fixtures import labelled_rows, write_csv


def test_it_reads_empty_label_cells_as_unknown_not_negative(tiny_csv: Path) -> None:
    data = read_labelled_csv(tiny_csv)
    insult = data.labels[:, ATTRIBUTES.index("insult")]
    assert np.isnan(insult).sum() == sum(1 for r in labelled_rows() if r["insult"] == "")
    assert np.isnan(data.labels[:, ATTRIBUTES.index("threat")]).all()
    assert not np.isnan(data.labels[:, ATTRIBUTES.index("toxicity")]).any()


def test_it_masks_unknown_labels_when_training(tiny_model: CivilityModel) -> None:
    rows = labelled_rows()
    counts = tiny_model.heads.label_counts_["insult"]
    # Known, or implied: a comment labelled not toxic is not an insult (classifiers/label_rules.py).
    known_in_all_rows = sum(1 for r in rows if r["insult"] != "" or r["toxicity"] == "0")
    assert known_in_all_rows < len(rows)
    # Training sees only the train split, so compare with that split's share of known rows.
    train_rows = tiny_model.card["data"]["train_rows"]
    assert counts["known"] < train_rows
    assert counts["known"] == pytest.approx(known_in_all_rows * train_rows / len(rows), rel=0.2)


def test_it_marks_attributes_without_enough_positives_as_insufficient(tiny_model: CivilityModel) -> None:
    assert tiny_model.attributes == ("toxicity", "insult")
    assert set(tiny_model.card["insufficient_data"]) == {"severe_toxicity", "identity_attack", "profanity", "threat"}


def test_it_scores_every_attribute_with_a_probability(tiny_model: CivilityModel) -> None:
    scores = tiny_model.score(["great reporting", "you stupid idiot", ""])
    assert len(scores) == 3
    for row in scores:
        assert set(row) == set(ATTRIBUTES)
        assert all(0.0 <= v <= 1.0 and not math.isnan(v) for v in row.values())
    assert tiny_model.score([]) == []


def test_it_separates_civil_from_abusive_comments(tiny_model: CivilityModel) -> None:
    civil, abusive = tiny_model.score(["thanks for the great article on the library", "you stupid worthless idiot"])
    assert civil["toxicity"] < tiny_model.thresholds["toxicity"] < abusive["toxicity"]


def test_it_records_sources_hashes_and_thresholds_in_the_card(tiny_model: CivilityModel, tiny_csv: Path) -> None:
    card = tiny_model.card
    (entry,) = card["data"]["files"]
    assert entry["file"] == tiny_csv.name and len(entry["sha256"]) == 64
    assert entry["label_counts"]["toxicity"]["known"] == len(labelled_rows())
    assert set(card["data"]["sources"]) == {"convabuse", "olid"}
    assert all("licence" in s and "attribution" in s for s in card["data"]["sources"].values())
    assert set(tiny_model.thresholds) == {"toxicity", "insult"}
    assert card["data"]["stores_comment_text"] is False


def test_its_version_is_stable_and_tied_to_the_artifact(tiny_model_path: Path) -> None:
    first, second = load_model(tiny_model_path), load_model(tiny_model_path)
    assert first.version == second.version
    assert first.version.startswith(first.card["trained_at"][:10].replace("-", "."))


def test_it_refuses_sources_without_a_known_licence(tmp_path: Path) -> None:
    rows = [{**r, "source": "mystery_forum"} for r in labelled_rows()]
    path = write_csv(tmp_path / "mystery.csv", rows)
    with pytest.raises(ValueError, match="mystery_forum"):
        train_model([path], out_dir=tmp_path, progress=False, min_positives=20)


def test_it_leaves_diagnostic_sources_out_of_training(tmp_path: Path) -> None:
    rows = labelled_rows() + [{"text": "respect everyone", "toxicity": "0", "source": "bias_madlibs"}] * 50
    path = write_csv(tmp_path / "mixed.csv", rows)
    model = load_model(train_model([path], out_dir=tmp_path, progress=False, min_positives=20))
    assert model.card["data"]["excluded"][0]["rows"] == 50
    assert model.card["data"]["files"][0]["rows"] == len(labelled_rows())


def test_it_validates_on_each_source_with_a_model_trained_on_the_others(tiny_csv: Path) -> None:
    from classifiers.validate import leave_one_source_out

    report = leave_one_source_out(read_labelled_csv(tiny_csv))
    assert set(report) == {"convabuse", "olid", "_mean_roc_auc", "_worst_roc_auc"}
    assert report["convabuse"]["n"] + report["olid"]["n"] == len(labelled_rows())
    assert report["_worst_roc_auc"] > 0.8


def test_source_weights_make_sources_count_equally_when_fully_balanced() -> None:
    from classifiers.weights import source_weights

    weights = source_weights(["a"] * 90 + ["b"] * 10, balance=1.0)
    assert weights[:90].sum() == pytest.approx(weights[90:].sum())
    assert source_weights(["a"] * 90 + ["b"] * 10, balance=0.0) == pytest.approx(np.ones(100))


def test_a_source_listed_at_half_weight_counts_half_as_much_as_one_its_size() -> None:
    from classifiers.sources import source_info
    from classifiers.train import row_weights

    assert source_info("hatexplain").weight == 0.5
    weights = row_weights(["hatexplain"] * 40 + ["olid"] * 40 + ["site:example.org"] * 40, 0.5, own_label_weight=2.0)
    assert weights[:40].sum() == pytest.approx(0.5 * weights[40:80].sum())
    assert weights[80:].sum() == pytest.approx(2.0 * weights[40:80].sum())  # a site's own labels: own_label_weight
    assert weights.mean() == pytest.approx(1.0)


def test_identity_words_alone_do_not_move_toxicity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every "gay" row here is abusive, so an unneutralised model learns that the word is toxic.
    rows = labelled_rows() + [{"text": f"gay idiot number {i}", "toxicity": "1", "source": "olid"} for i in range(40)]
    path = write_csv(tmp_path / "skewed.csv", rows)
    plain = load_model(train_model([path], out_dir=tmp_path / "plain", progress=False, min_positives=20, neutral_terms=None,
                                   neutral_word_only=()))
    neutral = load_model(train_model([path], out_dir=tmp_path / "neutral", progress=False, min_positives=20))
    text = ["i am gay"]
    assert plain.score(text)[0]["toxicity"] > neutral.score(text)[0]["toxicity"]
    assert neutral.explain("you gay idiot", ["toxicity"])["toxicity"][0]["text"] == "idiot"

    # The head's weight on the word, which the card no longer marks for toxicity (classifiers.explain).
    monkeypatch.setattr("classifiers.explain.GROUP_NAMES", frozenset())

    def gay_share(model: CivilityModel) -> float:
        spans = model.explain("you gay idiot", ["toxicity"], top_k=10, min_share=0.0, min_log_odds=0.0)["toxicity"]
        return sum(s["score"] for s in spans if s["text"] == "gay")

    # Only n-grams shared with other words (" ga", "ay ") are left to it.
    assert gay_share(neutral) < 0.25 * gay_share(plain)
    assert "gay" in neutral.card["identity_term_neutralisation"]["terms"]
    assert {"biden", "jews"} <= set(neutral.card["identity_term_neutralisation"]["terms"]
                                    + neutral.card["identity_term_neutralisation"]["word_only"])
