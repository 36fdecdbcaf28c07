"""Threats said in words, as patterns over the normalised text: plain strings and `re`, nothing more.

Two readers. Training (`classifiers.label_rules.THREATENING`) labels a toxic comment that matches a
threat where its source says nothing about threats. A site's `threat_words` rule
(moderation/domain/threat_words.py) holds any comment that matches, toxic-looking or not, because
the threat head, learnt from few threats, misses many said in ordinary words ("I know where you live
and I'm coming for you" scores 0.01). A module of its own, importing nothing of numpy, scipy or
scikit-learn, so the web app can read it at start-up (tests/test_cli_start.py).

Every repeat is bounded and every branch starts at a word boundary or a clause's start, so a search
takes time linear in the text.
"""
from __future__ import annotations

import re

# A first person's intent to harm someone, a wish or call that someone be harmed, an order to kill a
# group, and the stock phrases of intimidation. What a first person intends against "you", "him" or
# "them": training's verbs, and the site rule's, which leave out a game, an errand and the season
# ("we will beat them on Sunday", "I'll find you a seat", "we hunt them in October"; "I will hunt you
# down" is a branch of its own).
_ANYWHERE = (r"kill|murder|shoot|stab|hurt|punch|rape|strangle|choke|hang|lynch|slit|behead|gut|execute|torture"
             r"|slaughter|fuck\s+up|beat\s+up|beat\s+the\s+\w+\s+out\s+of|put\s+a\s+bullet\s+in")
VIOLENCE_ANYWHERE = r"(?:" + _ANYWHERE + r")"
VIOLENCE = r"(?:" + _ANYWHERE + r"|beat|find|hunt)"
# What "I'll shoot you" is followed by when it is an errand ("I'll shoot you an email"), and "we'll
# hang them" in a game ("out to dry").
NOT_HARM = (r"(?!\s+(?:(?:an?\s+|the\s+)?(?:e-?mail|message|note|line|text|dm|pm|link|copy|invite|invitation|photo|pic)s?\b"
            r"|out\s+to\s+dry\b))")
_VICTIM = (r"(?:you|u|ya|yo|ye|y'all|yall|him|her|them"
           r"|your\s+(?:\w+\s+)?(?:family|kids?|ass|face|throat|neck|head|mom|mother|wife|husband))")
INTENT = (r"(?:i|we)(?:'ll|ll|\s+will|'m\s+going\s+to|m\s+going\s+to|'m\s+gonna|m\s+gonna|\s+am\s+going\s+to"
           r"|\s+am\s+gonna|'re\s+going\s+to|\s+are\s+going\s+to|\s+want\s+to|\s+wanna|\s+gonna|\s+shall)"
           r"|imma|i'ma|im\s+gonna|im\s+going\s+to")
HARMED = (r"(?:shot|killed|hanged|hung|raped|beaten|stabbed|lynched|murdered|executed|burned|burnt|gassed"
          r"|exterminated|slaughtered|butchered|tortured|beheaded)")
# Harm verbs that are neither sport nor idiom when a person or a group is their object ("beat",
# "find" and "hurt" stay with VIOLENCE, where the victim must be "you", "him" or "them").
_HARM = (r"(?:kill|murder|shoot|stab|rape|strangle|lynch|behead|execute|torture|slaughter|exterminate|eradicate"
         r"|gas|hang|drown|burn|butcher|massacre)")
# Who is to be harmed, a group included: "the next woman", "those muslims", "all of them".
_TARGET = (r"(?:(?:all|every|each|the\s+next|any|those|these)\s+(?:of\s+(?:them|you|those|these)\b|\w+)"
           r"|them|you|him|her)")
# A call for someone to be harmed: "they should be shot", "you deserve to die".
CALL = r"(?:should|ought\s+to|needs?\s+to|deserves?\s+to|must)"


def intent_against(verbs: str, then: str = "", gap: int = 2) -> str:
    """A first person's stated intent to do one of `verbs` to someone ("I will find you and kill
    you"), at most `gap` words between, followed by what `then` (a lookahead) allows."""
    return r"\b(?:" + INTENT + r")(?:\s+\w+){0,%d}?\s+" % gap + verbs + r"\w*\s+" + _VICTIM + r"\b" + then


