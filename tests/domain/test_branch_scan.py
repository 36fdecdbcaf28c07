"""The phrase rules' alternations read one alternative at a time (domain/branch_scan.py): the same
matches in the same order as the joined regex (what it saves on crafted long text: bench/rule_cost.py)."""
import re

import pytest

from moderation.domain import group_attacks, platform_threats, self_harm, threat_words
from moderation.domain.branch_scan import Branches, branches
from moderation.domain.rule_matchers import normalised_for_rules

PATTERNS = [group_attacks._ATTACK, group_attacks._ELECTION_ATTACK, group_attacks._POLITE_ATTACK, threat_words._THREAT,
            threat_words._ELECTION_THREAT, threat_words._VEILED, platform_threats._THREAT, self_harm._AT_RISK,
            self_harm._DISCLOSED, self_harm._URGING, self_harm._URGING_NAMED, self_harm._DARE]
TEXTS = ["I hate women.", "Immigrants are vermin. Kill all the jews.", "I will kill you, I know where you live",
         "Hale should hang for this lol", "someone should put a bullet in that traitor", "go back to where you came from",
         "string them up from the lamp posts, every last one", "I'm going to kill myself tonight", "my dad hits me",
         "kys loser, nobody cares", "Do it.", "they should be put down like dogs", "hang every muslim",
         "We know where your office is.", "not all muslims are terrorists", "the jews control the media",
         "Great match, the ref was fine and we deserved the draw.", "I hope the new stadium opens next year.",
         "i will kill " * 40, "oo-" * 300, "Kill \u2620 lol, " * 50, "gay people " * 40 + "they shouldn't be allowed near children"]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
def test_each_alternation_finds_what_the_joined_regex_finds_in_its_order(pattern):
    split = branches(pattern)
    assert split.alternatives is not None and len(split.alternatives) > 1
    for text in TEXTS:
        normalised = normalised_for_rules(text)[0]
        assert ([(m.span(), m.group(0), m.lastgroup) for m in split.finditer(normalised)]
                == [(m.span(), m.group(0), m.lastgroup) for m in pattern.finditer(normalised)])


def test_an_alternative_is_left_out_only_when_a_word_it_needs_is_missing():
    split = Branches(re.compile(r"\bi\s+(?:hate|despise)\s+(?:cats|dogs)\b|\bkill\s+(?:all\s+)?the\s+\w+|\w+ly\b"))
    assert [m.group(0) for m in split.finditer("i despise dogs, kill the boss, surely")] == [
        "i despise dogs", "kill the boss", "surely"]
    assert [m.group(0) for m in split.finditer("i hate birds")] == []


def test_a_pattern_it_cannot_split_exactly_is_read_whole():
    assert Branches(re.compile(r"(a)\1|b")).alternatives is None  # a back-reference
    assert Branches(re.compile(r"(?i)kill|hang")).alternatives is None  # a flag for the whole
    assert Branches(re.compile(r"x*|y")).alternatives is None  # an empty match
    assert [m.group(0) for m in Branches(re.compile(r"x*|y")).finditer("xxy")] == ["xx", "", "y", ""]


def test_warming_the_rules_splits_every_pattern_a_comment_will_read():
    """A server warms the rules before it forks (scorer.preload): the comments its children read split
    nothing more, where the first ones had cost 1.5 s of CPU."""
    from moderation.domain import rules

    branches.cache_clear()
    rules.warm()
    split = branches.cache_info().currsize
    for text in TEXTS:
        for kind in ("group_attack", "threat_words", "at_risk", "urging_self_harm", "contact_seeking"):
            rules.phrase_found(kind, text)
    assert split and branches.cache_info().currsize == split
