"""Masked words ("f*ck", "sh#t", "f***") read as the word they hide, and stars that are emphasis
("*at least*", "**it is not his fault**") read as stars: the mask step of `classifiers.normalise`.
A masked word is restored only when exactly one listed word fits, so ordinary text with stars,
hashes and percent signs is left alone."""

from __future__ import annotations

import functools
import re

# Words people mask with * # % (f*ck, sh#t).
MASKABLE_WORDS: tuple[str, ...] = (
    "fuck", "fucking", "fucker", "fucked", "shit", "shitty", "bitch", "bitches", "cunt", "dick",
    "cock", "pussy", "asshole", "ass", "bastard", "whore", "slut", "damn", "hell", "crap",
    "idiot", "stupid", "moron", "retard", "retarded", "dumb", "nigger", "nigga", "faggot", "fag",
    "kill", "die", "twat", "wanker", "piss", "pissed", "motherfucker", "bullshit", "jerk", "loser",
)

MASKED = re.compile(r"(?<![\w*#%])(?:[a-z]+[*#%]+[a-z]*|\*+[a-z]+)(?![\w*#%])")


_MASK_RUN = re.compile(r"([*#%]+)")


class _MaskPattern:
    """Whether a listed word fits a masked token: its letters as written, and each run of mask
    characters standing for one letter more than it shows, down to one. A small matcher rather than
    a regex compiled per token: a Reddit file's emphasis stars gave 758 distinct tokens, and
    compiling each was a tenth of its first pass's scoring time."""

    __slots__ = ("parts", "shortest", "longest", "head", "tail")

    def __init__(self, token: str) -> None:
        # A literal piece as a string, a run of k mask characters as k + 1: the most letters it takes.
        self.parts = tuple(len(p) + 1 if p[0] in "*#%" else p for p in _MASK_RUN.split(token) if p)
        letters = sum(len(p) for p in self.parts if isinstance(p, str))
        runs = [p for p in self.parts if isinstance(p, int)]
        self.shortest, self.longest = letters + len(runs), letters + sum(runs)
        # Most words fail on their length or on the letters before the first run or after the last.
        self.head = self.parts[0] if self.parts and isinstance(self.parts[0], str) else ""
        self.tail = self.parts[-1] if len(self.parts) > 1 and isinstance(self.parts[-1], str) else ""

    def fullmatch(self, word: str) -> bool:
        if not self.shortest <= len(word) <= self.longest or not word.startswith(self.head) or not word.endswith(self.tail):
            return False
        return self._fits(word, 0, 0)

    def _fits(self, word: str, i: int, at: int) -> bool:
        if i == len(self.parts):
            return at == len(word)
        part = self.parts[i]
        if isinstance(part, str):
            return word.startswith(part, at) and self._fits(word, i + 1, at + len(part))
        # Listed words are all lower-case ASCII letters, so any of their letters fits a run.
        return any(self._fits(word, i + 1, at + n) for n in range(1, min(part, len(word) - at) + 1))


def _mask_pattern(token: str) -> _MaskPattern:
    return _MaskPattern(token)


# Stars around words are emphasis, as Markdown and plain text both write it ("*at least* once",
# "**it is not his fault**", "*loves the shit* out of"), not masks: read as masks, those were
# "twat least", "shit is not his fault" and "shitty". An opening star run comes before a word and
# after no word; a closing one comes after a character that is neither a space nor a star, with no
# word going on after it (so "f*ck" neither opens nor closes). A pair within _EMPHASIS_REACH is
# emphasis unless the words at both ends fit masked words ("*ick and sh**" is two masks).
_EMPHASIS_OPEN = re.compile(r"(?<![\w*#%])\*+[a-z]+")
_EMPHASIS_CLOSE = re.compile(r"(?:(?<![\w*#%])([a-z]+)|[^\s*])\*+(?![\w*])")
_EMPHASIS_REACH = 200  # characters: emphasis is a phrase, not a page
# In a whitespace-free chunk: a star that could open or close a masked or emphasised word (leet
# letters included, as _LEET_TOKEN runs before masks): the cheap test before `normalise._reads_by_context`.
EMPHASIS_STAR = re.compile(r"(?<![\w*#%])\*+[a-z0-9@$!]|[^\s*#%]\*+(?![\w*#%])")


def unmask(match: re.Match[str]) -> str:
    token, text = match.group(0), match.string
    if token[0] == "*":
        close = _EMPHASIS_CLOSE.search(text, match.end(), match.end() + _EMPHASIS_REACH)
        if close is not None and not (close.group(1) and fits_a_word(close.group(0))):
            return token
    elif token[-1] == "*":
        opened = _open_emphasis(text, match.start())
        if opened is not None and not fits_a_word(opened):
            return token
    return unmask_token(token)


def _open_emphasis(text: str, before: int) -> str | None:
    """The word with the last opening star run within reach before `before`, if no star closes it first."""
    last = None
    for last in _EMPHASIS_OPEN.finditer(text, max(before - _EMPHASIS_REACH, 0), before):
        pass
    if last is None or _EMPHASIS_CLOSE.search(text, last.end() - 1, before):
        return None
    return last.group(0)


def fits_a_word(token: str) -> bool:
    return unmask_token(token) != token


@functools.lru_cache(maxsize=4096)
def unmask_token(token: str) -> str:
    pattern = _mask_pattern(token)
    fits = [w for w in MASKABLE_WORDS if pattern.fullmatch(w) and len(w) == len(token)]
    if len(fits) == 1:
        return fits[0]
    # A lone letter's mask hides one letter a character: "a**" is a mask, but a musical note or a
    # grade is not ("A#", "F#", "D#", "an A*" were "ass", "fag", "die" and "ass" again).
    if fits or sum(map(str.isalpha, token)) < 2:
        return token
    # Otherwise a mask may hide a letter more or fewer than it shows ("f*k", "sh***"): the word
    # nearest its length, the shorter of two as near ("shit" before "shitty"), if only one is.
    ranked = sorted((abs(len(w) - len(token)), len(w), w) for w in MASKABLE_WORDS if pattern.fullmatch(w))
    if ranked and (len(ranked) == 1 or ranked[0][:2] != ranked[1][:2]):
        return ranked[0][2]
    return token
