"""Which words raised a score: exact per-n-gram contributions of the linear heads, mapped to the original text."""

from __future__ import annotations

import re
from typing import Mapping, Sequence

import numpy as np

from classifiers.features import CivilityFeatures
from classifiers.group_names import GROUP_NAME_PHRASES, GROUP_NAME_WORDS
from classifiers.groups import GROUP_ADJECTIVES, GROUP_PLURALS, GROUP_SINGULAR_NOUNS
from classifiers.heads import MaskedLinearHeads
from classifiers.normalise import normalise_with_offsets, span_of

_CHUNK_RE = re.compile(r"\S+")
# A moderator reads every highlighted word as a reason: words adding little next to the strongest
# one ("the", "is", a topic word) are left out rather than shown as if they were offensive.
MIN_SHARE_OF_TOP = 0.25
MIN_LOG_ODDS = 0.5
_WORD_CHAR_RE = re.compile(r"\w")
# A group's name marked for toxicity, insult or threat reads to a moderator as the offending word:
# "Muslims" beside "terrorists" in "Not all Muslims are terrorists" (an election night's walk found
# such marks on 30 of 288 cards: "Muslims", "white", "gay"). Under identity attack it says which group
# the model took to be attacked, and shows a moderator the model's bias where it is only named
# (docs/model.md), so it is kept there alone. Not the swaps' few groups alone: "Nigerians", "Aussies" and
# "Palestinians" beside "morons" and "vermin" were marked as the offence (classifiers/group_names.py).
GROUP_NAMES = (frozenset(GROUP_ADJECTIVES) | frozenset(GROUP_PLURALS) | frozenset(GROUP_SINGULAR_NOUNS)
               | GROUP_NAME_WORDS)
NAMES_ITS_GROUP = "identity_attack"
# English's closed classes (articles, pronouns, auxiliaries, prepositions, conjunctions): the heads weigh
# them, but marked they explain nothing. A trust and safety analyst's cards read "insult: he's" beside
# "worthless slag", and "their", "a" and "his" beside the words that mattered (2026-12-06).
FUNCTION_WORDS = frozenset("""
a an the this that these those some any each every no all both not
i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself she her hers
herself it its itself they them their theirs themselves one
i'm i've i'll i'd we're we've we'll we'd you're you've you'll you'd he's he'll he'd she's she'll she'd it's
it'll they're they've they'll they'd that's there's here's what's who's let's
am is are was were be been being have has had having do does did doing will would shall should can could
may might must isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't
shouldn't can't couldn't
u ur youre im ive ill id dont doesnt didnt cant wont isnt arent wasnt y'all yall
of in on at to for from by with about as into onto over under up down out off than then
and or but nor so if because while when where which who whom whose what how there here
""".split())


def _bare(word: str) -> str:
    """The word without its possessive ("muslim's", "jews's", "gays'"): a re-check found those marked."""
    return re.sub(r"['\u2019]s?\Z", "", word)


def _group_named(word: str) -> bool:
    return word in GROUP_NAMES or _bare(word) in GROUP_NAMES


_PUNCTUATION_ONLY = re.compile(r"[!-/:-@\[-`{-~]+")


def _function_chunks(cleaned: str, chunks: list[tuple[int, int]]) -> set[int]:
    return {k for k, (a, b) in enumerate(chunks) if cleaned[a:b].replace("\u2019", "'") in FUNCTION_WORDS}


def _punctuation_chunks(cleaned: str, chunks: list[tuple[int, int]]) -> set[int]:
    """Chunks of ASCII punctuation alone ("Up yours, up yours, up yours!" read "toxicity: '!'"); not an
    emoji, which can be the whole offence."""
    return {k for k, (a, b) in enumerate(chunks) if _PUNCTUATION_ONLY.fullmatch(cleaned[a:b])}


