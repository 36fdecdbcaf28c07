"""The raw-chunk fast path (`transform_raw`) must give exactly what normalising whole texts gives."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

import classifiers.ngram_cache as ngram_cache
from classifiers import CivilityModel, load_model
from classifiers.bidi import may_reorder
from classifiers.datasets import read_labelled_csv
from classifiers.features import CivilityFeatures
from classifiers.normalise import blank_before_split, normalise

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
SHARED_FILES = ("olid_test.csv", "davidson.csv", "jigsaw_train_pieces.csv", "hatecheck.csv", "wiki_context.csv")
ROWS_PER_FILE = 800

# Obfuscation that crosses chunks, chunks that vanish or split when mapped, and the separator
# the fast path joins unseen chunks with.
CRAFTED = [
    "you are a s t u p i d person", "S T U P I D", "s-t-u-p-i-d", "s_t_u_p_i_d", "a s.t.u.p.i.d",
    "I a m here", "i a m", "a b c", "1 2 3 go", "ok. b c", "is a 3-way deal", "x y", "u r a f a g",
    "sss ttt uuu ppp iii ddd", "aaa b c", "a bbb c", "f*ck you", "sh!t", "id10t", "$hit", "b1tch!!",
    "#tag @user $5 covid19", "hello!!! world...", "\u200b", "a \u200b b \u200b c", "x \u00a8y z",
    "\ufdfa", "a\ufdfa b", "tab\there\nnew\x1cline", "nbsp\u00a0here", "\x00", "a \x00 b", "a\x00b c",
    "\uff3f", "a.\uff3f b", "a\uff3f b", "іdіот ѕтuріd", "ᴀ ʙ ᴄ", "Ｆｕｃｋ ｙｏｕ", "a - b - c", "a-b c-d", "x  y   z", "", "   ", "¨ a b",
    "it's a b c", "it's a great day", "I'm a u r", "a.b c", "x a_b", "s.t u.p.i.d", "ab.c d e", "_a b c", "a b.cd e",
    "it's a", "a.b.c", "o'k a b", "1 2", "x.y z.w",
    # HTML character references, some decoding to whitespace or to nothing a chunk can hold alone
    "don&#39;t", "Tom &amp; Jerry", "&gt;quoted", "a&nbsp;b c", "s&#32;t&#32;u p i d", "x &#10; y", "&#9;@user:",
    "&notanentity; ok", "f&#42;ck", "&#128514;&#128514;", "&#0;", "a&#8203;b c", "&AMP;&amp;", "&#x41;&#X42; c",
    # A star that opens a word is a mask or, closed by a later chunk's star, emphasis
    "*at least* once", "in short, *it is nonsense*.", "**hit once**, taken", "*ick and sh**", "*1t is clear* ok",
    "a *sigh* b", "my *ucking ip.", "(*it's not) his *fault*", "*at " * 3,
    # Runs of mask characters are not collapsed as other repeats are
    "a f*** off", "sh*** happens", "BULL****!", "*** NEWS ***", "###### x", "f%%%k u", "a**** b***",
    "she *loves the shit* out", "a *massive* a** x", "REEE***", "a $10k raise", "$h1t",
    # One separator throughout a spaced word
    "a U.S. citizen", "it's a 2 month", "a 4-3 lead", "a s t.u p i d", "x a.b c d e", "(s t u p i d)",
    "don\u2019t you\u2019re", "\u2018quoted\u2019 s t\u2019 u p",
    # Camel-case hashtags are parted into words, one of which may be a lone letter
    "#BuildTheWall now", "#ThisIsA b c", "x #IAmA b c", "a #BlackLivesMatter!", "#pRoBLeMAtiC", "#NYTimes",
    # A pipe is markup, and a run of "!" between letters two words unless it masks a word
    "talk|contribs", "a|b c", "chance!!!!!after", "n!!!gger", "a!!!b!!!c", "!!!!b", "x!!!!", "|i|",
    # A right-to-left override reorders the chunks after it, into the next ones
    "Someone should \u202etoohs\u202c the mayor.", "\u202e.toidi diputs a era uoY\u202c", "a \u202e b c", "\u202e",
    "x\u202eab\ncd ef", "a \u202eb \u202dcd ef\u202c g\u202c h",
    # ... and so do right-to-left marks in an embedding, or opening a Latin text
    "I will \u202bl\u200fl\u200fi\u200fk\u202c you", "Someone should \u202bmayor\u200f the\u200f shoot\u202c.",
    "\u200fl\u200fl\u200fi\u200fk now", "a \u2067b\u061cc\u2069 d", "x\u202eab\n\ncd ef",
]


def shared_texts() -> list[str]:
    """Real comments from the shared files; where a clone has none beside it, comments built from
    the crafted cases and common words, mangled the ways real ones are, so the test never skips."""
    texts: list[str] = []
    for name in SHARED_FILES:
        if (SHARED / name).exists():
            rows = read_labelled_csv(SHARED / name).texts
            texts += rows[:: max(len(rows) // ROWS_PER_FILE, 1)][:ROWS_PER_FILE]
    return texts or made_up_comments(MADE_UP)


# Made-up comments hold the crafted cases, bidi controls among them, so half are laid out by the bidi
# algorithm (a few ms each): 4,000 of them cost a clone with no shared data beside it (CI, a fresh
# clone in /tmp) four minutes of the suite; a thousand mix the same pieces as many ways.
MADE_UP = 1000


WORDS = ("you", "are", "an", "idiot", "stupid", "this", "article", "is", "great", "thanks", "for", "sharing",
         "what", "a", "joke", "shut", "up", "I", "love", "it", "don't", "agree", "loser", "fuck", "shit", "the",
         "government", "people", "women", "muslims", "gay", "black", "police", "kill", "yourself", "nice", "work")
MANGLES = (str.upper, str.title, lambda w: w + "!!!", lambda w: w + ".", lambda w: " ".join(w),
           lambda w: w.replace("i", "1").replace("o", "0"), lambda w: w.replace("s", "$"),
           lambda w: w[:1] + "*" + w[2:], lambda w: w + w[-1] * 3, lambda w: "\u200b".join(w), lambda w: "#" + w,
           lambda w: w.replace("a", "\u0430").replace("e", "\u0435"))


def made_up_comments(count: int) -> list[str]:
    import random

    rng = random.Random(9)
    pieces = list(WORDS) + [c for c in CRAFTED if c.strip()]
    texts = []
    for _ in range(count):
        words = [rng.choice(pieces) for _ in range(rng.randint(1, 40))]
        words = [rng.choice(MANGLES)(w) if rng.random() < 0.3 else w for w in words]
        texts.append(rng.choice((" ", "  ", "\n", " - ")).join(words))
    return texts


def reference_matrix(features: CivilityFeatures, texts: list[str]) -> object:
    # The features read a text without its talk-page signatures, which `normalise` keeps for the rules.
    return features.transform_normalised([normalise(blank_before_split(t)) for t in texts])


def sentences_of(text: str, max_chunks: int) -> list[str]:
    """classifiers.pooling's sentences, written plainly: a sentence ends with a chunk ending in . ! or ?
    (closing quotes or brackets after it allowed), or after max_chunks chunks; HTML tags and
    talk-page signatures are the spaces they are read as."""
    found, current = [], []
    for chunk in blank_before_split(text).split():
        current.append(chunk)
        if re.search(r"""[.!?]["')\]]*$""", chunk) or len(current) == max_chunks:
            found.append(" ".join(current))
            current = []
    if current:
        found.append(" ".join(current))
    return found


