"""Threats a video and discussion platform's users write: the `threat_words` rule's third list
(moderation/domain/threat_words.py reads it after its own and veiled_threats.py's).

A platform's trust & safety lead wrote 25 threats as their users would (2026-12-07, F8); 17 were
published at the defaults, the threat head scoring every one under 0.5. Against groups they name the
harm in a frame the other lists do not read: "Just shoot them at the border", "build the wall and put
machine guns on it", "a few rounds in the right boat", "I'd run over every chink I see", "Gays should
get the death penalty", "Any trans in the women's bathroom will get dragged out by me personally",
"the ovens are still warm for these people", "string them up from a tree"; against one person, a
beating to cure them ("If my son came out I'd beat it out of him"), a rebuke the writer volunteers to
give ("she needs to be put in her place and I'd happily do it") and a fire wished with them inside
("I hope your channel burns down with you in it").

Their words are everyday words too ("shoot them at the border crossing for the documentary", "a few
rounds of golf", "string them up from a tree" said of lanterns, "the ovens are still warm for these
loaves"), so some families are read only where nothing else in the comment says what "them" is: the
photographs, the lights, the game, the bread (tests/domain/test_platform_threats.py).
"""
from __future__ import annotations

import re

from classifiers.groups import GROUP_ADJECTIVES
from classifiers.threat_patterns import INTENT
from moderation.domain.branch_scan import branches
from moderation.domain.group_attacks import GROUP, SLURS_FOR_ONE

# The cheap test a comment must pass before the patterns are tried: each needs one of these words.
CUE = re.compile(r"\b(?:string|hang|lynch|shoot|stab|kill|murder|punch|attack|hurt|knife|strangle|slap|smack|batter|glass|bottle|gun|guns|fire|snipe|snipers?|machine|rounds|run|mow|plough|plow|drive|ram|death|punishable"
                 r"|dragged|drag|ovens|beat|beaten|knock|whip|smack|slap|belt|thrash|punch|place|hope)\b")

# One of a group, as the writer would say it: "every chink", "any trans", "every Muslim", "all the gays".
_ONE_OF_WORDS = "|".join(sorted(set(GROUP_ADJECTIVES) | {"jew", "immigrant", "migrant", "refugee", "illegal", "foreigner",
                                                        "tranny", "faggot", "fag", "dyke", "homo", "towel head"}
                                | set(SLURS_FOR_ONE) - {"chink"}, key=len, reverse=True))
_ONE_OF = (r"(?:any|every|each|all\s+the|the\s+next|those|these|that|this)\s+(?:\w+\s+)?(?:(?:" + _ONE_OF_WORDS + r")"
           r"|chink(?!\s+(?:in|of)\b))(?:s|es)?(?:\s+(?:person|people|man|men|woman|women|guy|guys|kid|kids|one|ones))?"
           # The word ends the phrase: "every black cat I see" is no one.
           r"(?=\s+(?:i|we|on|in|at|from|near|that|who|you|will|'ll|gets?|is|are|out|they|he|she|should|must|need|needs|ought"
           r"|deserve|deserves)\b|\s*(?:[.!?,;:]|$))")
# Whole words: GROUP's "men" is in "Mendez" ("I will hurt Mendez's feelings." was held by a first version).
_A_GROUP = r"(?:" + GROUP + r"|" + _ONE_OF + r")\b"
_THEM = r"(?:them|em|'\s?em|" + _A_GROUP + r")"
# The writer's own intent, a wish or a would: "I'd run over ...", "im gonna ...".
# Whom a shot is aimed at, and where: "them at the border", "every last one of them on the fence".
_SHOT = (r"(?:" + _THEM + r"|(?:every|each)\s+(?:last\s+)?one(?:\s+of\s+them)?|all\s+of\s+them|any\s+of\s+them|anyone|anybody"
         r"|everyone|everybody)\s+(?:all\s+)?(?:at|on|near)\s+(?:the\s+|our\s+)?(?:southern\s+|northern\s+)?")
_WOULD = r"(?:" + INTENT + r"|i'?d|id|i\s+would|we'?d|we\s+would)"
_NOT_DENIED_GAP = r"(?:(?!(?:never|not|no)\b)(?![\w']*n't\b)[\w']+\s+)"

# What else a comment may be about, where "them" is a thing: the lights strung, the photographs shot,
# the game's walls, the golf, the bread.
_THINGS_STRUNG = re.compile(r"\b(?:lights?|fairy|bunting|banners?|flags?|decorations?|garlands?|lanterns?|baubles?|ornaments?"
                            r"|tinsel|ribbons?|streamers?|hammocks?|swings?|feeders?|chimes?|washing|laundry|clothes|socks"
                            r"|chillies|chilies|onions|garlic|herbs|hams?|meat|deer|carcass\w*|bucks?|does|pheasants?|rabbits?"
                            r"|birds|fish|trout|hogs?|boars?|game|dry|drying|photos?|pictures|signs?|cables?|wires?|ropes?|tarps?"
                            r"|pumpkins?|skeletons?|halloween|christmas|xmas|film|movie|scenes?|novel|book|episode)\b")
