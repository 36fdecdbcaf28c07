"""An identity attack is toxic: a comment's toxicity score is at least 0.7 x its identity-attack score.

The toxicity head has identity words, groups' nouns and people's names neutralised
(classifiers/debias.py), so an attack on a group has to be told from its other words alone: "the
holocaust never happened, jews made it up" scores 0.17 there. The identity-attack head keeps those
words, and is trained on group-swapped copies (classifiers/counterfactual.py) so that no group's
name alone says "attack". 0.7 x its score as a floor under toxicity gave back what neutralising
had cost the hate files (stormfront 0.828 -> 0.846 toxicity ROC AUC on the held-out split) and
gained on the files never trained on (olid_test 0.841 -> 0.845, cad_reddit 0.7307 -> 0.7316),
while bias_madlibs, whose civil sentences name groups, kept its final score (0.991);
docs/recipe-history.md, run 11.

A model's card says which floors it applies (`card["scoring"]["floors"]`), so a model trained
before them scores as it always did, and training chooses thresholds on the floored scores.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from classifiers.attributes import ATTRIBUTES


@dataclass(frozen=True)
class ScoreFloors:
    # (attribute, the attribute whose score times `scale` it is never below, scale). At scale 1, a
    # reader naming their own group ("Hey! Gay White Mexican American here! All the love to you!",
    # identity attack 0.55) crossed the toxicity threshold, and more civil held-out comments naming a
    # group were flagged than with no floor (641 against 625); at 0.7, 623.
    pairs: tuple[tuple[str, str, float], ...] = (("toxicity", "identity_attack", 0.7),)

    def __post_init__(self) -> None:
        for attribute, floor, scale in self.pairs:
            if attribute not in ATTRIBUTES or floor not in ATTRIBUTES or attribute == floor:
                raise ValueError(f"a score floor needs two different attributes of {ATTRIBUTES}, got {attribute!r}, {floor!r}")
            if not 0.0 < scale <= 1.0:
                raise ValueError(f"a score floor's scale must be in (0, 1], got {scale!r}")

    @classmethod
    def from_card(cls, card: Mapping[str, Any]) -> ScoreFloors | None:
        found = (card.get("scoring") or {}).get("floors")
        if not found:
            return None
        try:
            return cls(pairs=tuple((p["attribute"], p["at_least"], float(p["scale"])) for p in found["pairs"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"the card's scoring.floors is not a list of attribute, at_least and scale: {error!r}") from None

    def as_card(self) -> dict[str, Any]:
        rule = ("each attribute's score is at least scale x its at_least attribute's: an identity attack "
                "is toxic (classifiers/floors.py)")
        pairs = [{"attribute": a, "at_least": b, "scale": k} for a, b, k in self.pairs]
        return {"floors": {"pairs": pairs, "rule": rule}}

    def apply(self, scores: np.ndarray) -> np.ndarray:
        """`scores` (rows × ATTRIBUTES) with each floor applied, in place."""
        for attribute, floor, scale in self.pairs:
            a, b = ATTRIBUTES.index(attribute), ATTRIBUTES.index(floor)
            np.maximum(scores[:, a], scale * scores[:, b], out=scores[:, a])
        return scores

    def applies_to(self, attributes: Sequence[str]) -> bool:
        """Whether any of `attributes` has a floor (only then is it worth learning which one applied)."""
        return any(a in attributes for a, _, _ in self.pairs)

    def raised_by(self, scores: np.ndarray) -> dict[str, str]:
        """For one row of unfloored scores: the attributes whose score a floor raises, and by which."""
        return {a: b for a, b, k in self.pairs if k * scores[ATTRIBUTES.index(b)] > scores[ATTRIBUTES.index(a)]}
