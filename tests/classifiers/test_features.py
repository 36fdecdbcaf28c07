from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from classifiers.features import CivilityFeatures
from classifiers.normalise import normalise

TEXTS = [
    "You are an id10t, a total idiot!",
    "hi",
    "a b",
    "",
    "Thanks for the thoughtful article; I learned a lot about the city budget.",
    "ｓｔｕｐｉｄ  café  stuuuupid",
    "x" * 40,
]


@pytest.mark.parametrize("binary", [False, True])
def test_it_matches_scikit_learns_hashing_vectorizers(binary: bool) -> None:
    features = CivilityFeatures(word_bits=12, char_bits=13, binary=binary).fit([])
    cleaned = [normalise(t) for t in TEXTS + ["idiot idiot idiot, you idiot"]]
    common = dict(lowercase=False, alternate_sign=False, norm="l2", dtype=np.float32, binary=binary)
    word = HashingVectorizer(
        analyzer="word", token_pattern=r"(?u)\b\w+\b", ngram_range=features.word_ngrams, n_features=1 << 12, **common
    )
    char = HashingVectorizer(analyzer="char_wb", ngram_range=features.char_ngrams, n_features=1 << 13, **common)
    expected = sp.hstack([word.transform(cleaned), char.transform(cleaned)], format="csr")
    assert abs(features.transform_normalised(cleaned) - expected).max() < 1e-6


@pytest.mark.parametrize("binary", [False, True])
def test_ngram_hits_add_up_to_the_feature_vector(binary: bool) -> None:
    features = CivilityFeatures(binary=binary).fit([])
    for text in TEXTS + ["idiot idiot idiot, you idiot"]:
        cleaned = normalise(text)
        rebuilt = np.zeros(features.n_features)
        for hit in features.hits(cleaned):
            rebuilt[hit.column] += hit.weight
        assert np.allclose(rebuilt, features.transform([text]).toarray()[0], atol=1e-6)


def test_it_stores_no_text_in_the_estimator() -> None:
    features = CivilityFeatures().fit(TEXTS)
    features.transform(TEXTS)
    stored = repr(vars(features))
    assert "idiot" not in stored and "budget" not in stored
