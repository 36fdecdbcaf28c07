"""Hashing normalised chunks to feature columns, and the per-process caches that make it fast.

A worker sees the same words again and again, so each distinct chunk (and each distinct raw word)
is normalised, n-grammed and hashed once; the caches are bounded so a long-running worker's memory
stays flat. Column arithmetic matches sklearn's FeatureHasher, so cached and uncached paths agree.
"""
from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.utils import murmurhash3_32

from classifiers.normalise import normalise

WORD_RE = re.compile(r"(?u)\b\w+\b")


def hash_column(gram: str, size: int) -> int:
    # Same arithmetic as sklearn's FeatureHasher (signed murmurhash3, seed 0, abs modulo).
    h = murmurhash3_32(gram.encode("utf-8"), seed=0, positive=False)
    if h == -(2**31):
        return (2**31 - 1 - (size - 1)) % size
    return abs(h) % size


_CHAR_CACHES: dict[tuple[int, int, int], dict[str, np.ndarray]] = {}
_CHAR_CACHE_LIMIT = 200_000


def char_cache(ngrams: tuple[int, int], bits: int) -> dict[str, np.ndarray]:
    key = (int(ngrams[0]), int(ngrams[1]), int(bits))
    cache = _CHAR_CACHES.setdefault(key, {})
    if len(cache) > _CHAR_CACHE_LIMIT:  # bounded memory on a long-running worker
        cache.clear()
    return cache


def char_ngrams(chunk: str, lo: int, hi: int) -> list[str]:
    """sklearn's char_wb n-grams of one chunk: padded with a space each side, a chunk shorter
    than n counted once and no longer n tried after that."""
    padded = " " + chunk + " "
    grams: list[str] = []
    for n in range(lo, hi + 1):
        last = len(padded) - n
        if last <= 0:
            grams.append(padded)
            break
        grams.extend([padded[i : i + n] for i in range(last + 1)])
    return grams


def fill_char_cache(
    cache: dict[str, np.ndarray], chunks: list[str], ngrams: tuple[int, int], bits: int
) -> dict[str, np.ndarray]:
    lo, hi = ngrams
    hasher = FeatureHasher(n_features=1 << bits, input_type="string", alternate_sign=False, dtype=np.float32)
    counts = hasher.transform([char_ngrams(c, lo, hi) for c in chunks])
    fresh: dict[str, np.ndarray] = {}
    for i, chunk in enumerate(chunks):
        row = slice(counts.indptr[i], counts.indptr[i + 1])
        fresh[chunk] = np.repeat(counts.indices[row], counts.data[row].astype(np.int64)).astype(np.int32)
    cache.update(fresh)
    return fresh


# The two caches below hold a chunk's columns as the bytes of an int32 array: a batch joins
# thousands of them, and b"".join is twice as fast as np.concatenate of as many arrays (a tenth
# of a warm batch), and a bytes object is a third of an array's size.
_CHUNK_CACHES: dict[tuple[int, int, int, int], dict[str, bytes]] = {}
_RAW_CACHES: dict[tuple[int, int, int, int], "RawChunkCache"] = {}
NO_COLUMNS = b""


def columns_of(joined: bytes) -> np.ndarray:
    """The int32 columns that cached chunks' bytes, joined, hold (read-only: a view of `joined`)."""
    return np.frombuffer(joined, dtype=np.int32)


def chunk_cache(ngrams: tuple[int, int], word_bits: int, char_bits: int) -> dict[str, bytes]:
    key = (int(ngrams[0]), int(ngrams[1]), int(word_bits), int(char_bits))
    cache = _CHUNK_CACHES.setdefault(key, {})
    if len(cache) > _CHAR_CACHE_LIMIT:  # bounded memory on a long-running worker
        cache.clear()
    return cache


# Joins chunks into one text for one `normalise` call: a chunk of its own that no step changes
# or calls back on ("_" is a word character, so not punctuation) and that no _SPACED run can
# cross (it is not a letter or digit), so every chunk is normalised as if alone.
_SEPARATOR = "_"


def normalise_chunks(chunks: list[str]) -> list[list[str]]:
    """`[normalise(c).split() for c in chunks]` for chunks none of whose neighbours _SPACED can reach,
    in one call: per-call overhead, not text, is most of normalising a single word."""
    joinable = [c for c in chunks if _SEPARATOR not in c]
    groups: list[list[str]] = [[]]
    for piece in normalise(f" {_SEPARATOR} ".join(joinable)).split() if joinable else []:
        if piece == _SEPARATOR:
            groups.append([])
        else:
            groups[-1].append(piece)
    # A chunk that maps to a lone "_" (U+FF3F does) adds a group, so a count that matches means
    # every group is one chunk's; when it does not, be right rather than fast.
    if len(groups) != max(len(joinable), 1):
        return [normalise(c).split() for c in chunks]
    found = dict(zip(joinable, groups))
    return [found[c] if c in found else normalise(c).split() for c in chunks]


class RawChunkCache:
    """Per raw chunk (as written, case and all): the columns of its normalised pieces, repeats
    allowed, and, only for the chunks whose code is not 0, its code: its spaced code
    (classifiers.normalise.spaced_code) and whether it ends a sentence (features.SENTENCE_END).
    Two plain dicts so a batch looks every chunk up in one C-level pass each."""

    __slots__ = ("columns", "codes")

    def __init__(self) -> None:
        self.columns: dict[str, bytes] = {}
        self.codes: dict[str, int] = {}

    def add(self, columns: dict[str, bytes], codes: dict[str, int]) -> None:
        # Codes first: a reader that finds a chunk's columns finds its spaced code too.
        self.codes.update(codes)
        self.columns.update(columns)


