"""What the shared labels imply beyond what each file states, applied before training.

Each file labels a few attributes and leaves the others unknown. Two facts fill some gaps:

* A comment that is not toxic is not an insult, an identity attack, profane, a threat or
  severely toxic either. Without these negatives the sub-attribute heads would see almost only
  toxic comments (civil_spans holds nothing else) and would flag any ordinary comment.
* No shared file rates severe toxicity (3 positives in 24,000 Wikipedia rows), so its head learns
  a derived label: a toxic comment is severely toxic when it threatens or attacks an identity, or
  is both an insult and profane; a toxic comment known to be none of these is not. The model
  card says so.
"""

from __future__ import annotations

import numpy as np

from classifiers.attributes import ATTRIBUTES

_T, _SEVERE, _INSULT, _IDENTITY, _PROFANITY, _THREAT = (
    ATTRIBUTES.index(a) for a in ("toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat")
)
SUB_ATTRIBUTES = tuple(j for j in range(len(ATTRIBUTES)) if j != _T)

SEVERE_TOXICITY_RULE = (
    "derived: toxic and (threat or identity_attack or (insult and profanity)) = 1; toxic and known to be "
    "none of these = 0; not toxic = 0; a source's own severe_toxicity label wins"
)


def imply_labels(labels: np.ndarray) -> np.ndarray:
    """A copy of `labels` (n, 6; NaN = unknown) with the implied negatives and derived severity."""
    out = np.array(labels, dtype=np.float64, copy=True)
    not_toxic = out[:, _T] == 0
    for j in SUB_ATTRIBUTES:
        out[not_toxic & np.isnan(out[:, j]), j] = 0.0
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
