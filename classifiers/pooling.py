"""Scoring a comment with its sentences: a share of the best sentence's score joins the whole comment's.

Features are normalised per comment, so one abusive sentence in a long, otherwise civil comment
weighs less the longer the comment is; Wikipedia talk comments and Reddit posts are long. Each
attribute's score is (1 - share) × the whole comment's + share × its highest-scoring sentence's,
for comments of more than one sentence. Chosen on the held-out splits (docs/recipe-history.md,
run 5): at share 0.25, at most 30 chunks a sentence, toxicity ROC AUC rose on every
Wikipedia, Reddit, Twitter and forum file (wiki_context 0.750 -> 0.80, jigsaw 0.956 -> 0.961,
olid_test 0.826 -> 0.831) and fell only on surge (139 rows, -0.005).

A sentence the model is sure of alone (`sure`, 0.98) in a comment of `sure_min_words` or more
words scores the comment at least as high: at a quarter's share, two friendly sentences around "You
are a complete idiot." (1.00 alone) left it at 0.31, and a red-team walk's padded abuse was held by
the model 13 times in 63 (38 with this). Shorter comments are left as they were: the whole
comment's score already reads them, and Twitter's short multi-sentence posts lost ROC AUC to it
(davidson 0.979 -> 0.977 with no length floor; 0.979 with it; docs/recipe-history.md, run 23).

A model's card says whether and how it pools (`card["scoring"]["sentence_pooling"]`), so a model
trained before this scores as it always did, and training chooses thresholds on the same scores
the service will give.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from classifiers.features import CivilityFeatures
from classifiers.floors import ScoreFloors
from classifiers.heads import MaskedLinearHeads
from classifiers.sentences import MAX_CHUNKS


@dataclass(frozen=True)
class SentencePooling:
    share: float = 0.25
    max_chunks: int = MAX_CHUNKS  # whitespace-separated chunks: a sentence that runs on is cut here
    # None: no sentence scores a comment alone (every card written before these two were).
    sure: float | None = 0.98
    sure_min_words: int = 30  # the comment's distinct words, as the features read them
    sure_min_sentence_words: int = 4  # ... and the sentence's
    # What a sentence alone raises a comment to at most: past every hold threshold, short of where a
    # site auto-rejects. Raised to 1.0, 90 of 120 civil comments recounting the abuse a reader suffered
    # reached 0.95 and a site auto-rejecting there rejected them unseen (a second re-check).
    sure_at_most: float = 0.9

    def __post_init__(self) -> None:
        if not 0.0 < self.share <= 1.0 or self.max_chunks < 1:
            raise ValueError(f"sentence pooling needs 0 < share <= 1 and max_chunks >= 1, got {self}")
        if self.sure is not None and (not 0.0 < self.sure <= 1.0 or self.sure_min_words < 1
                                      or self.sure_min_sentence_words < 1 or not 0.0 < self.sure_at_most <= 1.0):
            raise ValueError(f"sentence pooling needs 0 < sure <= 1 and sure_min_words >= 1, got {self}")

    @classmethod
    def from_card(cls, card: Mapping[str, Any]) -> SentencePooling | None:
        found = (card.get("scoring") or {}).get("sentence_pooling")
        if not found:
            return None
        try:
            share, max_chunks, sure = float(found["share"]), int(found["max_chunks"]), found.get("sure")
            if sure is None:
                return cls(share=share, max_chunks=max_chunks, sure=None)
            # A card that names no sentence length or ceiling scored without them, as it was trained.
            return cls(share=share, max_chunks=max_chunks, sure=float(sure),
                       sure_min_words=int(found.get("sure_min_words", 30)),
                       sure_min_sentence_words=int(found.get("sure_min_sentence_words", 1)),
                       sure_at_most=float(found.get("sure_at_most", 1.0)))
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"the card's scoring.sentence_pooling needs a share and max_chunks: {error!r}") from None

    def as_card(self) -> dict[str, Any]:
        rule = ("each attribute: (1 - share) x the whole comment's score + share x its highest-scoring "
                "sentence's, for comments of more than one sentence (classifiers/pooling.py)")
        if self.sure is not None:
            rule += ("; in a comment of sure_min_words distinct words or more, at least the score of a sentence "
                     "of sure_min_sentence_words distinct words or more where that reaches sure, up to sure_at_most "
                     "(thresholds are chosen on the scores without this)")
        return {"sentence_pooling": {**asdict(self), "rule": rule}}


def pooled_scores(
    features: CivilityFeatures, heads: MaskedLinearHeads, texts: Sequence[str], pooling: SentencePooling | None,
    floors: ScoreFloors | None = None,
) -> np.ndarray:
    """Calibrated probabilities per text, pooled with its sentences' as `pooling` says (None: the
    whole text's), then raised to the `floors` (classifiers/floors.py; None: none)."""
    scores = _pooled(features, heads, texts, pooling)
    return scores if floors is None else floors.apply(scores)


def _pooled(
    features: CivilityFeatures, heads: MaskedLinearHeads, texts: Sequence[str], pooling: SentencePooling | None
) -> np.ndarray:
    if pooling is None:
        return heads.predict_proba(features.transform_raw(texts))
    stacked, n_texts, owners = features.transform_raw_stacked(texts, pooling.max_chunks)
    every_row = heads.predict_proba(stacked)  # each row's scores are its own: the same to the bit as apart
    scores = every_row[:n_texts]
    if len(owners):
        order = np.argsort(owners, kind="stable")  # a text's sentences together
        owners = owners[order]
        firsts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        best = np.maximum.reduceat(every_row[n_texts:][order], firsts, axis=0)
        pooled = owners[firsts]
        mixed = (1.0 - pooling.share) * scores[pooled] + pooling.share * best
        if pooling.sure is not None and (best >= pooling.sure).any():  # most batches: no sentence is sure
            mixed = _with_sure_sentences(pooling, _words_read(stacked, features.word_bits), every_row, n_texts,
                                         order, firsts, pooled, mixed)
        scores[pooled] = mixed
    return scores


def _words_read(matrix, word_bits: int) -> np.ndarray:  # noqa: ANN001 - a CSR matrix
    """Each row's distinct words, as the features read them (its word columns; marks are not among
    them): "You are a complete idiot." reads 5."""
    is_word = np.r_[0, np.cumsum(matrix.indices < (1 << word_bits))]
    return is_word[matrix.indptr[1:]] - is_word[matrix.indptr[:-1]]


def _with_sure_sentences(pooling: SentencePooling, words: np.ndarray, every_row: np.ndarray, n_texts: int,
                         order: np.ndarray, firsts: np.ndarray, pooled: np.ndarray, mixed: np.ndarray) -> np.ndarray:
    """`mixed`, raised to each long comment's best sentence the model is sure of, at most to
    `sure_at_most`. Only sentences of `sure_min_sentence_words` or more count: "Damn it.", "This sucks."
    and "Rubbish." score 0.98 alone, and opening 40 civil words they had held 11 of 41 such comments (a
    re-check)."""
    sentence_words = words[n_texts:][order]
    eligible = np.where((sentence_words >= pooling.sure_min_sentence_words)[:, None], every_row[n_texts:][order], 0.0)
    best_sure = np.maximum.reduceat(eligible, firsts, axis=0)
    long = (words[pooled] >= pooling.sure_min_words)[:, None]
    raised = np.maximum(mixed, np.minimum(best_sure, pooling.sure_at_most))
    return np.where(long & (best_sure >= pooling.sure), raised, mixed)
