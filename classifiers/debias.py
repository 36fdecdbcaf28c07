"""Identity-term neutralisation: identity words alone should not move toxicity or insult scores.

Training data ties words such as "gay", "muslim" or "queer" to abuse because abuse mentions
them, so a bag-of-n-grams model flags "I am a proud queer woman" (Dixon et al. 2018). We zero
the weights of each identity word's own features - its word column and its character n-grams
of four or more letters - in the heads where identity is not the point. identity_attack keeps
them: there the target group is part of what the label means. A religion's name and the names of
people readers argue about are treated the same; the groups' nouns and plurals and the parties'
names lose only their word column and the n-grams that are the whole word. Naming a group or a
person is not abuse.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import numpy as np

from classifiers.features import CivilityFeatures
from classifiers.ngram_cache import char_ngrams, hash_column
from classifiers.heads import MaskedLinearHeads

NEUTRALISED_HEADS: tuple[str, ...] = ("toxicity", "insult")
# Severe toxicity, learnt from hate-speech labels, loses the groups' nouns only: "Jews" alone scored
# 0.99 there and "Jews and Muslims marched together for peace." 0.76 (a Perspective switcher's walk),
# while zeroing the adjectives as well cost the hate files' severe AUC up to 0.022.
NOUN_NEUTRALISED_HEADS: tuple[str, ...] = NEUTRALISED_HEADS + ("severe_toxicity",)

# Neutralised like the adjectives (word and longer n-grams): a religion's own name, whose
# n-grams are nearly all the word ("Islam is a religion." scored 0.88, and 0.57 with its word alone).
RELIGION_NAMES: tuple[str, ...] = ("islam",)

# Not counterfactual.GROUP_PLURALS, the plurals swapped for one another in the identity-attack copies.
# The nouns and plurals of the groups bias.IDENTITY_TERMS names by adjective: "jewish" was
# neutralised but "jews" was not, so "My neighbours are Jews." scored 0.80. Their word column and
# the n-grams that are the whole word only (`word_columns`): zeroing their longer n-grams too took 0.006-0.013 more from the hate files for no more gain on
# sentences that name a group (docs/model.md, "Group nouns and people's names").
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

# Health, disability and body size, neutralised like the identity adjectives (word and longer
# n-grams): a reader saying "I am a person with mental illness." scored 0.58 and "People with mental
# illness deserve better care than this." 0.81 (an identity-bias auditor's walk, 2026-12-06), as
# abuse says "mental" far more often than news comments about care do. "mentally" and "fat" stay:
# zeroing them let "You're clearly mentally ill, get help." (0.74 -> 0.42) and "You fat slob."
# (0.94 -> 0.32) through, and they are insults more often than a reader's own description.
HEALTH_TERMS: tuple[str, ...] = (
    "mental", "illness", "autistic", "autism", "bipolar", "schizophrenic", "schizophrenia", "disabled",
    "disability", "wheelchair", "overweight", "obese",
)

# Parties and political camps: their word column only (`word_columns`). Zeroing their n-grams as well ("eral" of
# liberal is in general and several) cost olid_test, political tweets, 0.004 more.
PARTY_NAMES: tuple[str, ...] = (
    "democrat", "democrats", "republican", "republicans", "liberal", "liberals", "conservative",
    "conservatives", "gop",
)


def identity_columns(features: CivilityFeatures, terms: Iterable[str]) -> np.ndarray:
    """Feature columns that belong to the identity words themselves (short n-grams like 'th' are
    shared with everything and stay)."""
    return _own_columns(features, terms, lambda gram, word: len(gram) >= 4 or gram == word)


def word_columns(features: CivilityFeatures, words: Iterable[str]) -> np.ndarray:
    """Each word's column, and the character n-grams that are the whole word ("jews", " jews",
    "jews "): nothing of the n-grams it shares with other words."""
    return _own_columns(features, words, lambda gram, word: gram == word)


def _own_columns(features: CivilityFeatures, terms: Iterable[str], keep: Callable[[str, str], bool]) -> np.ndarray:
    """Every word's word column, and the columns of its character n-grams (stripped of the padding
    space) that `keep(gram, word)` takes."""
    word_size, char_size = 1 << features.word_bits, 1 << features.char_bits
    columns: set[int] = set()
    for term in terms:
        for word in term.lower().split():
            columns.add(hash_column(word, word_size))
            columns.update(word_size + hash_column(gram, char_size)
                           for gram in char_ngrams(word, *features.char_ngrams) if keep(gram.strip(), word))
    return np.array(sorted(columns), dtype=np.int64)


def neutralise_identity_terms(
    features: CivilityFeatures,
    heads: MaskedLinearHeads,
    terms: Sequence[str],
    attributes: Sequence[str] = NEUTRALISED_HEADS,
    word_only: Sequence[str] = (),
    noun_attributes: Sequence[str] = NOUN_NEUTRALISED_HEADS,
) -> dict[str, object]:
    """Zero the weights of `terms` (word and longer n-grams) and of `word_only` (word column) in
    `attributes`' heads, and of `word_only` alone in `noun_attributes`' others, in place; returns
    what was done, for the card."""
    noun_columns = word_columns(features, word_only)
    columns = np.union1d(identity_columns(features, terms), noun_columns)
    changed = [a for a in attributes if a in heads.attributes_] if len(columns) else []
    nouns_only = [a for a in noun_attributes if a in heads.attributes_ and a not in changed] if len(noun_columns) else []
    for attributes_of, zeroed in ((changed, columns), (nouns_only, noun_columns)):
        for attribute in attributes_of:
            heads.weights_[zeroed, heads.attributes_.index(attribute)] = 0.0
    return {"heads": changed, "word_only_heads": changed + nouns_only, "terms": list(terms), "word_only": list(word_only),
            "columns_zeroed": int(len(columns))}
