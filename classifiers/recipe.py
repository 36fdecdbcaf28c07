"""Pieces of the v2 recipe: a stable held-out split, source domains, hashed TF-IDF, NB log-count ratios."""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

# Which kind of place each source's comments come from: validation leaves a whole domain out,
# because two files of one domain (two Wikipedia sets, two Civil Comments sets) share vocabulary
# and labelling habits, and leaving only one out would flatter every design.
DOMAINS = {
    "jigsaw2018": "wikipedia", "wiki_context": "wikipedia",
    "civil_sentences_weak": "news", "civil_spans": "news",
    "davidson": "twitter", "olid": "twitter",
    "hatexplain": "hate", "stormfront": "hate",
    "convabuse": "chatbot", "surge": "social",
}

HELD_OUT_PERCENT = 15


def is_held_out(text: str) -> bool:
    """The same 15 % of every file is held out by training and by bench/classifier.py: chosen by a
    hash of the whitespace-collapsed, lower-cased text, so a repeated comment is never on both sides."""
    key = " ".join(text.lower().split()).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(key, digest_size=4).digest(), "big") % 100 < HELD_OUT_PERCENT


class TfidfHashing:
    """Hashed word 1–2-grams and char_wb 2–5-grams of normalised text, sublinear TF, IDF, L2 per block.

    Only the IDF of each hashed column is learnt (document counts, no text), so an artifact
    built from it stores no comment text.
    """

    def __init__(self, word_bits: int = 20, char_bits: int = 20) -> None:
        self.word_bits, self.char_bits = word_bits, char_bits
        common = dict(alternate_sign=False, norm=None, lowercase=False, dtype=np.float32)
        self.word_hasher = HashingVectorizer(n_features=1 << word_bits, analyzer="word", ngram_range=(1, 2),
                                             token_pattern=r"(?u)\b\w+\b", **common)
        self.char_hasher = HashingVectorizer(n_features=1 << char_bits, analyzer="char_wb", ngram_range=(2, 5),
                                             **common)

    def counts(self, cleaned: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        return self.word_hasher.transform(cleaned), self.char_hasher.transform(cleaned)

    def fit_counts(self, words: sp.csr_matrix, chars: sp.csr_matrix) -> "TfidfHashing":
        self.word_idf_, self.char_idf_ = _idf(words), _idf(chars)
        return self

    def weigh(self, words: sp.csr_matrix, chars: sp.csr_matrix) -> sp.csr_matrix:
        return sp.hstack([_l2_rows(_sublinear(words, self.word_idf_)), _l2_rows(_sublinear(chars, self.char_idf_))],
                         format="csr")


def _idf(counts: sp.csr_matrix) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return (np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0).astype(np.float32)


def _sublinear(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    out = counts.copy()
    out.data = (1.0 + np.log(out.data)) * idf[out.indices]
    return out


def _l2_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms).dot(m).tocsr().astype(np.float32)


def log_count_ratio(X: sp.csr_matrix, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """NB-SVM's r = log((p/|p|₁)/(q/|q|₁)) over binarised features (Wang & Manning 2012)."""
    binary = X.copy()
    binary.data[:] = 1.0
    p = alpha + np.asarray(binary[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(binary[y == 0].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
