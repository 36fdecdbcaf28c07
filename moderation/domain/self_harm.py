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

from moderation.domain.branch_scan import branches

# "I" about to, or wanting to: "I'm going to", "im gonna", "I'll", "I want to", "I've decided to", and
# "gonna" alone ("gonna unalive myself").
_I_WILL = (r"\bi(?:'m|m|\s+am)?\s+(?:going\s+to|gonna|about\s+to|planning\s+to|ready\s+to|thinking\s+(?:about|of)"
           r"|trying\s+to)|\bi(?:'ll|ll|\s+will|\s+want\s+to|\s+wanna|\s+plan\s+to|\s+need\s+to|\s+have\s+to|\s+might"
           r"|\s+may|\s+should\s+just|\s+think\s+i'?ll|(?:'ve|\s+have)?\s+decided\s+to|\s+can'?t\s+wait\s+to"
           r"|(?:'ve|\s+have)\s+been\s+thinking\s+(?:about|of)|\s+keep\s+thinking\s+(?:about|of)|\s+can'?t\s+stop\s+thinking\s+(?:about|of))"
           r"|(?:^|[.!?,;:]\s*)(?:gonna|going\s+to)")
_MYSELF = r"my\s*self"
_AFTERWORD = r"(?:\s+(?:now|anyway|any\s*more|at\s+all|tbh|honestly|really)){0,2}"
# What a person does to end their own life, said of themselves.
_END_OWN = (r"(?:kill|killing|off|offing|hang|hanging|shoot|shooting|drown|drowning|unalive|unaliving|poison|starve"
            r"|starving|self\s+delete)\s+" + _MYSELF + r"|self\s+delete|commit(?:ting)?\s+suicide|sewerslide"
            r"|(?:end|ending)\s+(?:my\s+(?:own\s+)?life|it\s+all|my\s+suffering|it\s+(?=tonight|today|now|soon))"
            r"|take\s+my\s+(?:own\s+)?life(?!\s+(?:savings|back|in|into)\b)|slit\s+my\s+(?:wrists?|throat)"
            r"|throw\s+" + _MYSELF + r"\s+(?:off|under|in\s+front\s+of)\b"
            r"|take\s+all\s+(?:of\s+)?my\s+(?:pills|tablets|meds)\s+(?:tonight|at\s+once|now|together)"
            # On a drug, not on chocolate at Christmas.
            r"|(?:overdose|od)(?:\s+on\s+(?:my\s+|the\s+|these\s+|all\s+my\s+)?(?:pills|meds|tablets|insulin|heroin|fentanyl"
            r"|paracetamol|tylenol|sleeping\s+pills|xanax|oxy))?\b(?!\s+on\b)"
            r"|jump\s+(?:off|from)\s+(?:a|the|that|this)\s+(?:\w+\s+)?(?:bridge|building|roof|cliff|balcony|tower|overpass"
            r"|car\s+park|parking\s+garage|ledge)|(?:jump|step)\s+in\s+front\s+of\s+(?:a|the)\s+(?:train|bus|truck|lorry|tube)"
            r"|never\s+wake\s+up|(?:use|turn)\s+it\s+on\s+" + _MYSELF + r"|not\s+(?:be\s+)?(?:here|around|alive)"
            r"\s+(?:tomorrow|much\s+longer|by\s+(?:the\s+)?(?:morning|weekend|friday|monday))")
# Dying as a figure of speech or a good death wished for; a place ("kill myself at the gym").
_FIGURE = (r"(?!\s+(?:laughing|peacefully|in\s+(?:my\s+(?:own\s+)?(?:sleep|bed)|peace)|with\s+dignity|on\s+my\s+own\s+terms"
           r"|at\s+(?:home|the\s+gym|work|the\s+gym)|old|happy|asleep|tired|before|when|like\s+(?:that|this|my|her|his)"
           r"|the\s+way|surrounded|of\s+old\s+age|of\s+(?:embarrassment|shame|laughter|boredom)|from\s+(?:embarrassment|laughter)"
           r"|on\s+(?:this|that)\s+hill|than\b|rather\b|doing\s+(?:this|that)\s+again|trying|if|every\s+time|whenever)\b)")
# A last clause that says the end, and ends the sentence (the pills' readiness above), perhaps
# with a farewell after it or an emoji or kisses for its full stop: "..., goodbye everyone, I love
# you all." and "..., this is goodbye xx" were published (a re-check).
_HAPPY = "🎉🥳😀😃😄😁😊🙂🙌👍✅🎊😎🤣😂"
_END_CLAUSE = (r"\s*[,;:-]+\s*(?:tonight\s+is\s+the\s+night|this\s+is\s+(?:it|goodbye|the\s+end)"
               r"|goodbye(?:\s+(?:everyone|all|world))?|i'?m\s+done)"
               # A re-check: "love you", "love you mum", "sorry for everything" after it too, at most three
               # of them, then kisses ("xx", "x x"): each part fixed, so no text can make the reading
               # backtrack without end (a second re-check timed "xx " x 16 at 30 s with a nested repeat).
               r"(?:\s*[,.]?\s*(?:(?:i\s+)?love\s+(?:you|u)(?:\s+(?:all|mum|mom|mam|dad|guys|everyone))?"
               r"|(?:i'?m\s+)?sorry(?:\s+for\s+everything)?)\b){0,3}"
               r"(?:\s*[,.]?\s*x+(?:\s+x+){0,5}\b)?"
               # Then the sentence's end: a full stop, or the text's end after any emoji but a happy one
               # ("this is it 🎉", ":)", "I'm done 🙌" are not the end; "goodbye ❤" and "👋" are).
               r"\s*(?:[.!]|(?![^\w\s]*?(?:[" + _HAPPY + r"]|:-?\)|:d\b|;\)))[^\w\s]*$)")
