"""The attribute names every model scores, in the order of label columns."""

ATTRIBUTES: tuple[str, ...] = (
    "toxicity",
    "severe_toxicity",
    "insult",
    "identity_attack",
    "profanity",
    "threat",
)
