"""Text in the order a reader sees it, where a bidi override reorders it.

A right-to-left override (U+202E) makes a browser draw the Latin letters after it right to left:
"Someone should \u202etoohs\u202c the mayor." shows as "Someone should shoot the mayor.", while the
model and the word rules read "toohs" and published it (an international newsroom's walk). So
normalising reads such a text in display order: the explicit embedding and override levels of the
Unicode bidi algorithm (UAX #9, X1-X8 and L2), with every character that is not overridden taken as
left-to-right, which is what a Latin text is. A text with an RLO changes; so does one with a
right-to-left embedding, isolate or mark (RLE, RLI, RLM, ALM) and no right-to-left letters of its
own: "I will \u202bl\u200fl\u200fi\u200fk\u202c you" shows as "I will kill you" (a re-check),
since each mark is a right-to-left character the letters around it are laid out against. Real
right-to-left text (Arabic, Hebrew) uses those marks too, and keeps its logical order, the order it
is read in.

The paragraph's direction is its first strong character's (UAX #9 P2-P3), as a browser sets it for
dir="auto", which the review cards use: a Latin text that opens with an RLM is laid out right to
left. Where a paragraph ends depends on the page: one that folds whitespace joins even blank lines,
so an override reaches past them; one that makes a <p> of each blank line, or renders the markup a
comment box sent, ends it there; one that keeps line breaks (the review cards, many comment widgets:
white-space: pre-wrap) ends it at every line break. Where paragraphs end, a plain-text view gives each
its own first strong character's direction, and a page whose comment element is dir="auto" gives
all of them the whole text's. Where these readings differ, the text is read each way, one after
another, as sentences apart: each had hidden a threat from the others (three re-checks).

Right-to-left letters (Hebrew, Arabic) drawn right to left keep the order they are read in, word by
word, so their words stay words; what moves is Latin letters laid out against their own direction.
One Hebrew punctuation mark had been enough to turn the whole reading off (a re-check).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Sequence

import numpy as np

RLO, LRO, RLE, LRE, PDF = "\u202e", "\u202d", "\u202b", "\u202a", "\u202c"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
RLM, ALM = "\u200f", "\u061c"
_TURNING = (RLE, RLI, RLM, ALM)  # turn Latin letters around in a text without right-to-left letters
# Right-to-left scripts' blocks: any character of theirs, a letter or a mark or punctuation, may turn
# the Latin letters around it, once a first-strong isolate or a paragraph takes its direction: "I will
# \u2068\u05bel\u05bel\u05bei\u05bek\u2069 you" (Hebrew maqafs) and the same with U+070F, an invisible
# Syriac mark, show as "I will k-i-l-l you" (the next re-check: published).
_RTL_BLOCKS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff"
_MAY_REORDER = re.compile("[" + RLO + "".join(_TURNING) + "\u2068" + _RTL_BLOCKS + "]")
_TO_ODD = frozenset((RLO, RLE, RLI))
_TO_EVEN = frozenset((LRO, LRE, LRI))
_ISOLATES = frozenset((LRI, RLI, FSI))
# Where a paragraph ends as a site shows it. Plain text on a page that folds whitespace: only at a
# paragraph separator, a blank line too becomes a space (the next re-check: "\u202e\n\nuoy llik lliw I"
# shows as "I will kill you"). A site that makes a <p> of each blank line, or renders the markup a
# comment box sent (<p>, <br>, <div>): there too. A page that keeps line breaks: at every one.
_SEPARATORS = "[\u2029\x1c\x1d\x1e\x85]"
MARKUP_BREAK = r"<(?:br|p|div|li|h[1-6]|blockquote|tr)\b[^<>]{0,200}>|</(?:p|div|li|h[1-6]|blockquote|tr)\s*>"
_ALL_FOLDED = re.compile(_SEPARATORS)
_PARAGRAPH_END = re.compile("\n[ \t\r]*\n|" + _SEPARATORS + "|(?i:" + MARKUP_BREAK + ")")
_LINE_END = re.compile("\r\n|[\n\r]|" + _SEPARATORS + "|(?i:" + MARKUP_BREAK + ")")
_MAX_DEPTH = 125  # UAX #9's limit: deeper pushes are ignored, as browsers ignore them


def may_reorder(text: str) -> bool:
    """Whether `display_order` could move anything: a quick test for a text or a chunk of one, run on
    every new chunk and text (ASCII, most of them, at once; the rest in one scan)."""
    return not text.isascii() and _MAY_REORDER.search(text) is not None


# Between two readings, " . ": indices below 0 stand for characters of no place in the text, so the
# end of one reading and the start of the next read as two sentences. Joined by a space, "... I hope"
# and "you die a hero ..." made a threat of a civil comment (the next re-check).
JOIN = (-1, -2, -1)
_JOIN_CHARS = {-1: " ", -2: "."}


def char_at(text: str, index: int) -> str:
    """The character of `display_order`'s index: text[index], or the joining characters' own."""
    return text[index] if index >= 0 else _JOIN_CHARS[index]


def in_order(text: str, order: Sequence[int]) -> str:
    """`"".join(char_at(text, i) for i in order)` in one C-level pass: JOIN's -1 and -2 index the
    " " and "." appended (a call per character was a third of reading a long right-to-left comment)."""
    return "".join(map((text + ". ").__getitem__, order))


@functools.lru_cache(maxsize=2)  # the rules read one comment in turn (two re-checks: slow inputs); 2: a crafted
# 20,000-character comment's readings take about 6 MB
def display_order(text: str) -> tuple[int, ...] | None:
    """The indices of `text` in display order (left to right), or None when it is read as written.
    Read each way a page may lay it out where line breaks or markup change it (see _PARAGRAPH_END),
    one reading after another, joined by JOIN (read each with `char_at`): each index may then come
    more than once. Where paragraphs end there, each takes its own first strong character's direction
    (plain text), or all take the whole text's (a page whose comment element is dir="auto", as the
    review cards are: "\u200f\u202dThoughts:\nl you\u200fl\u200fi\u200fI will k" shows there as
    "Thoughts: / I will kill you", the next re-check)."""
    if not may_reorder(text):
        return None
    whole = _paragraph_level(text, 0, len(text))
    # A page with no dir attribute lays every paragraph out left to right, whatever its first letter:
    # a text opening in Hebrew was read only right to left, and "\u05ea\u05d5\u05d3\u05d4! I will find
    # you \u05d5 and kill you." got past the threat rule (the next re-check).
    bases: tuple[int | None, ...] = (None, 0) if whole else (None,)
    if _LINE_END.search(text) is None:  # one paragraph however the page lays it out
        ways = [(_ALL_FOLDED, base) for base in bases]
    else:  # U+2029 and U+0085 end a line as a line break does (the next re-check)
        ways = [(_ALL_FOLDED, base) for base in bases] + [
            (paragraph_end, base) for paragraph_end in (_PARAGRAPH_END, _LINE_END) for base in (*bases, whole)]
    readings: list[list[int] | None] = []
    classes = _classes(text)
    for paragraph_end, base in dict.fromkeys(ways):
        reading = _reading(text, paragraph_end, base, classes)
        if reading not in readings:
            readings.append(reading)
    if len(readings) == 1:
        return None if readings[0] is None else tuple(readings[0])
    as_written = list(range(len(text)))
    order: list[int] = []
    for reading in readings:
        order += (list(JOIN) if order else []) + (reading or as_written)
    return tuple(order)


def _reading(text: str, paragraph_end: re.Pattern[str], base: int | None = None,
             classes: np.ndarray | None = None) -> list[int] | None:
    classes = _classes(text) if classes is None else classes
    levels = _resolved(*_levels(text, paragraph_end, base, classes))
    order = _l2(levels)
    if order is None:
        return None
    # Right-to-left letters drawn right to left are read in their own order, word by word: each run
    # of them in `order` reversed, all runs in one step (in numpy, as _l2 reverses its runs).
    is_rtl = (levels % 2 == 1) & (classes == ord("R"))
    if is_rtl.any():
        inside = is_rtl[order]
        edges = np.diff(np.concatenate(([False], inside, [False])).astype(np.int8))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        run = np.cumsum(edges[:-1] == 1) - 1
        at = np.flatnonzero(inside)
        order[starts[run[at]] + ends[run[at]] - 1 - at] = order[at].copy()
    return None if np.array_equal(order, np.arange(len(text))) else order.tolist()


def l2_order(resolved: list[int]) -> list[int] | None:
    """UAX #9 L2: the indices in display order for these resolved levels, or None if none is odd."""
    order = _l2(np.asarray(resolved, dtype=np.int16))
    return None if order is None else order.tolist()