_AT_RISK = re.compile(
    r"(?:" + _I_WILL + r")\s+(?:just\s+|finally\s+|actually\s+|really\s+)?(?:" + _END_OWN + r")"
    r"(?!\s+with\s+(?:a|the)\s+(?:final|last|new|bang)\b)" + _FIGURE
    # Gamers' "kms" at a lagging match is not; with tonight or "fr" it may be.
    + r"|\bkms\b(?=.{0,40}\b(?:tonight|fr|for\s+real|seriously|today)\b)|\b(?:tonight|seriously)\b.{0,40}\bkms\b"
    # Harm short of death wanted, not done at the gym or to a slice of cake.
    r"|\bi\s+(?:really\s+)?(?:want|wanna|need|keep\s+wanting|feel\s+like\s+i\s+(?:want|need))\s+to\s+(?:hurt|harm|cut|burn)\s+"
    + _MYSELF + r"\b(?!\s+(?:at|on|with|lifting|playing|doing|running|a|some|laughing|for|over)\b)"
    r"|\benough\s+(?:\w+\s+){0,2}?to\s+(?:never|not)\s+wake\s+up\b|\buntil\s+my\s+heart\s+stops\b"
    r"|\bi\s+(?:won'?t|will\s+not)\s+be\s+(?:alive|here|around)\s+(?:much\s+longer|for\s+(?:much\s+)?longer)\b"
    r"|\bi\s+(?:won'?t|will\s+not)\s+be\s+alive\s+(?:tomorrow|by)\b"
    # Wanting to die, or not to live, now.
    r"|\bi\s+(?:really\s+|just\s+|honestly\s+)?(?:want|wanna|wish)\s+(?:to\s+)?(?:die|be\s+dead|i\s+(?:was|were)\s+dead"
    r"|i\s+(?:was|were)n'?t\s+(?:alive|here|born))\b" + _FIGURE
    + r"|\bi\s+hope\s+i\s+(?:die|don'?t\s+wake\s+up)\b" + _FIGURE
    + r"|\bi\s+(?:don'?t|do\s+not|no\s+longer)\s+(?:want|wanna)\s+(?:to\s+)?(?:be\s+(?:here|alive)|live|exist)\b"
    r"(?!\s+(?:in|with|near|without|under|like|through|on|at|by|here|when|while|during|for|if|until|after|before)\b)"
    r"|\bi\s+(?:don'?t|do\s+not|no\s+longer)\s+(?:want|wanna)\s+(?:to\s+)?go\s+on(?=\s*(?:[.!?,]|$|any\s*more|living))"
    r"|\bi\s+(?:don'?t|do\s+not|no\s+longer)\s+(?:want|wanna)\s+(?:to\s+)?wake\s+up\s+(?:again|ever|anymore|any\s+more)\b"
    r"|\bi\s+can'?t\s+keep\s+(?:living|going)\s+like\s+this\b"
    # Said as a whole: not "Nobody would miss me if I stopped voting", "better off without me on the quiz team".
    # ... with a "now" or "anyway" after it (a crime desk's walk: "Nobody would miss me now." was published).
    r"|\b(?:nobody|no\s+one|noone)\s+(?:would|will|'d)\s+(?:even\s+)?(?:miss|notice)\s+me\b" + _AFTERWORD
    + r"(?=\s*(?:[.!?,]|$|if\s+i\s+(?:was|were|died|disappeared|killed|went|wasn'?t)))"
    r"|\b(?:nobody|no\s+one|noone)\s+(?:would|will|'d)\s+(?:even\s+)?care\s+if\s+i\s+(?:was|were|died|disappeared|killed|went)\b"
    r"|\b(?:everyone|everybody|my\s+(?:family|kids|children|wife|husband|parents))\s+(?:would|will|'d)\s+be\s+better"
    r"\s+off\s+without\s+me\b(?=\s*(?:[.!?,]|$|if\s+i\s+(?:was|were|died|disappeared|killed|went|wasn'?t)))"
    r"|\b(?:no|nothing\s+left\s+to)\s+(?:reason\s+to\s+)?live\s+for\b(?!\s*\?)"
    r"|\bno\s+reason\s+to\s+(?:live|go\s+on)\b(?!\s+(?:in|with|near|here|there|at|on|like)\b)"
    r"|\bi(?:'m|m|\s+am|\s+feel|'m\s+feeling|\s+am\s+feeling|\s+have\s+been\s+feeling)\s+(?:so\s+|really\s+|very\s+)?suicidal\b"
    r"(?!\s+(?:before|once|years|in\s+the\s+past))"
    # What is done or ready: the note, the pills, the bridge.
    r"|\bi(?:'ve|\s+have)?\s+(?:written|wrote|left|finished)\s+(?:my|a)\s+suicide\s+note\b"
    r"|\bi(?:'ve|\s+have)\s+(?:written|left|finished)\s+my\s+note(?=\s*(?:[.!?,]|$|and\b))"  # not "left a note at WT:WALES"
    r"|\bi\s+(?:just\s+)?(?:swallowed|downed)\s+(?:a\s+whole\s+bottle|all\s+(?:of\s+)?(?:my|the|these|those)\s+(?:pills|tablets|meds)"
    r"|(?:\d+|a\s+handful\s+of|fifty|forty|thirty|twenty)\s+(?:of\s+(?:my|the)\s+)?(?:pills|tablets|sleeping\s+pills|paracetamol"
    r"|tylenol))\b"
    r"|\bi\s+just\s+took\s+(?:a\s+whole\s+bottle|all\s+(?:of\s+)?(?:my|the)\s+(?:pills|tablets|meds)|an\s+overdose"
    r"|\d+\s+(?:pills|tablets|sleeping\s+pills|paracetamol|tylenol))\b"
    r"|\bi\s+took\s+(?:\d+|all\s+(?:of\s+)?my)\s+(?:pills|tablets|sleeping\s+pills|paracetamol|tylenol)\s+(?:an?\s+(?:hour|few\s+minutes)"
    r"|\d+\s+(?:minutes|hours))\s+ago\b"
    r"|\bi(?:'m|\s+am)\s+standing\s+on\s+(?:the|a|this)\s+(?:bridge|ledge|roof|tracks)\b(?!\s+(?:watching|at|with|for|of)\b)"
    r"|\bi\s+have\s+(?:the|enough)\s+(?:pills|rope|gun)\b(?!\s+(?:ready\s+)?for\s+(?:the|a|my)\b)(?:\s+\w+){0,4}?\s+(?:saved|ready|tonight)\b"
    r"(?!\s+for\s+(?:the|a|my)\b)"
    r"|\btake\s+them\s+all\s+(?:tonight|after|when)\b"
    # ... said as a sentence ends: not "I've got the pills ready in the dosette box for mum", "I've got
    # my rope ready, climbing Snowdon tomorrow" (a re-check).
    # Or a clause of the end after a comma that ends the sentence: "I've got the pills ready, tonight is
    # the night." and "Got the pills ready, this is goodbye." were published (a team lead's walk); not
    # care talk ("Got the pills ready, it's time for grandma's evening dose.", "..., tonight the vet
    # comes": a re-check held 18 of 20 such at a first, looser reading).
    r"|\bi(?:'ve|\s+have|ve)?\s+got\s+(?:the|enough)\s+(?:pills|tablets)\s+(?:ready|saved|lined\s+up)\b"
    r"(?=\s*(?:[.!]|$|and\b|tonight|now)|" + _END_CLAUSE + r")"
    r"|(?:^|[.!?]\s+)got\s+(?:the|enough)\s+(?:pills|tablets)\s+(?:ready|saved|lined\s+up)\b(?=" + _END_CLAUSE + r")"
    # More a re-check wrote (2026-12-03), each a way people in crisis say it and few say otherwise.
    # Not a debate's "that does not mean that life is not worth living".
    r"|\btired\s+of\s+(?:living|being\s+alive|life)\b(?!\s+(?:in|with|under|like|on|at|without|paycheck|as)\b)|\bmy\s+life\s+(?:isn'?t|is\s+not|is\s+no\s+longer)\s+worth\s+living\b"
    r"|\blife\s+(?:isn'?t|is\s+not)\s+worth\s+living\s+any\s*more\b|\bno\s+point\s+(?:in\s+)?(?:living|being\s+alive)\b|\bpoint\s+of\s+living\b"
    r"|\b(?:thinking\s+about|considering|contemplating|planning)\s+(?:my\s+)?suicide\b|\bfeeling\s+suicidal\b"
    r"|\bi(?:'d|\s+would|'m|\s+am)\s+(?:be\s+)?better\s+off\s+dead\b|\bi'?d\s+rather\s+be\s+dead\b" + _FIGURE
    + r"|\b(?:world|everyone|everybody|family)\s+would\s+be\s+better\s+off\s+(?:without\s+me|if\s+i\s+(?:was|were)\s+(?:dead|gone))\b"
    r"|\bi'?m\s+a\s+burden\s+(?:to|on)\s+(?:everyone|everybody|my\s+family)\b|\bnobody\s+cares\s+if\s+i\s+live\s+or\s+die\b"
    # "After losing my house in this fire I just want it all to end." (a night shift's walk).
    r"|\bi\s+(?:just\s+|really\s+|only\s+|honestly\s+)?want\s+(?:it\s+all|everything)\s+to\s+end\b"
    r"(?=\s*(?:[.!?,]|$|now\b|tonight\b|already\b))"  # not "... to end well for the family" (a security review)
    r"|\bi\s+want\s+to\s+(?:go\s+to\s+sleep\s+and\s+)?never\s+wake\s+up\b"
    r"|\bi\s+want\s+to\s+(?:self\s+harm|stop\s+existing|disappear\s+forever)\b|\bi\s+(?:want|wanna)\s+2\s+die\b"
    r"|\bi(?:'ve|\s+have)\s+been\s+cutting\s+(?:myself|again)\b|\bi\s+cut\s+myself\s+again\b|\bi'?m\s+cutting\s+again\b"
    r"|\b(?:relapsed|relapsing)\s+and\s+cut\b"
    r"|\bi(?:'m|\s+am)\s+(?:ready|prepared)\s+to\s+(?:die|end\s+it)\b(?!\s+for\b)" + _FIGURE + r"|\bi(?:'m|\s+am)\s+ending\s+it\b"
    r"|\bi\s+end\s+it(?:\s+all)?\s*(?:[.!]|$)|\bi'?m\s+done\s+(?:with\s+life|living)\b|\bi\s+give\s+up\s+on\s+life\b"
    r"|\bi\s+(?:really\s+|do\s+|really\s+do\s+)want\s+to\s+die\b" + _FIGURE
    + r"|\bpart\s+of\s+me\s+wants\s+to\s+die\b"
    r"|\bshould\s+i\s+(?:just\s+)?(?:kill\s+myself|end\s+it)\b|\bi\s+should\s+(?:just\s+)?(?:kill\s+myself|end\s+it(?:\s+all)?)"
    r"(?=\s*(?:[.!?]|$))|\bmaybe\s+i\s+should\s+(?:just\s+)?end\s+it\b"
    r"|\b(?:swallow|take)\s+all\s+(?:of\s+)?my\s+pills\b|\bblow\s+my\s+brains\s+out\b|\bput\s+a\s+bullet\s+(?:in|through)\s+my\s+(?:head|brain)\b"
    r"|\bgun\s+in\s+my\s+mouth\b|\b(?:drive|crash)\s+my\s+car\s+(?:into\s+a\s+(?:wall|tree)|on\s+purpose)\b"
    r"|\bi(?:'m|\s+am)\s+on\s+the\s+(?:bridge|roof|ledge)\s+(?:right\s+now|and\s+i'?m\s+going\s+to\s+jump)\b"
    r"|\bi(?:'ve|\s+have)\s+saved\s+up\s+enough\s+(?:pills|tablets)\b|\bi\s+took\s+\d{2,}\s+(?:paracetamol|tylenol|pills|tablets)\b(?!\s+of\b)"
    r"|\bwrote\s+my\s+note\b(?=\s*(?:[.!?,]|$))"
    # "Can't do this anymore. Writing my note now." (a night shift's walk); not "writing my note to the school".
    r"|\b(?:writing|finishing)\s+my\s+(?:suicide\s+|goodbye\s+|last\s+)?note\b"
    r"(?=\s*(?:[.!?,]|$|(?:now|tonight)\s*(?:[.!?,]|$)))"  # not "now to the council" (a security review)
    r"|\b(?:writing|written|wrote|finished)\s+(?:my\s+)?(?:goodbye|farewell)\s+(?:letters?|notes?)\b"
    r"(?!\s+(?:to|for)\s+(?:the|my|our|a)\s+(?:school|class|team|club|company|office|job|colleagues|coworkers|students))"
    r"|\bi\s+(?:can'?t|cannot|can\s+not)\s+go\s+on\s+(?:any\s*more|living)\b(?!\s+(?:with|without|in|like|paying|reading"
    r"|working|watching|voting|supporting)\b)"
    r"|(?:" + _I_WILL + r")\s+(?:just\s+)?(?:hurt|harm|cut)\s+" + _MYSELF
    + r"\b(?!\s+(?:at|on|with|lifting|playing|doing|running|a|some|if|badly\s+at|in\s+the\s+(?:gym|garden|kitchen)|laughing"
    r"|for|over)\b)"
)
# What a child tells (a children's site's walk, 2026-12-06: every one published): harm done to
# themselves now, as a habit or again, not at the gym, at play or shaving ("sometimes i cut myself when im sad",
# "i've been hurting myself again"); a wish not to be here said of others ("everyone would be happier
# if i wasnt here"); a parent's pills taken; and harm done to them at home by a parent or carer ("my
# dad hits me and i dont know who to tell", "my stepdad touches me and said not to tell", "i'm scared
# to go home"), not "my dad hits the gym", "my mum beats me at chess" nor "it touches me deeply".
_ACCIDENT = (r"(?!\s+(?:shaving|on|with|by\s+accident|accidentally|while|when\s+i(?:'?m|\s+am)?\s+(?:shav|cook|play|train|run|skat|climb|rid|fall|fell|trip|exercis|box|wrestl|swim|danc)\w*|cooking|chopping|opening"
             r"|slicing|at|in|playing|doing|lifting|running|laughing|out|up|off|free|loose|short|a|some|over|for)\b)")
