"""Where a comment's sentences are: a sentence ends after a whitespace-free chunk ending in ".", "!"
or "?" (closing quotes or brackets allowed after it). Sentence pooling (pooling.py, via features.py)
cuts comments this way; changing that cut means training again. The Perspective endpoint's span
scores read sentences as a person does (`reading_spans`): not at "Mr." or "U.S.", and at a line
break. No scikit-learn here: the web app imports this without loading a model library.
"""
from __future__ import annotations

import re

from classifiers.normalise import blank_markup

ENDS_SENTENCE = re.compile(r"""[.!?]["')\]]*\Z""")
MAX_CHUNKS = 30  # a sentence that runs on is cut here (pooling.SentencePooling.max_chunks)
# Zero-width characters part chunks here: spans need not begin with a run of invisible padding.
_CHUNK = re.compile(r"[^\s\u200b-\u200d\u2060\ufeff]+")


def sentence_spans(text: str, max_chunks: int = MAX_CHUNKS) -> list[tuple[int, int]]:
    """[begin, end) of each sentence of `text`, in order, as pooling cuts them: a sentence ends
    after a whitespace-free chunk ending in ".", "!" or "?" (closing quotes or brackets allowed
    after it), or after `max_chunks` chunks. HTML tags count as the spaces they are read as, so an
    offset is an offset into `text` as sent. Whitespace between sentences belongs to none."""
    spans: list[tuple[int, int]] = []
    begin = end = -1
    chunks = 0
    for chunk in _CHUNK.finditer(blank_markup(text)):
        if begin < 0:
            begin = chunk.start()
        end, chunks = chunk.end(), chunks + 1
        if chunks >= max_chunks or ENDS_SENTENCE.search(chunk.group()):
            spans.append((begin, end))
            begin, chunks = -1, 0
    if begin >= 0:
        spans.append((begin, end))
    return spans


# Chunks ending in "." that do not end a sentence: titles and common abbreviations, and initials
# ("J.", "U.S.", "e.g."): a migrating developer's spans read "Mr." and "Smith is a liar." apart.
_ABBREVIATIONS = frozenset("""mr mrs ms dr prof st mt jr sr rev gen col lt sgt capt gov sen rep hon
    no vs etc approx dept est fig inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec""".split())
_INITIALS = re.compile(r"(?:[A-Za-z]\.){1,3}")
_OPENERS = "\"'(["


def _abbreviation(chunk: str) -> bool:
    word = chunk.lstrip(_OPENERS)
    return word.endswith(".") and (word[:-1].lower() in _ABBREVIATIONS or bool(_INITIALS.fullmatch(word)))


def reading_spans(text: str, max_chunks: int = MAX_CHUNKS) -> list[tuple[int, int]]:
    """[begin, end) of each sentence as a reader sees it, for span scores: as `sentence_spans`, but a
    title, abbreviation or initial ("Mr.", "e.g.", "U.S.") does not end a sentence, and a line break
    does (a comment typed as three lines without a full stop was one span, its insulting line hidden)."""
    blanked = blank_markup(text)
    spans: list[tuple[int, int]] = []
    begin = end = -1
    chunks = 0
    for chunk in _CHUNK.finditer(blanked):
        if begin >= 0 and "\n" in blanked[end:chunk.start()]:
            spans.append((begin, end))
            begin, chunks = -1, 0
        if begin < 0:
            begin = chunk.start()
        end, chunks = chunk.end(), chunks + 1
        word = chunk.group()
        if chunks >= max_chunks or (ENDS_SENTENCE.search(word) and not _abbreviation(word)):
            spans.append((begin, end))
            begin, chunks = -1, 0
    if begin >= 0:
        spans.append((begin, end))
    return spans
