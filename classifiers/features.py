"""Hashed word and character n-grams of normalised text: no vocabulary, so no comment text is stored."""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Iterator, NamedTuple, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import FeatureHasher

from classifiers import ngram_cache
from classifiers.sentences import ENDS_SENTENCE
from classifiers.normalise import (
    SPACED_HEAD, SPACED_TAIL, SPACED_UNSAFE, SPACED_WHOLE, blank_before_split, is_simple_chunk, mapped_code, normalise,
    simple_chunks_normalised, spaced_code,
)

_NON_SPACE_RE = re.compile(r"\S+")


class _Sentences(NamedTuple):
    """Sentence rows for `_binary_matrix`: their chunks' columns, chunks per sentence, and the text
    each belongs to. The first `partitions` rows are sentences cut from their texts' own chunks, so
    together they hold exactly the chunks of their texts' rows."""

    arrays: list[bytes]
    counts: list[int]
    owners: np.ndarray
    partitions: int


_NO_SENTENCES = _Sentences([], [], np.empty(0, dtype=np.int64), 0)


class CivilityFeatures(TransformerMixin, BaseEstimator):
    """Normalise, then hash word n-grams and within-word character n-grams into one sparse matrix.

    Each block is L2-normalised separately so long comments are not favoured, and each
    n-gram occurrence adds exactly `weight` to its column, which keeps linear scores additive
    over occurrences (see `occurrences`).
    """

    def __init__(
        self,
        word_bits: int = 18,
        char_bits: int = 19,
        word_ngrams: tuple[int, int] = (1, 1),
        char_ngrams: tuple[int, int] = (3, 5),
        max_chars: int = 5000,
        binary: bool = True,
    ) -> None:
        self.word_bits = word_bits
        self.char_bits = char_bits
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.max_chars = max_chars
        self.binary = binary

    @property
    def n_features(self) -> int:
        return (1 << self.word_bits) + (1 << self.char_bits)

    def fit(self, texts: Sequence[str], y: object = None) -> "CivilityFeatures":
        self.n_features_out_ = self.n_features
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.transform_raw([t[: self.max_chars] for t in texts])

    def transform_normalised(self, cleaned: Sequence[str]) -> sp.csr_matrix:
        """Same matrix as HashingVectorizer(word) | HashingVectorizer(char_wb), each block L2-normalised.

        Character n-grams depend only on the whitespace-free chunk they sit in, so their columns
        are cached per chunk (in memory only, never persisted): most words of a new comment
        have been seen before, which makes scoring several times faster than hashing every
        n-gram of every comment.
        """
        if self.binary and tuple(self.word_ngrams) == (1, 1):
            return self._transform_binary_unigrams(cleaned)
        word_lo, word_hi = self.word_ngrams
        grams: list[list[str]] = []
        for text in cleaned:
            tokens = ngram_cache.WORD_RE.findall(text)
            row = tokens if word_lo == 1 else []
            for n in range(max(word_lo, 2), word_hi + 1):
                row = row + [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
            grams.append(row)
        hasher = FeatureHasher(n_features=1 << self.word_bits, input_type="string", alternate_sign=False, dtype=np.float32)
        words = hasher.transform(grams) if cleaned else sp.csr_matrix((0, 1 << self.word_bits), dtype=np.float32)

        cache = ngram_cache.char_cache(self.char_ngrams, self.char_bits)
        chunks_per_text = [text.split() for text in cleaned]
        known = {c: cache.get(c) for chunks in chunks_per_text for c in chunks}
        missing = sorted(c for c, columns in known.items() if columns is None)
        if missing:
            # Looked up from `known`, not the shared cache, which another thread may clear.
            known.update(ngram_cache.fill_char_cache(cache, missing, self.char_ngrams, self.char_bits))
        arrays = [known[c] for chunks in chunks_per_text for c in chunks]
        counts_per_text = _per_text_counts(chunks_per_text, np.array([len(x) for x in arrays], dtype=np.int64))
        indices = np.concatenate(arrays) if arrays else np.empty(0, dtype=np.int32)
        chars = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, np.r_[0, np.cumsum(counts_per_text)]),
            shape=(len(cleaned), 1 << self.char_bits),
        )
        chars.sum_duplicates()
        if self.binary:  # presence, not counts: a repeated insult is not twice as toxic
            words.data[:] = 1.0
            chars.data[:] = 1.0
        return sp.hstack([_l2_rows(words), _l2_rows(chars)], format="csr")

    def _transform_binary_unigrams(self, cleaned: Sequence[str]) -> sp.csr_matrix:
        """The shipped configuration (binary, word unigrams), without hashing per comment.

        Word unigrams never cross whitespace either, so each whitespace-free chunk caches the
        sorted, distinct columns of both its words and its character n-grams. A comment's
        columns are then the distinct union over its distinct chunks (one sort for the whole
        batch), and under `binary` every present column of a block weighs 1/sqrt(columns
        present in that block).
        """
        rows = self._normalised_columns([text.split() for text in cleaned])
        return self._binary_matrix([a for row in rows for a in row], [len(row) for row in rows])

    def transform_raw(self, texts: Sequence[str]) -> sp.csr_matrix:
        """`transform_normalised([normalise(t) for t in texts])`, normalising only chunks not seen before.

        Unless _SPACED could join two of a text's whitespace-free chunks (see `spaced_code`),
        its normalised chunks are those of its raw chunks normalised one by one, so each raw
        chunk (as written, case and all) caches its columns and skips `normalise` when it comes
        again. Texts where _SPACED might join chunks are normalised whole, as before.
        """
        if not (self.binary and tuple(self.word_ngrams) == (1, 1)):
            return self.transform_normalised([normalise(t) for t in texts])
        arrays, counts, _ = self._raw_rows(texts, None)
        return self._binary_matrix(arrays, counts)

    def transform_raw_stacked(self, texts: Sequence[str], max_chunks: int) -> tuple[sp.csr_matrix, int, np.ndarray]:
        """`transform_raw(texts)`, then a row for each sentence of the texts that have more than one:
        the same as `transform_raw` of that sentence's chunks joined by spaces. A sentence ends
        with a chunk that ends in ".", "!" or "?" (closing quotes or brackets after it allowed),
        and runs at most `max_chunks` chunks. Returns (the matrix, how many of its first rows are the
        texts', the text of each sentence row after them): a text's sentences are in order, but texts
        are not. One matrix and one product with the heads, not one for texts and one for sentences:
        for a long comment scored alone, that was a tenth of its time."""
        if not (self.binary and tuple(self.word_ngrams) == (1, 1)):
            raise ValueError("sentence rows need the binary word-unigram features")
        arrays, counts, sentences = self._raw_rows(texts, max_chunks)
        n_texts = len(counts)
        if not sentences.counts:
            return self._binary_matrix(arrays, counts), n_texts, sentences.owners
        shift = self._key_shift()
        sentence_keys = _distinct(_entry_keys(
            ngram_cache.columns_of(b"".join(sentences.arrays)), sentences.arrays, sentences.counts, shift))
        text_keys = _text_keys(arrays, counts, sentences, sentence_keys, shift)
        # Both sorted, and every sentence key after every text key once offset past the texts' rows.
        keys = np.concatenate([text_keys, sentence_keys + (n_texts << shift)])
        return self._keyed_matrix(keys, n_texts + len(sentences.counts), shift), n_texts, sentences.owners

    def _raw_rows(
        self, texts: Sequence[str], max_chunks: int | None
    ) -> tuple[list[bytes], list[int], _Sentences]:
        """Each text's chunks' cached columns and how many chunks each has (for `_binary_matrix`),
        and with `max_chunks` the same for the sentences of texts that have more than one."""
        cache = ngram_cache.raw_cache(self.char_ngrams, self.word_bits, self.char_bits)
        # A tag's attributes span chunks ("<span class='x'>"), as does a signature, so both go before the split.
        texts = [blank_before_split(text) for text in texts]
        split = [text.split() for text in texts]
        flat = list(itertools.chain.from_iterable(split))
        # One C-level pass per lookup for the whole batch: a dict, a list and a joined string of
        # codes per comment were a third of a batch's time when every chunk is cached.
        try:
            arrays = list(map(cache.columns.__getitem__, flat))
        except KeyError:
            columns = cache.columns
            # In no particular order: each chunk is normalised and hashed as if alone.
            self._fill_raw_cache(cache, list(set(flat).difference(columns)))
            arrays = list(map(columns.__getitem__, flat))
        counts = list(map(len, split))
        codes = bytes(map(cache.codes.get, flat, itertools.repeat(0)))
        whole = _crossing_texts(codes.translate(_SPACED_BITS), counts)
        sentences = _NO_SENTENCES
        if max_chunks is not None and flat:
            sentences = self._sentence_rows(flat, arrays, counts, codes, whole, max_chunks)
        if whole:
            redone = self._normalised_columns([normalise(texts[i]).split() for i in whole])
            starts = list(itertools.accumulate(counts, initial=0))
            for i, row in zip(reversed(whole), reversed(redone)):  # from the end, so `starts` stay right
                arrays[starts[i] : starts[i + 1]] = row
                counts[i] = len(row)
        return arrays, counts, sentences

    def _sentence_rows(
        self, flat: list[str], arrays: list[bytes], counts: list[int], codes: bytes, whole: list[int], max_chunks: int
    ) -> _Sentences:
        """The sentences of the texts that have more than one. A text normalised whole has its
        sentences scored as texts of their own, after the others."""
        if len(counts) == 1 and not whole:  # one comment alone (the Perspective endpoint, a quiet worker)
            run = next(_sentence_runs(counts, codes, max_chunks), None)
            if run is None:
                return _NO_SENTENCES
            sizes = run[3]
            return _Sentences(arrays, sizes, np.zeros(len(sizes), dtype=np.int64), len(sizes))
        starts, lengths, owners, text_of = _sentences(counts, codes, max_chunks)
        redo = np.isin(owners, whole)
        pooled = np.zeros(len(counts), dtype=bool)
        pooled[owners[~redo]] = True
        kept = list(itertools.compress(arrays, pooled[text_of].tolist()))
        sizes, texts_of = lengths[~redo].tolist(), owners[~redo]
        partitions = len(sizes)
        if redo.any():
            again = [" ".join(flat[a : a + n]) for a, n in zip(starts[redo].tolist(), lengths[redo].tolist())]
            more, more_sizes, _ = self._raw_rows(again, None)
            kept, sizes, texts_of = kept + more, sizes + more_sizes, np.r_[texts_of, owners[redo]]
        return _Sentences(kept, sizes, texts_of, partitions)

    def _fill_raw_cache(self, cache: ngram_cache.RawChunkCache, chunks: list[str]) -> None:
        """Per raw chunk: the columns of all its normalised pieces (repeats allowed), and its code
        (spaced code and SENTENCE_END)."""
        simple: list[str] = []  # most new chunks: no step but three can change them
        other: list[str] = []
        for chunk in chunks:
            (simple if is_simple_chunk(chunk) else other).append(chunk)
        texts, simple_pieces = simple_chunks_normalised(simple)
        ends = ENDS_SENTENCE.search
        codes = {c: code for c, t in zip(simple, texts) if (code := mapped_code(t) | (SENTENCE_END if ends(c) else 0))}
        codes.update((c, code) for c in other if (code := spaced_code(c) | (SENTENCE_END if ends(c) else 0)))
        # A chunk normalised only with its whole text gets no columns of its own.
        fresh = {c: ngram_cache.NO_COLUMNS for c, code in codes.items() if code & SPACED_UNSAFE}
        safe = [c for c in other if c not in fresh]
        pieces = simple_pieces + ngram_cache.normalise_chunks(safe)
        columns = ngram_cache.chunk_cache(self.char_ngrams, self.word_bits, self.char_bits)
        get = columns.get
        known = {p: get(p) for chunk_pieces in pieces for p in chunk_pieces}
        unseen = [p for p, found in known.items() if found is None]
        if unseen:
            # Looked up from `known`, not the shared cache, which another thread may clear.
            known.update(ngram_cache.fill_chunk_cache(columns, unseen, self.char_ngrams, self.word_bits, self.char_bits))
        for chunk, chunk_pieces in zip(simple + safe, pieces):
            # One piece is the usual case: share the normalised chunk's bytes instead of copying them.
            if len(chunk_pieces) == 1:
                fresh[chunk] = known[chunk_pieces[0]]
            else:  # "word," is "word" and ","
                fresh[chunk] = b"".join(map(known.__getitem__, chunk_pieces))
        cache.add(fresh, codes)

    def _normalised_columns(self, chunk_lists: list[list[str]]) -> list[list[bytes]]:
        """For each text's normalised chunks, the cached columns of its distinct chunks."""
        cache = ngram_cache.chunk_cache(self.char_ngrams, self.word_bits, self.char_bits)
        chunk_sets = [set(chunks) for chunks in chunk_lists]
        get = cache.get
        known: dict[str, bytes | None] = {c: get(c) for c in set().union(*chunk_sets)}
        missing = [c for c, columns in known.items() if columns is None]
        if missing:
            # Looked up from `known`, not the shared cache, which another thread may clear.
            known.update(ngram_cache.fill_chunk_cache(cache, missing, self.char_ngrams, self.word_bits, self.char_bits))
        return [[known[c] for c in chunks] for chunks in chunk_sets]

    def _binary_matrix(self, arrays: list[bytes], counts: list[int]) -> sp.csr_matrix:
        """Row i holds the union of the columns of its `counts[i]` cached chunks, taken in turn
        from `arrays`, each block weighted 1/sqrt(its columns)."""
        n_rows = len(counts)
        flat = ngram_cache.columns_of(b"".join(arrays))
        if not len(flat):
            return sp.csr_matrix((n_rows, self.n_features), dtype=np.float32)
        if n_rows == 1:
            return self._one_row(_distinct(flat))
        shift = self._key_shift()
        return self._keyed_matrix(_distinct(_entry_keys(flat, arrays, counts, shift)), n_rows, shift)

    def _key_shift(self) -> int:
        """Bits a column takes in a key: a key is (row << shift) | column."""
        return max(int(self.n_features - 1).bit_length(), 1)

    def _keyed_matrix(self, keys: np.ndarray, n_rows: int, shift: int) -> sp.csr_matrix:
        """The matrix of `n_rows` rows from sorted distinct keys, each block weighted 1/sqrt(its columns)."""
        word_size = 1 << self.word_bits
        indices = (keys & ((1 << shift) - 1)).astype(np.int32)
        # Where each row starts, and where its word columns (the lower ones) end, by binary search
        # in the sorted keys: a few per row instead of passes over every entry.
        row_keys = np.arange(n_rows + 1, dtype=np.int64) << shift
        indptr = np.searchsorted(keys, row_keys)
        words_end = np.searchsorted(keys, row_keys[:-1] | word_size)
        n_words = words_end - indptr[:-1]
        n_chars = indptr[1:] - words_end
        one = np.float32(1.0)
        word_weight = one / np.sqrt(np.maximum(n_words, 1).astype(np.float32))
        char_weight = one / np.sqrt(np.maximum(n_chars, 1).astype(np.float32))
        # Each row's word weight n_words times, then its char weight n_chars times.
        data = np.repeat(np.column_stack([word_weight, char_weight]).ravel(), np.column_stack([n_words, n_chars]).ravel())
        matrix = sp.csr_matrix((data, indices, indptr), shape=(n_rows, self.n_features))
        matrix.has_sorted_indices = True
        return matrix

    def _one_row(self, columns: np.ndarray) -> sp.csr_matrix:
        """`_binary_matrix` of one comment from its sorted distinct columns, in a handful of numpy
        calls instead of two dozen: one comment at a time (the Perspective endpoint, a worker's
        quiet minutes) is where those calls' own overhead is most of the time."""
        n_words = int(np.searchsorted(columns, 1 << self.word_bits))
        one = np.float32(1.0)
        data = np.empty(len(columns), dtype=np.float32)
        data[:n_words] = one / np.sqrt(np.float32(max(n_words, 1)))
        data[n_words:] = one / np.sqrt(np.float32(max(len(columns) - n_words, 1)))
        matrix = sp.csr_matrix((data, columns.astype(np.int32, copy=False), np.array([0, len(columns)])),
                               shape=(1, self.n_features))
        matrix.has_sorted_indices = True
        return matrix

    def occurrences(self, cleaned: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every n-gram occurrence in one normalised text, as explanations need them: three arrays
        with an entry per occurrence and word it spans (a word n-gram of n words is n entries,
        each with 1/n of its weight): the feature column, the weight it adds to that column of
        `transform`'s row, and where in `cleaned` that word starts. Summed by column, the weights
        are the row, exactly (HashingVectorizer's columns, each block L2-normalised).

        Character n-grams come from the per-chunk cache `transform` fills, so a held comment's
        words are not n-grammed and hashed again, one Python call per n-gram, to explain it:
        that was two thirds of explaining, and explaining a sixth of a worker's CPU in a surge."""
        word_size = 1 << self.word_bits
        tokens = [(m.group(0), m.start()) for m in ngram_cache.WORD_RE.finditer(cleaned)]
        lo, hi = self.word_ngrams
        word_columns: list[int] = []  # one per occurrence
        word_entries: list[tuple[int, int, float]] = []  # (occurrence, word start, share)
        for n in range(lo, hi + 1):
            for i in range(len(tokens) - n + 1):
                gram = tokens[i : i + n]
                for _, start in gram:
                    word_entries.append((len(word_columns), start, 1.0 / n))
                word_columns.append(ngram_cache.hash_column(" ".join(t for t, _ in gram), word_size))

        runs = [(m.group(0), m.start()) for m in _NON_SPACE_RE.finditer(cleaned)]
        cache = ngram_cache.char_cache(self.char_ngrams, self.char_bits)
        known = {chunk: cache.get(chunk) for chunk, _ in runs}
        missing = sorted(chunk for chunk, columns in known.items() if columns is None)
        if missing:
            # Looked up from `known`, not the shared cache, which another thread may clear.
            known.update(ngram_cache.fill_char_cache(cache, missing, self.char_ngrams, self.char_bits))
        arrays = [known[chunk] for chunk, _ in runs]
        char_columns = np.concatenate(arrays).astype(np.int64) if arrays else np.empty(0, dtype=np.int64)
        char_starts = np.repeat(np.array([start for _, start in runs], dtype=np.int64),
                                np.array([len(a) for a in arrays], dtype=np.int64))

        words = np.array(word_columns, dtype=np.int64)
        word_weight = self._occurrence_weights(words)
        entries = np.array(word_entries, dtype=np.float64).reshape(-1, 3)
        occurrence = entries[:, 0].astype(np.int64)
        columns = np.concatenate([words[occurrence], char_columns + word_size])
        weights = np.concatenate([word_weight[occurrence] * entries[:, 2], self._occurrence_weights(char_columns)])
        starts = np.concatenate([entries[:, 1].astype(np.int64), char_starts])
        return columns, weights, starts

    def _occurrence_weights(self, columns: np.ndarray) -> np.ndarray:
        """Each occurrence's share of its block's L2-normalised row: under `binary` a column
        present k times is 1/sqrt(distinct columns), shared among its k occurrences."""
        if len(columns) == 0:
            return np.empty(0, dtype=np.float64)
        _, inverse, counts = np.unique(columns, return_inverse=True, return_counts=True)
        if self.binary:
            return 1.0 / counts[inverse] / np.sqrt(len(counts))
        return np.full(len(columns), 1.0 / np.sqrt(float(np.sum(counts.astype(np.float64) ** 2))))


# A raw chunk's code (RawChunkCache.codes) is its spaced code (normalise.spaced_code), plus this
# bit when the chunk ends a sentence: a ".", "!" or "?", then perhaps closing quotes or brackets.
SENTENCE_END = 0b1000000
_SPACED_BITS = bytes(v & ~SENTENCE_END for v in range(256))  # bytes.translate table: the spaced code alone


def _entry_keys(flat: np.ndarray, arrays: list[bytes], counts: list[int], shift: int) -> np.ndarray:
    """A key, (row << shift) | column, for each of `flat`, the columns of `arrays` joined; rows
    numbered by `counts`, the chunks of each row in turn."""
    chunk_rows = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    entry_rows = np.repeat(chunk_rows, np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays)) >> 2)
    return (entry_rows << shift) | flat