_FEELING = (r"(?:sad|upset|angry|mad|stressed|lonely|low|down|depressed|anxious|overwhelmed|scared|bad|numb|empty|alone"
            r"|worthless|hopeless)")
_CARER = (r"(?:step\s*-?\s*)?(?:dad|father|daddy|mum|mom|mam|mummy|mommy|mother|parents|uncle|carer|(?:foster|step)\s+(?:parents?"
          r"|carer))|(?:mum|mom|mam|mother)'?s\s+(?:boyfriend|partner|husband)|dad'?s\s+(?:girlfriend|partner|wife)")
_AT_HOME = (r"(?=\s*(?:[.!?,;:]|$|and\b|but\b|again\b|every\s+(?:day|night|time)\b|all\s+the\s+time\b|a\s+lot\b|sometimes\b"
            r"|when\s+(?:he|she|they|i)\b(?!\s+(?:tickles?|plays?|wrestles?|hugs?|jokes?|play\s*-?\s*fights?|messes))|if\s+i\b|(?:down\s+)?there\b|at\s+night\b|inappropriately\b|where\b|so\s+(?:hard|much)\b"
            r"|in\s+(?:places|my\s+(?:room|bed|sleep)|the\s+night|private)\b"
            r"|with\s+(?:a|his|her|the)\s+(?:belt|stick|shoe|slipper|fist|hand|cable|wire|spoon|wooden\s+spoon)\b))")
