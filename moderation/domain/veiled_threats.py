"""Threats a local reader means plainly but words as menace, not as harm: the `threat_words` rule's
second list (moderation/domain/threat_words.py reads it after its own).

A UK news group's tester wrote 19 threats as its readers would; 14 were published at the defaults,
the model scoring them 0.03-0.39 and the rule's patterns reading none (a trust and safety analyst's
walk, 2026-12-06): "Someone in his estate will sort him out, and I'll gladly help.", "We know where your office
is.", "Maybe someone should pay him a visit", "watch what happens to your nice cars, councillors",
"some of us will be down there with petrol". Each family here is read in the frame that makes it a
threat, because its words are a news reader's everyday words too: "I know where he lives, he's my
neighbour", "pay a visit to the new bakery", "sort out the potholes", "strung up the bunting",
"got shot of the old sofa", "the cars were not safe" (tests/domain/test_veiled_threats.py).

A video platform's tester (2026-12-07, F8) found the same menace said of an address: "Keep talking and
I'll find your address, I know people in your city.", "im gonna dox you and your family", "post your
address then tough guy", "I will find you and make you regret it."; not "I'll find your address in the
system and send the refund" nor "doxxing is illegal" (tests/domain/test_platform_threats.py).

Built from threat_words' own words for a person (an office, a name, a family), passed in, so this
module needs nothing from it and threat_words reads it at one point.
"""
from __future__ import annotations

import re

from classifiers.threat_patterns import HOPE_HARMED, INTENT, WATCH_YOUR_BACK
from moderation.domain.branch_scan import branches

# The cheap test a comment must pass before the patterns are tried: each needs one of these words.
CUE = re.compile(r"\b(?:sort|strung|string|know|find|found|worked|hope|safe|deal|pay|watch|see|treatment|cox|amess|rigby"
                 r"|petrol|hanging|rope|noose|gallows|shot|stabbed|killed|remember|dealt|forgotten|backs?|courts?|police|law|cops|judges?|cps"
                 r"|address|addy|postcode|dox\w*|track|hunt)\b")

_END = r"(?=\s*(?:[.!?]|$))"
# The sentence's end, or a name or a title after a comma: "we know where your office is, Sarah.",
# "... your nice cars, councillors."
_END_OR_NAMED = r"(?=\s*(?:[.!?]|$)|\s*,\s*[\w']+(?:\s+[\w']+)?\s*(?:[.!?]|$))"
_WILL = (r"(?:'ll|ll|\s+will|'re\s+going\s+to|\s+are\s+going\s+to|'re\s+gonna|\s+are\s+gonna|\s+would|'d|\s+shall"
         r"|'s\s+going\s+to|\s+is\s+going\s+to|\s+should|\s+needs?\s+to|\s+ought\s+to|\s+must|\s+could)")
_CALLED = r"(?:someone|somebody|some\s+of\s+us|a\s+few\s+of\s+us|the\s+(?:lads|boys)|we)"
_THEIR = r"(?:your|ur|his|her|their)"
# What a person owns or loves that a menace names: not "house prices" or "car insurance" (a word after).
# Property only: "take the phone away and watch what happens to your kids" is a parenting column's, and
# "... to your garden" a gardening one's.
_BELONGINGS = r"(?:cars?|vans?|house|flat|windows?|shop|office)"
# Where a reader tells another to take care: "watch your back on that road, it's icy".
_NOT_A_HAZARD = (r"(?!\s+(?:on|crossing|along|down|up|round|around|near|at|over)\s+(?:(?:that|the|this|those|these|a|an|our)\s+)?"
                 r"(?:\w+\s+)?(?:roads?|streets?|junctions?|roundabouts?|bridges?|paths?|pavements?|ice|hills?|stairs|steps"
                 r"|lanes?|bends?|corners?|motorways?|crossings?|bypass|platforms?|escalators?|slopes?|pistes?)\b"
                 r"|\s+(?:when|while|whilst)\s+(?:cycling|driving|walking|crossing|running|riding|jogging|out|you)\b"
                 r"|\s+in\s+(?:the\s+)?(?:ice|snow|fog|dark|rain|wet|gym)\b)")
