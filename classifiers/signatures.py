"""Talk-page signatures read as the spaces they stand in: a wiki-style community signs each post
("--[[User:Ann|Ann]] ([[User talk:Ann|talk]]) 09:41, 12 May 2026 (UTC)"), and its dozen neutral
words weigh against an insult's few, as any civil words do. A reviewer's walk (2026-12-06) signed
80 talk-page comments: the model held 4 of their 28 toxic ones, 11 unsigned. Only the signature's
own parts go, and only with the timestamp that ends it: a link to a user's page, "(talk)" and the
"(UTC)" timestamp; the name a signature writes in plain text stays, as any name in a comment does.
Same length, so offsets stay right. Only the model's features read without it: the rules read every
word, a link's too (`normalise` keeps them)."""

from __future__ import annotations

import re

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# The forms the shared Wikipedia files hold: "09:41, 12 May 2026", "08:30, August 3, 2005",
# "04:38, 2005 Jan 20", and a date alone ("16 July 2006 (UTC)").
_DATE = rf"(?:\d{{1,2}} {_MONTH},? \d{{4}}|{_MONTH} \d{{1,2}},? \d{{4}}|\d{{4}} {_MONTH} \d{{1,2}})"
# A user's page as a signature links it: a name, not a sentence (a re-check hid "[[User:I know where
# you live and I will kill you]]" from the model and every rule when any link was blanked).
_LINK = r"\[\[(?:user(?:[ _]talk)?:|special:contributions/)[^\[\]\n|]{1,40}(?:\|[^\[\]\n|]{0,40})?\]\]"
_TALK = rf"(?:\(\s?{_LINK}\s?\)|\((?:talk|contribs|talk\s?[•·|]\s?contribs)\))"
# A whole signature, always ending in its timestamp: links and "(talk)" before it are blanked only
# with it. Each part is bounded and the timestamp required: linear on any text.
SIGNATURE = re.compile(
    rf"(?:(?:--|[—–])\s?)?(?:{_LINK}\s?)?(?:{_TALK}\s?)?(?:\d{{1,2}}:\d{{2}},? )?{_DATE} \(UTC\)",
    re.IGNORECASE,
)


# Looked for back from each "(UTC)" a signature ends in, not tried at every character of the text:
# the model's features read every comment through here, and 857 of jigsaw's 24,303 posts hold one.
_ENDING = re.compile(SIGNATURE.pattern + r"\Z", re.IGNORECASE)
_REACH = 260  # longer than any signature SIGNATURE matches
_DATED = re.compile(_DATE + r" \(UTC\)\Z", re.IGNORECASE)


def blank_signatures(text: str) -> str:
    """`text` with every part of a talk-page signature turned into as many spaces."""
    end = text.find("(UTC)")
    if end < 0:
        return text
    pieces, last = [], 0
    while end >= 0:
        # A date first, in the few characters before "(UTC)": "(UTC)" 4,000 times had taken 0.4 s.
        dated = _DATED.search(text, max(last, end - 24), end + 5) is not None
        found = _ENDING.search(text, max(last, end + 5 - _REACH), end + 5) if dated else None
        if found is not None:
            pieces.append(text[last:found.start()] + " " * (found.end() - found.start()))
            last = found.end()
        end = text.find("(UTC)", end + 5)
    return text if not pieces else "".join(pieces) + text[last:]
