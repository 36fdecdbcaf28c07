"""The personal-information rules (phone, email, street_address, payment_card; starter rules of every
new site; and social_handle, which is not one) over every shared file's labelled comments: how often each fires on comments people
labelled civil, which is what a site would hold that the model publishes, and on toxic ones.
Generated sets (HateCheck, bias_madlibs) are left out: they hold no numbers or addresses.

    .venv/bin/python bench/personal_information.py [--examples N] [--data DIR]

Prints a table per rule and N random civil comments each fired on, to read: most are a real phone
number, address or e-mail, which a site would rather a moderator saw first.
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

from moderation.domain import rule_matchers as match  # noqa: E402

DATA = REPO.parent / "shared" / "data"
GENERATED = {"hatecheck.csv", "bias_madlibs.csv"}
RULES = {"phone": match.phone_number, "email": match.email_address, "street_address": match.street_address,
         "payment_card": match.payment_card, "social_handle": match.social_handle}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=5, help="random civil comments each rule fired on")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    args = parser.parse_args(argv)
    csv.field_size_limit(sys.maxsize)
    totals: collections.Counter[str] = collections.Counter()
    fired: collections.Counter[tuple[str, str]] = collections.Counter()
    any_rule: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    for path in sorted(args.data.glob("*.csv")):
        if path.name in GENERATED:
            continue
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                try:
                    label = "toxic" if float(row.get("toxicity") or "nan") >= 0.5 else "civil"
                except ValueError:
                    continue
                if row.get("toxicity") in ("", None) or row["toxicity"].lower() == "nan":
                    continue
                totals[label] += 1
                hit = False
                for name, find in RULES.items():
                    found = find(row["text"])
                    if found:
                        hit = hit or name != "social_handle"  # "any of them": the starter rules'
                        fired[(name, label)] += 1
                        if label == "civil":
                            examples[name].append(row["text"])
                any_rule[label] += hit
    print(f"{'rule':16} {'civil fired':>12} {'of civil':>10} {'toxic fired':>12} {'of toxic':>10}")
    for name in [*RULES, "any starter one"]:
        civil = any_rule["civil"] if name == "any starter one" else fired[(name, "civil")]
        toxic = any_rule["toxic"] if name == "any starter one" else fired[(name, "toxic")]
        print(f"{name:16} {civil:12,} {civil / totals['civil']:10.3%} {toxic:12,} {toxic / totals['toxic']:10.3%}")
    print(f"\n{totals['civil']:,} civil and {totals['toxic']:,} toxic comments")
    rng = random.Random(7)
    for name, texts in examples.items():
        print(f"\n{name}:")
        for text in rng.sample(texts, min(args.examples, len(texts))):
            print("   ", repr(text[:160]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
