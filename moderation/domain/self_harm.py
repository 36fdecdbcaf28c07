"""The self-harm rules: a reader who may be at risk (`at_risk`), and a reader telling another to harm
themselves (`urging_self_harm`). The model has no such attribute and reads neither.

A health desk's walk (2026-12-03) posted 45 comments by readers in crisis: 44 were published with no
reason and no alert ("I'm going to kill myself tonight." toxicity 0.47, "I don't want to be here
anymore." 0.06, "I've written my note. I'm done." 0.01), and the one held read as an insult at
priority 1.26, 50th in the queue; "I will kill myself." was held as a threat a moderator might reject.
Of 20 comments telling a reader to kill themselves, 13 were published ("kys" 0.05, "Go drink bleach."
0.14, "You should hang yourself, honestly." 0.39).

Both read the classifier's normalised text ("k.y.s", "K Y S" and "k1ll y0urs3lf" read as written
plainly), in the first person or said to "you", in the present or the future: "I was suicidal for
years and what helped was ..." is a recovery story, "I wanted to die when she left" the past, and
"this heat is killing me", "I could die of embarrassment", "I'd rather die than vote for him" and "I
nearly died laughing" figures of speech. A rule holds, and the kind ranks above everything else in
the queue (rules.KINDS): a person may be reached in time. Quoting someone ("my son said 'I want to
die'") fires too; a moderator reads it.
"""
from __future__ import annotations

import re

# "I" about to, or wanting to: "I'm going to", "im gonna", "I'll", "I want to", "I've decided to".
_I_WILL = (r"\bi(?:'m|m|\s+am)?\s+(?:going\s+to|gonna|about\s+to|planning\s+to|ready\s+to|thinking\s+(?:about|of)"
           r"|trying\s+to)|\bi(?:'ll|ll|\s+will|\s+want\s+to|\s+wanna|\s+plan\s+to|\s+need\s+to|\s+have\s+to|\s+might"
           r"|\s+may|\s+should\s+just|\s+think\s+i'?ll|(?:'ve|\s+have)?\s+decided\s+to|\s+can'?t\s+wait\s+to)")
# What a person does to end their own life, said of themselves.
_END_OWN = (r"(?:kill|killing|off|offing|hang|hanging|shoot|shooting|drown|stab|unalive|poison|starve|starving)\s+myself"
            r"|(?:end|ending)\s+(?:my\s+(?:own\s+)?life|it\s+all|things|my\s+suffering|everything)"
            r"|take\s+my\s+(?:own\s+)?life|slit\s+my\s+(?:wrists?|throat)"
            # On a drug, not on chocolate at Christmas.
            r"|(?:overdose|od)(?:\s+on\s+(?:my\s+|the\s+|these\s+|all\s+my\s+)?(?:pills|meds|tablets|insulin|heroin|fentanyl"
            r"|paracetamol|tylenol|sleeping\s+pills|xanax|oxy))?\b(?!\s+on\b)"
            r"|jump\s+(?:off|from)\s+(?:a|the|that|this)\s+(?:\w+\s+)?(?:bridge|building|roof|cliff|balcony|tower|overpass"
            r"|car\s+park|parking\s+garage|ledge)|(?:jump|step)\s+in\s+front\s+of\s+(?:a|the)\s+(?:train|bus|truck|lorry|tube)"
            r"|never\s+wake\s+up|(?:use|turn)\s+it\s+on\s+myself|not\s+(?:be\s+)?(?:here|around|alive)"
            r"\s+(?:tomorrow|much\s+longer|by\s+(?:the\s+)?(?:morning|weekend|friday|monday))")
_FIGURE = (r"(?!\s+(?:laughing|peacefully|in\s+(?:my\s+sleep|peace)|with\s+dignity|on\s+my\s+own\s+terms|at\s+home|old|happy"
           r"|before|when|like\s+(?:that|this|my|her|his)|the\s+way|surrounded|of\s+old\s+age|of\s+(?:embarrassment|shame|laughter|boredom)|from\s+(?:embarrassment|laughter)"
           r"|if\s+(?:i\s+have\s+to|they)\s+(?:\w+\s+){0,3}?(?:again|one\s+more)|on\s+(?:this|that)\s+hill"
           r"|than\b|rather\b|doing\s+(?:this|that)\s+again)\b)")
