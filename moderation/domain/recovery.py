"""A reader telling how it was, not how it is: "Depression lies to you. It told me nobody would miss
me. It was wrong." The at-risk rule (self_harm.at_risk) reads such a sentence's words as a crisis;
a regional daily's walk (2026-12-06) found 4 of 10 recovery stories held at priority 100, first in
the queue above every threat, with the welfare box, and its night editor sent off on a procedure.

A crisis sentence is told as the past when its own sentence frames it as a belief of then: "it told
me", "my brain kept telling me", "I told myself", "I thought", "I used to think", or after it "is
what I texted my mum ten years ago". "I used to" says on its own that it is over; the others need the
comment to say so too: "it was wrong", "that was the illness talking", "what helped", "I'm still
here", "years ago", "back then", "now I'm well". Never when the comment says it is now: "tonight",
"again", "anymore", "lately" or a bare "now" outside those ("I used to think nobody would miss me.
Now I know it's true." is a crisis). Each pattern reads a window around one match: linear.
"""
from __future__ import annotations

import re

# What may tell a reader a lie, and tells it in the past.
_TELLER = (r"(?:it|depression|anxiety|(?:the|my|that)\s+(?:illness|depression|anxiety|disease|voices?|demons|ocd|bpd|ptsd"
           r"|brain|head|mind|disorder)|(?:a|the|that)\s+(?:little\s+)?voice(?:\s+in\s+my\s+head)?)")
_FOR_A_WHILE = r"(?:\s+(?:for\s+years|for\s+(?:so\s+)?long|every\s+day|daily|over\s+and\s+over|constantly))?"
_TOLD_ME = (_TELLER + r"\s+(?:once\s+|always\s+|constantly\s+)?(?:told|convinced|kept\s+telling|used\s+to\s+tell|would\s+tell"
            r"|persuaded|whispered\s+to)\s+me" + _FOR_A_WHILE)
_I_THOUGHT = (r"\bi\s+(?:once\s+|honestly\s+|genuinely\s+|really\s+|truly\s+)?(?:told\s+myself|thought|believed|felt"
              r"|was\s+(?:convinced|sure|certain)|(?:had\s+)?convinced\s+myself)" + _FOR_A_WHILE)
_USED_TO = (r"\bi\s+used\s+to\s+(?:think|believe|feel|tell\s+myself|say|be\s+(?:sure|convinced|certain))" + _FOR_A_WHILE
            + r"|\b" + _TELLER + r"\s+used\s+to\s+tell\s+me" + _FOR_A_WHILE)
_THAT = r"\s*,?\s*(?:that\s+)?$"
_FRAMED = re.compile(r"(?:" + _TOLD_ME + r"|" + _I_THOUGHT + r")" + _THAT)
_OVER = re.compile(r"(?:" + _USED_TO + r")" + _THAT)
# Said of then, after the words: "... is what I texted my mum ten years ago", ", or so I thought".
_THEN = (r"(?:(?:\w+\s+)?(?:years?|months?|decades?)\s+ago|back\s+then|at\s+the\s+time|back\s+in\s+(?:19|20)\d\d|in\s+(?:19|20)\d\d"
         r"|when\s+i\s+was\s+(?:younger|a\s+teen(?:ager)?|at\s+(?:school|uni|university|college)|\d+|in\s+my\s+\w+)"
         r"|in\s+my\s+(?:teens|twenties|thirties|20s|30s))")
_REPORTED_THEN = re.compile(r"[^.!?]{0,40}?\b(?:is|was)\s+what\s+i\s+(?:\w+\s+)?(?:texted|told|wrote|said|typed|posted|messaged"
                            r"|thought|believed|used\s+to\s+(?:think|say|tell\s+myself))\b[^.!?]{0,60}?\b" + _THEN + r"\b")
_SO_I_THOUGHT = re.compile(r"\s*,?\s*(?:or\s+so\s+|so\s+)?i\s+(?:thought|believed|told\s+myself|felt)\b")
# That it is over.
_RECOVERED = re.compile(
    r"\b(?:it|i|depression|that|the\s+(?:illness|depression|voice)|my\s+(?:brain|head|mind))\s+(?:was|were)\s+(?:wrong|lying)\b"
    r"|\b(?:depression|it|the\s+illness|your\s+(?:brain|mind)|my\s+(?:brain|mind))\s+(?:lies|lied)\b|\bit\s+was\s+a\s+lie\b"
    r"|\b(?:was|is)\s+(?:just\s+)?(?:the|my)\s+(?:illness|depression|anxiety|disease)\s+talking\b|\bwhat\s+(?:helped|saved\s+me)\b"
    r"|\b(?:therapy|treatment|medication|talking|counselling|my\s+gp|someone)\s+(?:helped|saved|showed)\b|\bhelped\s+me\b"
    r"|\bi'?m\s+still\s+here\b|\bi\s+got\s+(?:help|better|through\s+it)\b|\bit\s+(?:does\s+)?gets?\s+better\b|\brecover(?:y|ed)\b"
    r"|\b(?:so\s+)?glad\s+i\s+(?:stayed|didn'?t|am\s+still|'m\s+still|survived|held\s+on|hung\s+on|reached\s+out)\b|\bsurvived\b"
    r"|\b" + _THEN + r"\b|\byears?\s+(?:on|later|clean|sober)\b"
    r"|\b(?:now|today)\s+i(?:'m|\s+am)\s+(?:\d+|(?:\w+\s+){0,2}(?:better|well|happy|fine|okay|ok|recovered|sober|clean|grateful|glad"
    r"|thriving|a\s+(?:mum|mom|dad|father|mother|parent|grandad|grandma|nurse|counsellor|volunteer|teacher)))\b"
    r"|\bi(?:'m|\s+am)\s+\d+\s+now\b|\b(?:now|today)\s+i\s+(?:have|ran|run|work|help|volunteer)\b")
# That it is now: never the past, whatever else the comment says.
_NOW = re.compile(r"\b(?:now|tonight|today|right\s+now|again|lately|these\s+days|this\s+(?:week|time|morning|evening)"
                  r"|last\s+night|any\s*more|still\s+(?:feel|think|want|believe|wish|hear|tells?))\b")
_SENTENCE_END = re.compile(r"[.!?\n]")
_WINDOW = 200


def told_as_past(normalised: str, start: int, end: int) -> bool:
    """Whether the at-risk words at normalised[start:end] are told as a belief of the past that the
    comment says is over, and nothing in it says it is now."""
    opening = max(0, start - _WINDOW)
    ends = [m.end() for m in _SENTENCE_END.finditer(normalised, opening, start)]
    begin = ends[-1] if ends else opening
    stop = _SENTENCE_END.search(normalised, end, end + _WINDOW)
    finish = stop.start() if stop else min(len(normalised), end + _WINDOW)
    before, after = normalised[begin:start], normalised[end:finish]
    # "anymore" right after is the words' own ("I don't want to be here anymore is what I texted ...").
    if _NOW.search(before) or _NOW.search(re.sub(r"^\s*any\s*more\b", "", after)):
        return False
    elsewhere = normalised[max(0, begin - 2 * _WINDOW):begin] + " . " + normalised[finish:finish + 2 * _WINDOW]
    if _NOW.search(_RECOVERED.sub(" ", elsewhere)):
        return False
    if _REPORTED_THEN.match(after) or _OVER.search(before):
        return True
    told = _FRAMED.search(before) or _SO_I_THOUGHT.match(after)
    return bool(told) and _RECOVERED.search(f"{before} . {after} . {elsewhere}") is not None
