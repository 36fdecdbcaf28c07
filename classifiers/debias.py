"""Identity-term neutralisation: identity words alone should not move toxicity or insult scores.

Training data ties words such as "gay", "muslim" or "queer" to abuse because abuse mentions
them, so a bag-of-n-grams model flags "I am a proud queer woman" (Dixon et al. 2018). We zero
the weights of each identity word's own features - its word column and its character n-grams
of four or more letters - in the heads where identity is not the point. identity_attack keeps
them: there the target group is part of what the label means. A religion's name and the names of
people readers argue about are treated the same; the groups' nouns and plurals and the parties'
names lose their word column only. Naming a group or a person is not abuse.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from classifiers.features import CivilityFeatures
from classifiers.ngram_cache import char_ngrams, hash_column
from classifiers.heads import MaskedLinearHeads

NEUTRALISED_HEADS: tuple[str, ...] = ("toxicity", "insult")

# Neutralised like the adjectives (word and longer n-grams): a religion's own name, whose
# n-grams are nearly all the word ("Islam is a religion." scored 0.88, and 0.57 with its word alone).
RELIGION_NAMES: tuple[str, ...] = ("islam",)

# The nouns and plurals of the groups bias.IDENTITY_TERMS names by adjective: "jewish" was
# neutralised but "jews" was not, so "My neighbours are Jews." scored 0.80. Their word column only:
# zeroing their longer n-grams too took 0.006-0.013 more from the hate files for no more gain on
# sentences that name a group (README, "Group nouns and people's names").
GROUP_NOUNS: tuple[str, ...] = (
    "jew", "jews", "muslims", "moslem", "moslems", "christians", "catholics", "protestants",
    "hindu", "hindus", "sikhs", "buddhists", "gays", "lesbians", "bisexuals", "homosexuals",
    "transgenders", "blacks", "whites", "asians", "africans", "hispanics", "latinos", "mexicans",
    "indians", "arab", "arabs", "europeans", "americans", "canadians", "immigrant", "immigrants",
    "refugees", "migrants", "woman", "women",
)

# People a news site's readers argue about, neutralised like the identity adjectives (word and
# longer n-grams: "biden" alone kept 0.51 through " bide" and "iden "). One small source's 49
# comments naming Biden, all toxic, made "I voted for Joe Biden." 0.91 and "Brandon" alone 0.98.
PEOPLE_NAMES: tuple[str, ...] = (
    "trump", "donald", "biden", "joe", "obama", "hillary", "clinton", "bernie", "sanders", "kamala",
    "pelosi", "brandon", "kaepernick",
)

# Parties and political camps: their word column only. Zeroing their n-grams as well ("eral" of
# liberal is in general and several) cost olid_test, political tweets, 0.004 more.
PARTY_NAMES: tuple[str, ...] = (
    "democrat", "democrats", "republican", "republicans", "liberal", "liberals", "conservative",
    "conservatives", "gop",
)


def identity_columns(features: CivilityFeatures, terms: Iterable[str]) -> np.ndarray:
    """Feature columns that belong to the identity words themselves (short n-grams like 'th' are
    shared with everything and stay)."""
    terms = list(terms)
    word_size = 1 << features.word_bits
    grams = {
        word_size + hash_column(gram, 1 << features.char_bits)
        for term in terms
        for word in term.lower().split()
        for gram in char_ngrams(word, *features.char_ngrams)
        if len(gram.strip()) >= 4 or gram.strip() == word
    }
    return np.union1d(word_columns(features, terms), np.array(sorted(grams), dtype=np.int64))


def word_columns(features: CivilityFeatures, words: Iterable[str]) -> np.ndarray:
    """The word columns of `words`, and nothing of the n-grams they share with other words."""
    word_size = 1 << features.word_bits
    return np.array(sorted({hash_column(w, word_size) for term in words for w in term.lower().split()}), dtype=np.int64)


def neutralise_identity_terms(
    features: CivilityFeatures,
    heads: MaskedLinearHeads,
    terms: Sequence[str],
    attributes: Sequence[str] = NEUTRALISED_HEADS,
    word_only: Sequence[str] = (),
) -> dict[str, object]:
    """Zero the weights of `terms` (word and longer n-grams) and of `word_only` (word column) in
    `attributes`' heads in place; returns what was done, for the card."""
    columns = np.union1d(identity_columns(features, terms), word_columns(features, word_only))
    changed = [a for a in attributes if a in heads.attributes_] if len(columns) else []
    for attribute in changed:
        heads.weights_[columns, heads.attributes_.index(attribute)] = 0.0
    return {"heads": changed, "terms": list(terms), "word_only": list(word_only), "columns_zeroed": int(len(columns))}
