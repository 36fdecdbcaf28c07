"""Hate the `group_attack` rule reads without a statement about a group: a slur's plural, and the codes
hate is written in on video and discussion platforms.

A trust & safety lead's 436 hand-written comments (2026-12-07) found 14 of 18 plural slurs published in
a neutral sentence ("so many spics in this thread today": the model scores spics 0.05, pajeets 0.01)
and 23 of 26 dog whistles published. A plural slur names a group as its attack; of the codes only the
echo and the globe and nose are read, each in the form that makes it hate, not the hug that shares its
characters ("((( hugs )))"): the others' wording is ordinary English too often (below).
"""
from __future__ import annotations

import re

from moderation.domain.rule_matchers import READ_AT_MOST

# Plurals read wherever they are: unlike their singulars ("a chink in the armour", a "paki" shop
# sign read aloud, "Nigel Pakington") no ordinary English word is spelled so, with two exceptions
# read below. Left out, being ordinary English too: "coons" (raccoons in American English: "the coons
# raided my bins again", coon hunting), "faggots" (a British dish and bundles of sticks), "fags"
# (cigarettes), "dykes" (sea walls), "retards" (the verb: "it retards growth"), "niggas" (a friend in
# many readers' English) and "queers" (reclaimed). Nor "niggers": the model holds it (0.77 in the probe),
# and it is said among friends too ("shout out to my niggers", a dozen of the shared data's civil
# comments). "Beaners" is also a coffee shop in Duluth, and "cool beaners" is "cool beans".
_PLURAL_SLUR = re.compile(
    r"\b(?:sand\s*-?\s*niggers|kikes|spics|beaners|towel\s*-?\s*heads|rag\s*-?\s*heads|gooks|pakis|troons"
    r"|pajeets|muzzies|trannies)\b"
    # ... and "coons" only as people on the page ("so many coons in this thread today").
    r"|\bcoons\s+in\s+(?:this|the|these|our|my)\s+(?:thread|chat|comments?|comment\s+section|stream|lobby|server|sub"
    r"|subreddit|forum|replies)\b")
# Nor "chinks" (gaps: "Chinks in England's armour were plain to see", "Sunlight poured through the
# chinks") nor "wetbacks" (New Zealand's wood-burner water heaters): a re-check found each held in
# ordinary sentences, 16 of 20 and 10 of 10, past every exception written for them.
# "Trannies" are gearboxes in Australian and British car talk ("both trannies were rebuilt") and
# Ford Transits: not read in a comment that speaks of vehicles.
_CAR_TALK = re.compile(
    r"\b(?:gear\w*|clutch\w*|manuals?|automatics?|autos?|engines?|motors?|cars?|utes?|trucks?|diffs?|transmissions?"
    r"|rebuil\w+|fluid|torque|cvts?|dsg|zf|4wd|4x4|awd|speeds?|shift\w*|mechanic\w*|holdens?|fords?|falcons?|commodores?"
    r"|toyotas?|hilux|landcruisers?|nissans?|mazdas?|subarus?|jeeps?|chevys?|hondas?|bmws?|vws?|transits?|vans?|radios?"
    r"|transistors?|valves?|drivetrains?|axles?|bearings?|rpm|kms?|miles|mileage|wrecker\w*|gearbox\w*)\b")
# The slur as a word said about, not at anyone: quoted ("calling Indian devs \"pajeets\" ... it's a
# slur"), or a reader telling what they were called ("they called us chinks", "we got called spics").
# Quoted inside a phrase too ("people who write things like \"too many trannies in this country\"", HateCheck).
_QUOTE_BEFORE = re.compile(r"[\"“”'‘’«]\s*$|[\"“«][^\"“”«».!?]{0,50}$")
_QUOTE_AFTER = re.compile(r"^\s*[\"“”'‘’»]|^[^\"“”«».!?]{0,50}[\"”»]")
_TOLD_OF = re.compile(r"\b(?:(?:called|calling|call|calls)\s+(?:me\s+|us\s+|my\s+(?:\w+\s+){0,2}?|our\s+(?:\w+\s+){0,2}?)"
                      r"|(?:got|get|gets|getting|were|was|are|being|been|be)\s+called\s+"
                      r"|(?:the\s+word|words\s+like|the\s+slur|slurs\s+like|terms?\s+like|words?\s+such\s+as)\s+)$")

