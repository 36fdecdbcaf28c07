"""Where a comment's sentences are: a sentence ends after a whitespace-free chunk ending in ".", "!"
or "?" (closing quotes or brackets allowed after it). Sentence pooling (pooling.py, via features.py)
cuts comments this way, and the Perspective endpoint's span scores are these sentences. No
scikit-learn here: the web app imports this without loading a model library.
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
