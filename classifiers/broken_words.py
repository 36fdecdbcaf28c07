"""Abuse broken over two lines ("You are a complete id\\niot.", "stu\\npid mo\\nron"): read as the one
word it is, a step before a comment is split at whitespace. A red-team walk (2026-12-06) broke 63
insults and threats so and the model held 30. Only where the two pieces join into a word people
mask (`classifiers.masks`), so a line that ends "as" before one that starts "s…" stays two words.
The line break becomes as many zero-width spaces, which every reading drops: the same length, so
offsets stay right."""

from __future__ import annotations

import re

from classifiers.masks import MASKABLE_WORDS

# Swearing and slurs, not every insult: "worth⏎less" and "pathetic" broken at a line's end are
# ordinary words as often as insults (a re-check).
_WORDS = frozenset(MASKABLE_WORDS)
_LONGEST = max(map(len, _WORDS))
# Letters, a line break, letters, two or more each side and at most as long as the longest word.
# Not after an apostrophe ("The town's⏎hit hardest" is no "shit") nor before a hyphen or apostrophe
# that goes on with the word ("who⏎re-elected him" is no "whore": a re-check). Looked for from each
# line break, not by a pattern tried at every character: every comment with a line break passes
# here before it is scored, and a scan with lookbehinds was a twentieth of a cold batch's time.
_BREAK = re.compile(r"\r\n|\n|\r")
_HEAD = re.compile(rf"[^\W\d_]{{2,{_LONGEST}}}\Z")
_TAIL = re.compile(rf"[^\W\d_]{{2,{_LONGEST}}}")
_JOINER = "\u200b"


def _letter(char: str) -> bool:
    return char.isalpha()


def join_broken_words(text: str) -> str:
    """`text` with each masked word broken over a line break whole again (same length)."""
    if "\n" not in text and "\r" not in text:
        return text
    pieces, last = [], 0
    for gap in _BREAK.finditer(text):
        a, b = gap.span()
        if a < 2 or b >= len(text) or not (text[a - 1].isalpha() and text[b].isalpha()):
            continue  # most line breaks follow a full stop or another line break
        head = _HEAD.search(text, max(0, a - _LONGEST - 1), a)
        tail = _TAIL.match(text, b)
        if head is None or tail is None:
            continue
        before = text[head.start() - 1] if head.start() > 0 else " "
        after = text[tail.end()] if tail.end() < len(text) else " "
        if _letter(before) or before in "'’" or _letter(after) or after in "'’-":
            continue
        word = head.group(0) + tail.group(0)
        # A capital after a small letter starts a line of its own ("… who\nRe: the vote"), not a word's end.
        if word.lower() in _WORDS and not (head.group(0)[-1].islower() and tail.group(0)[0].isupper()):
            pieces.append(text[last:a] + _JOINER * (b - a))
            last = b
    return text if not pieces else "".join(pieces) + text[last:]
