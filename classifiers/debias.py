"""Identity-term neutralisation: identity words alone should not move toxicity or insult scores.

Training data ties words such as "gay", "muslim" or "queer" to abuse because abuse mentions
them, so a bag-of-n-grams model flags "I am a proud queer woman" (Dixon et al. 2018). We zero
the weights of each identity word's own features - its word column and its character n-grams
of four or more letters - in the heads where identity is not the point. identity_attack keeps
them: there the target group is part of what the label means.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from classifiers.features import CivilityFeatures
from classifiers.ngram_cache import char_ngrams, hash_column
from classifiers.heads import MaskedLinearHeads

NEUTRALISED_HEADS: tuple[str, ...] = ("toxicity", "insult")


def identity_columns(features: CivilityFeatures, terms: Iterable[str]) -> np.ndarray:
    """Feature columns that belong to the identity words themselves (short n-grams like 'th' are
    shared with everything and stay)."""
    word_size = 1 << features.word_bits
    columns: set[int] = set()
    for term in terms:
        for word in term.lower().split():
            columns.add(hash_column(word, word_size))
            for gram in char_ngrams(word, *features.char_ngrams):
                if len(gram.strip()) >= 4 or gram.strip() == word:
                    columns.add(word_size + hash_column(gram, 1 << features.char_bits))
    return np.array(sorted(columns), dtype=np.int64)


def neutralise_identity_terms(
    features: CivilityFeatures,
    heads: MaskedLinearHeads,
    terms: Sequence[str],
    attributes: Sequence[str] = NEUTRALISED_HEADS,
) -> dict[str, object]:
    """Zero identity-word weights in `attributes`' heads in place; returns what was done, for the card."""
    columns = identity_columns(features, terms)
    changed = [a for a in attributes if a in heads.attributes_]
    for attribute in changed:
        heads.weights_[columns, heads.attributes_.index(attribute)] = 0.0
    return {"heads": changed, "terms": list(terms), "columns_zeroed": int(len(columns))}
