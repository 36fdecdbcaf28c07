"""Copies naming Nigel, Nigella, Nigeria, Niger or Nigerians: innocent words that open like a slur.

The slur's many spellings ("nigga", "niggah", "nigguh", "niglet", "nigs", "nig nog") share only their
opening with each other, so the toxicity head put its weight on the 3-grams " ni", "nig" and " nig"
(4.3, 4.7 and 5.1 in 2026.12.06-534c8b8a), not on what the spellings have that innocent words lack,
and read every word starting "nig" as abuse: "Nigel Farage should resign." scored 0.52 and "Gary
should resign." 0.15; a UK tester's 298 civil comments opened with "Nigel, " went over the toxicity
threshold 70 times, with "Steve, " 24. The training data names Nigel, Niger, Nigeria or Nigerians in
74 rows, 35 of them toxic (some of those the slur spelt "niger"). Zeroing the names' longer n-grams
after training (classifiers/debias.py) cannot help: the weight is in the 3-grams the slur needs too.

So each training row with a toxicity label that names a common first name, a country or a nationality
gets one copy with it swapped for Nigel or Nigella, Nigeria or Niger, Nigerian(s), with the row's own
labels: the names then open as many civil comments as other names do, and abuse as often as other
names do, and what only the slurs have ("nigg", "igger", "nigga", the word itself) has to carry them.
Copies of civil rows alone (run 25's first arm) taught the names to be civil: "Nigerians are
subhuman." fell from 0.94 to 0.09 where "Ghanaians" kept theirs, and "Nigel, " opened 7 of the 298
civil comments over the threshold where "Steve, " opened 24. Copies weigh `COPY_WEIGHT` of their
row, are built from training rows only, and one whose text would fall in the held-out split is dropped.

"niggle" and "niggardly" are left out: they share "nigg" with the slur itself, so teaching them civil
would take weight from what the slur alone has. "snigger" holds the slur whole.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from classifiers.attributes import ATTRIBUTES
from classifiers.recipe import is_held_out

# Names that are not also ordinary words ("mark", "will", "bill", "may", "grant" are left out, so a
# copy never turns "a bill" into "a Nigel").
MEN = ("john", "steve", "steven", "gary", "robert", "david", "james", "michael", "paul", "peter", "george",
       "tom", "jim", "bob", "dave", "mike", "chris", "richard", "jack", "harry", "andrew", "simon", "ian",
       "tony", "kevin", "brian", "keith", "graham", "colin", "nick", "alan")
WOMEN = ("mary", "sarah", "susan", "jane", "karen", "linda", "emma", "anna", "helen", "elizabeth", "margaret",
         "jennifer", "lisa", "rachel", "kate", "julie", "angela", "nicola", "theresa", "claire")
# Countries and nationalities that are not groups the identity-attack copies swap (classifiers/groups.py).
COUNTRIES = ("ghana", "kenya", "france", "germany", "ireland", "italy", "spain", "poland", "japan", "pakistan",
             "canada", "australia", "russia", "ukraine", "iran", "iraq", "syria", "somalia", "egypt", "brazil",
             "mali", "britain", "england", "scotland", "wales", "sweden", "norway", "greece", "turkey")
NATIONALITIES = ("ghanaian", "kenyan", "french", "german", "irish", "scottish", "welsh", "italian", "spanish",
                 "japanese", "pakistani", "canadian", "australian", "russian", "ukrainian", "iranian", "iraqi",
                 "syrian", "somali", "egyptian", "brazilian", "british", "swedish", "norwegian", "greek",
                 "turkish")

_SWAPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (MEN, ("nigel",)), (WOMEN, ("nigella",)), (COUNTRIES, ("nigeria", "niger")), (NATIONALITIES, ("nigerian",)),
)
_CHOICES = {word: choices for words, choices in _SWAPS for word in words}
# A nationality's plural ("Canadians") keeps its "s"; the others match whole words only.
_NAME_RE = re.compile(r"\b(" + "|".join(sorted(_CHOICES, key=len, reverse=True)) + r")(s?)\b", re.IGNORECASE)

COPY_WEIGHT = 0.3
TOXICITY = ATTRIBUTES.index("toxicity")


def _cased(new: str, old: str) -> str:
    if old.isupper() and len(old) > 1:
        return new.upper()
    return new.capitalize() if old[0].isupper() else new


def swapped(text: str, rng: np.random.Generator) -> str | None:
    """`text` with each name, country or nationality swapped for its "nig" word (one choice per
    distinct word), or None when it names none."""
    choice: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        word, plural = match.group(1), match.group(2)
        if plural and word.lower() not in NATIONALITIES:
            return match.group(0)  # "Johns", "Kenyas": not a plural we can swap
        key = word.lower()
        if key not in choice:
            options = _CHOICES[key]
            choice[key] = options[int(rng.integers(len(options)))]
        return _cased(choice[key], word) + plural

    new = _NAME_RE.sub(replace, text)
    return new if new != text else None


def name_copies(
    texts: Sequence[str], labels: np.ndarray, weights: np.ndarray, *, copy_weight: float = COPY_WEIGHT,
    random_state: int = 0,
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, labels (the original row's) and weights (`copy_weight` times the row's) of one copy of
    each row with a known toxicity label that names a person, country or nationality in the lists above."""
    rng = np.random.default_rng(random_state)
    out_texts: list[str] = []
    rows: list[int] = []
    for i in np.flatnonzero(~np.isnan(labels[:, TOXICITY])) if copy_weight > 0 else ():
        text = swapped(texts[i], rng)
        if text is None or is_held_out(text):
            continue
        out_texts.append(text)
        rows.append(int(i))
    index = np.asarray(rows, dtype=np.int64)
    return out_texts, labels[index].copy(), copy_weight * np.asarray(weights, dtype=np.float64)[index]


def card_entry(copies: Sequence[str], copy_weight: float = COPY_WEIGHT) -> dict[str, object]:
    """What the model card says of the copies."""
    return {
        "rows": len(copies), "copy_weight": copy_weight, "heads": "all (the original row's labels)",
        "swapped_for": {"first names": ["nigel", "nigella"], "countries": ["nigeria", "niger"],
                        "nationalities": ["nigerian", "nigerians"]},
        "why": "words opening like a slur (\"Nigel\", \"Nigeria\") had read as abuse through the 3-grams they share "
               "with it; copies with the labels of the rows they swap move that weight to what only the slurs have (classifiers/name_swaps.py)",
    }