_DISCLOSED = re.compile(
    r"\bi\s+(?:sometimes|still|often|always|usually|keep|have\s+started(?:\s+to)?|started(?:\s+to)?)\s+(?:cut|cutting|burn"
    r"|burning|hurt|hurting|harm|harming|hit|hitting)\s+" + _MYSELF + r"\b" + _ACCIDENT +
    r"|\bi\s+(?:cut|burn|hurt|harm|hit)\s+" + _MYSELF + r"\s+(?:when(?:ever)?\s+(?:i'?m|im|i\s+am|i\s+feel|i\s+get)\s+"
    r"(?:so\s+|really\s+|very\s+)?" + _FEELING + r"|to\s+(?:feel|cope|forget|punish|calm|make\s+(?:it|the\s+pain))|because\s+(?:i|it)"
    r"|every\s+(?:day|night)|on\s+purpose|a\s+lot)\b"
    r"|\bi(?:'ve|\s+have|ve)?\s+been\s+(?:hurting|harming|cutting|burning|hitting)\s+" + _MYSELF + r"\b" + _ACCIDENT +
    # Scratching is eczema's as often ("i scratch myself a lot"), unless it is till it bleeds.
    r"|\bi\s+(?:sometimes\s+|still\s+|often\s+|keep\s+)?scratch(?:ing)?\s+" + _MYSELF + r"\s+(?:until|till|til)\s+(?:i|it)\s+bleeds?\b"
    r"|\bi(?:'m|m|\s+am)\s+(?:hurting|harming|cutting|burning)\s+" + _MYSELF + r"\s+(?:again|every\s+(?:day|night)|a\s+lot)\b"
    r"|\bi(?:'ve|\s+have)?\s+(?:started\s+|been\s+|keep\s+)?self\s*-?\s*harm(?:ing)?\b(?!\s+(?:awareness|services|charity|support"
    r"|is|was|in|among|rates?|research|training)\b)"
    r"|\b(?:everyone|everybody|every\s+one|my\s+(?:family|kids|children|parents|mum|mom|dad|friends))\s+(?:would|will|'d)\s+be"
    r"\s+(?:so\s+|much\s+|so\s+much\s+|a\s+lot\s+)?(?:happier|better(?:\s+off)?)\s+if\s+i\s+(?:(?:was|were)(?:n'?t|nt|\s+not)"
    r"\s+(?:here|around|alive|born)|(?:was|were)\s+(?:dead|gone)|died|disappeared|didn'?t\s+exist|never\s+existed)\b"
    r"(?=\s*(?:[.!?,]|$|any\s*more\b|anyway\b))"
    r"|\bi\s+(?:just\s+)?(?:took|swallowed|have\s+taken|'ve\s+taken)\s+(?:some|a\s+(?:load|lot|bunch|handful|few)|loads|lots|all|half"
    r"|a\s+whole\s+(?:box|packet|pack|bottle))\s+of\s+(?:my\s+)?(?:mum|mom|mam|dad|nan|gran|grandma|grandad|parents|sister|brother"
    r"|mother|father)(?:'?s)?\s+(?:pills|tablets|meds|medicine|medication|sleeping\s+pills|painkillers|antidepressants|paracetamol)\b"
    r"(?!\s+(?:for|to\s+help|because\s+of|by\s+(?:accident|mistake)|when\s+i\s+was|years)\b)"
    r"|\bi\s+(?:just\s+)?took\s+(?:a\s+(?:load|lot|bunch|handful)\s+of|loads\s+of|lots\s+of|(?:way\s+)?too\s+many)\s+(?:pills|tablets"
    r"|painkillers|paracetamol|sleeping\s+pills)\b(?=\s*(?:[.!?,]|$|and\b|to\s+(?:sleep|die|make|end|stop)\b|tonight\b|today\b))"
    r"|\b(?:my|me)\s+(?:" + _CARER + r")\s+(?:always\s+|sometimes\s+|still\s+|keeps\s+|often\s+|really\s+)?(?:hits|hitting|kicks"
    r"|punches|slaps|hurts|chokes|strangles|smacks|whips|belts|burns|touches|touching)\s+me\b" + _AT_HOME +
    r"|\b(?:my|me)\s+(?:" + _CARER + r")\s+(?:hit|beat|kicked|punched|slapped|hurt|choked|touched)\s+me\s+(?:again|last\s+night|yesterday"
    r"|today|this\s+morning|tonight)\b"
    r"|\b(?:my|me)\s+(?:" + _CARER + r")\s+beats\s+me(?:\s+up)?(?=\s*(?:[.!?,;]|$|and\s+(?:i|my\s+mum|my\s+mom)\b|when\s+(?:he|she)\b"
    r"|every\s+(?:day|night)\b))"
    r"|\bi(?:'m|m|\s+am)\s+(?:so\s+|really\s+|too\s+|very\s+)?(?:scared|afraid|frightened|terrified)\s+(?:to\s+go|of\s+going)\s+"
    r"(?:back\s+)?home\b(?=\s*(?:[.!?,;:]|$|tonight\b|after\s+school\b|again\b|when\s+(?:he|she|my)\b|because\s+(?:my|he|she|of\s+(?:him"
    r"|her|my))\b|(?:cos|coz|cuz)\s+(?:my|he|she|of\s+(?:him|her|my)|(?:" + _CARER + r"))\b|to\s+(?:my\s+)?(?:dad|mum|mom|stepdad|him|her)\b))"
    r"|\bi(?:'m|m|\s+am)\s+(?:so\s+|really\s+|very\s+)?(?:scared|afraid|frightened|terrified)\s+of\s+my\s+(?:" + _CARER + r")\b"
    r"(?=\s*(?:[.!?,;:]|$|he\b|she\b|because\b|cos\b|when\s+(?:he|she)(?!\s+(?:drives|is\s+driving|'s\s+driving|tickles|plays)\b)))"
)
# A farewell is one with a sign of an end beside it: "Tonight is the night. Goodbye everyone."; not a
# reader leaving the comments for good ("Goodbye everyone, I'm deleting my account. I love you all.").
_FAREWELL = re.compile(r"\b(?:this\s+is\s+my\s+last\s+(?:post|comment|message)|goodbye\s+(?:everyone|world|cruel\s+world|all)"
                       r"|tonight(?:'s|\s+is)\s+the\s+night(?=\s*(?:[.!,]|$))|i'?m\s+sorry\s+for\s+everything|please\s+forgive\s+me"
                       # A goodbye said alone, as a clause ends: "Tonight's the night, goodbye" (a security
                       # review); not "goodbye Wembley", a stadium's last match.
                       # ... not "Goodbye, old friend." to a stadium's stand (a security review).
                       r"|goodbye(?=\s*(?:[.!]|$))|i\s+won'?t\s+be\s+(?:here|around)\s+(?:tomorrow|much\s+longer)"
                       r"|i\s+love\s+you\s+all|(?:take\s+care\s+of|look\s+after)\s+my\s+(?:kids|dog|cat|children))\b")
