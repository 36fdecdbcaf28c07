"""Hashed word and character n-grams of normalised text: no vocabulary, so no comment text is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from classifiers.normalise import normalise

_WORD_PATTERN = r"(?u)\b\w+\b"
_WORD_RE = re.compile(_WORD_PATTERN)
_NON_SPACE_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class NgramHit:
    """One n-gram occurrence: its feature column, its weight in x, and its [start, end) in the normalised text."""

    column: int
    weight: float
    start: int
    end: int
    # Word bigrams span two words; they are split between them when explaining.
    word_spans: tuple[tuple[int, int], ...]


class CivilityFeatures(TransformerMixin, BaseEstimator):
    """Normalise, then hash word n-grams and within-word character n-grams into one sparse matrix.

    Each block is L2-normalised separately so long comments are not favoured, and each
    n-gram occurrence adds exactly `weight` to its column, which keeps linear scores additive
    over occurrences (see `hits`).
    """

    def __init__(
        self,
        word_bits: int = 18,
        char_bits: int = 19,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] = (2, 5),
        max_chars: int = 5000,
    ) -> None:
        self.word_bits = word_bits
        self.char_bits = char_bits
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.max_chars = max_chars

    @property
    def n_features(self) -> int:
        return (1 << self.word_bits) + (1 << self.char_bits)

    def _vectorisers(self) -> tuple[HashingVectorizer, HashingVectorizer]:
        common = dict(lowercase=False, alternate_sign=False, norm="l2", dtype=np.float32)
        word = HashingVectorizer(
            analyzer="word",
            token_pattern=_WORD_PATTERN,
            ngram_range=tuple(self.word_ngrams),
            n_features=1 << self.word_bits,
            **common,
        )
        char = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self.char_ngrams),
            n_features=1 << self.char_bits,
            **common,
        )
        return word, char

    def fit(self, texts: Sequence[str], y: object = None) -> "CivilityFeatures":
        self.n_features_out_ = self.n_features
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        cleaned = [normalise(t[: self.max_chars]) for t in texts]
        return self.transform_normalised(cleaned)

    def transform_normalised(self, cleaned: Sequence[str]) -> sp.csr_matrix:
        word, char = self._vectorisers()
        return sp.hstack([word.transform(cleaned), char.transform(cleaned)], format="csr")

    def hits(self, cleaned: str) -> list[NgramHit]:
        """Every n-gram occurrence in one normalised text, mirroring HashingVectorizer exactly."""
        word_size = 1 << self.word_bits
        char_size = 1 << self.char_bits
        raw: list[tuple[str, int, int, int, tuple[tuple[int, int], ...]]] = []

        tokens = [(m.group(0), m.start(), m.end()) for m in _WORD_RE.finditer(cleaned)]
        lo, hi = self.word_ngrams
        for n in range(lo, hi + 1):
            for i in range(len(tokens) - n + 1):
                gram = tokens[i : i + n]
                spans = tuple((s, e) for _, s, e in gram)
                raw.append((" ".join(t for t, _, _ in gram), 0, gram[0][1], gram[-1][2], spans))

        lo, hi = self.char_ngrams
        for m in _NON_SPACE_RE.finditer(cleaned):
            padded = " " + m.group(0) + " "
            base = m.start() - 1
            span = ((m.start(), m.end()),)
            for n in range(lo, hi + 1):
                offset = 0
                starts = [0]
                while offset + n < len(padded):
                    offset += 1
                    starts.append(offset)
                for k in starts:
                    gram = padded[k : k + n]
                    a = min(max(base + k, m.start()), m.end())
                    b = max(min(base + k + len(gram), m.end()), a)
                    raw.append((gram, 1, a, b, span))
                if len(starts) == 1:  # sklearn counts a word shorter than n only once
                    break

        counts: dict[tuple[int, int], int] = {}
        located: list[tuple[int, int, int, int, tuple[tuple[int, int], ...]]] = []
        for gram, block, a, b, spans in raw:
            size = word_size if block == 0 else char_size
            column = _hash_column(gram, size)
            counts[(block, column)] = counts.get((block, column), 0) + 1
            located.append((block, column, a, b, spans))
        norms = [0.0, 0.0]
        for (block, _), c in counts.items():
            norms[block] += c * c
        norms = [float(np.sqrt(v)) or 1.0 for v in norms]
        return [
            NgramHit(
                column=column + (0 if block == 0 else word_size),
                weight=1.0 / norms[block],
                start=a,
                end=b,
                word_spans=spans,
            )
            for block, column, a, b, spans in located
        ]


def _hash_column(gram: str, size: int) -> int:
    # Same arithmetic as sklearn's FeatureHasher (signed murmurhash3, seed 0, abs modulo).
    h = murmurhash3_32(gram.encode("utf-8"), seed=0, positive=False)
    if h == -(2**31):
        return (2**31 - 1 - (size - 1)) % size
    return abs(h) % size
