"""Speed work on the scoring path (issue 9) must not move a score: awkward texts, scored in batches
and alone, give the very scores the shipped model gave them before that work (a hash of every
score's bits), and a batch gives what each text alone gives."""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest

from classifiers import CivilityModel, load_model, ngram_cache

# The shipped model's scores of `awkward_texts()`, in one batch, measured at 4557e4cc (before the speed
# work): sha256 of the float64 matrix's bytes. Another model scores otherwise, so it has its own.
SCORES_BEFORE = {
    "2026.12.06-fb101539": "87287252722d59ea7964d7a5a97856de5c08f29970dc42ddfe51392e64a5a105",
}

RLO, PDF, RLE, RLI, FSI, PDI, RLM = "\u202e", "\u202c", "\u202b", "\u2067", "\u2068", "\u2069", "\u200f"


def awkward_texts() -> list[str]:
    """Bidi controls and right-to-left scripts, zero-width characters, emoji, long words, mixed
    scripts, and texts of 20,000 characters, alone and mixed, with ordinary comments between."""
    rng = random.Random(9)
    pieces = [
        f"Someone should {RLO}toohs{PDF} the mayor.", f"{RLO}.toidi diputs a era uoY{PDF}",
        f"I will {RLE}l{RLM}l{RLM}i{RLM}k{PDF} you", f"a {RLI}b\u061cc{PDI} d", f"{FSI}\u05e9\u05dc\u05d5\u05dd{PDI} you idiot",
        "\u05ea\u05d5\u05d3\u05d4! I will find you and kill you.", "\u0645\u0631\u062d\u0628\u0627 \u0628\u0643\u0645 friends, 2024",
        "first line\n\u200f\u05e9\u05dc\u05d5\u05dd\n\nsecond paragraph", "<p>\u202euoy llik</p><br>ok",
        "k\u200bi\u200bl\u200bl you", "s\u00adt\u00adu\u00adp\u00adi\u00add", "zero\u200dwidth\ufeffjoiners\u2060here",
        "\U0001F1EE\u200b\U0001F1E9\u200b\U0001F1EE\u200b\U0001F1F4\u200b\U0001F1F9", "\U0001F1FA\U0001F1F8 proud", "\U0001F44D\U0001F3FD nice",
        "\U0001F468\u200d\U0001F469\u200d\U0001F467 family", "3\ufe0f\u20e3 reasons", "\u2139\ufe0fd\u2139\ufe0f\u2b55t", "\U0001F170\ufe0fss",
        "a" * 300, "x" * 5000, "supercalifragilisticexpialidocious" * 12, "https://example.com/" + "ab_cd-" * 80,
        "іdіот ѕтuріd", "Ｆｕｃｋ ｙｏｕ", "維權 人士 are idiots", "राम and sita", "iժiօt", "ᎠuᎷᏴ", "ᴀ ʙ ᴄ",
        "you are a s t u p i d person", "f*ck you", "id10t", "#BuildTheWall now", "don&#39;t &amp; &ZeroWidthSpace;",
        "Thanks for the article, it was a good read.", "I disagree with the council's plan, but respectfully.",
    ]
    texts = list(pieces)
    for _ in range(40):  # mixtures of them
        texts.append(" ".join(rng.choice(pieces) for _ in range(rng.randint(2, 8))))
    for _ in range(3):  # 20,000 characters: scored in windows
        long = ""
        while len(long) < 20_000:
            long += rng.choice(pieces) + rng.choice([" ", "\n", "\n\n", ". "])
        texts.append(long[:20_000])
    return texts


@pytest.fixture()
def cold_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ngram_cache, "_RAW_CACHES", {})
    monkeypatch.setattr(ngram_cache, "_CHUNK_CACHES", {})


def _fingerprint(scores: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(scores, dtype=np.float64).tobytes()).hexdigest()


@pytest.mark.usefixtures("cold_caches")
def test_awkward_texts_score_as_they_did_before_the_speed_work() -> None:
    model: CivilityModel = load_model()
    texts = awkward_texts()
    batch = model.predict_matrix(texts)
    alone = np.array([model.predict_matrix([t])[0] for t in texts])
    assert np.array_equal(batch, alone)
    assert np.array_equal(model.predict_matrix(texts), batch)  # warm, every chunk cached
    if model.version not in SCORES_BEFORE:
        pytest.skip(f"no scores from before the speed work for model {model.version}")
    assert _fingerprint(batch) == SCORES_BEFORE[model.version]