_FAREWELL_END = re.compile(r"\b(?:i'?m\s+sorry\s+for\s+everything|please\s+forgive\s+me|tonight(?:'s|\s+is)\s+the\s+night(?=\s*(?:[.!,]|$))"
                           r"|i\s+won'?t\s+be\s+(?:here|around)\s+(?:tomorrow|much\s+longer)"
                           r"|(?:take\s+care\s+of|look\s+after)\s+my\s+(?:kids|dog|cat|children)|goodbye\s+cruel\s+world)\b")
# A denial right before ("don't kill yourself over it", "not that I want to die", "I used to want to
# die"), not two words back: "I don't care anymore I want to die", "Not gonna lie I want to die" and
# "Why don't you just kill yourself" are not denied (a re-check). And a condition anywhere in the
# clause before: "If they cancel the show I'll kill myself", "how do i know if i want to die".
_DENIED = re.compile(r"\b(?:never|not|not\s+that|won'?t|wouldn'?t|don'?t|didn'?t|no\s+longer|used\s+to)\s+$"
                     r"|\bif\b[^.!?,;:]*$")

# Telling someone to do it: to "you", or an order opening a clause.
_URGE = r"kill|hang|neck|rope|shoot|drown|off|unalive|poison|stab"
# ... not an errand: "Shoot yourself an email so you don't forget" (a re-check).
_URGING = re.compile(
    r"\bkys\b(?!\s*[:=])"
    r"|\b(?:" + _URGE + r")\s+(?:yourself|urself|yo\s*self|your\s*self|ur\s+self|yourselves)\b"
    r"(?!\s+(?:out|up|in|over|laughing|to\s+(?:sleep|rest)|a\s+(?:coffee|drink|meal|snack|break|treat|slice|piece|reminder|note"
    r"|message|text|copy)|an\s+(?:email|e-mail))\b)"
    # An order: "go die", "please die", "Just overdose already"; not "people who might just die".
    r"|(?:\b(?:go|please|pls|plz)\s+(?:and\s+)?(?:just\s+)?|(?:^|[.!?,;:]\s*)(?:just|now)\s+)(?:die|rope|od|overdose"
    r"|jump\s+off\s+(?:a|the)\s+\w+|drink\s+(?:some\s+)?bleach|eat\s+a\s+bullet|slit\s+your\s+wrists?)\b"
    r"(?!\s+(?:in|on|at|of)\s+(?:a|the|another|that|this)\s+(?:\w+\s+)?(?:game|match|round|level|hill)\b)"
    r"|\b(?:drink|chug)\s+(?:some\s+)?bleach\b"
    r"|\bslit\s+your\s+wrists?\b"  # a throat slit is a threat, the threat rule's
    # Found missing by a re-check: "Go cut yourself", "Cut deeper next time", "End yourself", "Go
    # commit suicide", "Eat a bullet", "Nobody would care if you killed yourself".
    r"|\b(?:go|just)\s+(?:and\s+)?(?:cut|hurt|harm|burn)\s+(?:yourself|urself|your\s*self)\b|\bcut\s+deeper\b"
    r"|\bend\s+(?:yourself|urself|your\s*self)\b|\b(?:go|just|please|you\s+should)\s+(?:and\s+)?commit\s+suicide\b"
    r"|(?:^|[.!?,;:]\s*)eat\s+a\s+bullet\b"
    r"|\b(?:nobody|no\s+one)\s+would\s+(?:even\s+)?(?:care|notice)\s+if\s+(?:you|u)\s+(?:killed|kill|offed|hanged|hung)\s+"
    r"(?:yourself|urself)\b"
    r"|\b(?:go|just)\s+an\s+hero\b|\bgo\s+play\s+in\s+(?:the\s+)?traffic\b|\btoaster\s+bath\b"
    r"|\b(?:die|jump|od|overdose|end\s+it)\s+already\b|\bjump\s+you\s+coward\b"
    r"|\b(?:nobody|no\s+one)\s+would\s+(?:even\s+)?miss\s+(?:you|u)\s+if\s+(?:you|u)\s+died\b"
    r"|\b(?:world|everyone|everybody)\s+would\s+be\s+better\s+(?:off\s+)?(?:without\s+(?:you|u)|if\s+(?:you|u)\s+(?:were|was)\s+dead)"
    r"(?=\s*(?:[.!?,]|$))"
    r"|(?:^|[.!?,;:]\s*)(?:go\s+)?get\s+cancer\b|\bhope\s+(?:your|ur)\s+(?:family|kids|children|mum|mom|mother|dad|father"
    r"|wife|husband|baby)\s+(?:dies|die|gets\s+cancer)\b"
    r"|(?:^|[.!?,;:]\s*)(?:go\s+)?(?:starve|cut)\s+(?:yourself|urself)\b(?!\s+(?:a|an|some|off|short|free|loose)\b)"
    r"|\bstop\s+eating\s*,?\s+fatty\b|\b(?:blow|shoot)\s+your\s+brains\s+out\b|\bswallow\s+a\s+bullet\b"
    r"|(?:^|[.!?,;:]\s*)(?:go\s+)?(?:take|swallow)\s+(?:all\s+(?:of\s+)?your\s+pills|the\s+whole\s+bottle)\b"
    r"|\b(?:you|u|ya)\s+should\s+(?:just\s+|really\s+|honestly\s+|go\s+)?(?:die|kill\s+(?:yourself|urself)"
    r"|end\s+it(?=\s*(?:[.!?]|$|all\b|now\b|already\b))|jump\s+off|not\s+exist|not\s+be\s+alive|od)\b"
    r"|\bdo\s+(?:us|everyone|the\s+world|society|humanity)\s+(?:all\s+)?a\s+favou?r\s+and\s+(?:just\s+)?(?:die|kill|end|od"
    r"|overdose|jump|hang|take\s+the\s+whole|stop\s+breathing)\b"
    r"|\b(?:rope|bleach|a\s+bullet)\s+is\s+cheap\b"
    r"|\bnobody\s+would\s+(?:even\s+)?miss\s+(?:you|u)\b(?=.*\b(?:die|dead|kill|jump|bridge|rope|do\s+it|go\s+away\s+forever)\b)"
    r"|\b(?:the\s+)?world\s+(?:is|would\s+be|'d\s+be)\s+better\s+off\s+without\s+(?:you|u|people\s+like\s+you)\b"
    r"(?=\s*(?:[.!?,]|$))"
    r"|\bstarve\s+yourself\s+to\s+death\b"
    r"|\btake\s+the\s+whole\s+(?:bag|bottle|pack|packet|lot|box)\b(?=.*\bfavou?r\b)"
    r"|\b(?:i\s+)?hope\s+(?:you|u)\s+(?:get|catch|develop)\s+(?:cancer|aids|ebola|covid|a\s+tumou?r)\b"
    r"|\bhope\s+(?:your|ur)\s+(?:tumou?r|cancer)\s+(?:spreads|grows|comes\s+back|kills\s+you)\b"
)
# Said of someone named rather than to them: "Someone tell Emma Clarke to kill herself.", "Emma Clarke
# should kill herself." (a red-team walk: published padded, and never this rule's). Not a denial
# ("Nobody should kill themselves over exams", "tell them not to kill themselves"), nor "need to",
# said as often of a feeling ("No one should feel they need to kill themselves"), nor a character
# written out ("should kill himself off").
_URGING_NAMED = re.compile(
    r"(?<!nobody\s)(?<!no\sone\s)(?<!no-one\s)\b(?:should|ought\s+to)\s+"
    r"(?:just\s+|really\s+|honestly\s+|go\s+(?:and\s+)?)?kill\s+(?:himself|herself|themselves|themself)\b(?!\s+off\b)"
    r"|\btell\s+(?:(?!not\b|never\b)[a-z'\-]+\s+){1,3}to\s+(?:go\s+)?kill\s+(?:himself|herself|themselves|themself)\b"
)
# ... nor reported or weighed, the verb right before its "he", "she" or "they": a court's "telling her
# she should kill herself", Hamlet's "whether he should kill himself" (a re-check: 8 of 70 such
# comments). Only there: "I told you, she should kill herself." and "If you ask me, Emma Clarke should
# kill herself." are urging (a second re-check found them published when any such word came before).
_REPORTED = re.compile(r"\b(?:whether|if|told|telling|tells|said|saying|says|asked|asking|wondered|wondering|wonders"
                       r"|texted|messaged|wrote)\s+(?:(?:him|her|them|me|us)\s+)?(?:that\s+)?(?:he|she|they)\s+$")