_LISTED = re.compile(r"\s*[\"“”'‘’]?\s*(?:,|and|or|/)\s*(?:and\s+|or\s+)?[\"“”'‘’]?\s*")


def _plural_slur(normalised: str) -> str | None:
    car_talk = None  # searched once, at the first "trannies": a long text of them must not be read again each time
    told_until = -1  # where a slur told of ended: the next one listed after it is told of too ("words like kikes and spics")
    for found in _PLURAL_SLUR.finditer(normalised):
        before, after = normalised[max(0, found.start() - 40):found.start()], normalised[found.end():found.end() + 80]
        if (_QUOTE_BEFORE.search(before) and _QUOTE_AFTER.search(after) or _TOLD_OF.search(before)
                or told_until >= 0 and _LISTED.fullmatch(normalised, told_until, found.start())):
            told_until = found.end()
            continue
        word = found.group(0)
        if word == "beaners" and before.endswith("cool "):
            continue
        if word == "trannies":
            car_talk = _CAR_TALK.search(normalised) is not None if car_talk is None else car_talk
            if car_talk:
                continue
        return word
    return None


# A re-check of the codes first read here (13/50, 13%, 1488, the 14 words, the ovens, 41%, ZOG, the
# Dancing Israelis, denial, the Great Replacement, remigration) found each one's wording in ordinary
# comments a news site gets: "Arsenal had 41% possession and still couldn't finish the job", "Another
# 13/50." on a news quiz, "He told the court the Holocaust never happened.", Julia Donaldson's Zog,
# "We need remigration figures from the ONS". Held, and on the Perspective endpoint lifted to 0.95,
# they cost more than they caught; the model's and a site's own word lists are theirs. Left: the
# globe and the nose, which nothing else is written as.
_NOSE = re.compile(r"[\U0001f30d\U0001f30e\U0001f30f\U0001f310]\ufe0f?\s*\U0001f443|\U0001f443[\U0001f3fb-\U0001f3ff]?\s*"
                   r"[\U0001f30d\U0001f30e\U0001f30f\U0001f310]")
# The antisemite's echo, read in the text as written (the normaliser folds "(((" to "("): around
# "they" or a power ("(((they))) always do", "(((globalists)))", "(((the media)))"); not the hug a name
# or a word gets ("((( hugs )))", "(((Sarah)))", "(((them))) all my love"), nor a Jewish reader's own
# name or people echoed in pride, as many took it back ("(((Goldberg))) and proud": a re-check).
_ECHO = re.compile(
    r"(?<!\()\({3,}\s*(?:the\s+)?(?:[A-Za-z]+\s+)?(?:they|their|theirs|globalists?|globalism|bankers?|banks|banking"
    r"|media|press|news|elites?|hollywood|financiers?|international\s+\w+|cosmopolitans?|zionists?|zionism"
    r"|neocons?|soros|rothschilds?|usual\s+suspects|owners?|greatest\s+ally|coincidence|fed|federal\s+reserve|academics?"
    r"|journalists?|lobby|lobbyists?|landlords?|shareholders?)\s*\){3,}",
    re.IGNORECASE)


def coded_hate(normalised: str, written: str | None = None) -> str | None:
    """The words of a plural slur or a code of hate in the text, or None."""
    found = _plural_slur(normalised)
    if found is not None:
        return found
    nose = _NOSE.search(normalised)
    if nose is not None:
        return nose.group(0)
    if written is not None and "(((" in written.replace(" ", ""):
        echo = _ECHO.search(written[:READ_AT_MOST])
        if echo is not None:
            return echo.group(0)
    return None
