"""The `other_language` rule's detector (classifiers/language.py) over every shared file: how many
comments it calls another language, which languages, and how fast. The files are nearly all
English, so what it calls foreign here is mostly what it would hold on an English site by mistake,
plus the German, Dutch and Spanish posts some of them carry.

    .venv/bin/python bench/language.py [--examples N]

Prints a table per file, the languages found, the speed (one comment at a time, as the scorer
calls it) and N random examples to read.
"""
from __future__ import annotations

import argparse
import collections
import csv
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from classifiers.language import detect  # noqa: E402

DATA = REPO.parent / "shared" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=20, help="random comments called foreign, to read")
    args = parser.parse_args(argv)
    csv.field_size_limit(sys.maxsize)
    detect("warm the identifier up before timing")
    found: collections.Counter[str] = collections.Counter()
    examples: list[tuple[str, str, float, str]] = []
    total, seconds = 0, 0.0
    print(f"{'file':28} {'comments':>9} {'foreign':>8} {'share':>8}")
    for path in sorted(DATA.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            texts = [row["text"] for row in csv.DictReader(handle)]
        started = time.perf_counter()
        results = [detect(text) for text in texts]
        seconds += time.perf_counter() - started
        foreign = [(r, t) for r, t in zip(results, texts) if not r.readable]
        found.update(r.code for r, _ in foreign)
        examples += [(path.name, r.code, r.confidence, t) for r, t in foreign]
        total += len(texts)
        print(f"{path.name:28} {len(texts):>9,} {len(foreign):>8,} {len(foreign) / max(len(texts), 1):>8.3%}")
    called = sum(found.values())
    print(f"{'all files':28} {total:>9,} {called:>8,} {called / max(total, 1):>8.3%}")
    print("languages:", ", ".join(f"{code} {n}" for code, n in found.most_common()))
    print(f"speed: {total / seconds:,.0f} comments/s, {seconds / total * 1e6:.0f} µs a comment (one at a time, one core)")
    random.seed(0)
    for name, code, confidence, text in random.sample(examples, min(args.examples, len(examples))):
        print(f"  {code:4} {confidence:.2f}  {name:26} {' '.join(text.split())[:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
