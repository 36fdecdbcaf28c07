"""Abuse broken over two lines ("You are a complete id\\niot.", "stu\\npid mo\\nron"): read as the one
word it is, a step before a comment is split at whitespace. A red-team walk (2026-12-06) broke 63
insults and threats so and the model held 30. Only where the two pieces join into a word people
mask (`classifiers.masks`), so a line that ends "as" before one that starts "s…" stays two words. The line break becomes as many zero-width spaces, which every reading drops:
the same length, so offsets stay right."""

from __future__ import annotations

import re

from classifiers.masks import MASKABLE_WORDS

# Swearing and slurs, not every insult: "worth⏎less" and "pathetic" broken at a line's end are
# ordinary words as often as insults (a re-check).
_WORDS = frozenset(MASKABLE_WORDS)
_LONGEST = max(map(len, _WORDS))
# Letters, a line break, letters, two or more each side: each piece at most as long as the longest
# word, so bounded. Not after an apostrophe ("The town's⏎hit hardest" is no "shit") nor before a
# hyphen or apostrophe that goes on with the word ("who⏎re-elected him" is no "whore": a re-check).
_BROKEN = re.compile(rf"(?<![^\W\d_])(?<!['’])([^\W\d_]{{2,{_LONGEST}}})(\r?\n|\r)([^\W\d_]{{2,{_LONGEST}}})(?![^\W\d_]|['’-])")
_JOINER = "\u200b"


def _join(match: re.Match[str]) -> str:
    head, gap, tail = match.groups()
    # A capital after a small letter starts a line of its own ("… who\nRe: the vote"), not a word's end.
    if (head + tail).lower() in _WORDS and not (head[-1].islower() and tail[0].isupper()):
        return head + _JOINER * len(gap) + tail
    return match.group(0)


def join_broken_words(text: str) -> str:
    """`text` with each listed word broken over a line break whole again (same length)."""
    return _BROKEN.sub(_join, text) if "\n" in text or "\r" in text else text
