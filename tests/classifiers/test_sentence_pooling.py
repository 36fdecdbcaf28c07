"""A comment of several sentences is scored with its sentences: one abusive sentence is not diluted
by a long civil comment around it (classifiers/pooling.py)."""

from __future__ import annotations

import numpy as np
import pytest
from test_raw_chunk_path import CRAFTED, distinct_words, sentences_of, shared_texts

import classifiers.ngram_cache as ngram_cache
from classifiers import ATTRIBUTES, CivilityModel, load_model
from classifiers.features import CivilityFeatures
from classifiers.pooling import SentencePooling, pooled_scores

CIVIL = ("Thanks for the article, it was an interesting read. I think the council has a point about the "
         "budget. The new library opens next spring and the park will be renovated. My family has lived "
         "here for twenty years and we have seen many changes.")
ABUSE = "You are a stupid idiot."


@pytest.fixture()
def cold_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ngram_cache, "_RAW_CACHES", {})
    monkeypatch.setattr(ngram_cache, "_CHUNK_CACHES", {})


@pytest.mark.usefixtures("cold_caches")
@pytest.mark.parametrize("max_chunks", [3, 30])
def test_each_sentence_row_is_the_sentence_scored_alone(max_chunks: int) -> None:
    features = CivilityFeatures()
    # Spaced-out letters across sentences send a comment down the whole-text path; its sentences too.
    # Cut across by a sentence, its row is not the union of its sentences' (texts cut into sentences
    # otherwise take their rows from their sentences').
    texts = CRAFTED + ["fine. s t u p i d you are. ok", "Hi! \"Quoted.\" (Bracket.) end", "x. y. z.",
                       "ok then s t u p i d. yes", "so, R E A D A B O O K, friend"] + shared_texts()
    for start in range(0, len(texts), 256):
        batch = texts[start : start + 256]
        stacked, n_texts, owners = features.transform_raw_stacked(batch, max_chunks)
        whole, sentences = stacked[:n_texts], stacked[n_texts:]
        assert (whole != features.transform_raw(batch)).nnz == 0
        expected = [(i, s) for i, t in enumerate(batch) if len(parts := sentences_of(t, max_chunks)) > 1 for s in parts]
        order = np.argsort(owners, kind="stable")
        assert owners[order].tolist() == [i for i, _ in expected]
        alone = features.transform_raw([s for _, s in expected])
        assert sentences.shape == alone.shape and (sentences[order] != alone).nnz == 0


@pytest.mark.usefixtures("cold_caches")
@pytest.mark.parametrize("max_chunks", [3, 30])
def test_one_comment_alone_has_the_sentences_it_has_in_a_batch(max_chunks: int) -> None:
    """A comment scored alone takes its sentences from a loop over their ends, not the batch's numpy
    pass: each of its sentence rows must still be that sentence scored alone."""
    features = CivilityFeatures()
    texts = CRAFTED + ["fine. s t u p i d you are. ok", "x. y. z.", "one two three four", "end.", ""] + shared_texts()[:400]
    pooled = 0
    for text in texts:
        stacked, n_texts, owners = features.transform_raw_stacked([text], max_chunks)
        sentences = stacked[n_texts:]
        expected = sentences_of(text, max_chunks)
        if len(expected) < 2:
            assert sentences.shape[0] == 0 and len(owners) == 0
            continue
        pooled += 1
        assert owners.tolist() == [0] * len(expected)
        assert (sentences != features.transform_raw(expected)).nnz == 0
    assert pooled > 100


def test_the_loop_over_sentence_ends_cuts_a_batch_as_numpy_does() -> None:
    import itertools

    from classifiers import features as module

    rng = np.random.default_rng(0)
    for _ in range(200):
        counts = rng.integers(0, 70, size=int(rng.integers(1, 20))).tolist()
        codes = bytes(int(c) for c in rng.choice([0, 1, module.SENTENCE_END, module.SENTENCE_END | 2], size=sum(counts)))
        for max_chunks in (1, 3, 30):
            starts, lengths, owners, _ = module._sentences(counts, codes, max_chunks)
            runs = list(module._sentence_runs(counts, codes, max_chunks))
            assert owners.tolist() == [text for text, _, _, sizes in runs for _ in sizes]
            assert lengths.tolist() == list(itertools.chain.from_iterable(sizes for *_, sizes in runs))
            assert starts.tolist() == [start for _, first, _, sizes in runs
                                       for start in itertools.accumulate(sizes[:-1], initial=first)]


def test_scoring_texts_and_sentences_in_one_product_changes_no_score() -> None:
    """Pooling scores the texts' rows and the sentences' in one matrix product: every score must be
    the one each row gets scored apart, to the bit, so thresholds chosen in training still hold."""
    model: CivilityModel = load_model()
    batch = [f"{CIVIL} {ABUSE}", "One. Two, you idiot! Three?", ABUSE, "", *shared_texts()[:300]]
    stacked, n_texts, owners = model.features.transform_raw_stacked(batch, 30)
    assert n_texts == len(batch) and len(owners) == stacked.shape[0] - n_texts > n_texts
    together = model.heads.predict_proba(stacked)
    assert np.array_equal(together[:n_texts], model.heads.predict_proba(model.features.transform_raw(batch)))
    assert np.array_equal(together[n_texts:], model.heads.predict_proba(stacked[n_texts:]))


