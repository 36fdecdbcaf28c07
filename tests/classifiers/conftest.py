"""Session fixtures: a tiny CSV written to a tmp dir, a model trained on it, and the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest
from classifier_fixtures import labelled_rows, write_csv

from classifiers import CivilityModel, load_model
from classifiers.train import train_model


@pytest.fixture(scope="session")
def tiny_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(tmp_path_factory.mktemp("data") / "tiny.csv", labelled_rows())


@pytest.fixture(scope="session")
def tiny_model_path(tiny_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model")
    return train_model([tiny_csv], out_dir=out, progress=False, min_positives=20, validation_fraction=0.2)


@pytest.fixture(scope="session")
def tiny_model(tiny_model_path: Path) -> CivilityModel:
    return load_model(tiny_model_path)


@pytest.fixture(scope="session")
def shipped() -> CivilityModel:
    """The model in models/, as the service loads it by default."""
    return load_model()