_PICTURES = re.compile(r"\b(?:photo\w*|film\w*|documentar\w*|camera\w*|footage|videos?|lens\w*|shots|scenes?|crew|interview\w*"
                       r"|portraits?|drone|lighting|golden\s+hour|edit\w*|b\s*-\s*roll|episodes?|movie|shoot\s+(?:day|schedule)"
                       r"|basketball|hoops|penalt\w*|goal\w*|paintball|airsoft|nerf|water\s+guns?|light|views?|wildlife|birds)\b")
_GAMES_AND_HISTORY = re.compile(r"\b(?:game\w*|minecraft|fortnite|rust|fallout|settlements?|base|towers?|castles?|forts?|mod|level"
                                r"|maps?|zombies?|raid\w*|berlin|soviets?|ww1|ww2|wwii|1961|history|historical|museum|airsoft"
                                r"|paintball|lego|model)\b")
_ROUNDS_OF_SOMETHING = re.compile(r"\b(?:golf|drinks?|beers?|pints?|pub|bar|boxing|spar\w*|cards|poker|quiz|rac(?:e|es|ing)"
                                  r"|regatta|karaoke|dominoes|fishing|rowing|sailing|toasts?|applause)\b")
_BAKING = re.compile(r"\b(?:bak\w*|bread|dough|loa(?:f|ves)|pizzas?|pies?|cakes?|cookies|biscuits|buns|rolls|pastr\w*"
                     r"|croissants|trays?|degrees|minutes|mins|temperature|preheat\w*|kilns?|pottery|clay|ceramics|roast\w*"
                     r"|turkey|chicken|restaurant|kitchen|chefs?|cook\w*|batch\w*|oven\s+gloves|stoves?)\b")