def _named_chunks(cleaned: str, chunks: list[tuple[int, int]]) -> set[int]:
    """The chunks that name a group, a word of it alone or two together ("asylum seekers", "Sri Lankans";
    "non-binary" with the hyphen a chunk of its own between them)."""
    named = {k for k, (a, b) in enumerate(chunks) if _group_named(cleaned[a:b])}
    words = [k for k, (a, b) in enumerate(chunks) if _WORD_CHAR_RE.search(cleaned[a:b])]
    for k, after in zip(words, words[1:]):
        pair = (cleaned[slice(*chunks[k])], _bare(cleaned[slice(*chunks[after])]))
        if pair in GROUP_NAME_PHRASES:
            named |= {k, after}
    return named


def _chunks(cleaned: str) -> list[tuple[int, int]]:
    """Whitespace-separated pieces, trimmed of edge punctuation when they contain a word character."""
    spans: list[tuple[int, int]] = []
    for m in _CHUNK_RE.finditer(cleaned):
        a, b = m.span()
        inner = [i for i in range(a, b) if _WORD_CHAR_RE.match(cleaned[i])]
        spans.append((inner[0], inner[-1] + 1) if inner else (a, b))
    return spans


def explain_text(
    features: CivilityFeatures,
    heads: MaskedLinearHeads,
    text: str,
    attributes: Sequence[str],
    top_k: int,
    *,
    min_share: float = MIN_SHARE_OF_TOP,
    min_log_odds: float = MIN_LOG_ODDS,
    explain_with: Mapping[str, str] | None = None,
) -> dict[str, list[dict[str, object]]]:
    """Spans of `text` with the largest positive contribution to each attribute's log-odds,
    leaving out those that add little: below `min_share` of the strongest, or below `min_log_odds`.

    Scores are in log-odds units (before calibration) and add up, with the negative ones and
    the intercept, to the head's raw score. Attributes without a head of their own are
    explained by the head their score is copied from, and `explain_with` names the head that
    supplied an attribute's score instead of its own (a floor, classifiers/floors.py). Its cost
    grows with the text's normalised length: callers pass one window of a long text (see
    CivilityModel.explain), never all of it.
    """
    cleaned, starts, ends = normalise_with_offsets(text)
    columns, shares, word_starts = features.occurrences(cleaned)
    chunks = _chunks(cleaned)
    owner = np.full(len(cleaned) + 1, -1, dtype=np.int64)
    for k, m in enumerate(_CHUNK_RE.finditer(cleaned)):
        owner[m.start() : m.end()] = k
    chunk_of = owner[word_starts]

    heads_for = {a: a if a in heads.attributes_ else heads.fallback for a in attributes}
    heads_for.update({a: h for a, h in (explain_with or {}).items() if a in heads_for and h in heads.attributes_})
    head_rows = sorted(set(heads_for.values()))
    # Only the occurring columns' rows: taking the heads' columns of the whole weight matrix first
    # copied millions of weights per held comment, a quarter of a scoring worker's time (bench/e2e.py).
    weights = heads.weights_[columns][:, heads.head_index(head_rows)].astype(np.float64)
    totals = np.zeros((len(head_rows), len(chunks)), dtype=np.float64)
    for row in range(len(head_rows)):
        totals[row] = np.bincount(chunk_of, weights=weights[:, row] * shares, minlength=len(chunks))

    named = _named_chunks(cleaned, chunks)
    empty = _function_chunks(cleaned, chunks)
    punctuation = _punctuation_chunks(cleaned, chunks)
    result: dict[str, list[dict[str, object]]] = {}
    for attribute in attributes:
        row = totals[head_rows.index(heads_for[attribute])]
        floor = max(min_log_odds, min_share * float(row.max(initial=0.0)), np.finfo(float).tiny)
        never = (named if attribute != NAMES_ITS_GROUP else set()) | punctuation
        candidates = [k for k in np.argsort(-row, kind="stable") if row[k] >= floor and k not in never]
        # Nothing left but function words: they are the reason then ("We know where you are."), better
        # than a card that quotes nothing.
        order = ([k for k in candidates if k not in empty] or candidates)[:top_k]
        spans = []
        for k in order:
            a, b = chunks[k]
            begin, end = span_of(starts, ends, a, b)
            spans.append({"begin": int(begin), "end": int(end), "score": float(row[k]), "text": text[begin:end]})
        result[attribute] = spans
    return result