def raw_cache(ngrams: tuple[int, int], word_bits: int, char_bits: int) -> RawChunkCache:
    key = (int(ngrams[0]), int(ngrams[1]), int(word_bits), int(char_bits))
    cache = _RAW_CACHES.get(key)
    if cache is None or len(cache.columns) > _CHAR_CACHE_LIMIT:
        # Bounded memory on a long-running worker. Replaced, never cleared: a thread still
        # scoring with the old one keeps every chunk's columns and spaced code together.
        cache = _RAW_CACHES[key] = RawChunkCache()
    return cache


def fill_chunk_cache(
    cache: dict[str, bytes], chunks: list[str], ngrams: tuple[int, int], word_bits: int, char_bits: int
) -> dict[str, bytes]:
    """Per chunk: sorted distinct word columns, then char columns shifted past the word block,
    as the bytes of an int32 array."""
    lo, hi = ngrams
    word_size = 1 << word_bits
    word_hasher = FeatureHasher(n_features=word_size, input_type="string", alternate_sign=False, dtype=np.float32)
    # A chunk of letters and digits only (most) is one word: \w takes every character isalnum does.
    words = word_hasher.transform([[c] if c.isalnum() else WORD_RE.findall(c) for c in chunks])
    rows = [np.repeat(np.arange(len(chunks)), np.diff(words.indptr))]
    columns = [words.indices.astype(np.int64)]
    # The usual chunk is ASCII, and its n-grams are hashed all at once from the batch's bytes. Not
    # when a padded chunk can be shorter than the shortest n-gram (char_ngrams counts it once), nor
    # for n-grams of 8 bytes and more (_murmur3 takes one block).
    plain = np.fromiter(map(str.isascii, chunks), dtype=bool, count=len(chunks)) & (lo <= 3) & (hi <= 7)
    if plain.any():
        which = np.flatnonzero(plain)
        row, column = ascii_char_columns([chunks[i] for i in which], lo, hi, 1 << char_bits)
        rows.append(which[row])
        columns.append(column + word_size)
    if not plain.all():
        which = np.flatnonzero(~plain)
        char_hasher = FeatureHasher(n_features=1 << char_bits, input_type="string", alternate_sign=False, dtype=np.float32)
        chars = char_hasher.transform([char_ngrams(chunks[i], lo, hi) for i in which])
        rows.append(np.repeat(which, np.diff(chars.indptr)))
        columns.append(chars.indices.astype(np.int64) + word_size)
    # Distinct and sorted per chunk in one sort for the batch, as FeatureHasher gives each row.
    shift = (word_size + (1 << char_bits) - 1).bit_length()
    keys = np.sort((np.concatenate(rows).astype(np.int64) << shift) | np.concatenate(columns))
    distinct = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=distinct[1:])
    keys = keys[distinct]  # not np.unique: it hashes first, several times slower here than one sort
    flat = (keys & ((1 << shift) - 1)).astype(np.int32).tobytes()
    bounds = np.zeros(len(chunks) + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys >> shift, minlength=len(chunks)), out=bounds[1:])
    b = (bounds * 4).tolist()  # four bytes a column
    fresh = {chunk: flat[start:end] for chunk, start, end in zip(chunks, b, b[1:])}
    cache.update(fresh)
    return fresh


def ascii_char_columns(chunks: list[str], lo: int, hi: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(chunk index, column) of every char n-gram `char_ngrams` gives of ASCII chunks (lo <= 3), in
    FeatureHasher's columns: murmurhash3 (x86, 32-bit, seed 0) of every n-gram of the batch at once,
    in numpy, instead of a Python string and a hash call each."""
    text = " " + "  ".join(chunks) + " "  # each chunk padded with a space each side, back to back
    data = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    lengths = np.fromiter(map(len, chunks), dtype=np.int64, count=len(chunks)) + 2
    chunk_of = np.repeat(np.arange(len(chunks)), lengths)
    room = np.cumsum(lengths)[chunk_of] - np.arange(len(data))  # characters left in the chunk from here
    rows, columns = [], []
    for n in range(lo, hi + 1):
        starts = np.flatnonzero(room >= n)
        rows.append(chunk_of[starts])
        columns.append(_hashed_columns(_murmur3(data, starts, n), size))
    return np.concatenate(rows), np.concatenate(columns)


_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _murmur3(data: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """sklearn's murmurhash3_32(key, seed=0, positive=False) of the n bytes at each start, n <= 7."""
    b = [data[starts + i].astype(np.uint32) for i in range(n)]
    h = np.zeros(len(starts), dtype=np.uint32)
    if n >= 4:
        k = b[0] | (b[1] << np.uint32(8)) | (b[2] << np.uint32(16)) | (b[3] << np.uint32(24))
        h ^= _rotl(k * _C1, 15) * _C2
        h = _rotl(h, 13) * np.uint32(5) + np.uint32(0xE6546B64)
    tail = b[4:] if n >= 4 else b
    if tail:
        k = np.zeros(len(starts), dtype=np.uint32)
        for i, byte in enumerate(tail):
            k |= byte << np.uint32(8 * i)
        h ^= _rotl(k * _C1, 15) * _C2
    h ^= np.uint32(n)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def _hashed_columns(hashes: np.ndarray, size: int) -> np.ndarray:
    """`hash_column`'s arithmetic on an array of signed hashes."""
    wide = hashes.astype(np.int64)
    return np.where(wide == -(2**31), (2**31 - 1 - (size - 1)) % size, np.abs(wide) % size)