# Each family, and what in the rest of the comment, if anything, makes it something else.
_FAMILIES: tuple[tuple[str, re.Pattern[str] | None], ...] = (
    # Strung up or hanged from a tree or a lamppost, as a lynch mob did ("string them up from a tree
    # like granddad did"), or by the neck: veiled_threats.py reads "him", "her" and the scorned; "them"
    # is lights, lanterns and a hunter's deer as often.
    (r"\b(?:string\s+" + _THEM + r"\s+(?:all\s+)?up|hang\s+" + _THEM + r"(?:\s+all)?)\s+(?:from\s+(?:the\s+|a\s+)?(?:nearest\s+"
     r"|closest\s+|big\s+|old\s+|tall\s+)?(?:trees?|lamp\s*-?\s*posts?|street\s*lights?|branch(?:es)?|bridges?|gallows|cranes?"
     r"|overpass(?:es)?)|by\s+(?:the|their)\s+necks?)\b", _THINGS_STRUNG),
    # Shot at the border, called for or ordered ("Just shoot them at the border, problem solved"); not
    # told of ("guards shoot them at the border, HRW says"), nor a film crew's plan.
    (r"(?:(?:^|[.!?,:;]\s*)(?:just\s+|simply\s+|then\s+|and\s+|so\s+)?|\b(?:should|must|need\s+to|needs\s+to|let'?s|why\s+not"
     r"|gotta|oughta|ought\s+to|have\s+to|i'?d|we'?d|i\s+would|we\s+would|i\s+say|they\s+should)\s+(?:just\s+|simply\s+)?)"
     # A photographer shoots wildlife on the coast: the beach and the coast are a gun's only.
     r"(?:(?:shoot|snipe)\s+" + _SHOT + r"(?:borders?|wall|fence)|(?:gun\s+down|machine\s*-?\s*gun|open\s+fire\s+on|mow\s+down)"
     r"\s+" + _SHOT + r"(?:borders?|beach(?:es)?|coast|channel|wall|fence))\b"
     r"(?!\s+(?:crossing|control|post|town|checkpoint|patrol|station|guard|fence|wall|agency|force|road|path|line)s?\b)", _PICTURES),
    # Guns on the wall or the border ("build the wall and put machine guns on it"); not a game's base
    # nor the Berlin Wall's history.
    (r"\b(?:put|mount|install|stick|place|station)\s+(?:some\s+|a\s+few\s+|armed\s+)?(?:machine\s*-?\s*guns?|machine\s*-?\s*gun"
     r"\s+nests?|snipers?|gun\s+towers?)\s+(?:on|along|atop|on\s+top\s+of)\s+(?:the\s+(?:wall|border|fence|beach(?:es)?|coast"
     r"(?:line)?)|(?:our|the)\s+(?:southern\s+)?(?:borders?|coast(?:line)?))\b", _GAMES_AND_HISTORY),
    (r"\b(?:wall|border|fence)\b[^.!?]{0,60}?\b(?:put|mount|install|stick|place)\s+(?:some\s+|a\s+few\s+)?(?:machine\s*-?\s*guns?"
     r"|snipers?|gun\s+towers?)\s+(?:on|along|atop)\s+(?:it|top)\b", _GAMES_AND_HISTORY),
    # Rounds fired into the boats ("a few rounds in the right boat and the crossings would stop"); not
    # a round of drinks or golf.
    (r"\b(?:a\s+few|some|a\s+couple(?:\s+of)?|couple\s+of|few|one\s+or\s+two|two|three|several)\s+(?:well\s*-?\s*placed\s+|live\s+)?"
     r"rounds\s+(?:in|into|at|through)\s+(?:the\s+(?:right\s+|first\s+|next\s+)?|a\s+(?:few\s+)?|some\s+|every\s+|each\s+|those\s+"
     r"|their\s+)?"
     r"(?:rubber\s+|small\s+)?(?:boats?|dinghy|dinghies|rafts?|inflatables?)\b", _ROUNDS_OF_SOMETHING),
    # A car driven into one of a group by the writer ("I'd run over every chink I see"); not "run over
    # every detail".
    (r"\b" + _WOULD + r"\s+(?:just\s+|happily\s+|gladly\s+|personally\s+|gonna\s+)?(?:run\s+over|run\s+down|mow\s+down"
     r"|plough\s+into|plow\s+into|drive\s+(?:over|into|through)|ram)\s+" + _A_GROUP, None),
    # ... or harmed by hand ("I'd stab every muslim I see"); not "kill every gay joke", and a
    # photographer shoots every trans model for a series.
    (r"\b" + _WOULD + r"\s+(?:just\s+|happily\s+|gladly\s+|personally\s+|gonna\s+)?(?:stab|kill|murder|punch|beat\s+up|attack"
     r"|hurt|knife|strangle|hang|lynch|slap|smack|batter|glass|bottle)\s+" + _A_GROUP, None),
    (r"\b" + _WOULD + r"\s+(?:just\s+|happily\s+|gladly\s+|personally\s+|gonna\s+)?shoot\s+" + _A_GROUP, _PICTURES),
    # Death called for a group ("Gays should get the death penalty"), or for what they are ("being gay
    # should be punishable by death"); not a murderer's sentence, which is a policy opinion.
    (r"\b" + _A_GROUP + r"\s+(?:all\s+)?(?:should|must|need\s+to|needs\s+to|ought\s+to|deserve\s+to|deserves\s+to)\s+(?:get|be\s+given"
     r"|receive|face|be\s+sentenced\s+to|be\s+put\s+to)\s+(?:the\s+)?(?:death\s+penalty|death\s+sentence|electric\s+chair|firing"
     r"\s+squad|gallows|noose|rope|death)\b", None),
    (r"\b" + _A_GROUP + r"\s+(?:all\s+)?deserves?\s+(?:the\s+)?(?:death\s+penalty|death\s+sentence|firing\s+squad|gallows|noose"
     r"|rope)\b", None),
    (r"\b(?:homosexuality|being\s+(?:gay|trans|queer|lesbian|bi)|sodomy|gay\s+sex|transgenderism)\s+(?:should|must|ought\s+to)"
     r"\s+(?:be\s+punishable\s+by|carry|mean|get)\s+(?:the\s+)?death\b", None),
    # Dragged out of a place by the writer ("Any trans in the women's bathroom will get dragged out by me personally").
    (r"\b" + _A_GROUP + r"[^.!?]{0,60}?\b(?:will|'ll|gonna|is\s+going\s+to|are\s+going\s+to|gets?|getting)\s+(?:get\s+|be\s+)?dragged"
     r"\s+out\b[^.!?]{0,40}?\bby\s+(?:me|us|my\s+(?:boys|lads|mates))\b", None),
    (r"\b" + _WOULD + r"\s+(?:personally\s+|happily\s+|gladly\s+)?drag\s+" + _A_GROUP + r"\s+out\b", None),
    # The Holocaust's ovens kept for a group ("the ovens are still warm for these people"): a threat of
    # their murder, read as one here; `group_attack` may read it as coded hate too.
    (r"\bovens\s+(?:are|is)\s+(?:still\s+)?(?:warm|hot|waiting|ready|on|lit|heating\s+up|fired\s+up)(?:\s+and\s+(?:warm|hot"
     r"|waiting|ready))?\s+for\s+(?:(?:these|those"
     r"|such|the|you)\s+(?:people|ones|types|kind|vermin|parasites|rats)|people\s+like\s+(?:you|them|him|her)|the\s+likes\s+of"
     r"\s+(?:you|them|him|her)|you\s+people|" + _A_GROUP + r")\b", _BAKING),
    (r"\b(?:put|throw|shove|send|toss|stick|get)\s+(?:them|em|you\s+people|" + _A_GROUP + r")\s+(?:all\s+)?(?:back\s+)?(?:in|into"
     r"|to)\s+the\s+ovens\b", _BAKING),
    # A child beaten for who they are ("If my son came out I'd beat it out of him"); not the dust out
    # of a carpet.
    (r"\b" + _WOULD + r"\s+" + _NOT_DENIED_GAP + r"?(?:have\s+)?(?:beat|beaten|knock|knocked|whip|whipped|smack|smacked|slap"
     r"|slapped|belt|belted|thrash|thrashed|punch|punched)\s+(?:it|that|the\s+(?:gay|gayness|trans|queer|homo|fag|sissy|girl"
     r"|woman|camp|lesbian|dyke|bi)(?:\s+\w+)?)\s+out\s+of\s+(?:him|her|them|em|my\s+(?:son|daughter|kid|child|boy|girl|kids"
     r"|children))\b", None),
    # A rebuke called for and the writer volunteering to give it by hand: "she needs to be put in her
    # place and I'd happily do it"; the rebuke alone is an idiom, and "... do it at the ballot box" a vote.
    (r"\b(?:(?:she|he|they|you|u|women|(?:this|that|the)\s+(?:\w+\s+)?(?:woman|girl|bitch|lady|man|guy|boy|one))\s+(?:needs?"
     r"|should|must|ought|deserves?|has|have)\s+(?:to\s+)?(?:be\s+)?put|(?:someone|somebody)\s+(?:needs?\s+to|should|must|has\s+to)"
     r"\s+put\s+(?:her|him|them|you))\s+in\s+(?:her|his|their|your|ur)\s+place\b\s*,?\s*(?:and\s+)?(?:i|we)(?:'d|\s+would|'ll"
     r"|\s+will|'m|\s+am)\s+(?:\w+\s+)?(?:(?:happily|gladly)\s+(?:do\s+it|do\s+the\s+honou?rs|oblige|volunteer|help|do\s+that)"
     r"|(?:happy|glad|love)\s+to\s+(?:do\s+it|help|oblige|do\s+the\s+honou?rs)|volunteer|be\s+the\s+one\s+to\s+do\s+it)"
     r"(?!\s+(?:at|in|on|with|by|through|via|online|verbally)\b)", None),
    # A fire wished with them inside ("I hope your channel burns down with you in it"); not "I hope
    # your house doesn't burn down with you in it".
    (r"\bhope\s+" + _NOT_DENIED_GAP + r"{0,5}?(?:burns?|burned|burnt|goes\s+up\s+in\s+flames|catches\s+fire|explodes|blows\s+up)"
     r"(?:\s+down)?(?:\s+to\s+the\s+ground)?\s+with\s+(?:you|u|ya|him|her|them|everyone|everybody|your\s+(?:\w+\s+)?(?:family"
     r"|kids|wife|husband|mum|mom))\s+(?:all\s+)?(?:still\s+)?(?:in\s+it|inside(?:\s+it)?|in\s+there|on\s+board)\b", None),
)
# One alternation, each family a named group, so a comment is read once whatever its length.
_THREAT = re.compile("|".join(f"(?P<f{k}>{pattern})" for k, (pattern, _) in enumerate(_FAMILIES)))
_VETOES = {f"f{k}": veto for k, (_, veto) in enumerate(_FAMILIES)}
# A denial just before the words, in the same clause: "I don't think gays should get the death penalty".
_DENIED = re.compile(r"\b(?:not|never|no|nobody|noone|cannot)\s*$|n't\s*$|\b(?:not|never|no)\s+\w+\s*$|n't\s+\w+\s*$")
_CLAUSE_END = re.compile(r"[,.;:!?]")


def first_platform_threat(normalised: str) -> str | None:
    """The words of the first of these threats in the normalised text that nothing else in the
    comment makes a thing's and no denial just before takes back, or None."""
    if not CUE.search(normalised):
        return None
    for found in branches(_THREAT).finditer(normalised):
        words = found.group(0).lstrip(".!?,:; ")
        start = found.end() - len(words)
        veto = _VETOES[found.lastgroup or ""]
        if veto is not None and veto.search(normalised):
            continue
        if not _DENIED.search(_CLAUSE_END.split(normalised[max(0, start - 40) : start])[-1]):
            return words
    return None
