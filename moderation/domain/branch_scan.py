"""A rule's long alternation read one alternative at a time, each only where its words are in the text.

The phrase rules join a hundred alternatives into one regex, each opening at a word boundary, so
the regex engine tries every alternative at every word: a crafted comment of 20,000 characters ("oo-"
repeated, "Hale ☠ lol") cost a second or two of CPU in group_attack and threat_words alone, and most
alternatives could not match it at all, since it holds none of the words they spell. Each alternative
here carries the literal words it cannot match without (read from its parsed regex, so a pattern
edited keeps them right), and an alternative whose words are not all in the text is not run.

`finditer` yields the matches the joined regex's finditer yields, in its order: at each position the
regex takes the first alternative that matches there, so the next match is the earliest of the
alternatives' own next matches, the first alternative's on a tie, and the search goes on from its end.
A pattern this cannot split exactly (flags for the whole, back-references, an alternative that matches
the empty string) is read as it is.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from re import _compiler  # type: ignore[attr-defined]
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]

_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
# A factor: the alternative needs at least one of these strings in the text.
Factor = frozenset[str]


def _top_level(source: str) -> list[str]:
    """`source` cut at each "|" outside brackets, classes and escapes."""
    parts, depth, start, k, in_class = [], 0, 0, 0, False
    while k < len(source):
        char = source[k]
        if char == "\\":
            k += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A "]" first in a class ("[]a]", "[^]a]") is one of its characters, not its end.
            k += 2 if source[k + 1 : k + 2] == "]" else 3 if source[k + 1 : k + 3] == "^]" else 1
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:k])
            start = k + 1
        k += 1
    parts.append(source[start:])
    return parts


def _factors(items: parser.SubPattern | list) -> list[Factor]:
    """The factors every match of `items` meets: runs of literal characters, and for an alternation
    one factor of each alternative joined (none if an alternative has none)."""
    found: list[Factor] = []
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            found.append(frozenset(("".join(run),)))
            run = []
        if op is C.SUBPATTERN:
            if not av[1] & (C.SRE_FLAG_IGNORECASE | C.SRE_FLAG_LOCALE):
                found += _factors(av[3])
        elif op is C.ATOMIC_GROUP:
            found += _factors(av)
        elif op in _REPEATS:
            if av[0] >= 1:
                found += _factors(av[2])
        elif op is C.BRANCH:
            chosen = []
            for alternative in av[1]:
                options = _factors(alternative)
                if not options:
                    break
                chosen.append(max(options, key=lambda f: (min(map(len, f)), -len(f))))
            else:
                found.append(frozenset().union(*chosen))
        # Anything else (a class, any character, a boundary, a lookaround) promises no literal.
    if run:
        found.append(frozenset(("".join(run),)))
    # The least likely first: a factor of one long word fails soonest.
    return sorted({_least(f) for f in found}, key=lambda f: (len(f), -min(map(len, f))))


@functools.lru_cache(maxsize=None)  # the groups' words are a factor of most alternatives: worked out once
def _least(factor: Factor) -> Factor:
    """The factor without strings that hold a shorter one of it, which any text holding them holds."""
    return frozenset(s for s in factor if not any(t != s and t in s for t in factor))


class Branches:
    """A compiled alternation, each of its alternatives compiled alone with the factors it needs."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.alternatives: list[tuple[re.Pattern[str], list[Factor]]] | None = None
        source = pattern.pattern
        if (not isinstance(source, str) or pattern.flags != re.UNICODE or "(?P=" in source or "(?(" in source
                or re.search(r"\\[1-9]", source)):
            return
        tree = parser.parse(source)
        parts = _top_level(source)
        if tree.state.flags & ~C.SRE_FLAG_UNICODE or len(parts) < 2:
            return
        alternatives = []
        for part in parts:
            parsed = parser.parse(part)
            factors = _factors(parsed)  # before compiling, which may rework the parsed tree
            # From the parsed tree, not its text: parsing each alternative twice cost a worker's start a second.
            compiled = _compiler.compile(parsed)
            if compiled.flags != re.UNICODE or parsed.getwidth()[0] == 0:
                return
            alternatives.append((compiled, factors))
        self.alternatives = alternatives

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.alternatives is None:
            yield from self.pattern.finditer(text)
            return
        present: dict[Factor, bool] = {}
        upcoming: dict[int, re.Match[str]] = {}
        for k, (alternative, factors) in enumerate(self.alternatives):
            if all(_met(f, text, present) for f in factors):
                found = alternative.search(text)
                if found is not None:
                    upcoming[k] = found
        while upcoming:
            k = min(upcoming, key=lambda j: (upcoming[j].start(), j))
            found = upcoming[k]
            yield found
            end = found.end()  # never its start: no alternative matches the empty string
            for j in [j for j, m in upcoming.items() if m.start() < end]:
                again = self.alternatives[j][0].search(text, end)
                if again is None:
                    del upcoming[j]
                else:
                    upcoming[j] = again

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


def _met(factor: Factor, text: str, present: dict[Factor, bool]) -> bool:
    met = present.get(factor)
    if met is None:
        met = present[factor] = any(s in text for s in factor)
    return met


@functools.lru_cache(maxsize=None)
def branches(pattern: re.Pattern[str]) -> Branches:
    """`pattern` split once, for every comment after."""
    return Branches(pattern)
