"""The last stop's audit of `threat_words` and `group_attack`: the misses it left and the false alarms.

Pure functions of text: no database, no model.
"""
from __future__ import annotations

import pytest

from moderation.domain.rules import Compiled, Facts, validate_rules


def fired(kind: str, text: str) -> list[str]:
    return [h.reason for h in Compiled(validate_rules([{"name": "r", "kind": kind}])).evaluate(text, Facts(author_id="a"))]


def held_as_threat(text: str) -> bool:
    return any(reason.startswith("threat of violence: ") for reason in fired("threat_words", text))


@pytest.mark.parametrize("text", [
    "Hale should hang for this jk", "Hale should hang for this /s", "Hale should hang for this (lol)",
    "Hale should hang for this (jk).", "Hale should hang for this j/k", "Hale should hang for this just kidding",
    "Hale should hang for this /j", "Hale should hang for this [lol]", "Hale should hang for this *jk*",
    "Hale should hang for this jk lol", "Hale should hang for this lol /s", "Hale should hang for this JK!!",
    "Line the poll workers up against a wall /s", "Put Donovan six feet under (haha)", "Shoot him jk.",
    "I know where Hargrove lives jk", "Hargrove should hang jks",
])
def test_a_joke_said_to_be_one_after_a_threat_is_read_as_its_full_stop(text):
    # "... lol" was held and these published (the audit): saying it is a joke excuses no threat.
    assert held_as_threat(text)


@pytest.mark.parametrize("text", [
    # Before a comma a marker is dropped, as laughter is: what follows says what was meant.
    "Shoot him jk, he's open!", "Shoot him /s, he's open!", "Kill her (lol), she has the flag",
    "I know where the mayor lives jk, in a council flat", "Just hang her /s, the painting I mean",
    # Nothing a marker makes a threat of.
    "I'd kill for a coffee jk", "Hale should hang his head in shame /s", "The wind hit 50 m/s",
    "We'll kill them in the return leg jk", "She's going to kill it at the debate (lol)",
    "That striker is dead on his feet /s", "String the lights up jk",
])
def test_a_joke_marker_makes_no_threat_of_what_is_none(text):
    assert fired("threat_words", text) == []


@pytest.mark.parametrize("text", [
    "Enjoy your last day lol", "Enjoy your last day", "Enjoy your last day, Chief!", "Enjoy your last week, Margaret.",
    "Enjoy your last weekend before school starts lol", "Enjoy your last summer of freedom!", "Enjoy your last year 😂",
    "Enjoy your last weekend.",
])
def test_a_farewell_to_someone_leaving_is_no_threat(text):
    # Said to a reader retiring: held as "Enjoy your last Christmas." is (the audit).
    assert fired("threat_words", text) == []


@pytest.mark.parametrize("text", [
    "Enjoy your last Christmas.", "Enjoy your last days.", "Enjoy your last breath lol", "Enjoy your last birthday, Hargrove.",
    "Enjoy your last meal.",
    # Decided: held. "A dead man" said as a sentence ends is the stock threat ("When he gets out he's a
    # dead man."), and laughter excuses a threat no more than "jk" does; a moderator approves the jokes.
    # Said with the condition that makes it banter, it goes on and is not read.
    "You're a dead man lol", "You're a dead man.",
])
def test_a_last_christmas_or_a_dead_man_is_still_a_threat(text):
    assert held_as_threat(text)


def test_a_dead_man_with_the_reason_after_it_is_banter():
    assert fired("threat_words", "You're a dead man if your wife sees this lol") == []