def _l2(resolved: np.ndarray) -> np.ndarray | None:
    levels = resolved.copy()
    odd = levels[levels % 2 == 1]
    if not len(odd):
        return None
    order = np.arange(len(levels))
    # L2: from the highest level down to the lowest odd one, reverse each run at that level or
    # higher. In numpy, each run in one step: nesting 125 levels deep over 20,000 characters took
    # 0.17 s a text in Python loops.
    for floor in range(int(levels.max()), int(odd.min()) - 1, -1):
        inside = levels >= floor
        if not inside.any():
            continue
        edges = np.diff(np.concatenate(([False], inside, [False])).astype(np.int8))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        run = np.cumsum(edges[:-1] == 1) - 1  # each position's run, where inside
        at = np.flatnonzero(inside)
        mirrored = starts[run[at]] + ends[run[at]] - 1 - at
        order[mirrored], levels[mirrored] = order[at].copy(), levels[at].copy()
    return order


def _paragraph_level(text: str, start: int, end: int) -> int:
    """P2-P3: 1 if the paragraph's first strong character, outside isolates, is right to left."""
    isolated = 0
    for char in text[start:end]:
        if char in _ISOLATES:
            isolated += 1
        elif char == PDI:
            isolated = max(isolated - 1, 0)
        elif not isolated:
            kind = unicodedata.bidirectional(char)
            if kind == "L":
                return 0
            if kind in ("R", "AL"):
                return 1
    return 0


