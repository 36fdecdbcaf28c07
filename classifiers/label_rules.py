"""What the shared labels imply beyond what each file states, applied before training.

Each file labels a few attributes and leaves the others unknown. Two facts fill some gaps:

* A comment that is not toxic is not an insult, an identity attack, profane, a threat or
  severely toxic either. Without these negatives the sub-attribute heads would see almost only
  toxic comments (civil_spans holds nothing else) and would flag any ordinary comment. Except
  profanity when the comment swears: "damn fucking hate this university bullshit" (hatexplain,
  normal) and a chatbot user's "fuck" (convabuse, not abusive) are not toxic but are profane, and
  as negatives they taught the head that swearing is not profanity. Such a comment's profanity
  stays unknown (`swears`, a word list over the normalised text).
* No shared file rates severe toxicity (3 positives in 24,000 Wikipedia rows), so its head learns
  a derived label: a toxic comment is severely toxic when it threatens or attacks an identity, or
  is both an insult and profane; a toxic comment known to be none of these is not. The model
  card says so.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from classifiers.attributes import ATTRIBUTES
from classifiers.normalise import normalise

_T, _SEVERE, _INSULT, _IDENTITY, _PROFANITY, _THREAT = (
    ATTRIBUTES.index(a) for a in ("toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat")
)
SUB_ATTRIBUTES = tuple(j for j in range(len(ATTRIBUTES)) if j != _T)

# Swear words and their common forms, after normalisation (so f*ck, sh1t and "f u c k" count). Only
# ever used to leave a label unknown, never to set one, so a harmless "cocktail" costs nothing and a
# "hell of a game" only a negative the head does without.
_SWEARING = re.compile(
    r"\b(?:\w*fuck\w*|shit\w*|bullshit\w*|bitch\w*|piss\w*|cunts?|dicks?|cocks?|puss(?:y|ies)|ass(?:es|holes?)?"
    r"|arse(?:holes?)?|bastards?|whores?|sluts?|\w*damn\w*|hell|crap\w*|twats?|wankers?|bollocks|wtf|stfu)\b"
)

PROFANITY_RULE = ("a comment labelled not toxic is labelled not profane unless it swears (classifiers/label_rules.py "
                  "word list): then profanity stays unknown")

SEVERE_TOXICITY_RULE = (
    "derived: toxic and (threat or identity_attack or (insult and profanity)) = 1; toxic and known to be "
    "none of these = 0; not toxic = 0; a source's own severe_toxicity label wins"
)


def swears(text: str) -> bool:
    """Whether `text` holds a swear word, masked, spaced out or leet-spelled ones included."""
    return _SWEARING.search(normalise(text)) is not None


def imply_labels(labels: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """A copy of `labels` (n, 6; NaN = unknown) with the implied negatives and derived severity."""
    out = np.array(labels, dtype=np.float64, copy=True)
    not_toxic = out[:, _T] == 0
    # A not-toxic comment that swears keeps the profanity label its source gave (usually none).
    unsaid = not_toxic & np.isnan(out[:, _PROFANITY])
    swearing = [i for i in np.flatnonzero(unsaid).tolist() if swears(texts[i])]
    for j in SUB_ATTRIBUTES:
        out[not_toxic & np.isnan(out[:, j]), j] = 0.0
    out[swearing, _PROFANITY] = np.nan
    unknown = np.isnan(out[:, _SEVERE])
    toxic = out[:, _T] == 1
    severe = (out[:, _THREAT] == 1) | (out[:, _IDENTITY] == 1) | ((out[:, _INSULT] == 1) & (out[:, _PROFANITY] == 1))
    mild = ((out[:, _THREAT] == 0) & (out[:, _IDENTITY] == 0)
            & ((out[:, _INSULT] == 0) | (out[:, _PROFANITY] == 0)))
    # Threats and identity attacks are toxic whatever a file says about toxicity; civil_spans rows
    # have no toxicity label (it is dropped) but were all rated toxic upstream.
    maybe_toxic = toxic | np.isnan(out[:, _T])
    out[unknown & severe, _SEVERE] = 1.0
    out[unknown & ~severe & mild & maybe_toxic, _SEVERE] = 0.0
    return out
