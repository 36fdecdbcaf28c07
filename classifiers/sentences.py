"""Where a comment's sentences are: a sentence ends after a whitespace-free chunk ending in ".", "!"
or "?" (closing quotes or brackets allowed after it). Sentence pooling (pooling.py, via features.py)
cuts comments this way; changing that cut means training again. The Perspective endpoint's span
scores read sentences as a person does (`reading_spans`): not at "Mr." or "U.S.", and at a line
break. No scikit-learn here: the web app imports this without loading a model library.
"""
from __future__ import annotations

import re

from classifiers.normalise import blank_before_split

ENDS_SENTENCE = re.compile(r"""[.!?]["')\]]*\Z""")
MAX_CHUNKS = 30  # a sentence that runs on is cut here (pooling.SentencePooling.max_chunks)
# Zero-width characters part chunks here: spans need not begin with a run of invisible padding.
_CHUNK = re.compile(r"[^\s\u200b-\u200d\u2060\ufeff]+")


def sentence_spans(text: str, max_chunks: int = MAX_CHUNKS) -> list[tuple[int, int]]:
    """[begin, end) of each sentence of `text`, in order, as pooling cuts them: a sentence ends
    after a whitespace-free chunk ending in ".", "!" or "?" (closing quotes or brackets allowed
    after it), or after `max_chunks` chunks. HTML tags and talk-page signatures count as the spaces they are read as, so an
    offset is an offset into `text` as sent. Whitespace between sentences belongs to none."""
    spans: list[tuple[int, int]] = []
    begin = end = -1
    chunks = 0
    for chunk in _CHUNK.finditer(blank_before_split(text)):
        if begin < 0:
            begin = chunk.start()
        end, chunks = chunk.end(), chunks + 1
        if chunks >= max_chunks or ENDS_SENTENCE.search(chunk.group()):
            spans.append((begin, end))
            begin, chunks = -1, 0
    if begin >= 0:
        spans.append((begin, end))
    return spans


# Titles: before a name, never a sentence's end ("Mr. Smith is a liar." was read as "Mr." and the rest).
_TITLES = frozenset("mr mrs ms dr prof rev gen col lt sgt capt gov sen rep hon fr".split())
# Before an example or a side: never an end either ("e.g. The Guardian", "England vs. Brazil").
_BEFORE_MORE = frozenset("e.g i.e vs cf".split())
# Other abbreviations and initials end a sentence before a capitalised word ("etc. Idiots like you",
# "in the U.S. Shut up", "5 p.m. Idiots", "an A. You"), but an initial inside a name does not
# ("J. A. Smith", "A. A. Milne", "John F. Kennedy"). When unsure a sentence ends: two civil halves
# scored apart are harmless, where a civil sentence merged with an insult is highlighted as the
# insult (three re-checks, each finding the one before it merged or split something).
_INITIALS = re.compile(r"(?:[A-Za-z]\.){1,3}")
_INITIAL = re.compile(r"[A-Z]\.")
_OPENERS = "\"'(["
# A line break as a browser shows one: a newline, a lone carriage return, U+2028 and U+2029, and the
# tags that end a line or block (a comment typed as three lines arrives as <br> or <div>s too).
_BREAK = re.compile(r"[\n\r\u2028\u2029]|<br\b[^>]*>|</?(?:p|div|li|h[1-6]|tr|blockquote|ul|ol)\b[^>]*>", re.IGNORECASE)
_BROKEN = "\n"  # what `after` is when a line break follows a chunk: a sentence ends before it


def _ends(word: str, before: str | None, after: str | None) -> bool:
    """Whether the chunk `word`, ending in ".", "!" or "?", ends its sentence, by the chunks around it."""
    if not ENDS_SENTENCE.search(word):
        return False
    bare = word.lstrip(_OPENERS)
    if not bare.endswith(".") or bare[-2:-1] in ("!", "?") or after is None or after == _BROKEN:
        return True
    stem = bare[:-1].lower()
    if stem in _TITLES or stem in _BEFORE_MORE:
        return False
    if bare != word and _INITIALS.fullmatch(bare):
        return False  # "(J. Smith, 2020)": no sentence ends inside what a bracket or quote opened
    if _INITIAL.fullmatch(bare) and (before is None or before.lstrip(_OPENERS)[:1].isupper()):
        return False  # an initial opening a sentence or following a capitalised word: part of a name
    return after.lstrip(_OPENERS)[:1].isupper()


def _chunks(text: str, blanked: str) -> list[tuple[int, int, str]]:
    """[begin, end) and word of each whitespace-free chunk of `blanked`, a word broken over a line
    break (which `blank_before_split` joins with zero-width spaces, where chunks part) one chunk: "You are a complete id⏎iot." was two
    spans, "…id" 0.64 and "iot." 0.37, where the model reads the idiot it is."""
    chunks: list[tuple[int, int, str]] = []
    for match in _CHUNK.finditer(blanked):
        begin, end = match.span()
        if chunks and _is_joined_break(text, blanked, chunks[-1][1], begin):
            begin = chunks.pop()[0]
        chunks.append((begin, end, blanked[begin:end]))
    return chunks


def _is_joined_break(text: str, blanked: str, begin: int, end: int) -> bool:
    gap = blanked[begin:end]
    return bool(gap) and gap.strip("\u200b") == "" and text[begin:end].strip("\r\n") == ""


def reading_spans(text: str, max_chunks: int = MAX_CHUNKS) -> list[tuple[int, int]]:
    """[begin, end) of each sentence as a reader sees it, for span scores: as `sentence_spans`, but a
    title never ends a sentence, an abbreviation or initial only before a word that opens one, and a
    line break (a newline, a carriage return, <br>, a block's tags) always does: a comment typed as
    three lines without a full stop was one span, its insulting line hidden."""
    blanked = blank_before_split(text)
    chunks = _chunks(text, blanked)
    spans: list[tuple[int, int]] = []
    begin = end = -1
    count = 0
    for i, (start, stop, word) in enumerate(chunks):
        if begin >= 0 and _BREAK.search(text, end, start):
            spans.append((begin, end))
            begin, count = -1, 0
        if begin < 0:
            begin = start
        end, count = stop, count + 1
        after = chunks[i + 1][2] if i + 1 < len(chunks) else None
        if after is not None and _BREAK.search(text, end, chunks[i + 1][0]):
            after = _BROKEN
        before = chunks[i - 1][2] if count > 1 else None
        if count >= max_chunks or _ends(word, before, after):
            spans.append((begin, end))
            begin, count = -1, 0
    if begin >= 0:
        spans.append((begin, end))
    return spans