def test_one_abusive_sentence_in_a_long_civil_comment_raises_its_score() -> None:
    model: CivilityModel = load_model()
    assert model.pooling == SentencePooling()  # the shipped model pools (its card says so)
    text = f"{CIVIL} {ABUSE} Anyway, see you all at the meeting."
    pooled = model.predict_matrix([text])[0]
    whole = model.heads.predict_proba(model.features.transform_raw([text]))[0]
    best = model.heads.predict_proba(model.features.transform_raw(sentences_of(text, 30))).max(axis=0)
    mixed = 0.75 * whole + 0.25 * best
    # ... and a sentence it is sure of alone, of four words or more, in a comment this long, at least
    # that sentence's score, up to sure_at_most.
    pooling = model.pooling
    assert distinct_words(text) >= pooling.sure_min_words and distinct_words(ABUSE) >= pooling.sure_min_sentence_words
    raised = np.maximum(mixed, np.minimum(best, pooling.sure_at_most))
    assert np.allclose(pooled, np.where(best >= pooling.sure, raised, mixed))
    toxicity = ATTRIBUTES.index("toxicity")
    assert pooled[toxicity] > whole[toxicity] + 0.1
    # One sentence: nothing to pool with.
    assert np.array_equal(model.predict_matrix([ABUSE]), model.heads.predict_proba(model.features.transform_raw([ABUSE])))


def test_scores_in_a_batch_are_the_scores_one_at_a_time() -> None:
    model: CivilityModel = load_model()
    texts = [CIVIL, f"{CIVIL} {ABUSE}", ABUSE, "", "no sentence end here", f"{ABUSE} {ABUSE} ok."] + shared_texts()[:300]
    together = model.predict_matrix(texts)
    alone = np.vstack([model.predict_matrix([t]) for t in texts])
    assert np.abs(together - alone).max() <= 1e-9


def test_a_model_whose_card_says_nothing_of_pooling_scores_whole_comments(tiny_model: CivilityModel) -> None:
    assert tiny_model.card["scoring"]["sentence_pooling"]["share"] == 0.25  # training records it
    card = {k: v for k, v in tiny_model.card.items() if k != "scoring"}  # a model trained before pooling
    older = CivilityModel(tiny_model.pipeline, card, tiny_model.version)
    texts = [f"{CIVIL} {ABUSE}", "good. bad. fine."]
    assert older.pooling is None
    assert np.array_equal(older.predict_matrix(texts), tiny_model.heads.predict_proba(tiny_model.features.transform_raw(texts)))
    assert not np.array_equal(tiny_model.predict_matrix(texts), older.predict_matrix(texts))


@pytest.mark.parametrize("pooling", [{"share": 0.25}, {"share": "a quarter", "max_chunks": 30}, ["share"]])
def test_a_card_with_malformed_pooling_is_refused_by_name(pooling: object) -> None:
    with pytest.raises(ValueError, match="scoring.sentence_pooling"):
        SentencePooling.from_card({"scoring": {"sentence_pooling": pooling}})


def test_pooling_settings_are_checked() -> None:
    for share, max_chunks in ((0.0, 30), (1.5, 30), (0.25, 0)):
        with pytest.raises(ValueError):
            SentencePooling(share, max_chunks)
    pooled = pooled_scores(CivilityFeatures(), load_model().heads, [], SentencePooling())
    assert pooled.shape == (0, len(ATTRIBUTES))


INSULT = "You are a complete idiot."
PADDED = ("I read the whole piece this morning over coffee and I thought the section on the new library opening "
          "hours was genuinely useful, and the photographs of the refurbished reading room were lovely. "
          f"{INSULT} Anyway, thanks to the team for the coverage of the school fete and the charity run last "
          "weekend, it is always good to see local people doing good things for the community.")


def test_a_sentence_the_model_is_sure_of_holds_a_long_comment_whatever_surrounds_it() -> None:
    """A red-team walk: two friendly sentences around an insult the model scores 1.00 alone left the
    comment at 0.31, published; 27 of 63 padded insults were."""
    model: CivilityModel = load_model()
    heads, features = model.heads, model.features
    best = heads.predict_proba(features.transform_raw([INSULT]))[0]
    toxicity = ATTRIBUTES.index("toxicity")
    assert best[toxicity] >= 0.98 and len(PADDED.split()) >= 30
    quarter = pooled_scores(features, heads, [PADDED], SentencePooling(sure=None))[0]
    sure = pooled_scores(features, heads, [PADDED], SentencePooling())[0]
    assert quarter[toxicity] < 0.5 <= sure[toxicity]
    # Raised past every hold threshold, not to where a site auto-rejects: a second re-check found 90 of
    # 120 civil comments recounting abuse a reader suffered at 0.95 or more.
    assert sure[toxicity] == pytest.approx(min(best[toxicity], SentencePooling().sure_at_most))
    # Where no sentence reaches `sure`, or the comment is short, or the sure sentence is ("Damn it.",
    # "This sucks.": 0.98 alone, they had held 11 of 41 civil comments they opened: a re-check), the
    # quarter's share alone.
    for text in (CIVIL + " Anyway, see you all at the meeting. It was a fine evening.", f"Nice day. {INSULT} Bye.",
                 f"Damn it. {CIVIL}", f"This sucks. {CIVIL}", f"Rubbish. {CIVIL}"):
        assert np.array_equal(pooled_scores(features, heads, [text], SentencePooling()),
                              pooled_scores(features, heads, [text], SentencePooling(sure=None)))


def test_a_card_written_before_sure_sentences_scores_as_it_did() -> None:
    card = {"scoring": {"sentence_pooling": {"share": 0.25, "max_chunks": 30}}}
    assert SentencePooling.from_card(card) == SentencePooling(sure=None)
    written = {"scoring": SentencePooling().as_card()}
    assert SentencePooling.from_card(written) == SentencePooling()
