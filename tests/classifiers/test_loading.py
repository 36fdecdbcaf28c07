from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import skops.io as sio

from classifiers import DEFAULT_MODEL_PATH, UntrustedModelError, load_model
from classifiers.model import card_path_for


def _copy_card(source: Path, target: Path) -> None:
    shutil.copy(card_path_for(source), card_path_for(target))


def test_it_refuses_an_artifact_containing_an_untrusted_type(tiny_model_path: Path, tmp_path: Path) -> None:
    pipeline = sio.load(tiny_model_path, trusted=sio.get_untrusted_types(file=tiny_model_path))
    pipeline[0].payload = os.system  # what a tampered artifact would smuggle in
    tampered = tmp_path / "tampered.skops"
    sio.dump(pipeline, tampered)
    _copy_card(tiny_model_path, tampered)
    with pytest.raises(UntrustedModelError, match="system"):
        load_model(tampered)


def test_it_refuses_a_trusted_object_that_is_not_a_civility_pipeline(tiny_model_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.skops"
    sio.dump({"not": "a model"}, other)
    _copy_card(tiny_model_path, other)
    with pytest.raises(UntrustedModelError, match="not a civility pipeline"):
        load_model(other)


def test_it_refuses_a_file_that_is_not_an_artifact(tiny_model_path: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.skops"
    junk.write_bytes(b"definitely not a zip")
    _copy_card(tiny_model_path, junk)
    with pytest.raises(UntrustedModelError):
        load_model(junk)


def test_the_default_path_points_at_the_shipped_model() -> None:
    assert DEFAULT_MODEL_PATH.name == "civility.skops"
    assert DEFAULT_MODEL_PATH.parent.name == "models"


def test_the_shipped_model_tells_civil_from_abusive() -> None:
    model = load_model()
    civil, abusive = model.score(
        [
            "Thanks for the thoughtful article, I learned a lot about the city budget.",
            "You are a worthless idiot and I hope you die",
        ]
    )
    threshold = model.thresholds["toxicity"]
    assert civil["toxicity"] < threshold / 2
    assert abusive["toxicity"] > min(1.0, threshold + 0.2)
    assert (DEFAULT_MODEL_PATH.stat().st_size + card_path_for(DEFAULT_MODEL_PATH).stat().st_size) < 20_000_000


def test_it_refuses_estimators_that_skops_trusts_but_we_never_ship(tiny_model_path: Path, tmp_path: Path) -> None:
    from sklearn.linear_model import LogisticRegression

    pipeline = sio.load(tiny_model_path, trusted=sio.get_untrusted_types(file=tiny_model_path))
    pipeline[-1].smuggled = LogisticRegression()
    swapped = tmp_path / "swapped.skops"
    sio.dump(pipeline, swapped)
    _copy_card(tiny_model_path, swapped)
    with pytest.raises(UntrustedModelError, match="LogisticRegression"):
        load_model(swapped)
