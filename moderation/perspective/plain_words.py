"""Scores a Perspective client reads, raised where the plain-words rules read a threat, an attack on
a group, or telling someone to kill themselves.

Coral asks for one attribute, TOXICITY, and holds what scores above its threshold; the comment API's
rules (`threats`, `group-hate`, `urging-self-harm`) never reached it. A migrating site's walk
(2026-12-05) had "We should hang every journalist." at toxicity 0.34 and "Someone should shoot the
mayor." at 0.26, published at the recommended 51, and "Go back to your country." at 0.41, "kys" at
0.05. The same matchers hold these on the comment API; here they lift the attributes they speak for
to at least FLOOR, so any threshold a client sets short of it holds them. Where they read nothing
the model's scores stand as they are.

Not the kinds a site keeps only to flag (domain/rules_in_force.py): a site whose readers quote court
reports had every quoted threat at 0.95 and no lever (a Coral developer's walk, 2026-12-06); setting
its threats rule to flag is one. A kind the site has no rule of lifts, as before sites had rules of
it: a site made before a kind joined the starter rules would otherwise lose its lift unwarned.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping

from moderation.domain import rule_matchers
from moderation.domain.rules import KINDS, phrase_found

FLOOR = 0.95
# What each matcher speaks for, in the model's attribute names (rules.Kind.raises). Not `at_risk`: a
# reader who may harm themselves is no toxicity, and Coral would hide them from the people who might reach them.
RAISES = {name: kind.raises for name, kind in KINDS.items() if kind.raises}


def lifting(flag_only: Collection[str]) -> frozenset[str]:
    """The kinds whose matchers raise a site's scores, of the kinds it keeps only to flag
    (rules_in_force.flag_only_kinds)."""
    return frozenset(RAISES).difference(flag_only)


def floors(text: str, kinds: Collection[str]) -> dict[str, float]:
    """The attributes to raise for `text`, and to what, by the matchers of `kinds` (`lifting`);
    empty when none of them reads it."""
    reading = [kind for kind in RAISES if kind in kinds]
    if not reading:  # normalising costs more than the matchers: not for a site that flags them all
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
