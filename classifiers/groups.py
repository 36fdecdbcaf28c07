"""Groups named by their identity, in the two forms the identity-attack copies swap: plain tuples.

A module of its own, importing nothing, so the web app's group_attack rule
(moderation/domain/group_attacks.py) reads the same words without loading numpy, scipy or
scikit-learn (tests/test_cli_start.py holds the app's start-up to that).
"""

# Two forms, swapped only within their own form so a copy stays grammatical: the adjective or
# singular ("a gay man", "muslim women") and the plural noun ("gays", "muslims").
GROUP_ADJECTIVES: tuple[str, ...] = (
    "gay", "lesbian", "bisexual", "transgender", "trans", "queer", "black", "white", "asian", "muslim",
    "jewish", "christian", "hindu", "buddhist", "sikh", "catholic", "mexican", "african", "arab", "chinese",
    "indian", "hispanic", "latino", "disabled",
)
GROUP_PLURALS: tuple[str, ...] = (
    "muslims", "jews", "christians", "hindus", "women", "men", "gays", "lesbians", "blacks", "whites",
    "asians", "mexicans", "africans", "arabs", "immigrants", "refugees", "homosexuals", "catholics",
)
# The singular nouns whose plurals are above and which are not adjectives too ("a jew", "that woman's
# opinion"): not swapped by the copies, whose two forms must stay grammatical, but a name of a group
# all the same wherever a group named is treated as such (the explanations' marks).
GROUP_SINGULAR_NOUNS: tuple[str, ...] = ("jew", "woman", "man", "immigrant", "refugee", "homosexual")