def _text_keys(
    arrays: list[bytes], counts: list[int], sentences: _Sentences, sentence_keys: np.ndarray, shift: int
) -> np.ndarray:
    """The texts' sorted distinct keys. A text cut into sentences has the union of its sentences'
    columns, each sentence's distinct and sorted already (`sentence_keys`): merging those few long
    runs is cheaper than sorting all its chunks' columns again. The other texts take their chunks'."""
    partitioned = sentence_keys[: np.searchsorted(sentence_keys, sentences.partitions << shift)]
    from_sentences = (sentences.owners[partitioned >> shift] << shift) | (partitioned & ((1 << shift) - 1))
    by_chunks = np.ones(len(counts), dtype=bool)
    by_chunks[sentences.owners[: sentences.partitions]] = False
    if not by_chunks.any():  # every text cut into sentences, as a long comment scored alone is
        return _distinct(from_sentences)
    chunk_arrays = list(itertools.compress(arrays, np.repeat(by_chunks, counts).tolist()))
    by_chunk_keys = _entry_keys(ngram_cache.columns_of(b"".join(chunk_arrays)), chunk_arrays,
                                np.where(by_chunks, counts, 0).tolist(), shift)
    return _distinct(np.concatenate([by_chunk_keys, from_sentences]))


def _distinct(keys: np.ndarray) -> np.ndarray:
    """`keys` sorted, each once: distinct sorted columns per row, in one sort for the whole batch and
    no loop per row. Sorted like HashingVectorizer's output, so the heads' float32 sums add up in
    the same order as ever. numpy's default sort is a SIMD quicksort on x86 (AVX2, AVX-512), faster
    than timsort even though each cached chunk's columns are a sorted run already, and on 32-bit
    keys (as a batch's are, up to 4,096 rows with the shipped model's 20-bit columns) twice as fast again: together
    a sixth of a warm batch's time saved (bench/classifier.py)."""
    if len(keys) and int(keys.max()) < 1 << 32:
        keys = np.sort(keys.astype(np.uint32))
    else:
        keys = np.sort(keys)
    distinct = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=distinct[1:])
    return keys[distinct].astype(np.int64)


