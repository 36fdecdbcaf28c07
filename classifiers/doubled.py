"""Abuse written with its letters doubled ("iddiiott", "kiill", "sttuupiid"): read as the word, a
step of `classifiers.normalise` after runs of three or more are collapsed to one letter. A red-team
walk (2026-12-06) doubled letters in 63 insults and threats and the model held 30 of them ("I will
kiillll you." was published; collapsed, it is "kiil"). No English word has more doubled letters
than these words' own, so a word is restored only when it has a doubled letter it does not need;
where a real word differs from one of them only in its doubled letters, that one is left out
(the shared data's "heel" for "hell", "looser" for "loser", "rapped" for "raped", a place called
"Twatt" in a red-team walk's civil comments, and names a re-check found: the SCUMM engine, Virginia
Rappe). Runs of three or more are read here too, before they collapse to one letter: collapsed,
"kiiilll" was "kil", which has no doubled letter to restore."""

from __future__ import annotations

import re

WORDS: tuple[str, ...] = (
    "idiot", "idiots", "idiotic", "stupid", "moron", "morons", "retard", "retards", "retarded", "dumb",
    "dumbass", "fuck", "fucks", "fucking", "fucker", "fucked", "motherfucker", "shit", "shitty",
    "shithead", "bullshit", "bitch", "bitches", "cunt", "cunts", "dick", "dickhead", "cock", "pussy",
    "asshole", "assholes", "bastard", "bastards", "whore", "whores", "slut", "sluts", "damn", "crap",
    "nigger", "niggers", "faggot", "faggots", "kill", "kills", "killing", "die", "wanker", "wankers",
    "piss", "pissed", "jerk", "ugly", "pathetic", "worthless", "scumbag", "trash", "garbage",
    "clown", "liar", "imbecile", "prick", "skank", "cocksucker", "jackass", "douche", "disgusting",
    "suck", "sucks", "shut", "murder", "hurt",
)


def squeezed(word: str) -> str:
    """`word` with each run of one letter made one letter: "kill" and "kiil" are both "kil"."""
    return _RUNS.sub(r"\1", word)


_RUNS = re.compile(r"([a-z])\1+")
_BY_SQUEEZED = {squeezed(word): word for word in WORDS}
assert len(_BY_SQUEEZED) == len(WORDS), "two words read alike once squeezed"


def _alternatives(words: list[str]) -> str:
    """A trie of the squeezed words as one regex, each letter written once or more: a word start
    that fits none fails at its first letter, not once per word."""
    by_first: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            by_first.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    branches = [f"{letter}+{_alternatives(rest)}" for letter, rest in sorted(by_first.items())]
    if not branches:
        return ""
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if ends else group


# Whole words only, as letters and digits bound them: "skiill" is no "kill". Tried only on a word
# with a doubled letter (the lookahead): half the time of trying the trie at every word's start.
DOUBLED = re.compile(r"(?<![a-z0-9])(?=[a-z]*([a-z])\1)" + _alternatives(sorted(_BY_SQUEEZED)) + r"(?![a-z0-9])")
_A_DOUBLE = re.compile(r"([a-z])\1")


def restore(match: re.Match[str]) -> str:
    """The listed word a doubled spelling stands for; a spelling without a doubled letter is left as
    written ("niger", the country, squeezes as "nigger" does; "kil" is a typo, not an evasion)."""
    token = match.group(0)
    # The lookahead found a doubled letter, but maybe past the listed word's end ("nigerr" is none).
    return _BY_SQUEEZED[squeezed(token)] if _A_DOUBLE.search(token) else token


def restore_all(text: str) -> str:
    return DOUBLED.sub(restore, text)
