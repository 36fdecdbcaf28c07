"""A tiny labelled CSV in the shared data's schema, for training runs that must finish in seconds."""
from __future__ import annotations

import csv
import itertools
from pathlib import Path

HEADER = ["text", "toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat", "source"]
CIVIL = ["thanks for the thoughtful article", "i learned a lot about the city budget",
         "the council meeting is on tuesday", "great reporting on the new library",
         "i disagree with the mayor but respect the plan", "the bus schedule changed last week",
         "what a lovely photo of the harbour", "please fix the typo in the second paragraph"]
ABUSIVE = ["you are a worthless idiot", "shut up you stupid moron", "what an idiot, go die",
           "you pathetic stupid loser", "this author is a moron and an idiot", "stupid idiot, nobody cares"]
OPENERS = ["", "honestly ", "well, ", "again ", "wow "]
CLOSERS = ["", " today", " for sure", " as usual", " again"]
# Train with TRAINING_MIN_POSITIVES at most this: the smallest head's positive rows.
MIN_POSITIVES = 20


def write_training_csv(directory: Path, *, copies: int = 1) -> Path:
    """350 rows per copy (150 toxic), sources the licence list allows (convabuse, olid)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "tiny_train.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        for copy in range(copies):
            suffix = f" #{copy}" if copy else ""
            for (text, toxic), opener, closer in itertools.product(
                [(t, 0) for t in CIVIL] + [(t, 1) for t in ABUSIVE], OPENERS, CLOSERS
            ):
                writer.writerow({"text": f"{opener}{text}{closer}{suffix}", "toxicity": toxic,
                                 "insult": toxic if closer in ("", " today") else "",
                                 "source": "convabuse" if opener in ("", "wow ") else "olid"})
    return path
