"""Tiny self-contained training rows for classifier tests (never read from ../shared)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path


HEADER = ["text", "toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat", "source"]

CIVIL = [
    "thanks for the thoughtful article",
    "i learned a lot about the city budget",
    "the council meeting is on tuesday",
    "great reporting on the new library",
    "i disagree with the mayor but respect the plan",
    "the bus schedule changed last week",
    "what a lovely photo of the harbour",
    "please fix the typo in the second paragraph",
]
ABUSIVE = [
    "you are a worthless idiot",
    "shut up you stupid moron",
    "what an idiot, go die",
    "you pathetic stupid loser",
    "this author is a moron and an idiot",
    "stupid idiot, nobody cares",
]
OPENERS = ["", "honestly ", "well, ", "again ", "wow "]
CLOSERS = ["", " today", " for sure", " as usual", " again"]


def labelled_rows() -> list[dict[str, str]]:
    rows = []
    for (text, toxic), opener, closer in itertools.product(
        [(t, 0) for t in CIVIL] + [(t, 1) for t in ABUSIVE], OPENERS, CLOSERS
    ):
        rows.append(
            {
                "text": f"{opener}{text}{closer}",
                "toxicity": str(toxic),
                # insult known only on half the rows: the rest must stay unknown, not 0
                "insult": str(toxic) if closer in ("", " today") else "",
                "source": "convabuse" if opener in ("", "wow ") else "olid",
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in HEADER})
    return path