# A word every pattern above needs one of: most comments have none and skip the sixty patterns (a
# comment's at_risk went from 20 to 340 µs as they grew; bench/plain_words_rules.py).
_RISK_CUE = re.compile(r"myself|my self|suicid|sewerslide|self\s+(?:delete|harm)|\bdie|\bdead|\bkms\b|\bliv(?:e|ing)\b"
                       r"|alive|\bhere\b|exist|wake|without me|\bmiss me|burden|\bnote\b|pills|tablets|paracetamol"
                       r"|tylenol|bridge|\broof|ledge|tracks|\brope|\bgun\b|\bend\b|\bending\b|cutting|\bcut\b|brains|bullet"
                       r"|my car|overdose|\bod\b|heart|goodbye|sorry|forgive|look after|take care|\bhope i\b|tired of|\blife\b"
                       r"|around|in front of|wrists|throat|swallow|downed|took|saved|\bgo\s+on\b|scared|afraid|frightened"
                       r"|terrified|happier|harm|(?:hits|hitting|kicks|punches|slaps|hurts|chokes|strangles|smacks|whips|belts|burns|touches"
                       r"|touching|hit|beat|beats|kicked|punched|slapped|hurt|choked|touched)\s+me\b")
_URGE_CUE = re.compile(r"yourself|urself|your\s*self|yo\s*self|kys|\bdie\b|rope|\bod\b|overdose|bleach|bullet|wrists|suicide"
                       r"|cheap|miss (?:you|u)|without (?:you|u|people)|better off|\bhero\b|traffic|toaster|already|coward"
                       r"|cancer|tumou?r|\bdies\b|fatty|brains|pills|bottle|deeper|favou?r|jump|himself|herself|themsel")