def _sentences(counts: list[int], codes: bytes, max_chunks: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where each sentence of the texts with more than one starts (an index into the batch's
    chunks), how many chunks it has and its text; and the text of every chunk. In numpy for the
    whole batch: a sentence starts a text, follows a chunk that ends one, or takes over after
    `max_chunks` chunks."""
    sizes = np.asarray(counts, dtype=np.int64)
    n_chunks = len(codes)
    text_of = np.repeat(np.arange(len(sizes)), sizes)
    text_ends = np.cumsum(sizes)
    begins = np.zeros(n_chunks, dtype=bool)
    begins[(text_ends - sizes)[sizes > 0]] = True
    begins[1:] |= (np.frombuffer(codes, dtype=np.uint8)[:-1] & SENTENCE_END) != 0
    # Chunks since the sentence began, to cut one longer than max_chunks.
    position = np.arange(n_chunks) - np.maximum.accumulate(np.where(begins, np.arange(n_chunks), 0))
    begins |= position % max_chunks == 0
    several = np.bincount(text_of[begins], minlength=len(sizes)) > 1
    starts = np.flatnonzero(begins & several[text_of])
    owners = text_of[starts]
    # A text's last sentence ends where the text does, not where the next such text's first begins.
    lengths = np.minimum(np.diff(np.r_[starts, n_chunks]), text_ends[owners] - starts)
    return starts, lengths, owners, text_of


def _sentence_runs(counts: list[int], codes: bytes, max_chunks: int) -> Iterator[tuple[int, int, int, list[int]]]:
    """`_sentences` by a loop over the sentence ends (one regex over the codes finds them): for each text
    with more than one sentence, the text, where its chunks start and end, and how many chunks each
    of its sentences has. For one comment alone, where `_sentences`' two dozen numpy calls were a
    tenth of a long comment's time; in a batch, where half the comments have sentences, slower."""
    ends = [match.start() for match in _ENDS_A_SENTENCE.finditer(codes)]
    first = 0
    for text, end in enumerate(itertools.accumulate(counts)):
        # The sentence ends inside the text; one on its last chunk ends nothing more.
        inside = ends[bisect.bisect_left(ends, first) : bisect.bisect_left(ends, end - 1)]
        if inside or end - first > max_chunks:  # most comments are neither
            starts: list[int] = []
            begin = first
            for last in inside:
                starts += range(begin, last + 1, max_chunks)
                begin = last + 1
            starts += range(begin, end, max_chunks)
            yield text, first, end, [b - a for a, b in zip(starts, starts[1:] + [end])]
        first = end


# A chunk's code with SENTENCE_END set, as a byte.
_ENDS_A_SENTENCE = re.compile(b"[" + re.escape(bytes(v for v in range(256) if v & SENTENCE_END)) + b"]")


# Over a batch's spaced codes as bytes (normalise.spaced_code): a chunk that ends in a run before one
# that starts with one (the lookahead finds every such place, overlapping or not), or a chunk unsafe
# alone. Only a comment with such a place can hold a _SPACED match across a space.
_JOINABLE = re.compile(
    b"[" + re.escape(bytes(v for v in range(64) if v & SPACED_TAIL)) + b"]"
    b"(?=[" + re.escape(bytes(v for v in range(64) if v & SPACED_HEAD)) + b"])|" + re.escape(bytes([SPACED_UNSAFE]))
)


def _crossing_texts(codes: bytes, counts: list[int]) -> list[int]:
    """The comments to normalise whole, from every chunk's spaced code, comment after comment
    (`counts` chunks each): those with a chunk unsafe alone, or where runs of neighbouring chunks
    add up to three letters or more across a space, as a _SPACED match needs."""
    if not _JOINABLE.search(codes):  # the usual batch
        return []
    starts = list(itertools.accumulate(counts, initial=0))
    candidates = {bisect.bisect_right(starts, match.start()) - 1 for match in _JOINABLE.finditer(codes)}
    return sorted(i for i in candidates if _run_crosses(codes[starts[i] : starts[i + 1]]))


def _run_crosses(codes: bytes) -> bool:
    """Whether one comment's chunks (their spaced codes, in order) hold a run of three or more
    lone letters or digits that crosses a space."""
    reaching = 0  # letters of a run that reaches this chunk from the ones before it
    for code in codes:
        if code & SPACED_UNSAFE:
            return True
        head = (code & SPACED_HEAD) >> 2
        if reaching and head:
            if reaching + head >= 3:
                return True
            if code & SPACED_WHOLE:  # the run goes on through this chunk
                reaching += head
                continue
        reaching = code & SPACED_TAIL
    return False


def _per_text_counts(chunks_per_text: list[list[str]], lengths: np.ndarray) -> np.ndarray:
    bounds = np.cumsum([0] + [len(c) for c in chunks_per_text])
    cumulative = np.r_[0, np.cumsum(lengths)]
    return cumulative[bounds[1:]] - cumulative[bounds[:-1]]


def _l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    squares = matrix.multiply(matrix).sum(axis=1).A1
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr)).astype(np.float32)
    return matrix