# A death an MP or a soldier was given, named as a thing to give someone else.
_MURDERED = r"(?:jo\s+cox|(?:sir\s+)?david\s+amess|amess|lee\s+rigby|jill\s+dando)"
_HOME = r"(?:lives?|works?|parks?|sleeps?|drinks?|stays?)"
# Things strung up, where a person might be: "the lights should be strung up from the lampposts".
_NOT_A_THING_STRUNG = (r"(?![^.!?]*\b(?:lights?|bunting|banners?|flags?|decorations?|garlands?|lanterns?|washing|hammocks?"
                       r"|nets?|streamers|tinsel|baubles|chillies|chilies|onions|garlic|hams?|herbs|signs?|cables?|wires?)\b)")
# A person called what a lynch mob calls them: "String the animal up."
_SCORNED = (r"(?:animal|beast|monster|scum|scumbag|nonce|paedo|pedo|p(?:a)?edophile|bastard|vermin|savage|thug|pervert"
            r"|creep|lowlife|rat|coward|traitor|killer|murderer|rapist|predator|degenerate|filth)s?")


def patterns(person: str, kin_word: str) -> str:
    """The families as one alternation, for `person` (threat_words' _ROLE: an office or a name) and
    `kin_word` (a family member's noun)."""
    who = r"(?:you|u|him|her|them|" + person + r")"
    subject = r"(?:you|u|he|she|they|" + person + r")"
    owner = r"(?:" + _THEIR + r"|" + person + r"'s)"
    return "|".join((
        # Someone will sort him out, with the writer's help or as a call: not "the physio will sort him
        # out" nor "someone at the bank will sort it out", nor "... sort him out a new contract".
        r"\b(?:someone|somebody|the\s+(?:lads|boys)|people)(?:\s+[\w']+){0,4}?" + _WILL + r"\s+(?:\w+\s+)?sort\s+" + who
        + r"\s+out\b\s*(?:[.!?]|$|,?\s*(?:and\s+)?(?:i|we)(?:'ll|ll|\s+will|'d|\s+would)\s+(?:\w+\s+)?(?:help|join\s+in|be\s+there"
        r"|lend\s+a\s+hand))",
        # Strung up, called for: from a lamppost or a tree, by the neck, or said as the sentence ends,
        # of no string of lights.
        r"(?:^|[.!?]\s*)" + _NOT_A_THING_STRUNG + r"[^.!?]{0,120}?\b(?:should|must|ought\s+to|needs?\s+to|deserves?\s+to)"
        r"\s+(?:all\s+)?(?:be|get)\s+strung\s+up\b(?:" + _END + r"|\s+(?:from|on)\s+(?:the\s+)?(?:nearest\s+)?(?:lamp\s*-?\s*posts?"
        r"|trees?|bridges?|cranes?|gallows|rafters)|\s+by\s+(?:the|his|her|their)\s+(?:necks?|balls|ankles|thumbs))",
        r"\bstring\s+(?:(?:the|that|this|these|those)\s+(?:\w+\s+)?" + _SCORNED + r"|him|her|" + person + r")\s+up\b"
        r"(?!\s+(?:in|along|across|around|between|on|over|for|with|to|at)\b)",
        # Hanging brought back for a person, not as a policy ("bring back hanging" alone).
        r"\bbring\s+back\s+(?:hanging|the\s+(?:rope|noose|gallows|death\s+penalty))\s+for\s+(?:the\s+likes\s+of\s+|people\s+like\s+)"
        r"?(?:him|her|them|this\s+(?:one|man|woman|animal|monster|scum))\b",
        # Where someone lives, found out by a writer who warns of it: "Reviewer better hope I never find
        # out where she lives", "If I find out where this columnist lives I'll serve her something she
        # won't forget"; not "If I find out where she lives now I'll send her a card".
        r"\bbetter\s+hope\s+(?:i|we|nobody|no\s+one|noone)\s+(?:never\s+|don'?t\s+|do\s+n't\s+|doesn'?t\s+|does\s+n't\s+)?"
        r"(?:find|finds|found)\s+out\s+where\s+" + subject + r"\s+" + _HOME + r"\b",
        r"\bif\s+(?:i|we)\s+(?:ever\s+)?(?:find\s+out|work\s+out|learn|discover)\s+where\s+(?:this\s+\w+|that\s+\w+|" + subject
        + r")\s+" + _HOME + r"\b(?:\s+\w+){0,2}?\s*,?\s*(?:then\s+)?(?:(?:i|we)(?:'ll|ll|\s+will|'m\s+going\s+to|'m\s+gonna"
        r"|'re\s+going\s+to)\s+(?:\w+\s+){0,3}?(?:something\s+(?:he|she|they|you)\s+(?:won'?t|wo\s+n't|will\s+not|will\s+never)"
        r"\s+forget|pay\s+(?:him|her|them|you)\s+a\s+visit|be\s+(?:round|there|waiting|paying)|make\s+(?:him|her|them|you)\s+(?:pay"
        r"|sorry|regret)|sort\s+(?:him|her|them|you)\s+out|teach\s+(?:him|her|them|you)\s+a\s+lesson)|(?:he|she|they|you)(?:'s|'re"
        r"|\s+is|\s+are)\s+(?:dead|done\s+for|finished|getting\s+it))\b",
        r"\b(?:i|we)(?:'ve|\s+have)?\s+(?:found|worked)\s+out\s+where\s+" + subject + r"\s+" + _HOME + _END,
        # ... and the address found, or the writer's people near it, said as a warning (a platform's tester,
        # F8: "Keep talking and I'll find your address, I know people in your city."); not "I'll find
        # your address in the system and send the refund", nor "I know people in your city who'd love to meet you".
        r"\b(?:keep\s+(?:talking|it\s+up|running\s+(?:your|ur)\s+mouth|mouthing\s+off|this\s+up)|one\s+more\s+(?:word|comment|post)"
        r"|say\s+that\s+again|try\s+me|cross\s+me(?:\s+again)?|do\s+that\s+again)\s*,?\s+(?:and|&)\s+(?:" + INTENT
        + r")\s+(?:find|get|dig\s+up|track\s+down|post|leak|publish|share)\s+(?:your|ur)\s+(?:home\s+|real\s+|house\s+)?"
        r"(?:address|addy|location|postcode|details)\b(?!\s+(?:book|bar|line|label|field|list)s?\b)",
        r"\b(?:i|we)\s+know\s+(?:some\s+|a\s+few\s+)?(?:people|guys|lads|friends|someone|somebody)\s+(?:in|near|from|round|around)"
        r"\s+(?:your|ur)\s+(?:city|town|area|neighbou?rhood|street|village|estate|state)" + _END,
        # Doxxing promised or called for ("im gonna dox you and your family, enjoy"); not the word
        # discussed ("doxxing is illegal", "they threatened to dox me", "I'd never dox anyone").
        r"\b(?:" + INTENT + r"|i'?d|we'?d|i\s+would|we\s+would|let'?s|(?:someone|somebody|we)\s+(?:should|needs?\s+to|must)"
        r"|about\s+to)\s+(?:(?!never\b|not\b)\w+\s+)?dox+(?:ing)?\s+(?:you|u|ya|him|her|them|this\s+\w+|that\s+\w+|the\s+\w+"
        r"|(?:your|ur|his|her|their)\s+(?:\w+\s+)?(?:family|kids|wife|husband|mum|mom|parents))\b(?!\s*-\s*proof)",
        # The address asked for as a dare ("post your address then tough guy, lets see").
        r"\b(?:post|drop|give\s+(?:me|us)|send\s+(?:me|us)|share|tell\s+(?:me|us)|dm\s+(?:me|us)|what'?s)\s+(?:your|ur)\s+(?:home\s+"
        r"|real\s+|house\s+)?(?:address|addy|postcode|location)\s*,?\s*(?:then\s+|and\s+|so\s+)?,?\s*(?:(?:mr|mister)\s+)?(?:tough"
        r"\s+(?:guy|girl|man|boy)|hard\s+man|keyboard\s+warrior|big\s+shot|brave\s+boy)\b",
        # Found and made to regret it ("Whoever keyed my car on 5th street, I will find you and make you
        # regret it."); not "find you a table", nor "make you pay for the repairs".
        r"\b(?:" + INTENT + r")\s+(?:\w+\s+){0,2}?(?:find|track|hunt|track\s+down|hunt\s+down)\s+(?:you|u|ya|him|her|them|"
        + person + r")(?:\s+down)?\s+(?:and|&)\s+make\s+(?:you|u|ya|him|her|them)\s+(?:regret\s+(?:it|this|that|the\s+day|ever\s+\w+|being\s+born"
        r"|everything)|sorry|bleed|pay(?=\s*(?:[.!?,;]|$)))",
        # A home or a child's school known, said and left: "I know which school his kids go to. Just
        # saying.", "we know where your office is."; not "..., it's the same as mine".
        r"\b(?:i|we)\s+(?:all\s+)?know\s+(?:which|what)\s+school\s+" + owner + r"\s+(?:\w+\s+)?" + kin_word
        + r"\s+(?:go(?:es)?\s+to|attends?|(?:is|are)\s+at)" + _END,
        r"\b(?:i|we)\s+(?:all\s+)?know\s+where\s+" + owner + r"\s+(?:\w+\s+)?(?:office|house|home|flat|car|school|work"
        r"|workplace|van|shop|" + kin_word + r")\s+(?:is|are|lives?|works?)" + _END_OR_NAMED,
        r"\b(?:i|we)\s+know\s+what\s+(?:car\s+)?" + subject + r"\s+drives?" + _END,
        # What is coming, wished on the walk to the car: "Hope that ref gets what's coming to him walking
        # to his car tonight."; "what's coming to him in court" is justice.
        r"\bhope\s+(?:[\w']+\s+){1,3}?gets?\s+what'?s\s+coming(?:\s+to\s+(?:him|her|them|you))?\s+(?:\w+\s+)?(?:(?:walking|on\s+"
        + _THEIR + r"\s+way)\s+(?:home|back|to\s+" + _THEIR + r"\s+car)|in\s+the\s+car\s*park|outside\s+the\s+ground"
        r"|after\s+the\s+(?:match|game))\b",
        # Shot wished on a person or people: "I hope the Indian devs outsourced on this get shot"; not
        # "got shot of the old sofa", "shot down", "shot by a photographer", "get shot at goal".
        r"\bhope\s+(?:" + subject + r"|them|the\s+(?:\w+\s+)?(?:devs|coders|programmers|staff|lot)|(?:that|this|the)\s+(?:\w+\s+)?"
        r"(?:ref|referee|lot|lad|bloke|fella))(?:\s+[\w']+){0,4}?\s+(?:all\s+)?gets?\s+(?:shot|stabbed|knifed|glassed|killed|lynched"
        r"|hanged|hung|murdered|run\s+over)\b(?!\s+(?:of|off|down|by|at|for|on|with|in\s+(?:the\s+)?(?:studio|film|colour"
        r"|color|hd|slow\s+motion)|up|into)\b)(?!-)",
        # ... as training reads it, but not "I hope they get shot of that eyesore" (rid of it), nor a
        # series' character "killed off".
        HOPE_HARMED + r"(?!(?<=shot)\s+of\b)(?!\s+off\b)",
        # A visit someone should pay a person: "Maybe someone should pay him a visit and explain how we
        # feel"; not a visit to a shop, nor a neighbour's welfare ("... to check she's ok").
        r"\b" + _CALLED + _WILL + r"\s+(?:go\s+(?:and\s+|round\s+(?:and\s+)?)?|all\s+)?pay\s+" + who
        + r"\s+a\s+(?:little\s+|proper\s+|friendly\s+|personal\s+|home\s+|late\s+night\s+)?visit\b(?:" + _END
        + r"|\s+(?:at\s+(?:home|" + _THEIR + r"\s+(?:house|home|flat))|tonight|and\s+(?:explain|show|tell|remind|make|teach"
        r"|let|have\s+a\s+(?:little\s+)?(?:word|chat))\b))",
        # A person told they will not be safe, or are not, round here: "He's not safe walking round here."
        # Not a place's danger ("it's not safe walking round here at night", "kids aren't safe"), and
        # only as the sentence ends.
        r"(?:^|[.!?]\s*)(?:and\s+|so\s+|now\s+)?(?:you|u|he|she|they|" + person + r")(?:(?:'s|'re|\s+is|\s+are|\s+will|'ll)?"
        r"\s+(?:not|never|no\s+longer)|\s+(?:isn'?t|aren'?t|won'?t|is\s+n't|are\s+n't|wo\s+n't))\s+(?:be\s+)?safe\s+(?:walking\s+|anywhere\s+)?(?:round|around|near)\s+here"
        r"(?:\s+(?:any\s*more|now))?" + _END,
        r"\bif\s+the\s+(?:courts?|police|law|cops|judges?|justice\s+system|cps)\s+(?:won'?t|wo\s+n't|will\s+not|don'?t|do\s+n't"
        r"|can'?t|ca\s+n't|cannot|refuse\s+to|fail\s+to)\s+(?:deal\s+with|sort\s+out|sort|punish|touch|do\s+anything\s+about|lock\s+up"
        r"|jail)\s+" + who + r"\s*,?\s*(?:then\s+)?(?:we|i|the\s+(?:people|locals|lads)|someone|somebody)(?:\s+will|'ll|\s+must"
        r"|\s+should|\s+can)\b",
        # Vengeance promised for a day to come: "traitors who should be dealt with accordingly when the time
        # comes", "Some of us haven't forgotten what he did and we will be waiting for him." (the tester's
        # long letters); not "the backlog will be dealt with when the time comes".
        r"\b(?:traitors?|scum|he|she|people\s+like\s+(?:him|her|them|that))\s+(?:\w+\s+){0,2}?(?:should|must|will)\s+be\s+dealt"
        r"\s+with\s+(?:accordingly\s+|properly\s+|severely\s+)?when\s+the\s+time\s+comes\b",
        r"(?:\bnot|n't)\s+forgotten\s+(?:what\s+(?:he|she|they)\s+(?:did|done|has\s+done)|him|her)\b[^.!?]{0,40}?\b(?:we|i)"
        r"(?:'ll|ll|\s+will)\s+be\s+waiting\b",
        # Belongings named with the writer's condition: "Keep pushing this through and watch what happens
        # to your nice cars, councillors."; not "... your house prices" nor "... your car when you leave it".
        r"\b(?:watch|see)\s+what\s+happens\s+to\s+(?:your|ur)\s+(?:\w+\s+)?" + _BELONGINGS + _END_OR_NAMED,
        # Watch your back, as training reads it, but not on an icy road or crossing a junction.
        r"(?:" + WATCH_YOUR_BACK + r"|\bwatch\s+(?:your|ur)\s+backs\b)" + _NOT_A_HAZARD,
        # A murdered MP's death, given: "Someone should give Rachel Reeves the Jo Cox treatment".
        r"\b(?:give|gives|giving|given|deserves?|needs?|gets?|getting)\s+(?:[\w']+\s+){0,3}?the\s+" + _MURDERED + r"\s+treatment\b",
        r"\b(?:do|pull)\s+an?\s+" + _MURDERED + r"\s+on\b",
        r"\b(?:should|better|'d\s+better|wants\s+to|needs\s+to|ought\s+to)\s+remember\s+what\s+happened\s+to\s+" + _MURDERED + r"\b",
        # Petrol brought where the writer warns of: "some of us will be down there with petrol"; not
        # "with petrol for the generator".
        r"\b(?:i|we|some\s+of\s+us|a\s+few\s+of\s+us|the\s+(?:lads|boys|locals)|people|locals)" + _WILL
        + r"\s+be\s+(?:down|round|up|over|outside|there)(?:\s+[\w']+){0,3}?\s+with\s+(?:(?:a|some|our|my|the)\s+)?(?:(?:cans?"
        r"|jerry\s*cans?|gallons?|bottles?)\s+of\s+)?(?:petrol|gasoline|lighter\s+fluid|molotovs?|matches|torches)\b"
        r"(?!\s+(?:for|to\s+(?:fill|fuel|top|run|power))\b)",
        r"\b(?:" + INTENT + r"|let'?s|" + _CALLED + _WILL + r")\s+(?:\w+\s+){0,3}?(?:put|pour|push|shove|post|stick)\s+(?:some\s+)?"
        r"(?:petrol|lighter\s+fluid|a\s+lit\s+rag|a\s+firework|fireworks)\s+through\s+" + owner + r"\s+(?:\w+\s+)?"
        r"(?:letter\s*box|door|window)\b",
    ))


# A denial just before the words, in the same clause: "I would never pay him a visit". The words
# themselves may hold a "never" or a "won't" that is part of the menace ("better hope I never find out").
_DENIED = re.compile(r"\b(?:not|never|no|nobody|noone|cannot)\s*$|n't\s*$|\b(?:not|never|no)\s+\w+\s*$|n't\s+\w+\s*$")
_CLAUSE_END = re.compile(r"[,.;:!?]")
# ... but a "no" that denies nothing: "No joke watch your back".
_NO_DENIAL = re.compile(r"\b(?:no\s+(?:joke|lie|cap|kidding|doubt)|not\s+(?:kidding|joking))\b")


def first_veiled(veiled: re.Pattern[str], normalised: str) -> str | None:
    """The words of the first of `veiled`'s threats in the normalised text not denied just before."""
    if not CUE.search(normalised):
        return None
    for found in branches(veiled).finditer(normalised):
        words = found.group(0).lstrip(".!?,:; ")
        before = _CLAUSE_END.split(normalised[max(0, found.start() - 40) : found.start() + len(found.group(0)) - len(words)])[-1]
        if not _DENIED.search(_NO_DENIAL.sub(" ", before)):
            return words
    return None