def distinct_words(text: str, features: CivilityFeatures | None = None) -> int:
    """The distinct words and marks the features read in `text`: its row's word columns."""
    features = features or CivilityFeatures()
    return int(np.count_nonzero(reference_matrix(features, [text]).indices < (1 << features.word_bits)))


def reference_scores(model: CivilityModel, texts: list[str]) -> np.ndarray:
    """What the model answers, from whole texts normalised whole and each sentence scored alone,
    raised to the card's floors."""
    scores = model.heads.predict_proba(reference_matrix(model.features, texts))
    if model.pooling is not None:
        for i, text in enumerate(texts):
            if len(sentences := sentences_of(text, model.pooling.max_chunks)) > 1:
                best = model.heads.predict_proba(reference_matrix(model.features, sentences)).max(axis=0)
                mixed = (1 - model.pooling.share) * scores[i] + model.pooling.share * best
                pooling = model.pooling
                if pooling.sure is not None and distinct_words(text, model.features) >= pooling.sure_min_words:
                    # A sentence it is sure of, of enough words, in a comment long enough.
                    counted = [s for s in sentences if distinct_words(s, model.features) >= pooling.sure_min_sentence_words]
                    if counted:
                        sure = model.heads.predict_proba(reference_matrix(model.features, counted)).max(axis=0)
                        mixed = np.where(sure >= pooling.sure, np.maximum(mixed, np.minimum(sure, pooling.sure_at_most)),
                                         mixed)
                scores[i] = mixed
    return scores if model.floors is None else model.floors.apply(scores)


