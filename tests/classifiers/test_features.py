from __future__ import annotations

import random

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer

from classifiers import ngram_cache
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


@pytest.mark.parametrize("word_ngrams", [(1, 1), (1, 2)])
@pytest.mark.parametrize("binary", [False, True])
def test_ngram_occurrences_add_up_to_the_feature_vector(binary: bool, word_ngrams: tuple[int, int]) -> None:
    features = CivilityFeatures(binary=binary, word_ngrams=word_ngrams).fit([])
    for text in TEXTS + ["idiot idiot idiot, you idiot"]:
        cleaned = normalise(text)
        columns, weights, _ = features.occurrences(cleaned)
        rebuilt = np.zeros(features.n_features)
        np.add.at(rebuilt, columns, weights)
        assert np.allclose(rebuilt, features.transform([text]).toarray()[0], atol=1e-6)


def test_each_occurrence_is_placed_at_a_word_it_spans() -> None:
    features = CivilityFeatures(word_bits=12, char_bits=13, word_ngrams=(1, 2)).fit([])
    columns, weights, starts = features.occurrences("you idiot, you")
    assert set(starts.tolist()) == {0, 4, 11}  # "you", "idiot," and the second "you"
    words = columns < (1 << 12)
    # Three unigrams, and two bigrams split between their two words each.
    assert sorted(starts[words].tolist()) == [0, 0, 4, 4, 4, 11, 11]
    # The bigram "you idiot" adds what the unigram "idiot" adds (each present once), half at each word.
    idiot, you_idiot = columns == columns[words][1], columns == columns[words][3]
    assert starts[you_idiot].tolist() == [0, 4]
    assert np.allclose(weights[you_idiot], weights[idiot] / 2)


def test_it_stores_no_text_in_the_estimator() -> None:
    features = CivilityFeatures().fit(TEXTS)
    features.transform(TEXTS)
    stored = repr(vars(features))
    assert "idiot" not in stored and "budget" not in stored


@pytest.mark.parametrize("word_ngrams", [(1, 1), (1, 2)])
def test_the_cached_fast_path_gives_the_hashing_vectorizers_matrix_batch_after_batch(word_ngrams: tuple[int, int]) -> None:
    # (1, 1) under `binary` takes the per-chunk cache; (1, 2) the general path. Both must be
    # exactly HashingVectorizer's output, sorted within rows (float32 sums depend on the order),
    # whether a chunk is new or cached, repeated within a comment or shared with other comments.
    features = CivilityFeatures(word_bits=12, char_bits=13, word_ngrams=word_ngrams, binary=True).fit([])
    texts = TEXTS + [
        "idiot idiot idiot, you idiot",
        "   ",
        "the cat and the hat, the end.\tthe\nend",
        "id10t idiot idiots l'idiot",
        "ab ab ba a b c d e",
    ]
    cleaned = [normalise(t) for t in texts] + ["a  b\tc\n", " x y x "]
    common = dict(lowercase=False, alternate_sign=False, norm="l2", dtype=np.float32, binary=True)
    word = HashingVectorizer(
        analyzer="word", token_pattern=r"(?u)\b\w+\b", ngram_range=word_ngrams, n_features=1 << 12, **common
    )
    char = HashingVectorizer(analyzer="char_wb", ngram_range=features.char_ngrams, n_features=1 << 13, **common)
    expected = sp.hstack([word.transform(cleaned), char.transform(cleaned)], format="csr")
    expected.sort_indices()
    for batch in (cleaned, cleaned[::-1][::-1], cleaned[3:] + cleaned[:3]):
        got = features.transform_normalised(batch)
        want = expected[[cleaned.index(t) for t in batch]]
        assert got.dtype == np.float32 and got.shape == want.shape
        for i in range(got.shape[0]):
            row = slice(got.indptr[i], got.indptr[i + 1])
            assert list(got.indices[row]) == sorted(set(got.indices[row]))
        assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
        assert np.allclose(got.data, want.data, rtol=0, atol=1e-7)
    # One comment alone takes a shorter path (`_one_row`): the same row as in a batch, to the bit.
    together = features.transform_normalised(cleaned)
    for i, text in enumerate(cleaned):
        alone, row = features.transform_normalised([text]), together[i]
        assert np.array_equal(alone.indices, row.indices) and np.array_equal(alone.data, row.data), text
    assert features.transform_normalised([]).shape == (0, features.n_features)


def test_threads_scoring_at_once_get_the_same_matrix_as_one_thread() -> None:
    from concurrent.futures import ThreadPoolExecutor

    features = CivilityFeatures(word_bits=12, char_bits=13).fit([])
    batches = [[normalise(t) + f" w{k} {i}" for t in TEXTS for k in range(20)] for i in range(8)]
    alone = [features.transform_normalised(b).toarray() for b in batches]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda b: features.transform_normalised(b).toarray(), batches * 4))
    assert all(np.array_equal(got, alone[i % 8]) for i, got in enumerate(together))



def random_chunks(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    ascii_letters, others = "abcxyz019'!.,#@$*-_", "éßжü中"
    return list(dict.fromkeys(
        "".join(rng.choice(ascii_letters + others if rng.random() < 0.2 else ascii_letters)
                for _ in range(rng.randint(1, 14)))
        for _ in range(count)
    ))


@pytest.mark.parametrize("ngrams", [(3, 5), (1, 3), (2, 7), (4, 6), (3, 9)])
def test_cached_chunk_columns_are_feature_hashers_columns(ngrams: tuple[int, int]) -> None:
    """ASCII chunks are hashed in numpy, others one n-gram at a time: both give what FeatureHasher gives."""
    chunks = random_chunks(3000, seed=4)
    words = FeatureHasher(n_features=1 << 10, input_type="string", alternate_sign=False)
    chars = FeatureHasher(n_features=1 << 12, input_type="string", alternate_sign=False)
    expected = sp.hstack([
        words.transform([ngram_cache.WORD_RE.findall(c) for c in chunks]),
        chars.transform([ngram_cache.char_ngrams(c, *ngrams) for c in chunks]),
    ], format="csr")
    got = ngram_cache.fill_chunk_cache({}, chunks, ngrams, 10, 12)
    for i, chunk in enumerate(chunks):
        assert ngram_cache.columns_of(got[chunk]).tolist() == expected.indices[expected.indptr[i] : expected.indptr[i + 1]].tolist(), chunk


def test_numpy_murmurhash_gives_feature_hashers_columns_for_any_table_size() -> None:
    chunks = [c for c in random_chunks(3000, seed=5) if c.isascii()]
    rows, columns = ngram_cache.ascii_char_columns(chunks, 3, 5, 1000)
    hasher = FeatureHasher(n_features=1000, input_type="string", alternate_sign=False)
    expected = hasher.transform([ngram_cache.char_ngrams(c, 3, 5) for c in chunks])
    for i in range(len(chunks)):
        want = expected.indices[expected.indptr[i] : expected.indptr[i + 1]]
        assert sorted(set(columns[rows == i].tolist())) == sorted(want.tolist())