def called_harmed(forecasts: bool) -> str:
    """A call for someone to be harmed ("they should be shot"), and with `forecasts` a forecast too
    ("you're gonna get shot"), which in a comment labelled toxic is a threat; in any comment it is
    also "someone is going to get killed at that crossing"."""
    lead = CALL + (r"|gonna|going\s+to" if forecasts else "")
    return r"\b(?:" + lead + r")\s+(?:all\s+|just\s+)?(?:be|get)\s+" + HARMED + r"\b"


def intent_to_harm(then: str = "") -> str:
    """An intent to harm someone or a group with a verb that is never sport: "I'm going to shoot the
    next woman I see"."""
    return r"\b(?:" + INTENT + r")(?:\s+\w+){0,2}?\s+" + _HARM + r"\s+" + _TARGET + r"\b" + then


# A call for someone's death: "you deserve to die".
CALLED_DEAD = r"\b" + CALL + r"\s+(?:all\s+|just\s+)?die\b"

# "Someone should shoot": any object, which in a comment labelled toxic costs nothing; the site
# rule leaves it out and asks for a person (moderation/domain/threat_words.py).
SOMEONE_SHOULD_HARM = r"\b(?:someone|somebody)\s+(?:should|needs\s+to|ought\s+to|has\s+to)\s+(?:just\s+)?" + _HARM + r"\b"

HOPE_HARMED = r"\bhope\s+(?:you|u|ya|he|she|they)\s+(?:die|dies|get\s+(?:shot|killed|raped|stabbed|hit\s+by))\b"
# Not a defender's "back post" or "back pass"; but "watch your back post-match" and "back pass the
# tunnel" are threats (a re-check). These two are named, so the site rule can read them more narrowly than training.
WATCH_YOUR_BACK = r"\bwatch\s+(?:your|ur)\s+back\b(?!\s+(?:post|four|line|pass)\b(?!\s*-\s*\w|\s+(?:the|that|this|my|our)\b))"

# Every branch but five that the readers spell differently: the intents (their verbs, the words
# between, what may follow), the calls for harm and for a death (forecasts or not, whose) and the
# order to kill a group (where it may stand).
BRANCHES: tuple[str, ...] = (
    r"\b(?:" + INTENT + r")(?:\s+\w+){0,2}?\s+hunt\s+" + _VICTIM + r"\s+down\b",
    SOMEONE_SHOULD_HARM,
    HOPE_HARMED,
    r"\b(?:exterminate|eradicate|wipe\s+out)\s+(?:all|every|the|these|those|them)\b",
    r"(?:^|[.!?,:;]\s*)death\s+to\s+(?:all\s+|the\s+)?\w+",
    r"\b(?:slit|cut)\s+(?:their|your|his|her|ur)\s+(?:\w+\s+)?throats?\b",
    r"\bsnap\s+(?:their|your|his|her|ur)\s+(?:\w+\s+)?necks?\b",
    r"\b(?:love|like)\s+to\s+see\s+(?:you|them|him|her|(?:those|these|all)\s+\w+)\s+(?:suffer|die|burn|hang)\b",
    WATCH_YOUR_BACK,
    r"\bi\s+know\s+where\s+(?:you|u)\s+live\b",
    r"\b(?:your|ur)\s+days\s+are\s+numbered\b",
    r"\b(?:you|u)(?:'re|\s+are|re)\s+(?:going\s+to|gonna)\s+(?:die|get\s+(?:hurt|shot|killed))\b",
)

# An order to kill a group: "kill them all", "shoot every one of them", "gas all the ...".
KILL_ALL = (r"(?:kill|shoot|hang|gas|lynch|exterminate|behead|slaughter|execute|nuke|bomb)"
            r"\s+(?:all|every|them\s+all|em\s+all|\w+\s+all)\b")

# Training reads it anywhere in a comment already labelled toxic, so "wants to kill all of us" in a
# toxic comment is a threat; "we will beat them on Sunday" in a civil one costs nothing.
THREATENING = re.compile("|".join((intent_against(VIOLENCE), intent_to_harm(), called_harmed(forecasts=True), CALLED_DEAD)
                                  + BRANCHES + (r"\b" + KILL_ALL,)))