def assert_same_matrix(features: CivilityFeatures, texts: list[str]) -> None:
    fast, slow = features.transform_raw(texts), reference_matrix(features, texts)
    fast.sort_indices(), slow.sort_indices()
    assert np.array_equal(fast.indptr, slow.indptr)
    assert np.array_equal(fast.indices, slow.indices)
    assert np.array_equal(fast.data, slow.data)


@pytest.fixture()
def cold_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ngram_cache, "_RAW_CACHES", {})
    monkeypatch.setattr(ngram_cache, "_CHUNK_CACHES", {})


@pytest.mark.usefixtures("cold_caches")
def test_crafted_obfuscation_gives_the_same_matrix_one_by_one_and_together() -> None:
    features = CivilityFeatures()
    for text in CRAFTED:
        assert_same_matrix(features, [text])
    assert_same_matrix(features, CRAFTED)  # now every chunk is cached
    assert_same_matrix(features, [" ".join(CRAFTED), "\n".join(CRAFTED[::-1])])


@pytest.mark.usefixtures("cold_caches")
def test_real_comments_give_the_same_matrix_cold_and_warm() -> None:
    features = CivilityFeatures()
    texts = shared_texts()
    for start in range(0, len(texts), 256):
        assert_same_matrix(features, texts[start : start + 256])
    assert_same_matrix(features, texts[::-1][:1000])


@pytest.mark.usefixtures("cold_caches")
def test_the_shipped_model_scores_real_comments_as_the_reference_path_does() -> None:
    model: CivilityModel = load_model()
    # Texts longer than one window are scored in windows, which the reference below does not do.
    texts = [t for t in shared_texts() + CRAFTED if len(t) <= model.window_size]
    for start in range(0, len(texts), 256):
        batch = texts[start : start + 256]
        assert np.abs(model.predict_matrix(batch) - reference_scores(model, batch)).max() <= 1e-6


def test_a_batch_too_many_rows_for_32_bit_keys_scores_as_small_batches_do() -> None:
    model: CivilityModel = load_model()
    # Keys, not layout, are under test: texts bidi reorders are left out (they cost a batch of 5,000 a minute).
    texts = [t for t in shared_texts() if len(t) <= model.window_size and not may_reorder(t)]
    texts = (texts * (5000 // len(texts) + 1))[:5000]  # past 4,096 rows, where a row and a column no longer fit in 32 bits
    assert len(texts) << model.features._key_shift() >= 1 << 32
    small = np.concatenate([model.predict_matrix(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    assert np.array_equal(model.predict_matrix(texts), small)


def test_unseen_chunks_normalised_together_come_out_as_if_normalised_alone() -> None:
    chunks = ["a.\uff3f", "y", "\uff3f", "x\uff3f", "hello!!", "it's", "a\u00a8b", "s.t.u.p.i.d", "id10t", "f*ck", "a_b"]
    for group in (chunks, chunks[:2], chunks[3:], chunks[4:]):
        assert ngram_cache.normalise_chunks(group) == [normalise(c).split() for c in group]


@pytest.mark.usefixtures("cold_caches")
def test_threads_get_the_same_matrices_while_the_caches_keep_filling_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """With room for a few dozen chunks, the caches are replaced over and over while other threads
    still score with the old ones: every thread must still get the reference matrix."""
    from concurrent.futures import ThreadPoolExecutor

    features = CivilityFeatures()
    texts = made_up_comments(640) + CRAFTED
    batches = [texts[i : i + 40] for i in range(0, len(texts), 40)]
    expected = [reference_matrix(features, b) for b in batches]
    monkeypatch.setattr(ngram_cache, "_CHAR_CACHE_LIMIT", 30)
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often, so one replaces a cache while another reads it
    try:
        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(features.transform_raw, batches * 3))
    finally:
        sys.setswitchinterval(switching)
    for i, matrix in enumerate(got):
        want = expected[i % len(batches)]
        assert np.array_equal(matrix.indptr, want.indptr) and np.array_equal(matrix.indices, want.indices)
        assert np.array_equal(matrix.data, want.data)


def test_only_comments_where_spaced_letters_could_join_across_a_space_are_normalised_whole() -> None:
    """A _SPACED match across a space takes three lone letters or more; fewer are left alone, so
    "it's a great day" (s, a) is normalised chunk by chunk and only "it's a b c" as a whole."""
    from classifiers.features import _crossing_texts
    from classifiers.normalise import spaced_code

    texts = ["it's a great day", "it's a b c", "a.b c", "x a", "I'm a u r", "ab.c d", "a b.cd e", "x.y z.w", "ok \u200b now"]
    chunks = [t.split() for t in texts]
    codes = bytes(spaced_code(c) for cs in chunks for c in cs)
    assert _crossing_texts(codes, [len(cs) for cs in chunks]) == [1, 2, 4, 7, 8]