def at_risk(normalised: str) -> str | None:
    """The words of a reader saying they may end or harm their own life, or that they are harmed at home, or None."""
    if not _RISK_CUE.search(normalised):
        return None
    found = _first(_AT_RISK, normalised) or _first(_DISCLOSED, normalised)
    if found is None:
        farewells = {m.group(0) for m in _FAREWELL.finditer(normalised)}
        ending = len(farewells) >= 2 and _FAREWELL_END.search(normalised)
        found = " ... ".join(sorted(farewells)) if ending else None
    return found


# Told to stop, the opposite of urging: "<user> stahp to try to kill yourself most favorit meatbag" was
# held and ranked 5th of 462 (a standards editor's audit); "please stop trying to kill yourself", "quit
# trying to kill yourself", "don't ever kill yourself". Here, not in _DENIED, which at_risk reads too:
# "I can't stop wanting to die" is a reader at risk.
_TOLD_TO_STOP = re.compile(r"\b(?:(?:stop|stahp|stawp|stap|quit)(?:\s+(?:to\s+)?(?:try|trying|tryna|wanting|want)(?:\s+to)?)?"
                           r"|(?:don'?t|do\s+not|never)\s+(?:ever|you\s+(?:ever\s+)?dare|(?:even\s+)?try(?:\s+to)?))\s+$")


