"""The `threat_words` rule: a threat of violence said in ordinary words, which the model often misses.

The threat head is the thinnest of the six (430 training threats, most of them found by the same
patterns), and a bag of words cannot tell "I know where you live and I'm coming for you" (threat
0.01, toxicity 0.06) from an ordinary sentence. This rule reads the patterns training labels threats
with (classifiers/threat_patterns.py): a stated intent to harm someone ("I will find you and kill
you"), a call or wish for someone's death or harm ("he should be executed", "I hope you die"), the
stock phrases of intimidation ("watch your back", "your days are numbered") and an order to kill a
group. Training reads the patterns only in comments labelled toxic; this rule reads every comment,
so it spells four of them more narrowly: an intent leaves out "beat" and "find" ("we will beat
them on Sunday", "I'll find you a seat") and an errand ("I'll shoot you an email"); being harmed or
dying counts when called for ("he should be shot"), not forecast ("someone is going to get killed at
that crossing"), and only for a person or people ("this bill needs to die" is politics); and an
order to kill a group counts only where a clause starts with it ("Kill them all."), not where it is
told of ("they want to kill all of us").

A threat denied just before it does not count ("they do not deserve to be tortured", "I will never
hurt you"), and "No one deserves to die like that" names no one to die, so the condolences under a
crime story pass. It reads the classifier's normalised text, so "i w1ll k1ll y0u" counts. It holds;
it does not reject: a quotation or a news report of a threat fires too, and a moderator tells them
apart. Over the shared data's real comments it fires on 35 of 112,067 that people labelled civil (22 of them the
model would publish) and on 293 of 73,188 labelled toxic (37 of them the model would publish:
"he should be executed", "I will hurt you", "I hope you die"; README, the rules table).
"""
from __future__ import annotations

import re

from classifiers.threat_patterns import (
    BRANCHES, CALL, HARMED, KILL_ALL, NOT_HARM, VIOLENCE_ANYWHERE, intent_against, intent_to_harm,
)

_ORDER_TO_KILL_A_GROUP = r"(?:^|[.!?,:;]\s*)(?:just\s+|now\s+|let'?s\s+|we\s+should\s+|we\s+must\s+)?" + KILL_ALL
# Three words between, not two: "I will find you and kill you", where training has "find" for it.
_INTENTS = (intent_against(VIOLENCE_ANYWHERE, NOT_HARM, gap=3), intent_to_harm(NOT_HARM))
# A call for a death or a harm, where a person or people are to suffer it: "This bill needs to die"
# and "that plan should be killed" are politics. Without one, only harms never done to a plan count.
_PERSON = (r"(?:you|u|ya|y'all|yall|he|she|they|him|her|them|people|everyone|everybody|anyone|anybody"
           r"|whoever(?:\s+\w+){1,2})")
_CALLS = (r"\b" + _PERSON + r"\s+(?:all\s+)?" + CALL + r"\s+(?:all\s+|just\s+)?(?:die\b|(?:have\s+been|be|get)\s+(?:\w+ly\s+)?"
          + HARMED + r"\b)",
          r"\b" + CALL + r"\s+(?:have\s+been|be|get)\s+(?:\w+ly\s+)?(?:hanged|lynched|raped|tortured|gassed|beheaded|stabbed"
          r"|murdered)\b")
_THREAT = re.compile("|".join(_INTENTS + _CALLS + BRANCHES + (_ORDER_TO_KILL_A_GROUP,)))


# A denial said with the words, or in the two words before them in the same clause ("they do not
# deserve to be tortured", "I will never hurt you"); not further back, where a line break the
# normalised text has lost may have ended the clause ("I don't like you / I will hurt you").
_NEGATION = re.compile(r"\b(?:not|never|no|nobody|noone|none|cannot)\b|n't\b")
_CLAUSE_END = re.compile(r"[,.;:!?]")


def threat_words(normalised: str) -> str | None:
    """The words of the first threat in the normalised text that is not denied, or None."""
    for found in _THREAT.finditer(normalised):
        words = found.group(0).lstrip(".!?,:; ")
        clause = _CLAUSE_END.split(normalised[max(0, found.start() - 60) : found.start()])[-1]
        if not _NEGATION.search(" ".join(clause.split()[-2:])) and not _NEGATION.search(words):
            return words
    return None