def _rtl_first_strong_isolates(text: str, in_break: bytearray) -> set[int]:
    """X5c for every first-strong isolate in one pass: those whose first strong character before
    their PDI (skipping nested isolates, within the paragraph) is right to left. A strong character
    decides only the innermost open isolate. A scan to the PDI per isolate took 4 s for 5,000 of
    them and stalled scoring for every site (the next re-check)."""
    rtl: set[int] = set()
    open_isolates: list[tuple[int, bool]] = []  # (index, still undecided FSI)
    for i, char in enumerate(text):
        if in_break[i]:
            open_isolates.clear()
        elif char in _ISOLATES:
            open_isolates.append((i, char == FSI))
        elif char == PDI:
            if open_isolates:
                open_isolates.pop()
        elif open_isolates and open_isolates[-1][1]:
            kind = unicodedata.bidirectional(char)
            if kind in ("L", "R", "AL"):
                at = open_isolates[-1][0]
                if kind != "L":
                    rtl.add(at)
                open_isolates[-1] = (at, False)
    return rtl


def _explicit_levels(text: str, paragraph_end: re.Pattern[str] = _PARAGRAPH_END,
                     base_level: int | None = None) -> tuple[list[int], list[str]]:
    """Each character's embedding level (X1-X8) and direction: "L" or "R" (an override's, or its own
    strong one), or "N" for one that takes its neighbours' (spaces, punctuation, the controls). Each
    paragraph's level is its own first strong character's, or `base_level` for all."""
    embedding, strong = _levels(text, paragraph_end, base_level, _classes(text))
    return embedding.tolist(), list(strong.tobytes().decode("ascii"))


