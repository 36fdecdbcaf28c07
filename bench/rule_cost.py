"""What the plain-words rules cost a comment, over real comments and over crafted hostile ones.

    .venv/bin/python bench/rule_cost.py [--data /work/shared/data] [--rows 20000]

Run it in two trees (the code before and after a change to the rules) one after the other, twice,
alternating: this machine's speed moves by a tenth between runs. Prints a table of milliseconds a
comment for each rule kind over the first rows of cad_reddit (best of three passes), and seconds for
each crafted 20,000-character text (a rule that reads one text two ways shows here first: 20,000
characters of "oo-" took 6 s in a second re-check of 2026-12-06, 0.2 s once mended), read as the
rules read it and, beside it, with each long alternation read whole as it was before
moderation/domain/branch_scan.py (2026-12-07: every alternative tried at every word).
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moderation.domain.rules import phrase_found  # noqa: E402

KINDS = ("threat_words", "group_attack", "at_risk", "urging_self_harm")
CRAFTED = {"oo-": ("oo-" * 7000)[:20000], "oo- and a rat": ("oo-" * 7000)[:19999] + "\U0001f400",
           "i will kill": ("i will kill " * 1700)[:20000], "his wife works at the": ("his wife works at the " * 900)[:20000],
           "a'": "a'" * 10000, "kill Hale \u2620 lol": ("kill Hale \u2620 lol " * 1200)[:20000],
           "Kill \u2620 lol,": ("Kill \u2620 lol, " * 1500)[:20000], "ab cd \U0001f412 ef": ("ab cd \U0001f412 ef " * 1600)[:20000]}


class _Whole:
    """A long alternation read whole, as the rules read it before branch_scan."""

    def __init__(self, pattern) -> None:  # noqa: ANN001 - a compiled pattern
        self.finditer, self.search = pattern.finditer, pattern.search


def _read_whole(whole: bool) -> None:
    from moderation.domain import branch_scan, group_attacks, platform_threats, self_harm, threat_words, veiled_threats

    for module in (group_attacks, platform_threats, self_harm, threat_words, veiled_threats):
        module.branches = _Whole if whole else branch_scan.branches


def _cpu(kind: str, text: str) -> float:
    started = time.process_time()
    phrase_found(kind, text)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="/work/shared/data", help="the shared data folder (cad_reddit.csv is read)")
    parser.add_argument("--rows", type=int, default=20_000, help="how many of cad_reddit's comments")
    args = parser.parse_args()
    with open(Path(args.data) / "cad_reddit.csv", encoding="utf-8") as f:
        texts = [row["text"] for _, row in zip(range(args.rows), csv.DictReader(f))]
    print(f"| rule | ms a comment over {len(texts):,} cad_reddit comments | fires on |")
    print("|---|---:|---:|")
    for kind in KINDS:
        phrase_found(kind, "warm up")
        best, fired = float("inf"), 0
        for _ in range(3):
            started = time.perf_counter()
            fired = sum(phrase_found(kind, text) is not None for text in texts)
            best = min(best, time.perf_counter() - started)
        print(f"| {kind} | {best / len(texts) * 1e3:.3f} | {fired} |")
    print()
    print("| crafted 20,000 characters | " + " | ".join(f"{kind} (split / whole)" for kind in KINDS) + " |")
    print("|---|" + "---:|" * len(KINDS))
    for name, text in CRAFTED.items():
        cells = []
        for kind in KINDS:
            seconds = []
            for whole in (False, True):
                _read_whole(whole)
                phrase_found(kind, "warm up " + text[:50])  # a worker's first comment compiles what it needs
                seconds.append(_cpu(kind, text))
            _read_whole(False)
            cells.append(f"{seconds[0]:.2f} / {seconds[1]:.2f} s")
        print(f"| {name} | " + " | ".join(cells) + " |")

if __name__ == "__main__":
    main()
