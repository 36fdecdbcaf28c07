"""Scores a Perspective client reads, raised where the plain-words rules read a threat, an attack on
a group, or telling someone to kill themselves.

Coral asks for one attribute, TOXICITY, and holds what scores above its threshold; the comment API's
rules (`threats`, `group-hate`, `urging-self-harm`) never reached it. A migrating site's walk
(2026-12-05) had "We should hang every journalist." at toxicity 0.34 and "Someone should shoot the
mayor." at 0.26, published at the recommended 51, and "Go back to your country." at 0.41, "kys" at
0.05. The same matchers hold these on the comment API; here they lift the attributes they speak for
to at least FLOOR, so any threshold a client sets short of it holds them. Where they read nothing
the model's scores stand as they are.

Only the kinds the site has a rule of, holding or rejecting (domain/rules_in_force.py): they are the
site's rules, borrowed. A site created with none still had "The mayor deserves a bullet." and a
court report quoting a defendant's threat at 0.95, and a site whose readers quote court reports had
no lever; taking the rule away is one (a Coral developer's walk, 2026-12-06).
"""
from __future__ import annotations

from collections.abc import Collection, Mapping

from moderation.domain import rule_matchers
from moderation.domain.rules import KINDS, phrase_found

FLOOR = 0.95
# What each matcher speaks for, in the model's attribute names (rules.Kind.raises). Not `at_risk`: a
# reader who may harm themselves is no toxicity, and Coral would hide them from the people who might reach them.
RAISES = {name: kind.raises for name, kind in KINDS.items() if kind.raises}


def floors(text: str, kinds: Collection[str]) -> dict[str, float]:
    """The attributes to raise for `text`, and to what, by the matchers of `kinds` (a site's
    rules_in_force.holding_kinds); empty when none of them reads it."""
    reading = [kind for kind in RAISES if kind in kinds]
    if not reading:  # normalising costs more than the matchers: not for a site that borrows none
        return {}
    normalised, _ = rule_matchers.normalised_for_rules(text)
    raised: dict[str, float] = {}
    for kind in reading:
        attributes = RAISES[kind]
        if phrase_found(kind, text, normalised) is not None:
            raised.update(dict.fromkeys(attributes, FLOOR))
    return raised


def raised(scores: Mapping[str, float], by: Mapping[str, float]) -> dict[str, float]:
    return {name: max(value, by.get(name, 0.0)) for name, value in scores.items()}