def urging_self_harm(normalised: str) -> str | None:
    """The words of a reader telling another to kill or harm themselves, or wishing a disease on them."""
    if not _URGE_CUE.search(normalised):
        return None
    found = _first(_URGING, normalised, _TOLD_TO_STOP)
    if found is None:
        for named in branches(_URGING_NAMED).finditer(normalised):
            before = normalised[max(0, named.start() - 60):named.start()]
            if not _DENIED.search(before[-40:]) and not _REPORTED.search(before):
                return named.group(0)
    return found


# What is urging only in a reply to a reader at risk: "Do it.", "Go on then, do it.", "Don't forget
# to livestream it lol", "Use a shotgun, it's quicker." were published under "I'm going to kill myself
# tonight." (a health desk's walk); not "you can do it, you can get through this" nor "please don't do it".
_DARE = re.compile(r"(?:^|[.!?,;:]\s*)(?:just\s+|so\s+|then\s+|go\s+on\s+(?:then\s*,?\s*)?|go\s+ahead\s*,?\s*)?do\s+it\b"
                   r"(?!\s+(?:for|with|later|tomorrow|together|differently)\b)|\bgo\s+on\s+then\b|\bgo\s+ahead\b(?!\s+and\s+(?:call|talk|ask))"
                   r"|\blive\s*stream\s+it\b|\bdo\s+it\s+right\s+this\s+time\b|\buse\s+a\s+(?:gun|shotgun|rope|bridge)\b"
                   r"|\bnobody\s+cares\b|\bno\s+one\s+cares\b|\bgood\s+riddance\b|\bwon'?t\s+be\s+missed\b|\bpics\s+or\s+it\b")


def dared(normalised: str) -> str | None:
    """The words of a reply that dares a reader at risk to go on ("Do it.", "Nobody cares."), or None."""
    return _first(_DARE, normalised)


def _first(pattern: re.Pattern[str], normalised: str, denied: re.Pattern[str] | None = None) -> str | None:
    for found in branches(pattern).finditer(normalised):
        before = normalised[max(0, found.start() - 40) : found.start()]
        if not _DENIED.search(before) and not (denied is not None and denied.search(before)):
            return found.group(0)
    return None
