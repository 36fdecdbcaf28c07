"""Overlapping windows over a long text, each short enough for the model to read at once.

The features read at most `max_chars` characters, while sites send up to 20,000 and some
characters expand under normalisation (U+FDFA becomes 18). So a text is cut into windows whose
*mapped* length (see `normalise.mapped_length`) is at most `size`, overlapping by `overlap`
mapped characters, and scored window by window. Cuts fall on whitespace where there is some
near the edge, so a phrase of up to `overlap - 2 * (overlap // 4)` mapped characters always lies
whole inside one window. A text that fits in one window is one window: it scores exactly as before.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from classifiers.normalise import mapped_length, mapped_lengths

_SPACE_RE = re.compile(r"\s")


def text_windows(text: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """[start, end) character offsets of the windows covering `text`, in order."""
    if overlap * 2 > size:
        raise ValueError("windows must overlap by less than half their size")
    if mapped_length(text) <= size:
        return [(0, len(text))]
    cumulative = [0, *accumulate(mapped_lengths(text))]  # cumulative[i]: mapped length of text[:i]
    slack = overlap // 4
    n = len(text)
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        end = bisect_right(cumulative, cumulative[start] + size) - 1
        if end >= n:
            spans.append((start, n))
            return spans
        end = max(end, start + 1)  # no character maps to more than `size`, but never stall
        # End after the last whitespace near the edge, so the cut does not split a word.
        near = max(bisect_left(cumulative, cumulative[end] - slack), start + 1)
        spaces = [m.end() for m in _SPACE_RE.finditer(text, near, end)]
        end = spaces[-1] if spaces else end
        spans.append((start, end))
        # Start `overlap` mapped characters back, at the next word if one starts nearby.
        back = bisect_left(cumulative, cumulative[end] - overlap)
        ahead = bisect_right(cumulative, cumulative[back] + slack) - 1
        space = _SPACE_RE.search(text, back, max(ahead, back))
        start = max(space.end() if space else back, start + 1)