_AT_RISK = re.compile(
    r"(?:" + _I_WILL + r")\s+(?:just\s+|finally\s+|actually\s+|really\s+)?(?:" + _END_OWN + r")"
    r"(?!\s+with\s+(?:a|the)\s+(?:final|last|new)\b)" + _FIGURE
    + r"|\bkms\b"
    # Harm short of death wanted, not done at the gym or to a slice of cake.
    r"|\bi\s+(?:really\s+)?(?:want|wanna|need|keep\s+wanting|feel\s+like\s+i\s+(?:want|need))\s+to\s+(?:hurt|harm|cut|burn)\s+myself\b"
    r"(?!\s+(?:at|on|with|lifting|playing|doing|running|a|some)\b)"
    r"|\benough\s+(?:\w+\s+){0,2}?to\s+(?:never|not)\s+wake\s+up\b|\buntil\s+my\s+heart\s+stops\b"
    r"|\bi\s+(?:won'?t|will\s+not)\s+be\s+(?:alive|here|around)\s+(?:much\s+longer|for\s+(?:much\s+)?longer)\b"
    r"|\bi\s+(?:won'?t|will\s+not)\s+be\s+alive\s+(?:tomorrow|by)\b"
    # Wanting to die, or not to live, now.
    r"|\bi\s+(?:really\s+|just\s+|honestly\s+)?(?:want|wanna|wish)\s+(?:to\s+)?(?:die|be\s+dead|i\s+(?:was|were)\s+dead"
    r"|i\s+(?:was|were)n'?t\s+(?:alive|here|born))\b" + _FIGURE
    + r"|\bi\s+(?:don'?t|do\s+not|no\s+longer)\s+want\s+to\s+(?:be\s+(?:here|alive)|live|exist|wake\s+up|go\s+on)\b"
    r"|\b(?:nobody|no\s+one|noone)\s+(?:would|will|'d)\s+(?:even\s+)?(?:miss|notice|care\s+if)\s+(?:me|i)\b"
    r"|\b(?:everyone|everybody|my\s+(?:family|kids|children|wife|husband|parents))\s+(?:would|will|'d)\s+be\s+better"
    r"\s+off\s+without\s+me\b"
    r"|\bi\s+can'?t\s+(?:go\s+on|do\s+this|take\s+(?:it|this))\s+any\s*more\b(?!\s+(?:with|at|in)\b)"
    r"|\b(?:no|nothing\s+left\s+to)\s+(?:reason\s+to\s+)?live\s+for\b|\bno\s+reason\s+to\s+(?:live|go\s+on)\b"
    r"|\bi(?:'m|\s+am|\s+feel|\s+have\s+been\s+feeling)\s+(?:so\s+|really\s+|very\s+)?suicidal\b(?!\s+(?:before|once|years))"
    # What is done or ready: the note, the pills, the bridge.
    r"|\bi(?:'ve|\s+have)\s+(?:written|left|finished)\s+(?:my\s+(?:suicide\s+)?|a\s+suicide\s+)note\b"  # not "left a note at WT:WALES"
    r"|\bi\s+(?:just\s+)?(?:swallowed|took|taken|downed)\s+(?:a\s+whole\s+bottle|all\s+(?:of\s+)?(?:my|the|these|those)"
    r"\s+(?:pills|tablets|meds)|an\s+overdose|(?:\d+|a\s+handful\s+of|fifty|forty|thirty|twenty)\s+(?:of\s+(?:my|the)\s+)?"
    r"(?:pills|tablets|sleeping\s+pills|paracetamol|tylenol))\b"
    r"|\bi(?:'m|\s+am)\s+(?:standing|sitting)\s+on\s+(?:the|a|this)\s+(?:bridge|ledge|roof|edge|tracks)\b"
    r"|\bi\s+have\s+(?:the|enough)\s+(?:pills|rope|gun)\b(?:\s+\w+){0,4}?\s+(?:saved|ready|tonight)\b"
    r"|\btake\s+them\s+all\s+(?:tonight|after|when)\b"
)
# A farewell is one only with another beside it: "Tonight is the night. Goodbye everyone."; not a
# reader leaving the comments for good ("I'm done with this site. Goodbye everyone.").
_FAREWELL = re.compile(r"\b(?:this\s+is\s+my\s+last\s+(?:post|comment|message)|goodbye\s+(?:everyone|world|cruel\s+world|all)"
                       r"|tonight\s+is\s+the\s+night|i'?m\s+sorry\s+for\s+everything|please\s+forgive\s+me"
                       r"|i\s+love\s+you\s+all|(?:take|look\s+after)\s+care\s+of\s+my\s+(?:kids|dog|cat|children))\b")