def _levels(text: str, paragraph_end: re.Pattern[str], base_level: int | None,
            classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`_explicit_levels` as arrays: int16 levels, and directions as the bytes b"L", b"R", b"N"."""
    breaks, base = _paragraphs(text, paragraph_end, base_level)
    if _CONTROLS.search(text) is None:  # Arabic or Hebrew as people write it
        # Each character at its paragraph's level with its own direction, a paragraph's end at level 0.
        embedding = np.zeros(len(text), dtype=np.int16)
        strong = _STRONG_OF[classes]
        for start, (end, next_start) in zip(base, [*breaks, (len(text), len(text))]):
            embedding[start:end] = base[start]
            strong[end:next_start] = ord("N")
        return embedding, strong
    levels, directions = _levels_by_stack(text, breaks, base)
    return np.array(levels, dtype=np.int16), np.frombuffer("".join(directions).encode("ascii"), dtype=np.uint8)


def _paragraphs(
    text: str, paragraph_end: re.Pattern[str], base_level: int | None
) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """[start, end) of each paragraph end, and each paragraph's start and level, in order."""
    breaks = [(m.start(), m.end()) for m in paragraph_end.finditer(text)]
    starts = [0] + [end for _, end in breaks]
    base = {start: _paragraph_level(text, start, next_start) if base_level is None else base_level
            for start, next_start in zip(starts, [s for s, _ in breaks] + [len(text)])}
    return breaks, base


def _levels_by_stack(
    text: str, breaks: list[tuple[int, int]], base: dict[int, int]
) -> tuple[list[int], list[str]]:
    """`_explicit_levels`, character by character, as the stack of embeddings, overrides and isolates
    goes (`_paragraphs` gives `breaks` and `base`)."""
    embedding: list[int] = []
    strong: list[str] = []
    in_break = bytearray(len(text))
    for start, end in breaks:
        in_break[start:end] = b"\x01" * (end - start)
    rtl_isolates = _rtl_first_strong_isolates(text, in_break) if FSI in text else set()
    stack: list[tuple[int, str | None, bool]] = [(base[0], None, False)]  # (level, override, opened by an isolate)
    # X5-X7's counters: initiators past the deepest level are counted, not pushed, so their closers
    # close nothing real; a closing isolate without an opener is ignored (an adversarial walk: a stray
    # U+2069 or 63 nested overrides before the text undid the override that reversed it).
    overflow_isolates = overflow_embeddings = valid_isolates = 0
    for i, char in enumerate(text):
        if i in base:
            paragraph = base[i]
            stack = [(paragraph, None, False)]
            overflow_isolates = overflow_embeddings = valid_isolates = 0
        level, override, _ = stack[-1]
        if in_break[i]:  # at the lowest level, so each paragraph is reordered on its own line (L1-L2)
            embedding.append(0)
            strong.append("N")
            continue
        if char == FSI:
            char = RLI if i in rtl_isolates else LRI
        if char in _TO_ODD or char in _TO_EVEN:
            embedding.append(level)
            pushed = level + 1 + (level % 2 == (char in _TO_ODD))  # the next odd, or the next even, level
            isolate = char in _ISOLATES
            if pushed <= _MAX_DEPTH and overflow_isolates == overflow_embeddings == 0:
                stack.append((pushed, "R" if char == RLO else "L" if char == LRO else None, isolate))
                valid_isolates += isolate
            elif isolate:
                overflow_isolates += 1
            elif overflow_isolates == 0:
                overflow_embeddings += 1
            strong.append("N")
            continue
        if char == PDF:
            if overflow_isolates:
                pass
            elif overflow_embeddings:
                overflow_embeddings -= 1
            elif len(stack) > 1 and not stack[-1][2]:
                stack.pop()
        elif char == PDI:
            if overflow_isolates:
                overflow_isolates -= 1
            elif valid_isolates:
                overflow_embeddings = 0
                while not stack.pop()[2]:
                    pass
                valid_isolates -= 1
        level, override, _ = stack[-1]
        embedding.append(level)
        if char in (PDF, PDI):
            strong.append("N")
        elif override is not None:
            strong.append(override)
        else:
            kind = unicodedata.bidirectional(char)
            strong.append("L" if kind in ("L", "EN") else "R" if kind in ("R", "AL", "AN") else "N")
    return embedding, strong


def _resolved_levels(embedding: list[int], strong: list[str]) -> list[int]:
    """N1-N2 and I1-I2: a neutral between two characters of one direction takes it, any other the
    direction of its level; then a character against its level's direction goes one level up."""
    return _resolved(np.asarray(embedding, dtype=np.int16),
                     np.frombuffer("".join(strong).encode("ascii"), dtype=np.uint8)).tolist()


def _resolved(levels: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """`_resolved_levels` of `_levels`' arrays. A neutral's neighbours are the nearest strong
    characters each side, unless a change of embedding level comes between: in numpy, where a loop
    over the characters was a fifth of reading a long right-to-left comment."""
    n = len(levels)
    if not n:
        return levels
    is_strong = direction != ord("N")
    own = np.where(levels % 2 == 1, ord("R"), ord("L")).astype(np.uint8)
    stretch = np.cumsum(np.concatenate(([0], levels[1:] != levels[:-1])))  # each run of one level
    positions = np.arange(n)
    before = np.maximum.accumulate(np.where(is_strong, positions, 0))
    after = np.minimum.accumulate(np.where(is_strong, positions, n - 1)[::-1])[::-1]
    # Only where the nearest strong character is really there (not the clamped 0 or n - 1) and on
    # the same run of one level.
    before_is = np.where(is_strong[before] & (stretch[before] == stretch), direction[before], own)
    after_is = np.where(is_strong[after] & (stretch[after] == stretch), direction[after], own)
    resolved = np.where(is_strong, direction, np.where(before_is == after_is, before_is, own))
    return levels + ((levels % 2 == 0) == (resolved == ord("R")))


# Each character's bidi class as the levels read it: "L" (L, EN), "R" (R, AL: right-to-left
# letters), "A" (AN: a right-to-left number, strong as R), "N" (the rest).
class _ClassTable(dict[int, str]):
    """str.translate table that fills itself in, so only characters actually seen are looked up."""

    def __missing__(self, codepoint: int) -> str:
        kind = unicodedata.bidirectional(chr(codepoint))
        found = self[codepoint] = "L" if kind in ("L", "EN") else "R" if kind in ("R", "AL") else (
            "A" if kind == "AN" else "N")
        return found


_CLASSES = _ClassTable()
_STRONG_OF = np.arange(256, dtype=np.uint8)  # a class's direction as `_levels` gives it: AN is R
_STRONG_OF[ord("A")] = ord("R")


def _classes(text: str) -> np.ndarray:
    """Each character's class (`_ClassTable`), as bytes in an array."""
    return np.frombuffer(text.translate(_CLASSES).encode("ascii"), dtype=np.uint8)


_CONTROLS = re.compile("[" + RLO + LRO + RLE + LRE + PDF + LRI + RLI + FSI + PDI + "]")


def in_display_order(text: str) -> str:
    order = display_order(text)
    return text if order is None else in_order(text, order)
