"""What a moderator's decision, a report's outcome or a suggestscore call says about each attribute.

The one place that turns a rejection reason or a report reason into training labels (the table in
docs/model.md, "Training on a site's own labels", mirrors it). A label is 1, 0 or absent (unknown):
a comment rejected as spam says nothing about toxicity, so it gets no label rather than a negative,
and an approval is a negative for toxicity only (an approved comment may still swear: profanity
stays unknown).
"""
from __future__ import annotations

from typing import Any

from classifiers.attributes import ATTRIBUTES
from moderation.domain.lifecycle import APPROVED, REJECTED

# Community-guideline reasons offered when rejecting on /review; a free-text note can follow
# ("Off topic: about another story"), and the choice before the colon decides the labels.
GUIDELINE_REASONS: tuple[str, ...] = (
    "Personal attack or insult",
    "Hate speech or attack on identity",
    "Threat or incitement to violence",
    "Profanity or obscenity",
    "Harassment",
    "Spam or advertising",
    "Off topic",
    "Personal information",
    "Misinformation",
)

# Positives a rejection for this reason claims. Empty: the comment broke a rule that is not about
# civility, so no attribute is known (not even toxicity 0: spam can be rude too).
SET_ASIDE_REJECTION = "Could not be scored"

REJECTION_LABELS: dict[str, dict[str, int]] = {
    "Personal attack or insult": {"toxicity": 1, "insult": 1},
    "Hate speech or attack on identity": {"toxicity": 1, "identity_attack": 1},
    "Threat or incitement to violence": {"toxicity": 1, "threat": 1},
    "Profanity or obscenity": {"toxicity": 1, "profanity": 1},
    "Harassment": {"toxicity": 1},
    "Spam or advertising": {},
    "Off topic": {},
    "Personal information": {},
    "Misinformation": {},
    # An admin's rejection of a comment scoring set aside (domain/set_aside.py): a corrupt row, not
    # a judgement of its words. Read as any other reason, "corrupt row" labelled it toxic (a re-check).
    SET_ASIDE_REJECTION: {},
}

# Free-text reasons (the API, Coral, older decisions): words that name an attribute, checked in
# this order; a rule-not-about-civility word wins over none. Lower-case substrings.
KEYWORD_LABELS: tuple[tuple[tuple[str, ...], dict[str, int]], ...] = (
    (("spam", "advert", "off topic", "off-topic", "duplicate", "personal information", "doxx",
      "misinformation", "copyright"), {}),
    (("severe", "extreme"), {"toxicity": 1, "severe_toxicity": 1}),
    (("hate", "identity", "racis", "sexis", "homophob", "transphob", "slur"), {"toxicity": 1, "identity_attack": 1}),
    (("threat", "violen", "incite"), {"toxicity": 1, "threat": 1}),
    (("profan", "obscen", "swear", "vulgar"), {"toxicity": 1, "profanity": 1}),
    (("insult", "attack", "name-calling", "name calling"), {"toxicity": 1, "insult": 1}),
)

# A rejection whose reason names nothing above still says "this broke the civility rules":
# the one judgement every rejection on a comment-moderation service shares.
UNRECOGNISED_REJECTION: dict[str, int] = {"toxicity": 1}

# Reader report reasons (models.REPORT_REASONS) and the attributes each one claims.
REPORT_REASON_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "uncivil": ("toxicity",),
    "harassment": ("toxicity",),
    "hate": ("toxicity", "identity_attack"),
    "off_topic": (),
    "spam": (),
    "personal_information": (),
    "self_harm": (),
    "other": (),
}

# Coral sends the moderator's decision to comments:suggestscore as an attribute (suggest.py).
SUGGESTED_DECISIONS: dict[str, str] = {"approved": APPROVED, "rejected": REJECTED}


def rejection_labels(reason: str | None) -> dict[str, int]:
    text = (reason or "").strip()
    choice = text.split(":", 1)[0].strip()
    if choice in REJECTION_LABELS:
        return dict(REJECTION_LABELS[choice])
    lowered = text.lower()
    for words, labels in KEYWORD_LABELS:
        if any(word in lowered for word in words):
            return dict(labels)
    return dict(UNRECOGNISED_REJECTION)


def decision_labels(status: str, reason: str | None) -> dict[str, int]:
    """Labels of a moderator's decision: approvals are toxicity negatives, rejections by reason."""
    if status == APPROVED:
        return {"toxicity": 0}
    if status == REJECTED:
        return rejection_labels(reason)
    raise ValueError(f"not a decision: {status}")


def report_labels(outcome: str, report_reason: str) -> dict[str, int]:
    """An upheld report confirms the attributes its reason claims; a dismissed one (the comment
    was approved) denies them, and denies toxicity like every approval."""
    attributes = REPORT_REASON_ATTRIBUTES.get(report_reason, ())
    if outcome == "upheld":
        return {a: 1 for a in attributes}
    if outcome == "dismissed":
        return {"toxicity": 0, **{a: 0 for a in attributes}}
    raise ValueError(f"not a report outcome: {outcome}")


def suggested_labels(labels: dict[str, Any]) -> dict[str, int]:
    """A suggestscore call's labels as 0/1: a score of 0.5 or more is a positive; Coral's
    APPROVED / DELETED count like a moderator's approval / a rejection without a reason."""
    out: dict[str, int] = {}
    for name, value in labels.items():
        if name in SUGGESTED_DECISIONS and float(value) >= 0.5:
            for attribute, label in decision_labels(SUGGESTED_DECISIONS[name], None).items():
                out.setdefault(attribute, label)
        elif name in ATTRIBUTES:
            out[name] = 1 if float(value) >= 0.5 else 0
    return out