# A denial just before ("I would never kill myself"), or a question about one ("how do i know if i want to die").
_DENIED = re.compile(r"\b(?:never|not|won'?t|wouldn'?t|don'?t|didn'?t|no\s+longer|used\s+to|if)\s+(?:\w+\s+){0,2}$")

# Telling someone to do it: to "you", or an order opening a clause.
_URGE = r"kill|hang|neck|rope|shoot|drown|off|unalive|poison|stab"
_URGING = re.compile(
    r"\bkys\b(?!\s*[:=])"
    r"|\b(?:" + _URGE + r")\s+(?:yourself|urself|yo\s*self|your\s*self|ur\s+self|yourselves)\b"
    r"(?!\s+(?:out|up|in|over|to\s+(?:sleep|rest)|a\s+(?:coffee|drink|meal|snack|break|treat|slice|piece))\b)"
    # An order: "go die", "please die", "Just overdose already"; not "people who might just die".
    r"|(?:\b(?:go|please|pls|plz)\s+(?:and\s+)?(?:just\s+)?|(?:^|[.!?,;:]\s*)(?:just|now)\s+)(?:die|rope|od|overdose"
    r"|jump\s+off\s+(?:a|the)\s+\w+|drink\s+(?:some\s+)?bleach|eat\s+a\s+bullet|slit\s+your\s+wrists?)\b"
    r"(?!\s+(?:in|on|at|of)\s+(?:a|the|another|that|this)\s+(?:\w+\s+)?(?:game|match|round|level|hill)\b)"
    r"|\b(?:drink|chug)\s+(?:some\s+)?bleach\b"
    r"|\bslit\s+your\s+wrists?\b"  # a throat slit is a threat, the threat rule's
    r"|\b(?:you|u|ya)\s+should\s+(?:just\s+|really\s+|honestly\s+|go\s+)?(?:die|kill\s+(?:yourself|urself)|end\s+it"
    r"|jump\s+off|not\s+exist|not\s+be\s+alive|od)\b"
    r"|\bdo\s+(?:us|everyone|the\s+world|society|humanity)\s+(?:all\s+)?a\s+favou?r\s+and\s+(?:just\s+)?(?:die|kill|end|od"
    r"|overdose|jump|hang|take\s+the\s+whole|disappear\s+forever|stop\s+breathing)\b"
    r"|\b(?:rope|bleach|a\s+bullet)\s+is\s+cheap\b"
    r"|\bnobody\s+would\s+(?:even\s+)?miss\s+(?:you|u)\b(?=.*\b(?:die|dead|kill|jump|bridge|rope|do\s+it|go\s+away\s+forever)\b)"
    r"|\b(?:the\s+)?world\s+(?:is|would\s+be|'d\s+be)\s+better\s+off\s+without\s+(?:you|u|people\s+like\s+you)\b"
    r"|\bstarve\s+yourself\s+to\s+death\b"
    r"|\btake\s+the\s+whole\s+(?:bag|bottle|pack|packet|lot|box)\b(?=.*\bfavou?r\b)"
    r"|\b(?:i\s+)?hope\s+(?:you|u)\s+(?:get|catch|develop)\s+(?:cancer|aids|ebola|covid|a\s+tumou?r)\b"
    r"|\bhope\s+(?:your|ur)\s+(?:tumou?r|cancer)\s+(?:spreads|grows|comes\s+back|kills\s+you)\b"
)


def at_risk(normalised: str) -> str | None:
    """The words of a reader saying they may end or harm their own life, or None."""
    found = _first(_AT_RISK, normalised)
    if found is None:
        farewells = {m.group(0) for m in _FAREWELL.finditer(normalised)}
        found = " ... ".join(sorted(farewells)) if len(farewells) >= 2 else None
    return found


def urging_self_harm(normalised: str) -> str | None:
    """The words of a reader telling another to kill or harm themselves, or wishing a disease on them."""
    return _first(_URGING, normalised)


def _first(pattern: re.Pattern[str], normalised: str) -> str | None:
    for found in pattern.finditer(normalised):
        if not _DENIED.search(normalised[max(0, found.start() - 40) : found.start()]):
            return found.group(0)
    return None
