"""The plain-words rules (`threat_words`, `group_attack`, `at_risk`, `urging_self_harm`, starter rules of every
new site; and `contact_seeking`, a children's site's, which an admin adds) over the shared data: how
often each fires on real comments people labelled civil (what a site would hold that it need not) and toxic, and on HateCheck's hateful and non-hateful cases (never trained on).
They read the classifier's normalised text, as the rules do when a comment is scored.

    .venv/bin/python bench/plain_words_rules.py [--examples N] [--data DIR]

Prints a table and N random civil comments each rule fired on, to read.
"""
from __future__ import annotations

import argparse
import collections
import csv
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from classifiers.normalise import normalise  # noqa: E402
from moderation.domain.contact_seeking import contact_seeking  # noqa: E402
from moderation.domain.group_attacks import group_attack  # noqa: E402
from moderation.domain.self_harm import at_risk, urging_self_harm  # noqa: E402
from moderation.domain.threat_words import threat_words  # noqa: E402

GENERATED = {"hatecheck.csv", "bias_madlibs.csv"}
# Each as the rules call it: the threat rule reads the names the text as written capitalises too.
RULES = {"threat_words": threat_words, "group_attack": group_attack,
         "at_risk": lambda normalised, written: at_risk(normalised),
         "urging_self_harm": lambda normalised, written: urging_self_harm(normalised),
         "contact_seeking": lambda normalised, written: contact_seeking(normalised)}


def _label(row: dict[str, str], column: str) -> str | None:
    try:
        value = float(row.get(column) or "nan")
    except ValueError:
        return None
    return None if value != value else ("toxic" if value >= 0.5 else "civil")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=5, help="random civil comments each rule fired on")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="the shared data folder")
    args = parser.parse_args(argv)
    if not (args.data / "hatecheck.csv").exists():
        parser.error(f"no shared data in {args.data}: name the folder with --data")
    csv.field_size_limit(sys.maxsize)
    totals: collections.Counter[str] = collections.Counter()
    fired: collections.Counter[tuple[str, str]] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    for path in sorted(args.data.glob("*.csv")):
        if path.name == "bias_madlibs.csv":
            continue
        hatecheck = path.name in GENERATED
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                label = _label(row, "identity_attack" if hatecheck else "toxicity")
                if label is None:
                    continue
                group = ("hatecheck " + ("hateful" if label == "toxic" else "not hateful")) if hatecheck else label
                totals[group] += 1
                normalised = normalise(row["text"])
                for name, find in RULES.items():
                    if find(normalised, row["text"]):
                        fired[(name, group)] += 1
                        if group == "civil":
                            examples[name].append(row["text"])
    groups = ["civil", "toxic", "hatecheck hateful", "hatecheck not hateful"]
    print(f"{'rule':16}" + "".join(f"{g:>24}" for g in groups))
    for name in RULES:
        cells = [f"{fired[(name, g)]:,} ({fired[(name, g)] / max(totals[g], 1):.2%})" for g in groups]
        print(f"{name:16}" + "".join(f"{c:>24}" for c in cells))
    print("of " + ", ".join(f"{totals[g]:,} {g}" for g in groups))
    rng = random.Random(7)
    for name, texts in examples.items():
        print(f"\n{name}, civil comments it fired on:")
        for text in rng.sample(texts, min(args.examples, len(texts))):
            print("   ", repr(text[:160]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
