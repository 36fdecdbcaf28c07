from __future__ import annotations

import numpy as np
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


def test_it_matches_scikit_learns_hashing_vectorizers() -> None:
    features = CivilityFeatures(word_bits=12, char_bits=13).fit([])
    cleaned = [normalise(t) for t in TEXTS]
    common = dict(lowercase=False, alternate_sign=False, norm="l2", dtype=np.float32)
    word = HashingVectorizer(analyzer="word", token_pattern=r"(?u)\b\w+\b", ngram_range=(1, 2), n_features=1 << 12, **common)
    char = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=1 << 13, **common)
    expected = sp.hstack([word.transform(cleaned), char.transform(cleaned)], format="csr")
    assert abs(features.transform(TEXTS) - expected).max() < 1e-6


def test_ngram_hits_add_up_to_the_feature_vector() -> None:
    features = CivilityFeatures().fit([])
    for text in TEXTS:
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
