"""The `threat_words` rule: a threat of violence said in ordinary words, which the model often misses.

The threat head is the thinnest of the six (430 training threats, most of them found by the same
patterns), and a bag of words cannot tell "I know where you live and I'm coming for you" (threat
0.01, toxicity 0.06) from an ordinary sentence. This rule reads the patterns training labels threats
with (classifiers/threat_patterns.py): a stated intent to harm someone ("I will find you and kill
you"), a call or wish for someone's death or harm ("he should be executed", "I hope you die"), the
stock phrases of intimidation ("watch your back", "your days are numbered") and an order to kill a
group; against a person a story names by their office or their name as well ("someone should shoot the mayor", "I hope the
judge dies", "these reporters should be shot", "the engineers who designed this bridge should be
executed"), not their feelings, an errand or a figure of speech
("hurt the mayor's feelings", "shoot the mayor an email", "die on this hill"). Training reads the
patterns only in comments labelled toxic; this rule reads every comment, so it spells four of them
more narrowly: an intent leaves out "beat" and "find" ("we will beat them on Sunday", "I'll find
you a seat") and an errand ("I'll shoot you an email"); being harmed or
dying counts when called for ("he should be shot"), not forecast ("someone is going to get killed at
that crossing"), and only for a person or people ("this bill needs to die" is politics); and an
order to kill a group counts only where a clause starts with it ("Kill them all."), not where it is
told of ("they want to kill all of us").

A threat denied just before it does not count ("they do not deserve to be tortured", "I will never
hurt you"), and "No one deserves to die like that" names no one to die, so the condolences under a
crime story pass. It reads the classifier's normalised text, so "i w1ll k1ll y0u" counts. It holds;
it does not reject: a quotation or a news report of a threat fires too, and a moderator tells them
apart. Over the shared data's real comments it fires on 42 of 112,067 that people labelled civil and on
378 of 73,188 labelled toxic (bench/plain_words_rules.py; 42 and 372 before a video platform's threats against
groups and people, read in platform_threats.py, 42 and 365 before the audit's leftovers, 42 and 355 before a standards editor's audit's
phrasings of real comments, 42 and 348 before an election night's threats to the
count, unchanged by a derby night's threats to a referee's family, 42 and 347 before a walk's punches, 42 and 342 before a crime desk's threats to
defendants, 42 and 340 before a health desk's threats to
nurses, 41 and 339 before a re-check's orders and verb forms, 41 and 333 before a derby day's crashes,
buses and accidents, 43 and 331 before names were read through the normaliser and orders narrowed to a sentence's start, 40 and 321 before names and orders to kill
a person, 38 and 319 before a re-check's patterns). Before the data scientist's patterns at
the end of _SITE_ONLY it was 37 and 312, and before _SITE_ONLY 37 and 301, of which the model would
publish 23 civil and 38 toxic: "he should be executed", "I will hurt you", "I hope you die" (docs/rules-history.md, `threat_words`).
"""
from __future__ import annotations

import re

from classifiers.normalise import normalise_with_offsets
from classifiers.threat_patterns import (
    BRANCHES, CALL, HARMED, HOPE_HARMED, INTENT, KILL_ALL, NOT_HARM, SOMEONE_SHOULD_HARM, VIOLENCE_ANYWHERE,
    WATCH_YOUR_BACK, intent_against, intent_to_harm,
)
from moderation.domain.branch_scan import branches
from moderation.domain.group_attacks import GROUP, SLURS_FOR_ONE
from moderation.domain.platform_threats import first_platform_threat
from moderation.domain.veiled_threats import first_veiled, patterns as veiled_patterns

_ORDER_TO_KILL_A_GROUP = r"(?:^|[.!?,:;]\s*)(?:just\s+|now\s+|let'?s\s+|we\s+should\s+|we\s+must\s+)?" + KILL_ALL
# Three words between, not two: "I will find you and kill you", where training has "find" for it.
# Not a winger's pace: "I'll burn him for pace", "We'll burn them down the wing all day" (a derby
# night's list of ordinary comments found both held).
_WING = r"the\s+(?:wing|line|flank|left|right|outside|inside|overlap)"
# Nor a fixture: "We'll kill them in the return leg.", "We'll murder them at their place too." (the
# derby night's F7: held and ranked with real threats).
_NOT_PACE = (r"(?!\s+(?:for\s+pace|down\s+" + _WING + r"|on\s+" + _WING + r"|at\s+(?:their|our)\s+(?:place|ground|gaff|patch"
             r"|stadium|park)|in\s+the\s+(?:return\s+leg|(?:first|second)\s+leg|reverse\s+fixture|cup|league|final|derby|replay"
             r"|rematch|next\s+round|semis?|semi\s*-?\s*finals?|play\s*-?\s*offs?)|(?:on|next|this)\s+(?:the\s+)?pitch)\b)")
_INTENTS = (intent_against(VIOLENCE_ANYWHERE, NOT_HARM + _NOT_PACE, gap=3), intent_to_harm(NOT_HARM + _NOT_PACE))
# An errand with a word before what is sent: "Someone should shoot the council leader a thank-you note."
# was held (a re-check). Here, not in classifiers' NOT_HARM, which reads the training labels too.
_NOT_ERRAND = NOT_HARM + (r"(?!\s+(?:an?\s+|the\s+)?(?:quick|short|brief|thank(?:\s*-\s*|\s+)you|thanks|polite|nice|friendly"
                          r"|stern|strongly\s+worded|angry|formal|private|direct)\s+(?:e-?mail|message|note|line|letter|text"
                          r"|dm|pm|question|reminder)s?\b)")
# A person by the office or part they hold, as a story names them: "the mayor", "that judge", "these
# reporters", "the new councilman"; a plan or a bill is none of these.
_THE = r"(?:the|that|this|these|those|our|your|their|his|her|every)\s+(?:\w+\s+)?"
_SLUR_FOR_ONE = "|".join(w for w in SLURS_FOR_ONE if w != "chink") + r"|nigga|retard|chink(?!\s+(?:in|of)\b)"
# Words that name no one but a person holding an office or doing wrong.
_ONLY_PEOPLE = (r"mayor|judge|senator|governor|president|congress(?:man|men|woman|women)|council(?:man|men|woman|women|lor|lors|or|ors)"
                r"|reporter|journalist|editor|columnist|minister|politician|official|cop|officer|sheriff"
                r"|prosecutor|lawyer|attorney|teacher|doctor|nurse|priest|pastor|imam|rabbi|landlord|ceo|banker"
                r"|referee|ref|umpire|protest[eo]r|rioter|looter|activist|police(?:m[ae]n)?|voter|scientist|professor"
                r"|bureaucrat|regulator|inspector|lawmaker|legislator|commissioner|surgeon|criminal|murderer|rapist"
                r"|p(?:a)?edophile|dealer|abuser|juror|bishop|traitor|bitch|bastard|idiot|moron"
                # "These thugs should be put down like the rabid dogs they are." (a standards editor's audit).
                r"|thug|scumbag|lowlife"
                # Who runs an election: "shoot the county clerk" was published on election night.
                r"|clerk|registrar|secretary\s+of\s+state|secretaries\s+of\s+state|canvasser|board\s+members?|treasurer"
                r"|superintendent|spokes(?:man|men|woman|women|person)"
                # Those a local story names: "I know where the flood warden lives and he will pay." (an editor's walk).
                r"|warden|ranger|steward|marshal|caretaker|headteacher|headmaster|headmistress|principal"
                # A slur for one person names a person as "thug" does: "will someone please kill that sand
                # nigger or just nuke ..." was published (the audit; the model held it).
                # ... and "tranny" and "faggot", which a gearbox and kindling are too, so not in a plea going on.
                r"|" + _SLUR_FOR_ONE + r"|tranny|faggot")
# ... and words that name a person in a story but a job, a game's boss or a photo's subject too:
# "kill the worker process", "kill the boss with fire arrows", "shoot the players warming up".
_ALSO_THINGS = (r"writer|author|neighbou?r|engineer|designer|builder|developer|contractor|architect|planner|executive"
                r"|manager|boss(?:es)?|owner|player|coach(?:es)?|fan|soldier|troop|firefighter|supporter|researcher"
                r"|student|parent|driver|cyclist|motorist|worker|employee|director|thie(?:f|ves)|killer|terrorist|liar"
                r"|crook|pilot|guard|witness(?:es)?|athlete|supervisor|secretary|board|candidate|delegate|auditor|trustee"
                r"|chair(?:man|men|woman|women|person)?|aide|staffer|deputy|deputies|chief"
                # "Someone should shoot the council leader for this." was published (a team lead's walk).
                r"|leader"
                # "We know where the count staff park." (an election night)
                r"|staff"
                r"|man|men|woman|women|guy|guys|kid|boy|girl|scum|clown|punk|keeper|goalkeeper|striker|defender|linesm[ae]n|gaffer")
_OFFICE = _THE + r"(?:" + _ONLY_PEOPLE + r"|" + _ALSO_THINGS + r")s?\b"
# ... or by their name, which the text as written capitalises (see `_marked_names`): "Someone should
# shoot Hargrove.", "I hope Mendez dies tonight.", "I know where Janet Ruiz lives." were published on
# election night. A second reading marks each such word with _NAME_MARK, which no normalised text
# holds (NFKC reads it as "h"); a letter, so "\b" before a marked name still finds it.
_NAME_MARK = "\u02b0"
_TITLES = ("mr mrs ms miss dr prof sen senator gov governor rep judge mayor president sheriff officer det sgt gen col"
           " capt rev sir dame lord lady"
           # A health desk's walk ("I hope Nurse Whitfield dies tonight." was published) and a re-check ("Coach Smith").
           " nurse professor doctor coach councillor councilor councilman councilwoman commissioner chancellor minister"
           " inspector detective constable sergeant captain pastor rabbi imam father reverend pc").split()
# Whole words ("shoot \u02b0apple an email" read "shoot appl", the errand left behind), one or two,
# after a title ("Mr. Hargrove", "Senator Bill Cassidy") and with an apostrophe inside ("O'Brien");
# not a third ("Someone should kill Daylight Saving Time.").
_NAME = _NAME_MARK + r"[\w-]+(?:'(?!s\b)\w+)?\b"
_NAMED = (r"(?:(?:" + "|".join(_TITLES) + r")\s*\.?\s+)?" + _NAME + r"(?:\s+" + _NAME + r")?(?!\s+" + _NAME_MARK + r")")
_ROLE = r"(?:" + _OFFICE + r"|" + _NAMED + r")"
# A call for a death or a harm, where a person or people are to suffer it: "This bill needs to die"
# and "that plan should be killed" are politics. Without one, only harms never done to a plan count.
_PERSON = (r"(?:you|u|ya|y'all|yall|he|she|they|him|her|them|people|everyone|everybody|anyone|anybody"
           r"|whoever(?:\s+\w+){1,2}|" + _ROLE + r")")
# Who they are, said between: "the engineers who designed this bridge should be executed"; not an
# opinion, whose own subject the call is about ("people who think the bill should die").
_WHO_DID = (r"(?:\s+who\s+(?!(?:think|thought|say|said|believe|decide|decided|feel|felt|want|wanted|agree|argue|claim"
            r"|vote|voted|insist|suggest|demand)(?:s|ed)?\b)(?:[\w']+\s+){0,6}?[\w']+)?")
# Dying or being shot as a figure of speech: "die on this hill", "die of embarrassment", "shot down",
# "die trying", "gets shot of that car", "shot-shy".
_NOT_LITERAL = (r"(?!\s+(?:on\s+(?:this|that|the|a)\s+hill|of\s+(?:shame|embarrassment|boredom|laughter|old\s+age"
                r"|natural\s+causes)|laughing|happy|old|peacefully|in\s+(?:peace|(?:his|her|their)\s+sleep)|down"
                r"|trying|out\s+to\s+dry|a\s+(?:\w+\s+)?(?:legend|hero|champion|icon|man|woman|fan|supporter))\b)(?!(?<=shot)\s+of\b)"
                # A compound ("shot-shy", "die-hard"), which the normalised text spells "shot - shy"; not any
                # dash after the word: "The mayor should be shot - simple as." is a call (a re-check).
                r"(?!\s*-\s*(?:shy|put|stopper|caller|blocker|maker|hard|cast|off|gun)\b)")
# Whom a harm is done to, not whose ("hurt the mayor's feelings"), nor an errand ("shoot the mayor an email").
# Not "kill the mayor's vision", but the mayor's son is a person: "I'm going to kill the mayor's son" (a re-check).
_WHO = (r"(?:you|u|ya|him|her|them|" + _ROLE + r"|" + GROUP + r")(?:'s\s+(?:son|daughter|wife|husband|kids?|children"
        r"|family|mum|mom|mother|dad|father|brother|sister|boyfriend|girlfriend|partner|baby)\b|(?!'))" + _NOT_ERRAND)
# Their head, where a bullet is put: "Someone should put a bullet in that senator's head." was
# published (a platform's tester, F8), where "... in that senator" was held.
_THEIR_HEAD = (r"(?:(?:your|ur|his|her|their)\s+|" + _ROLE + r"'s\s+)(?:\w+\s+)?(?:head|skull|brains?|face|chest|heart|neck"
               r"|temple)\b")
# Hurting a person with words around the verb too: "put a bullet in him", "run her over".
_HARM_DONE = (r"(?:(?:kill|murder|shoot|stab|hurt|punch|strangle|choke|lynch|behead|execute|torture|beat\s+up)s?\s+" + _WHO
              + r"|put(?:s|ting)?\s+a\s+bullet\s+(?:in|into|through)\s+" + _WHO
              + r"|put(?:s|ting)?\s+a\s+bullet\s+(?:in|into|through)\s+" + _THEIR_HEAD
              + r"|runs?\s+(?:you|u|him|her|them)\s+(?:over|down)\b)")
_CALLS = (r"\b" + _PERSON + _WHO_DID + r"\s+(?:all\s+)?" + CALL + r"\s+(?:all\s+|just\s+)?(?:die\b|(?:have\s+been|be|get)\s+(?:\w+ly\s+)?"
          + HARMED + r"\b)" + _NOT_LITERAL,
          r"\b" + CALL + r"\s+(?:have\s+been|be|get)\s+(?:\w+ly\s+)?(?:hanged|lynched|raped|tortured|gassed|beheaded|stabbed"
          r"|murdered|strangled|burned\s+alive|burnt\s+alive)\b",
          # "Petrov should be taken out back and shot." (derby day)
          r"\b" + _PERSON + r"\s+" + CALL + r"\s+(?:be|get)\s+taken\s+out(?:\s+back)?\s+and\s+(?:shot|hanged|killed|executed)\b",
          r"\b" + _PERSON + r"\s+" + CALL + r"\s+(?:all\s+)?(?:be|get)\s+hung\b(?!\s+(?:up|out|over|on|in)\b)",  # a re-check
          # Someone called on, or hoped, to harm a person: "somebody needs to put a bullet in that
          # judge", "I hope someone stabs the senator", "I hope the mayor dies".
          r"\b(?:someone|somebody)\s+(?:should|needs?\s+to|ought\s+to|has\s+to|must|gotta|oughta)\s+(?:just\s+|finally\s+)?"
          + _HARM_DONE,
          r"\bhope\s+(?:someone|somebody)\s+(?:finally\s+)?" + _HARM_DONE,
          # ... said with who they are: "I hope the judge who certified this dies slowly." was published on
          # an election night, where "I hope the judge dies" was held.
          r"\bhope\s+" + _ROLE + _WHO_DID + r"\s+(?:dies|die|gets?\s+(?:shot|killed|stabbed|lynched|hanged|murdered))\b"
          + _NOT_LITERAL,
          # ... by a crash or a bus on the way: "Hope Hargrove crashes on the way home and dies", "Hope
          # the ref gets hit by a bus" were published on derby day.
          r"\bhope\s+(?:he|she|they|you|u|" + _ROLE + r")\s+(?:[\w']+\s+){1,8}?and\s+(?:then\s+)?(?:dies|die)\b" + _NOT_LITERAL,
          r"\bhope\s+(?:he|she|they|you|u|" + _ROLE + r")\s+(?:gets?|is|are)\s+(?:hit|run\s+over|mown\s+down)\s+by\s+a\s+"
          r"(?:bus|train|truck|lorry|car|tram)\b")
# Threats a news site's readers write that training's patterns do not spell (from a trust & safety
# walk: "I will break your legs.", "The reporter deserves a bullet.", "Someone should bomb the
# council offices.", "If they build that mosque here, we'll burn it down.", "Round up the protesters
# and hang them.", "I know where the editor lives."); the site rule's own, so the shipped model's
# training labels stay as they were.
_BODY = r"(?:legs?|arms?|knees?|kneecaps?|head|skull|face|jaw|teeth|neck|throat|nose|ribs?|fingers?|hands?|spine|back)"
_PLACE = (r"(?:mosque|church|synagogue|temple|school|office|centre|center|clinic|building|house|home|station"
          r"|embassy|parliament|hq|headquarters|newsroom|studio|shelter|hostel|hotel|camp)s?")
# The last words of a sentence, perhaps before a name, an "and" that goes on, or the address itself:
# "I know where you work, Sarah.", "I know where the judge lives, 14 Elm Road.", "... lives, and I'm
# coming for him" are intimidation; "I know where you work, it's the building next to mine." is not.
_SAID_LAST = r"(?=\s*(?:[.!?]|$)|\s*,\s*\w+(?:\s+\w+)?\s*(?:[.!?]|$)|\s*[,:;]?\s*(?:and\b|\d))"
_DOORSTEP = r"(?:\w+\s+)?(?:house|home|door|doorstep|office|work|school|car|place)\s+with\s+"
# Someone's own people, harmed to reach them: "hurt your family", "kill the mayor's son".
_KIN_WORD = (r"(?:family|families|kids?|children|wife|husband|daughters?|sons?|mum|mom|mother|dad|father|parents"
             r"|girlfriend|boyfriend|partner|missus)")
_KIN = r"(?:(?:your|ur|his|her|their)\s+(?:\w+\s+)?" + _KIN_WORD + r"|" + _ROLE + r"'s\s+(?:\w+\s+)?" + _KIN_WORD + r")"
# Told they will not be safe (a derby night's "your family won't be safe").
_NOT_SAFE = (r"\s+(?:won'?t|will\s+not|wo\s+n't|(?:are|is)\s+not\s+going\s+to|(?:aren|isn)'t\s+going\s+to|(?:are|is)\s+not)"
             r"\s+(?:be\s+)?safe\b")
_WHEN = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|morning|evening|week|weekend|month"
         r"|christmas|new\s+year|easter|summer|end\s+of\s+(?:the\s+)?(?:day|week|month))")
_WEAPON = r"(?:rifle|gun|shotgun|pistol|handgun|revolver|knife|machete|bat|crowbar|axe)s?\b"
# ... and addressed to anyone: "Someone kill the ref, please." was published where "Kill the judge." was
# held (a derby night); not "someone kill me", which names no one but the writer.
_ORDER_TO_KILL = (r"(?:^|[.!?:;]\s*)(?:please\s*,?\s*)?(?:(?:someone|somebody|anyone|anybody)\s*,?\s+(?:please\s+)?(?:just\s+|go\s+)?"
                  r"|just\s+|now\s+|let'?s\s+|go\s+|simple\s*:\s*)?"
                  r"(?:kill|shoot|hang|lynch|stab|murder|execute|behead|strangle)\s+")
# Not "Shoot Okafor!", a striker told to shoot (derby day), unless a title says who ("Shoot Senator Hargrove.").
_ORDER_TO_KILL_BY_NAME = _ORDER_TO_KILL.replace("shoot|", "")
_ORDER_TO_SHOOT_BY_TITLE = (r"(?:^|[.!?:;]\s*)(?:just\s+|now\s+|go\s+)?shoot\s+(?:" + "|".join(_TITLES) + r")\s*\.?\s+"
                            + _NAME)
# How an order to kill a person may go on and still be one: "Stab Okafor in the neck.", "Kill Okafor
# now.", "Hang Okafor from the crossbar.", "Kill Hargrove lol" (a re-check found each published);
# "Kill Bill is still Tarantino's best film" goes on with a verb, and is not.
_ORDER_ENDS = (r"(?:\s+(?:now|tonight|today|already|asap|please|lol|lmao|then|too|first|slowly|publicly"
               r"|in\s+(?:the|his|her|their)\s+" + "(?:legs?|arms?|knees?|head|face|neck|throat|back|chest|heart|gut|stomach|eyes?)"
               r"|(?:after|before|at)\s+the\s+(?:match|game|final|whistle|ground)"
               r"|from\s+(?:the|a)\s+(?:crossbar|tree|lamp\s*post|rafters|bridge|goalpost|stand)|in\s+(?:his|her|their)\s+sleep))*"
               # ... or an emoji: "Kill Okafor 🔪", "Hang Okafor 🐒" (a re-check).
               r"(?=\s*(?:[.!?]|$)|(?:\s*[^\w\s.!?,;:'\"-])+\s*(?:[.!?]|$))")
# A beating's outcome, a game after it excusing none: "Someone should beat him senseless at darts. He'll
# need an ambulance." was published by an excuse for a game ending the sentence (a re-check: 46 of 68
# threats), as no list of the harms said after it can be whole. A moderator approves the trash talk.
_BEATEN = r"beat\s+(?:\w+\s+){1,3}?(?:senseless|to\s+a\s+pulp|black\s+and\s+blue|to\s+death|half\s+to\s+death|within\s+an\s+inch)"
# Names in a list: "Hang Hargrove, Mendez and Okafor."
_NAMES = _NAMED + r"(?:\s*,\s*" + _NAMED + r"){0,4}(?:\s*,?\s+and\s+" + _NAMED + r")?"
_SITE_ONLY = (
    # Harm to a part of someone: "I'll smash your head in"; not "break your heart" or "I'll twist your arm".
    # Someone called on to do it, and a person a story names: "Someone should break Mendez's legs.",
    # "I will break Okafor's legs." were published on derby day.
    r"\b(?:" + INTENT + r"|(?:someone|somebody)\s+(?:should|needs?\s+to|ought\s+to|has\s+to|must|gotta|oughta))"
    # Up to eight words between: "Someone should find the man who did this and break his legs." (an editor's walk).
    r"(?:\s+\w+){0,8}?\s+(?:break|smash|bash|crack|cave|kick|punch|beat|snap|slice|cut\s+off)\s+"
    r"(?:both\s+(?:of\s+)?)?(?:your|ur|his|her|their|" + _ROLE + r"'s?)\s+(?:\w+\s+)?" + _BODY + r"\b"
    r"(?!(?<=back)\s+(?:four|three|five|line|post|pass|on|of|in)\b)",
    r"\b(?:deserves?|needs?|earned|has\s+earned|should\s+get|gets?)\s+a\s+bullet\b(?!\s+points?\b)",
    # ... or a firing squad ("Politicians like him deserve a firing squad." was published, a platform's
    # tester), or the rope, deserved; not a film's firing squad scene, nor a climber's rope.
    # Said as the clause ends, or why: not "deserves a firing squad scene", "the rope trophy", nor asked
    # ("He deserves a firing squad? No, he deserves a fair trial.").
    r"\b(?:(?:deserves?|earned|has\s+earned|should\s+get)\s+(?:a|the)\s+(?:firing\s+squad|rope|noose|gallows)"
    r"|needs?\s+(?:a|the)\s+firing\s+squad)"
    r"(?=\s*(?:[.!,;]|$)|\s+(?:for|and|too|already|tbh|honestly|imo|frankly|now|tonight|today)\b)",
    # Menace with the harm left to be pictured: "Keep talking and you'll end up in the river like the last
    # guy." was published at toxicity 0.26 (a bilingual paper's walk); not a health warning ("if you keep
    # smoking you'll end up in hospital").
    # Not "keep it up" or "keep pushing it", a doctor's warning (a re-check).
    r"\b(?:keep\s+(?:talking|running\s+your\s+mouth|mouthing\s+off)|one\s+more\s+word)\s*,?\s+(?:and|&)\s+"
    r"(?:you|u)(?:'ll|\s+will|'re\s+going\s+to|\s+are\s+going\s+to|\s+gonna)\s+(?:end|wind)\s+up\s+(?:in\s+(?:the\s+|a\s+)?(?:river"
    r"|ground|hospital|ditch|body\s+bag|box|coffin|morgue|wheelchair|canal|lake)|like\s+(?:the\s+last\s+(?:guy|one|person|bloke)|him|her)"
    r"|dead|hurt)\b",
    # An order to shoot whoever crosses: "Build the wall and shoot anyone who climbs it." was published at
    # toxicity 0.44 (a bilingual paper's walk).
    r"(?:^|[.!?;:]\s*|\band\s+)(?:just\s+|then\s+)?(?:shoot|kill|gun\s+down|hang|lynch)\s+(?:anyone|anybody|everyone|everybody)"
    r"\s+(?:who|that)\s+(?:tries\s+to\s+(?:cross|climb|get\s+in|come\s+over)|climbs?|crosses\s+(?:the\s+|our\s+)?(?:border|wall|fence|river)"
    r"|comes?\s+(?:over|across)\s+(?:the\s+)?(?:border|wall|fence)|sets?\s+foot\s+(?:here|in\s+(?:our|this)))\b",
    # A beating given to one person, not a team: "Somebody needs to give that lad a proper kicking when he
    # is released." (an editor's walk); not "we'll give them a kicking on Saturday".
    r"\b(?:" + INTENT + r"|(?:someone|somebody)\s+(?:should|needs?\s+to|ought\s+to|has\s+to|must|gotta|oughta))"
    r"(?:\s+\w+){0,3}?\s+give\s+(?:him|her|you|ya|u|" + _ROLE
    + r"|that\s+(?:lad|guy|man|bloke|boy|scumbag|nonce|thug|animal|coward|creep|pervert))\s+(?:a\s+)?(?:proper\s+|good\s+|real\s+)?"
    r"(?:kicking|beating|battering|hiding)\b(?!\s+(?:at|in|on|from)\b)",  # not "a good beating at chess", "in the election"
    # Attacks on a place, done or called for: any object for a bomb or a fire someone should set.
    r"\b(?:someone|somebody)\s+(?:should|needs?\s+to|ought\s+to|has\s+to|must|gotta|oughta)\s+(?:just\s+|finally\s+)?"
    r"(?:bomb|firebomb|torch|blow\s+up|burn\s+down)\b(?![\s-]*proof)",  # not "bomb-proof the offices"
    # ... and the verb split by the place, someone's home or building: "Someone should burn Pritchard's
    # house down." (a derby night); not "burn the midfield down with pace".
    r"\b(?:someone|somebody)\s+(?:should|needs?\s+to|ought\s+to|has\s+to|must|gotta|oughta)\s+(?:just\s+|finally\s+)?"
    r"(?:burn|torch)\s+(?:(?:the|that|this|their|your|his|her|those|these)\s+(?:\w+\s+)?|" + _ROLE + r"'s\s+(?:\w+\s+)?)"
    + _PLACE + r"\s+down\b",
    r"\b(?:" + INTENT + r")(?:\s+\w+){0,2}?\s+(?:burn|torch)\s+(?:it|that|this|the|their|your|his|her|them)(?:\s+\w+){0,2}?\s+down\b"
    + r"(?!\s+" + _WING + r"\b)",
    # A bomb put in a place, by someone called on or by the writer: "Somebody needs to put a bomb in
    # city hall." was published, past the model and the words above (a moderator's walk). Not "put a
    # bomb under this squad" (football's shake-up), history ("The IRA put a bomb in the Grand Hotel"),
    # nor "drop a bomb on the market" or "lob a grenade into the debate" (a re-check found those held).
    r"\b(?:(?:someone|somebody)\s+(?:should|needs?\s+to|ought\s+to|has\s+to|must|gotta|oughta)|" + INTENT
    + r"|let'?s)\s+(?:just\s+|finally\s+)?(?:put|plant|place|leave)\s+(?:a|an)\s+(?:pipe\s+|car\s+|nail\s+)?"
    r"(?:bomb|ied)\s+(?:in|into|inside)\b",
    r"(?:\b(?:" + INTENT + r"|let'?s|we\s+should|we\s+must|time\s+to)(?:\s+\w+){0,2}?\s+|(?:^|[.!?,:;]\s*))"
    r"(?:bomb|firebomb|blow\s+up|torch|burn\s+down|set\s+fire\s+to)\s+(?:the|that|this|their|your|his|her|those|these)\s+"
    r"(?:\w+\s+)?" + _PLACE + r"\b",
    r"(?:^|[.!?,:;]\s*)put\s+a\s+bullet\s+(?:in|into|through)\s+(?:" + _WHO + r"|" + _THEIR_HEAD + r")",  # an order at a clause's start
    # ... and an order to kill a person a story names, opening a sentence: "Kill the judge." (election
    # night); not "Step 3: kill the worker process" nor "In Elden Ring, kill the guard at the gate",
    # A word that names a job or a thing too, the whole sentence: "Hang the manager.", "Stab the keeper.",
    # "Kill the coach now."; not "kill the worker process" nor "Hang the board above the fireplace".
    _ORDER_TO_KILL_BY_NAME + _THE + r"(?:" + _ALSO_THINGS + r")s?" + _ORDER_ENDS,
    _ORDER_TO_KILL + _THE + r"(?:" + _ONLY_PEOPLE + r")s?(?:'s\s+(?:son|daughter|wife|husband|kids?|children|family)\b"
    r"|(?!'))" + _NOT_ERRAND,
    # or by name, the whole sentence: "Hang Okafor."; not "Hang Seng fell 2%", "Kill Bill is a film".
    _ORDER_TO_KILL_BY_NAME + _NAMES + r"(?:'s\s+" + _KIN_WORD + r"\b)?" + _ORDER_ENDS,
    _ORDER_TO_SHOOT_BY_TITLE + _ORDER_ENDS,
    # People rounded up, not "the old photos" to hang in the village hall.
    r"\bround\s+(?:(?:them|em)\s+(?:all\s+)?up|up\s+(?:" + _ROLE + r"|" + GROUP + r"))\s+and\s+"
    r"(?:kill|shoot|hang|gas|lynch|execute|burn|drown|slaughter)\b",
    # Said as a threat ends, not told of: "I know where the mayor lives, in a council flat" is not one.
    r"\b(?:i|we)\s+know\s+where\s+(?:he|she|they|" + _ROLE + r")\s+(?:lives?|parks?|works?|sleeps?)" + _SAID_LAST,
    r"\b(?:i|we)\s+know\s+where\s+(?:you|u)\s+(?:live|work|sleep|park|walk|go\s+to\s+school)" + _SAID_LAST,
    # "They" are often data brokers listing what they hold: "They know where you live and what you
    # buy." held a privacy complaint (a re-check).
    r"\bthey\s+know\s+where\s+(?:you|u)\s+(?:live|work|sleep|park|walk|go\s+to\s+school)"
    r"(?!\s*,?\s*and\s+(?:what|everything|how\s+much|how\s+many)\b)" + _SAID_LAST,
    r"\b(?:i|we|they)\s+know\s+where\s+" + _KIN + r"\s+(?:live|lives|work|works|sleep|sleeps|go(?:es)?\s+to\s+school)"
    + _SAID_LAST,
    # Called for, or ordered: not "the photographers lined up and shot the royal couple".
    r"\b(?:" + CALL + r")\s+(?:all\s+)?be\s+lined\s+up\s+(?:against\s+(?:a|the)\s+wall\s+)?and\s+(?:shot|hanged|executed"
    r"|killed|gassed)\b",
    r"\bline\s+(?:them|em|'em|" + _ROLE + r"|" + GROUP + r")\s+up\s+(?:against\s+(?:a|the)\s+wall\s+)?and\s+"
    r"(?:shoot|hang|execute|kill|gas)\b",
    r"\bday\s+of\s+(?:the\s+)?rope\b",  # white supremacists' day of mass hangings
    # A health desk's walk, threats to its nurses and doctors the rule let through: "If I see
    # Whitfield in town I will put her in the ground.", "I will find Lindqvist and make her suffer.",
    # "Let's pay her a visit.", "Dr. Mehta you are a dead man walking.", "Asking for a friend with a
    # baseball bat.", "Every doctor who pushed the jab will hang at Nuremberg 2.0."
    r"\b(?:" + INTENT + r")(?:\s+\w+){0,5}?\s+(?:put|bury)\s+(?:you|u|him|her|them|" + _ROLE + r")\s+(?:in\s+the\s+ground"
    r"|six\s+feet\s+under|in\s+(?:a|the|an\s+early)\s+grave)\b",
    r"\b(?:" + INTENT + r")(?:\s+\w+){0,5}?\s+make\s+(?:you|u|him|her|them|" + _ROLE + r")\s+suffer\b" + _SAID_LAST,
    r"\blet'?s\s+(?:go\s+(?:and\s+)?)?pay\s+(?:him|her|them|" + _ROLE + r")\s+a\s+(?:little\s+)?visit\b",
    r"\b(?:you(?:'re|\s+are|re)?|ur|he(?:'s|\s+is)|she(?:'s|\s+is)|" + _ROLE + r"(?:'s|\s+is))\s+a\s+dead\s+(?:man|woman)\s+walking\b" + _SAID_LAST,
    r"\bfriend\s+with\s+a\s+(?:\w+\s+)?" + _WEAPON,
    r"\b(?:hang|swing)\b(?:\s+\w+){0,3}?\s+(?:at|for)\s+nuremberg\b|\bnuremberg\s+(?:2|two|trials?\s+2)\b",
    # Said of him: "Mehta better watch his back." (a health desk's walk).
    r"\b(?:better|should|had\s+better|'d\s+better|needs\s+to|wants\s+to)\s+watch\s+(?:his|her|their)\s+backs?\b"
    r"(?!\s+(?:post|four|line|pass)\b(?!\s*-\s*\w|\s+(?:the|that|this|my|our)\b))",
    # A Perspective switcher's walk: harm foretold by whoever will do it ("someone is going to put a
    # bullet in you"; not "someone is going to get killed at that crossing", where no one does it),
    # waiting for someone armed, and a fire set with people inside.
    r"\b(?:someone|somebody|some\s+\w+)(?:'s|\s+is)\s+(?:going\s+to|gonna)\s+(?:just\s+|finally\s+)?" + _HARM_DONE,
    # Armed at your door, or at theirs with my own weapon: not "he was waiting at his door with a bat".
    r"\b(?:wait|waiting|be|show\s+up|turn\s+up|come|coming)\s+(?:\w+\s+){0,2}?(?:outside|at|by)\s+"
    r"(?:(?:your|ur)\s+" + _DOORSTEP + r"(?:my|a|our)|(?:his|her|their)\s+" + _DOORSTEP + r"(?:my|our))\s+(?:\w+\s+)?" + _WEAPON,
    # ... or with someone's own people inside: "Someone should burn the ref's house down with his family
    # inside." was published on a derby night (the commonest word order, the verb split by the house);
    # not "with the furniture inside".
    r"\b(?:burn|torch|bomb|blow\s+up|set\s+fire\s+to)\b(?:\s+[\w']+){0,5}?\s+with\s+(?:them|him|her|you|everyone|everybody"
    r"|all\s+of\s+them|" + _ROLE + r"|" + GROUP + r"|" + _KIN + r"(?:\s+and\s+(?:\w+\s+)?" + _KIN_WORD + r")?"
    r"|the\s+(?:whole\s+)?(?:family|kids|children))\s+(?:still\s+)?(?:inside|in\s+(?:it|there))\b",
    # A data scientist's walk, threats the model scored 0.01-0.27 and these patterns let through:
    # an intent with more words before the harm ("I'll find where you live and hurt your family",
    # "I am going to strangle that reporter"; not "shoot", which a photographer does to the players,
    # nor "hurt" a trade ("I'm going to pirate it to hurt the developers"),
    r"\b(?:" + INTENT + r")(?:\s+\w+){0,5}?\s+(?:(?:kill|murder|stab|strangle|choke|torture|behead|lynch|execute"
    r"|beat\s+up)\s+(?:" + _ROLE + r"|" + _KIN + r")|hurt\s+" + _KIN + r")\b(?!')" + NOT_HARM,
    # and a punch ("I'm gonna punch the next board member I see in the face", a walk) to the face or
    # said as the clause ends; not data typed in ("I'll punch the player ratings into the
    # spreadsheet") nor a golfer's shot ("punch the driver low under the wind"), which a re-check held,
    r"\b(?:" + INTENT + r")(?:\s+\w+){0,5}?\s+(?:punch|smack|deck|thump)\s+(?:" + _ROLE + r"|" + _KIN + r")\b(?!')"
    r"(?:(?:\s+[\w']+){0,4}?\s+(?:in|on)\s+(?:the|his|her|their|your)\s+(?:face|mouth|head|nose|jaw|gut|stomach|teeth"
    r"|throat)\b|" + _SAID_LAST + r")",
    # (not "execute the mayor's vision", a re-check), and so to "you", "him" or "her" ("I am going to
    # drive to your house and strangle you"; not "them", which may be the weeds or the tasks).
    r"\b(?:" + INTENT + r")(?:\s+\w+){0,5}?\s+(?:kill|murder|stab|strangle|choke|behead|lynch)\s+(?:you|u|him|her)\b"
    + NOT_HARM,
    r"\b(?:" + INTENT + r")(?:\s+\w+){0,3}?\s+" + _BEATEN,
    r"\b(?:" + INTENT + r")(?:\s+\w+){0,2}?\s+hunt\s+(?:down\s+(?:you|him|her|them|" + _ROLE + r")"
    r"|(?:you|him|her|them|" + _ROLE + r")\s+down)\b",
    # death set a date ("You'll be dead by Friday."; not "you'll be dead before they fix the road"),
    r"\b(?:you|u)(?:'ll|ll|\s+will|'re\s+going\s+to|\s+are\s+going\s+to|'re\s+gonna|\s+are\s+gonna)\s+be\s+dead\s+"
    r"(?:by|within|on)\s+(?:the\s+|this\s+|next\s+)?(?:\w+\s+)?" + _WHEN + r"\b",
    # and the mobster's veiled ones: "It would be a shame if something happened to your family.",
    # "Be a pity if it caught fire.", "see what happens to you", "People like you have accidents.",
    # "Enjoy your last Christmas.", "plenty of us who'd happily pay you a visit".
    r"\b(?:shame|pity)\s+if\s+(?:something|anything)\s+(?:bad\s+)?(?:happened|happens|were\s+to\s+happen"
    r"|was\s+to\s+happen)\s+to\s+(?:you|u|him|her|them|" + _KIN + r"|" + _ROLE + r")\b",
    r"\b(?:shame|pity)\s+if\s+(?:it|your\s+(?:\w+\s+)?" + _PLACE + r")\s+(?:caught\s+fire|burned\s+down|burnt\s+down"
    r"|went\s+up\s+in\s+flames)",
    r"\bsee\s+what\s+happens\s+to\s+(?:you|u|" + _KIN + r")\b",
    # ... and of a person the story names: "Referees like Hargrove have accidents" (derby day).
    r"\b(?:people|" + _ONLY_PEOPLE + r"|" + _ALSO_THINGS + r")s?\s+like\s+(?:you|u|him|her|them|" + _ROLE + r")\s+(?:\w+\s+)?"
    r"(?:have|get|suffer|tend\s+to\s+have)\s+(?:\w+\s+)?accidents\b" + _SAID_LAST,  # not "... have accidents on that road"
    # Harm foretold to a person met: "If I see Hargrove in town he's getting stabbed" (derby day).
    r"\bif\s+(?:i|we)\s+(?:ever\s+)?(?:see|catch|find|meet|spot|run\s+into|bump\s+into)\s+(?:[\w']+\s+){1,8}?"
    r"(?:he|she|you|u|they)(?:'s|'re|\s+is|\s+are|'ll|\s+will)\s+(?:getting|gonna\s+get|going\s+to\s+get|get|be)\s+"
    r"(?:stabbed|shot|killed|murdered|battered|glassed|knifed|done\s+in)\b",
    # ... and "getting it", said of a person seen, as the sentence ends: "If I see Pritchard's wife in
    # town she's getting it." (a derby night); not "If we see a deal on the new kit, he's getting it."
    r"\bif\s+(?:i|we)\s+(?:ever\s+)?(?:see|catch|find|meet|spot|run\s+into|bump\s+into)\s+(?:him|her|them|you|u|" + _ROLE
    + r"|" + _KIN + r"|\w+'s\s+(?:\w+\s+)?" + _KIN_WORD + r")\s+(?:[\w']+\s+){0,4}?(?:he|she|you|u|they)(?:'s|'re|\s+is"
    r"|\s+are|'ll|\s+will)\s+(?:getting|gonna\s+get|going\s+to\s+get|get)\s+it\b" + _SAID_LAST,
    r"\benjoy\s+(?:your|ur)\s+last\s+(?:christmas|birthday|days?|weeks?|weekend|summer|year|breaths?|meal)" + _SAID_LAST,
    # Said by us, not of a nurse: "The nurse will happily pay you a visit" (a re-check).
    r"\b(?:we|i|us|who)(?:'d|\s+would|'ll|\s+will)?\s+(?:\w+\s+)?(?:happily|gladly)\s+pay\s+(?:you|u)\s+a\s+(?:little\s+)?visit\b"
    r"|\b(?:we|i|us|who)(?:'d|\s+would|'ll|\s+will)?\s+(?:\w+\s+)?pay\s+(?:you|u)\s+a\s+little\s+visit\b"
    # ... or by the menacing company one keeps: "The boys would happily pay you a visit." (a re-check)
    r"|\b(?:the\s+(?:boys|lads)|my\s+(?:friends|boys|lads|mates|brothers|cousins)|friends\s+of\s+mine|a\s+few\s+of\s+us)"
    r"(?:'d|\s+would|'ll|\s+will|\s+could|\s+can)\s+(?:\w+\s+)?(?:(?:happily|gladly)\s+)?pay\s+(?:you|u)\s+a\s+(?:little\s+)?visit\b"
    r"|\bsome(?:body|one)(?:'d|\s+would|'ll|\s+will|\s+could|\s+can)\s+(?:\w+\s+)?(?:happily|gladly)\s+pay\s+(?:you|u)"
    r"\s+a\s+(?:little\s+)?visit\b",
    # A crime desk's walk, threats to defendants and their families the model scored 0.3 or less:
    # "When he gets out he's a dead man.", "Shoot him on sight.", "Every copper involved should be
    # hunted down.", "we'll string him up from the lamppost", "Someone should break every bone in that
    # nonce's body.", "Somebody should run Qureshi over", "We know where he goes to school."; not
    # "he's a dead man walking in that job", "Police shot him on sight, the inquest heard", "The
    # officers were hunted down by the press", "The gang strung him up, the court heard".
    r"\b(?:you(?:'re|\s+are|re)?|ur|he(?:'s|\s+is)|she(?:'s|\s+is)|" + _ROLE + r"(?:'s|\s+is))\s+a\s+dead\s+(?:man|woman)"
    + _SAID_LAST,
    r"\bshoot\s+(?:him|her|them|em|'em|" + _ROLE + r")\s+on\s+sight\b",
    # Not justice's errand ("should be hunted down and brought to justice", a re-check), nor bunting
    # or chillies ("we'll string them up in the garden").
    r"\b(?:" + CALL + r")\s+(?:all\s+)?be\s+hunted\s+down\b(?!\s+and\s+(?:brought|prosecuted|jailed|arrested|charged"
    r"|locked|put|sent|punished|tried|held|made|sentenced|deported|stopped|caught|named|fined|sacked))",
    r"\bstring\s+(?:him|her|" + _ROLE + r")\s+up\b(?!\s+(?:in|along|across|around|between|on|over|for)\b)",
    r"\b(?:should|must|'ll|will|gonna|going\s+to|let'?s)\s+break\s+every\s+bone\s+in\s+(?:his|her|your|ur|their"
    r"|(?:that|this)\s+\w+'s|" + _ROLE + r"'s)\s+body\b",
    # ... not a briefing, a lift or a test run: "I will run you over the figures", "she will run him over
    # to A&E", "run them over the weekend" (a re-check).
    r"\b(?:should|must|'ll|will|gonna|going\s+to|let'?s)\s+run\s+(?:him|her|" + _ROLE + r")\s+over\b"
    r"(?!\s+(?:the|to|a|an|this|that|these|those|one|it|some|my|your|his|her|our|their|again|quickly|there|here)\b)",
    # Said as the sentence ends: not "we know where she goes to school and who her friends are".
    r"\b(?:i|we)\s+know\s+where\s+(?:he|she|they|" + _ROLE + r")\s+go(?:es)?\s+to\s+school(?=\s*(?:[.!?]|$))",
    # A fire night's walk (2026-12-04), published at 0.08-0.18: armed and waiting anywhere, not only at
    # a door ("If they release him on bail I'll be waiting at the courthouse with a knife."; not
    # "I'll be there with my gun dog"),
    r"\b(?:i|we)(?:'ll|ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|'re\s+going\s+to|\s+are\s+going\s+to|'m\s+gonna"
    r"|'re\s+gonna)\s+be\s+(?:waiting|outside)\b(?:\s+[\w']+){0,5}?\s+with\s+(?:a|my|our)\s+(?:\w+\s+)?"
    r"(?:rifle|gun|shotgun|pistol|handgun|revolver|knife|machete|crowbar)s?\b"
    r"(?!\s+(?:dog|club|licen[cs]e|range|safe|cabinet|show|sharpener|block|set|and\s+fork)\b)",
    # a family found to be made to pay ("Someone find the arsonist's family and make them pay."; not
    # "make his family pay the legal costs"),
    r"\b(?:find|get|go\s+after|track\s+down|hunt\s+down|visit)\s+(?:the\s+)?(?:\w+(?:'\w+)?'s|his|her|their)\s+(?:\w+\s+)?"
    r"(?:family|families|kids|children|wife|husband|parents|daughters?|sons?)\s+and\s+make\s+(?:them|him|her)\s+"
    # ... said as the sentence ends: not "make them pay for the damage" (a security review).
    r"(?:pay|suffer|bleed|regret\s+it)\b(?=\s*(?:[.!?]|$))",
    # and a child's school named with a nudge ("The fire chief's daughter is in year 9 at St Mary's.
    # Just saying."), where naming it alone may be a proud parent's.
    r"\b(?:(?:his|her|their|your|ur)|(?:the\s+)?\w+(?:'\w+)?'s)\s+(?:\w+\s+)?(?:daughters?|sons?|kids?|children|little\s+ones?)"
    r"\s+(?:is|are|goes|go|attends|attend)\s+(?=[^.!?]{0,80}\b(?:school|primary|academy|nursery|kindergarten|year\s+\w+"
    r"|grade\s+\w+|st\s+[\w']+)\b)(?:in\s+(?:year|grade|class|form)\s+\w+\s+)?(?:at|to)\s+[^.!?]{1,40}?"
    # Not a warning ("If your kids go to school near the junction, be careful.") nor praise ("nice school").
    r"[\s.!?,;]*\b(?:just\s+saying|just\s+so\s+(?:you|u|everyone)\s+know|(?:it\s+)?(?:would|'d)\s+be\s+a\s+(?:shame|pity))\b",
    # A derby night's threats to the referee's family, published at toxicity 0.06-0.17: the family
    # told it will not be safe, to someone's face or "after that decision" ("Gary Pritchard, your
    # family won't be safe after that decision."); not a warning ("If this bill passes, your family
    # won't be safe.", "your kids won't be safe on that road"),
    r"(?:^|[.!?]\s*)(?!(?:if|unless|when|whenever|until|once|without|with|under|because|since|as|so|and|but|or|otherwise"
    r"|honestly|seriously|sadly|frankly|remember|look|listen|trust|believe|well|then|now|soon|still|today|tonight|mark|in|round"
    r"|around|here|there|nowadays|these|folks|guys|people|everyone|everybody|parents|mums|moms|dads|ladies|friends|neighbours"
    r"|neighbors|residents|hint|warning|psa|fyi|note|again|otherwise|else|dear|council|councillors?|councilors?|mps?"
    r"|ministers?|government|sir|madam|mr|mrs|ms|dr)\b)"
    r"(?:[\w']+\s+){0,2}[\w']+\s*,\s*(?:your|ur)\s+(?:\w+\s+)?" + _KIN_WORD + _NOT_SAFE
    + r"(?!\s+(?:if|unless|until|on|in|near|at|with|without|while|when|around|crossing|walking|driving|online|there|here|from"
    r"|either|anymore|any\s+more)\b)",
    r"\b(?:(?:your|ur|his|her|their)|(?<!my\s)(?<!our\s)\w+'s)\s+(?:\w+\s+)?" + _KIN_WORD + _NOT_SAFE
    # Not "... won't be safe after this decision to close the station" nor "anymore", a resident's fear.
    + r"\s+after\s+(?:tonight|(?:that|this|your|his|her)\s+(?:call|decision|penalty|performance|display|red\s+card|stunt|article|story"
    r"|piece)|what\s+(?:you|he|she)\s+(?:did|done|wrote|said|have\s+done|has\s+done))\b(?!\s+(?:to|about|on|for)\b)",
    # a family member wished what is coming to them ("Hope Pritchard's wife gets what's coming to her
    # tonight."; said of the one who did wrong, "hope he gets what's coming to him", it is justice),
    r"\bhope\s+(?:" + _KIN + r"|(?<!my\s)(?<!our\s)\w+'s\s+(?:\w+\s+)?" + _KIN_WORD + r")\s+(?:gets?|will\s+get)\s+"
    r"what'?s\s+coming\b",
    # where a family member is alone and when ("Pritchard's wife works at the Tesco on Bradford Road,
    # nights."; not "My wife works at the Tesco", "His wife works at the hospital, nights, so he
    # does the school run"), a child's school pinned to its street ("His daughter goes to St Mary's
    # primary, the one off the ring road."; not "Her son goes to St Mary's, nice school"), and the walk
    # home alone, asked ("Pritchard's kids walk home from school alone, don't they?").
    # A named person's, not "His wife works at the Co-op nights." (a re-check).
    r"(?<!my\s)(?<!our\s)\b\w+'s\s+(?:\w+\s+)?(?:wife|husband|partner|girlfriend|boyfriend|mum|mom"
    r"|mother|dad|father|daughters?|sons?|kids?|children)\s+works?\s+(?:at|in)\s+[^.!?]{1,50}?[\s,]+(?:nights|night\s+shifts?"
    r"|the\s+night\s+shift|late\s+shifts?|lates|alone|on\s+(?:her|his|their)\s+own|every\s+(?:night|evening))(?=\s*(?:[.!?]|$))",
    r"(?:\b(?:his|her|their)|(?<!my\s)(?<!our\s)\b\w+'s)\s+(?:\w+\s+)?(?:daughters?|sons?|kids?|children|little\s+ones?)"
    r"\s+(?:goes|go|attends?|(?:is|are)\s+at)\s+(?:to\s+)?[^.!?]{1,40}?\b(?:school|primary|academy|nursery|juniors|infants)\b"
    r"\s*,?\s*(?:the\s+one\s+(?:just\s+)?(?:off|on|by|near|next\s+to|behind|opposite)|(?:just\s+)?(?:off|behind|opposite"
    r"|next\s+to)\s+the)\b"
    # ... said and left there, not a parent's chatter going on ("..., lovely teachers.": a re-check).
    r"[^.!?,]{1,40}(?=\s*(?:[.!?]|$))",
    r"(?:\b(?:your|ur|his|her|their)|(?<!my\s)(?<!our\s)\b\w+'s)\s+(?:\w+\s+)?(?:kids?|children|daughters?|sons?"
    r"|little\s+ones?)\s+(?:walks?|cycles?|gets?)\s+home\s+(?:from\s+school\s+)?(?:alone|on\s+(?:their|his|her)\s+own"
    r"|by\s+(?:themselves|himself|herself))\s*,?\s*(?:don'?t|doesn'?t|do\s+n't|does\s+n't|do\s+not|does\s+not)\s+(?:they|he|she)\b"
    r"(?=\s*\??\s*$)",  # the question left hanging, not "They're 15 now." after it (a re-check)
    # The same night's other misses: a family wished under a bus ("I hope Pritchard's kids get hit by a
    # bus."), or everything coming to them ("Ref's family deserves everything they get after tonight."),
    r"\bhope\s+(?:" + _KIN + r"|(?<!my\s)(?<!our\s)\w+'s\s+(?:\w+\s+)?" + _KIN_WORD + r")\s+(?:gets?|is|are)\s+(?:hit"
    r"|run\s+over|mown\s+down|knocked\s+(?:over|down))\s+by\s+a\s+(?:bus|train|truck|lorry|car|tram)\b",
    r"(?:\b(?:his|her|their)|(?<!my\s)(?<!our\s)\b\w+'s)\s+(?:\w+\s+)?" + _KIN_WORD + r"\s+deserves?\s+(?:everything|whatever)"
    r"\s+(?:they|he|she|is\s+coming)\b"
    # Not praise ("..., they worked so hard", "they raised a champion": a re-check).
    r"(?![^.!?]{0,60}\b(?:worked|work|hard|earned|champion|lovely|proud|great|brilliant|amazing|well\s+done|congrat\w*|raised))",
    # a player sent where the last one went ("Doyle will end up in the river like the last guy."; not
    # "in the Championship like the last manager", nor hospital, an injury foretold),
    r"\b\w+(?:'\w+)?(?:'ll|\s+will|'s\s+going\s+to|\s+is\s+going\s+to|'s\s+gonna|\s+is\s+gonna)\s+(?:end|wind)\s+up\s+(?:in\s+(?:the\s+|a\s+)?"
    # A person like the last one, not a ball or a phone like the last one (a re-check).
    r"(?:river|canal|ditch|body\s+bag|box|coffin|morgue|lake|grave|ground))\s+like\s+the\s+last\s+(?:guy|bloke|fella|man|ref"
    r"|referee|manager|keeper|player|striker|lad)\b",
    # someone called on to put a player in hospital ("Someone needs to put Mensah in hospital."),
    r"\b(?:someone|somebody)\s+(?:should|needs?\s+to|ought\s+to|has\s+to|must|gotta|oughta)\s+(?:just\s+|finally\s+)?put\s+"
    r"(?:him|her|them|" + _ROLE + r")\s+in\s+(?:(?:the\s+)?hospital|a\s+wheelchair|a\s+coma|intensive\s+care)\b"
    # Not care for the ill ("... he's clearly ill with flu", "his chest is bad": a re-check).
    r"(?!.{0,80}\b(?:ill|sick|flu|poorly|unwell|fall|fell|chest|care|pain|fever|covid|infection|doctor|gp|nhs|treatment))",
    # and fans told to bring an ambulance to where they are awaited ("we'll be waiting at the station.
    # Bring an ambulance.").
    r"\b(?:i|we)(?:'ll|\s+will)\s+be\s+waiting\b(?!\s+at\s+the\s+(?:hospital|finish|start|a\s*&\s*e))[^.!?]{0,60}[.!?,]?\s*"
    r"(?:and\s+|so\s+)?(?:bring|book)\s+(?:an?\s+|your\s+own\s+)?(?:ambulances?|stretchers?|body\s+bags?|coffins?)\b"
    r"(?=\s*(?:[.!?]|$))",  # the warning's last words, not "... for grandma, her knee is bad" (a re-check)
    # A standards editor's audit of real comments (2026-12-06): threats published at the defaults, or held
    # by the model alone and ranked with insults. A plea for a killing ("will someone please kill that
    # man"; not "can anyone kill the boss?", which asks who is able),
    r"(?:^|[.!?:;]\s*)(?:will|would|can|could)\s+(?:someone|somebody|anyone|anybody)\s+please\s+(?:just\s+|go\s+)?"
    r"(?:kill|shoot|hang|lynch|stab|murder|execute|behead|strangle)\s+" + _THE
    # ... the sentence going on after a slur for one person ("... kill that sand nigger or just nuke the
    # place", the audit's), as an order to kill one does; not after an office: "Can someone please shoot
    # the mayor at the ribbon cutting tomorrow?" is a photographer's (a re-check).
    + r"(?:(?:" + _SLUR_FOR_ONE + r")s?\b(?!')" + _NOT_ERRAND + r"|(?:" + _ONLY_PEOPLE + r"|" + _ALSO_THINGS + r")s?"
    + _ORDER_ENDS + r")",
    # people to be put down like animals ("They should be put down like dogs."; "put the dog down" is a
    # vet's, and names no "like"),
    r"\b" + _PERSON + _WHO_DID + r"\s+(?:all\s+)?" + CALL + r"\s+(?:all\s+|just\s+)?(?:have\s+been|be|get)\s+put\s+down\s+"
    r"(?:like\s+(?:a\s+|the\s+)?(?:\w+\s+)?(?:dogs?|animals?|vermin|beasts?|cattle)\b|with\s+extreme\s+prejudice\b)",
    r"(?:^|[.!?,:;]\s*)(?:just\s+)?put\s+(?:them|him|her|em)\s+down\s+like\s+(?:a\s+|the\s+)?(?:\w+\s+)?(?:dogs?|animals?)\b",
    # a death that only a person is given, called for without the person before it ("... but, rather,
    # should have been summarily executed instead."; the plan "should have been executed better" is not),
    # Not "put to death", a jury's finding told ("the jury found that Jackson should be put to death").
    r"\b" + CALL + r"\s+(?:all\s+)?(?:have\s+been|be|get)\s+(?:summarily\s+executed|publicly\s+(?:executed|hanged|hung))\b",
    # a hanging by the neck ordered ("Hang this punk by the neck until his eyes bulge out of his skull!!!"),
    r"(?:^|[.!?,:;]\s*)(?:just\s+|now\s+|let'?s\s+|we\s+should\s+)?hang\s+(?:him|her|them|em|" + _ROLE + r"|(?:this|that|these|those)"
    r"\s+(?:\w+\s+)?\w+)\s+by\s+(?:the|his|her|their)\s+necks?\b(?!\s+of\b)",
    # someone's death wished as a shame it did not happen ("Too bad someone didn't just shoot him like that
    # dog ..."), or wished to happen ("I wish someone would shoot him"),
    r"\b(?:too\s+bad|(?:a\s+)?shame|(?:a\s+)?pity)\s+(?:that\s+)?(?:someone|somebody)\s+(?:didn'?t|did\s+n't|did\s+not|hasn'?t"
    r"|has\s+n't|has\s+not)\s+(?:just\s+|already\s+)?(?:kill|shoot|hang|stab|murder|strangle|lynch)\s+(?:him|her|them|" + _ROLE + r")\b"
    + NOT_HARM,
    r"\bwish\s+(?:someone|somebody)\s+(?:would|could|will)\s+(?:just\s+|finally\s+)?(?:kill|shoot|hang|stab|murder|strangle|lynch)"
    r"\s+(?:him|her|them|" + _ROLE + r")\b" + NOT_HARM,
    # An order to kill "them" shouted as a whole sentence ("... in danger of being killed, plus Trooper.
    # Shoot them!"); said with a full stop it is pests and a game's enemies as often ("Feral cats ...
    # Kill them.", "Bed bugs? Find them and kill them."), left to the model, which flags those it reads
    # as threats; "him" or "her" found and killed is a person ("Find him and kill him."),
    r"(?:^|[.!?:;]\s*)(?:just\s+|now\s+|so\s+|then\s+)?(?:find\s+(?:them|em)\s+and\s+)?(?:kill|shoot|hang|murder|execute|lynch)"
    r"\s+(?:them|em)\s*!",
    r"(?:^|[.!?:;]\s*)(?:just\s+|now\s+|so\s+|then\s+)?find\s+(?:him|her)\s+and\s+(?:kill|shoot|hang|murder|execute|lynch|stab)"
    r"\s+(?:him|her)" + _ORDER_ENDS,
    # and scum rid from the earth ("Rid this scum from the face of the Earth."; not malaria or polio).
    r"\b(?:rid|wipe|erase|remove|purge|eliminate)\s+(?:him|her|" + _ROLE + r"|(?:this|that|these|those|the|such)\s+(?:\w+\s+)?"
    r"(?:scum|scumbags?|filth|vermin|animals?|monsters?|bastards?|pigs?|garbage|trash|thugs?|savages?|lowlifes?|creeps?"
    r"|pieces?\s+of\s+(?:shit|garbage|trash|filth)))\s+(?:from|off)\s+(?:the\s+)?face\s+of\s+(?:the\s+)?(?:earth|planet)\b",
)
# An election night's walk (2026-12-06): threats to the count's staff and the candidates, published at
# threat 0.00-0.12 by a site with the starter rules on. Each is read as it was said, with the everyday
# sentence beside it left alone.
_SENTENCE_ENDS = r"(?=\s*(?:[.!?]|$))"
_CALLED_ON = r"(?:someone|somebody)\s+(?:should|needs?\s+to|ought\s+to|has\s+to|must|gotta|oughta)"
# Where votes are counted and power sits: "Storm the count centre tonight", "Bring your guns to the
# count tomorrow"; not "storm the castle" in a game, nor "bring your umbrellas to the count".
_COUNT = (r"(?:count(?:ing)?(?:\s+(?:centre|center|hall|room))?|polling\s+(?:stations?|places?|booths?)|election\s+(?:offices?|hq"
          r"|headquarters)|town\s+hall|city\s+hall|county\s+hall|council\s+(?:offices?|chamber)|capitol|statehouse|state\s+house"
          r"|parliament|courthouse|legislature)")
_ELECTION_NIGHT = (
    # One alternative for the three, which share the person and the call: each alternative is tried at
    # every word, and the person's list is long.
    # A call for hanging said as hanging, not "hang his head in shame": "Hale should hang for this.",
    # "He deserves to hang."; "you should hang" at a sentence's end is an invitation to hang out;
    # "for this" said as the clause ends, not "Undecided voters should swing for this candidate".
    r"\b" + _PERSON + _WHO_DID + r"\s+(?:all\s+)?" + CALL + r"\s+(?:all\s+|just\s+)?(?:(?:hang|swing)(?:\s+for\s+(?:this|that|it"
    r"|treason|(?:his|her|their)\s+(?:crimes?|treason|betrayal|lies))(?=\s*(?:[.!?,;]|$))|\s+for\s+what\s+(?:he|she|they|you)"
    r"\s+(?:did|done|ha(?:ve|s)\s+done)\b|(?<!\byou\sshould\shang)" + _SENTENCE_ENDS + r")"
    # ... strung up ("The returning officer should be strung up from a lamppost."), or put against a wall
    # ("should be lined up against a wall"), where the bunting is a thing and not a person.
    r"|(?:be|get)\s+strung\s+up\b(?!\s+(?:in|along|across|around|between|on|over)\b)"
    r"|be\s+(?:lined|put|stood)\s+up\s+against\s+(?:a|the)\s+wall" + _SENTENCE_ENDS + r")",
    # An order to do it: "Line the poll workers up against a wall." (not "Line the chairs up against the
    # wall", nor a class photo's kids), "String the whole electoral commission up."
    r"(?:^|[.!?,:;]\s*)(?:just\s+|now\s+|let'?s\s+|we\s+should\s+)?line\s+(?!(?:the|your|our|those|these)\s+(?:\w+\s+)?(?:kids|children|students"
    r"|players|boys|girls|fans|chairs|boards)\b)(?:" + _ROLE + r"|" + GROUP + r")\s+up\s+against\s+(?:a|the)\s+wall" + _SENTENCE_ENDS,
    r"\bstring\s+(?:(?:the|that|this|those|these|every|all\s+the)\s+(?:whole\s+|entire\s+)?(?:\w+\s+){0,2}?(?:commission|committee"
    r"|council|cabinet|government|jury|traitors?)s?|up\s+(?:the|that|this|those|these|every|all\s+the)\s+(?:whole\s+|entire\s+)?"
    r"(?:\w+\s+){0,2}?(?:commission|committee|council|cabinet|government|jury|traitors?|" + _ONLY_PEOPLE + r")s?)"
    r"(?:\s+up)?\b(?!\s+(?:in|along|across|around|between|on|over)\b)",
    # Put in the ground by someone called on, or by order: "Somebody needs to put Okafor in the ground.",
    # "Put Donovan six feet under."; not "put the bulbs in the ground", nor "them", the bulbs.
    r"\b(?:" + _CALLED_ON + r"|let'?s)\s+(?:just\s+|finally\s+)?(?:put|bury)\s+(?:you|u|him|her|" + _ROLE + r")\s+(?:in\s+the\s+ground"
    r"|six\s+feet\s+under|in\s+(?:a|an\s+early)\s+grave)\b(?!\s+(?:team|crew|floor|staff|mood|squad))"
    # Not an election's ("Let's bury Price six feet under at the ballot box"), nor a team's ("put her in
    # the ground crew", a re-check).
    r"(?!\s+(?:politically|(?:at|in|on)\s+(?:the\s+)?(?:ballot|polls?|polling|election|vote|voting|count)))",
    r"(?:^|[.!?:;]\s*)(?:just\s+|now\s+)?(?:put|bury)\s+(?:him|her|" + _ROLE + r")\s+(?:six\s+feet\s+under|in\s+(?:the\s+ground"
    r"|a\s+grave|an\s+early\s+grave))" + _ORDER_ENDS,
    # An order to kill him or her, as the sentence ends: "Price is a worm; shoot him." (written with
    # zero-width spaces, which the normalised text drops); not "shoot him a message", nor the idiom
    # "Stab him in the back."
    _ORDER_TO_KILL + r"(?:him|her)\b(?!\s+in\s+the\s+back\b)" + _ORDER_ENDS,
    # The count stormed, armed: "Storm the count centre tonight, bring weapons"; "Bring your guns to the
    # count tomorrow"; not "storm the castle", a game's, nor "storm the polls", turnout's.
    r"(?:(?:^|[.!?,:;]\s*)(?:now\s+|just\s+|so\s+|then\s+|and\s+)?|\b(?:let'?s|we\s+(?:should|must|need\s+to|have\s+to)|time\s+to|"
    # Not polling stations, which voters storm ("Let's storm the polling stations with voters", a re-check).
    + INTENT + r")\s+)storm\s+(?:the|that|their|this)\s+(?:\w+\s+)?(?!polling\b)" + _COUNT + r"\b",
    r"(?:^|[.!?,:;]\s*)(?:and\s+|so\s+|just\s+|everyone\s+|everybody\s+)?bring\s+(?:(?:your|ur|the|some|our)\s+|all\s+(?:your|the)\s+)?"
    r"(?:own\s+|loaded\s+)?(?:weapons|guns|rifles|firearms|ammo|ammunition|shotguns|knives|machetes|pitchforks)\s+(?:to|down\s+to"
    r"|along\s+to|into)\s+(?:the\s+)?(?:" + _COUNT + r"|polls)\b",
    # Arms taken up by the writer's side, not told of in history ("the colonists took up arms", "it was
    # time to take up arms"), nor a letter to one's MP ("take up arms against this tax: write to ...").
    r"(?:\b(?:(?<!was\s)(?<!were\s)(?<!felt\s)time|let'?s|we\s+(?:must|should|need\s+to|have\s+to|gotta)|everyone\s+(?:must|should"
    r"|needs\s+to)|" + INTENT + r")\s+(?:to\s+)?|(?:^|[.!?,:;]\s*)(?:now\s+|so\s+|just\s+)?)take\s+up\s+arms\b"
    # ... against people, or said alone; not against a cause ("take up arms against climate change").
    r"(?=\s*(?:[.!?,;]|$)|\s+against\s+(?:them|him|her|" + _ROLE + r"|" + GROUP + r"|(?:the|this|these|those|our)\s+(?:\w+\s+)?"
    r"(?:government|regime|state|tyrants?|cheats|crooks|elites|globalists|communists|fascists|invaders|fraudsters))\b)"
    r"(?![^.!?]{0,80}\b(?:vote|voting|ballot|write|e-?mail|petition|sign|letters?|mp|call\s+your|lawfully|legally|peacefully"
    r"|metaphorically|figuratively)\b)",
    # Blood promised by the writer, not a historian's ("blood on the streets, the historian wrote of 1968")
    # nor "I'll be the first to admit it": "there will be blood on the streets, and I'll be the first."
    r"\bblood\s+(?:on|in)\s+the\s+streets?\b[^.!?]{0,40}?\b(?:i|we)(?:'ll|ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to"
    r"|'re\s+going\s+to|\s+are\s+going\s+to)\s+(?:be\s+the\s+(?:first|ones?)(?=\s*(?:[.!?,]|$)|\s+(?:one\s+)?(?:there|to\s+(?:shed"
    r"|spill|fight|strike|start|throw|pick\s+up|take\s+up))|\s+(?:spilling|shedding|starting|doing)\b)|make\s+sure\s+of\s+it"
    r"|see\s+to\s+it|start\s+it|spill\s+it)\b",
    r"\b(?:i|we)(?:'ll|ll|\s+will)\s+(?:make\s+sure|see\s+to\s+it)\s+(?:that\s+)?there(?:'s|\s+is|\s+will\s+be)\s+blood\s+(?:on|in)"
    r"\s+the\s+streets?\b",
    # Coming for someone, unseen: "I'm coming for you @ElectionLiveBlog reporter, you won't see it
    # coming."; not a campaign's "we're coming for you at the next election", nor a film's twist.
    r"\b(?:i|we)(?:'m|m|'re|re|\s+am|\s+are)\s+coming\s+for\s+(?:you|u|ya|him|her|them|" + _ROLE + r")\b[^.!?]{0,60}?"
    r"\b(?:you|u|ya|he|she|they)(?:\s+(?:won'?t|will\s+not|wo\s+n't|will\s+never|never)|'ll\s+never|ll\s+never)\s+see\s+(?:it|me|us"
    r"|this)\s+coming\b(?![^.!?]{0,40}\b(?:polling\s+day|elections?|ballots?|votes?|voting|polls)\b)",
    # What is coming, and the writer who will bring it: "The judge will get what's coming to him, I'll
    # make sure of it."; "... at the appeal" is justice.
    r"\bget\s+what'?s\s+coming(?:\s+to\s+(?:him|her|them|you|u))?\s*[,.;!-]*\s*(?:and\s+)?(?:i|we)(?:'ll|ll|\s+will|'m\s+going\s+to"
    r"|\s+am\s+going\s+to|'re\s+going\s+to)\s+(?:personally\s+)?(?:make\s+sure\s+of\s+(?:it|that)|see\s+to\s+it|make\s+sure\s+it"
    r"\s+happens|deliver\s+it|be\s+the\s+one(?:\s+to\s+(?:give|deliver)\s+it)?)(?:\s+personally)?" + _SENTENCE_ENDS,
    # A death with a date and the writer's word on it: "Price will be dead by Christmas, trust me."; not
    # "dead in the water by Christmas", nor a doctor's forecast said without a promise. Or a week not lived
    # through, if the writer has a say: "Okafor won't survive the week if I have anything to do with it."
    r"\b(?:he|she|you|u|they|" + _ROLE + r")(?:(?:'ll|ll|\s+will|'s\s+going\s+to|\s+is\s+going\s+to|'s\s+gonna|\s+is\s+gonna"
    r"|\s+are\s+going\s+to)\s+be\s+dead\s+(?:by|within|before)\s+(?:the\s+|this\s+|next\s+)?(?:\w+\s+)?" + _WHEN
    + r"\b\s*[,.;!-]*\s*(?:trust\s+me|i\s+promise(?:\s+you)?|i\s+swear|i\s+guarantee\s+(?:it|you)|count\s+on\s+it"
    r"|one\s+way\s+or\s+(?:another|the\s+other)|(?:i|we)(?:'ll|\s+will)\s+(?:make\s+sure\s+of\s+it|see\s+to\s+it))\b"
    r"|\s+(?:won'?t|will\s+not|wo\s+n't|(?:is|are)\s+not\s+going\s+to|(?:isn|aren)'t\s+going\s+to|ain'?t\s+gonna)\s+(?:survive"
    r"|live\s+(?:through|to\s+see|past)|see|last|make\s+it\s+(?:through|to|past))\s+(?:the\s+|this\s+|next\s+)?(?:\w+\s+)?"
    + _WHEN + r"\b\s*,?\s*if\s+(?:i|we)\s+(?:have|get)\s+(?:anything\s+to\s+do\s+with\s+it|(?:my|our)\s+way"
    r"|(?:my|our)\s+hands\s+on\s+(?:him|her|them|you))\b)",
    # A death too kind for someone: "A bullet is too good for Price."; not "a bullet point".
    # Not "hanging" or "death": "Hanging is too good for them" is said of litterbugs (a re-check).
    r"\b(?:a\s+bullet|bullets|the\s+(?:rope|noose|gallows|firing\s+squad)|a\s+(?:rope|noose|firing\s+squad))"
    r"(?:\s+is|'s|\s+would\s+be)\s+too\s+good\s+for\s+(?:him|her|them|you|u|" + _ROLE + r"|" + GROUP + r")\b",
    # A brick through a window, wished with a sneer or intended: "Let's see how brave the commissioner is
    # with a brick through his window."
    r"\bsee\s+how\s+(?:brave|tough|hard|smart|clever|cocky|big|confident|smug|mouthy|loud|funny)\s+(?:[\w']+\s+){1,4}?(?:is|are"
    r"|feels?)\s+(?:with|after)\s+(?:a|some)\s+(?:bricks?|rocks?|stones?|petrol\s+bomb|molotov|bullet|knife)"
    # ... through or into something, not "a brick wall of a defence" nor "a rock at the back" (a re-check).
    r"\s+(?:through|in|into|to)\b",
    r"\b(?:" + INTENT + r"|let'?s|" + _CALLED_ON + r"|time\s+to)(?:\s+\w+){0,3}?\s+(?:put|throw|chuck|lob|send|hurl)\s+(?:a|some)\s+"
    r"(?:brick|rock|stone|petrol\s+bomb|molotov)s?\s+(?:through|into|at)\s+(?:his|her|their|your|ur|" + _ROLE + r"'s)\s+(?:\w+\s+)?"
    r"(?:windows?|windscreen|windshield|door|house|home|car|office)\b",
    # A home or car burnt, by the writer after more words or by order: "If Price wins I'm going to find
    # where he lives and burn his house down.", "Torch the returning officer's car."
    r"\b(?:" + INTENT + r")(?:\s+[\w']+){0,6}?\s+(?:burn|torch|firebomb)\s+(?:down\s+)?(?:his|her|their|your|ur|" + _ROLE + r"'s)\s+"
    r"(?:\w+\s+)?(?:house|home|flat|place|car|office|shop)s?\b(?:\s+(?:down|tonight|tomorrow|today|now|to\s+the\s+ground)\b|"
    + _SENTENCE_ENDS + r")",
    r"(?:\b(?:let'?s|we\s+should|we\s+must|time\s+to)(?:\s+\w+){0,2}?\s+|(?:^|[.!?,:;]\s*))(?:firebomb|petrol\s+bomb|torch"
    r"|burn\s+down|set\s+fire\s+to|blow\s+up)\s+(?:" + _ROLE + r"'s|his|her|their)\s+(?:\w+\s+)?(?:car|van|house|home|flat|office"
    r"|shop)s?\b",
    # A building burnt with people in it, said by the writer: "We'll burn the ballots and the building
    # with them."
    r"\b(?:" + INTENT + r"|let'?s|" + _CALLED_ON + r")\s+(?:\w+\s+){0,2}?(?:burn|torch|firebomb|bomb|blow\s+up|set\s+fire\s+to)\b"
    r"(?:\s+[\w']+){0,6}?\s+" + _PLACE + r"(?:\s+down)?\s+with\s+(?:them|him|her|you|everyone|everybody|all\s+of\s+them|them\s+all)"
    r"(?:\s+(?:still\s+)?(?:in\s+it|in\s+there|inside))?" + _SENTENCE_ENDS,
    # A beating to death called for, not only intended: "Someone should beat him to death."
    r"\b(?:" + _CALLED_ON + r"|they\s+(?:should|need\s+to|ought\s+to|must))(?:\s+\w+){0,3}?\s+" + _BEATEN,
    # A life made hell by the writer: "If you touch one white child we will make your life a living hell.";
    # not "... at the ballot box".
    r"\b(?:" + INTENT + r")(?:\s+\w+){0,2}?\s+make\s+(?:your|ur|his|her|their)\s+(?:\w+\s+)?(?:life|lives)\s+(?:a\s+)?(?:living\s+)?hell\b"
    r"(?!\s+(?:at|in|on|with|through|by|for)\b)",
)
# Training's "someone should <harm>" takes any object ("someone should kill the bill" in a toxic
# comment costs nothing); here the harm must be done to a person, the branch above.
# "Watch your back" and "hope they get shot" are read by veiled_threats.py, not on an icy road nor of a sofa.
_BRANCHES = tuple(b for b in BRANCHES if b not in (SOMEONE_SHOULD_HARM, WATCH_YOUR_BACK, HOPE_HARMED))
# Spanish, the language US sites hear most after English: the model scores it as civil English
# ("Te voy a matar" threat 0.00), so a Spanish threat sat last in the queue with civil Spanish, and a
# site that flags other languages published it (a bilingual paper's walk). The normalised text has
# no accents: "muérete" reads "muerete". Not "te voy a encontrar un asiento", nor "muérete de risa".
# Only verbs of harm to a person: a re-check found "hay que quemar grasa", "lo van a colgar en el museo",
# "los vamos a reventar el domingo" (a match) and "matar el tiempo" held.
_ES_HARM = (r"(?:matar|asesinar|apunalar|acuchillar|balear|fusilar|linchar|ahorcar|degollar|rajar|madrear"
            r"|romper\s+(?:la\s+cara|las\s+piernas|el\s+cuello|la\s+madre|el\s+hocico)|partir\s+la\s+(?:cara|madre)"
            r"|pegar\s+un\s+tiro|meter\s+un\s+tiro|dar\s+un\s+(?:balazo|navajazo|tiro)|meter\s+una\s+bala)"
            # Not kisses, laughter or time ("te voy a matar a besos"), nor a team ("romper la cara al Barça").
            r"(?!\s+(?:a\s+besos|a\s+cosquillas|de\s+(?:la\s+)?risa|el\s+tiempo|al?\s|en\s+la\s+final|en\s+el\s+partido))")
_ES_OBJECT = r"(?:te|lo|la|los|las|le|les)"
# The writer's own intent (voy, vamos), not a forecast of others' ("lo van a colgar": a painting).
_SPANISH = (
    r"\b" + _ES_OBJECT + r"\s+(?:voy|vamos)\s+a\s+" + _ES_HARM,
    r"\b(?:voy|vamos)\s+a\s+(?:matar|apunalar|ahorcar|balear|madrear|fusilar|rajar)" + _ES_OBJECT
    + r"\b(?!\s+(?:a\s+besos|de\s+(?:la\s+)?risa))",
    r"\b(?:te|los|las)\s+(?:mato|matamos|matare|mataremos)\b(?!\s+(?:a\s+besos|de\s+(?:la\s+)?risa))",
    r"\b(?:te\s+)?vas\s+a\s+morir\b(?!\s+de\s+(?:la\s+)?(?:risa|envidia|ganas|hambre|frio|calor|aburrimiento))",
    r"\b(?:eres|es)\s+(?:hombre|mujer)\s+muert[oa]\b",
    r"\bojala\s+(?:que\s+)?(?:te|lo|la|los|las|le|les)\s+(?:mueras|maten|violen)\b",
    r"\bojala\s+(?:que\s+)?se\s+mueran?(?=\s*(?:[.!,]|$)|\s+(?:todos|todas|ya|pronto|de\s+una\s+vez|esos|esas|ese|esa)\b)",
    r"\bque\s+te\s+mueras\b",
    # Said to someone, not the Mexican exclamation before good news ("¡Muérete, qué noticia!").
    r"(?:^|(?<=[.!?\u00a1,;:]))\s*(?:muerete|mueranse)(?:\s*,?\s*(?:ya|de\s+una\s+vez|maldit[oa]s?|cabron|pendej[oa]|idiota"
    r"|imbecil|perra|puta|hijo\s+de\s+puta))?(?=\s*(?:[.!]|$))",
    r"\bse\s+donde\s+(?:vives|trabajas|estudias|duermes)\b",
    r"\btienes\s+los\s+dias\s+contados\b",
    r"\b(?:deberian|hay\s+que|habria\s+que|alguien\s+deberia|que\s+alguien)\s+(?:matar|fusilar|ahorcar|linchar|balear)"
    + _ES_OBJECT + r"?\b(?!\s+(?:el\s+tiempo|a\s+besos))",
    # Not a shot on goal ("pegarle un tiro al arco", "darle un tiro a puerta").
    r"\b(?:pegarle|meterle|darle)s?\s+un\s+(?:tiro|balazo)\b(?!\s+(?:al?\s+(?:arco|puerta|porteria|palo|gol|larga)|desde))",
    r"\bmatar(?:los|las)\s+a\s+todos\b",
    r"\bquemar\s+(?:la|su|tu)\s+casa\b.{0,40}?\b(?:con\s+(?:el|ella|ellos|ellas|todos|ustedes)|contigo)\s+(?:adentro|dentro)\b",
    # A beating promised to "you" (te), not a team ("les vamos a dar una paliza el domingo").
    r"\bte\s+(?:voy|vamos)\s+a\s+dar\s+una\s+(?:paliza|golpiza|madriza|putiza)\b",
)
_THREAT = re.compile("|".join(_INTENTS + _CALLS + _BRANCHES + _SITE_ONLY + (_ORDER_TO_KILL_A_GROUP,) + _SPANISH))
# The election night's patterns are read only in a comment holding a word each of them needs: every
# alternative of one regex is tried at every word, and these twenty-odd in _THREAT cost the rule a
# third again of its time over real comments.
_ELECTION_THREAT = re.compile("|".join(_ELECTION_NIGHT))
_ELECTION_CUE = re.compile(r"\b(?:hang|swing|strung|wall|string|six\s+feet|ground|grave|kill|shoot|stab|murder|execute|behead"
                           r"|strangle|lynch|storm|guns|weapons|rifles|firearms|ammo|ammunition|shotguns|knives|machetes"
                           r"|pitchforks|arms|blood|coming|dead|if\s+(?:i|we)\s+(?:have|get)|too\s+good|see\s+how|bricks?|rocks?"
                           r"|stones?|petrol|molotov|burn|torch|firebomb|bomb|blow|set\s+fire|beat|hell)")


# A denial said with the words, or in the two words before them in the same clause ("they do not
# deserve to be tortured", "I will never hurt you"); not further back, where a line break the
# normalised text has lost may have ended the clause ("I don't like you / I will hurt you").
_NEGATION = re.compile(r"\b(?:not|never|no|nobody|noone|none|cannot|nunca|jamas|nadie)\b|n't\b")
_CLAUSE_END = re.compile(r"[,.;:!?]")
# Words with a "no" that deny nothing: "No joke I will kill you" (a re-check found it published).
# Nor the words of a threat that a "not" makes: "your family won't be safe", "walk home alone, don't
# they?" (a derby night).
_NO_DENIAL = re.compile(r"\b(?:no\s+(?:joke|lie|cap|kidding|doubt)|not\s+(?:kidding|joking))\b"
                        # A wish: "Too bad someone didn't just shoot him" (a standards editor's audit).
                        r"|\b(?:too\s+bad|shame|pity)\s+(?:that\s+)?(?:someone|somebody)\s+(?:didn'?t|did\s+n't|did\s+not|hasn'?t"
                        r"|has\s+n't|has\s+not)\b"
                        r"|(?:\bwon'?t|\bwill\s+not|\bwo\s+n't|\bnot\s+going\s+to|n't\s+going\s+to|\b(?:are|is)\s+not)\s+(?:be\s+)?safe\b"
                        r"|(?:\bdon'?t|\bdoesn'?t|\bdo\s+n't|\bdoes\s+n't|\bdo\s+not|\bdoes\s+not)\s+(?:they|he|she)\s*$"
                        # Nor an election night's: "you won't see it coming", "won't survive the week".
                        r"|(?:\bwon'?t|\bwill\s+not|\bwo\s+n't|'ll\s+never|\bll\s+never|\bwill\s+never|\bnever)\s+see\s+(?:it|me|us"
                        r"|this)\s+coming\b"
                        r"|(?:\bwon'?t|\bwill\s+not|\bwo\s+n't|\bnot\s+going\s+to|n't\s+going\s+to|\bain'?t\s+gonna)\s+(?:survive"
                        r"|live\s+(?:through|to\s+see|past)|see|last|make\s+it\s+(?:through|to|past))\s+(?:the\s+|this\s+|next\s+)?"
                        r"(?:\w+\s+)?" + _WHEN + r"\b")


def threat_words(normalised: str, written: str = "") -> str | None:
    """The words of the first threat in the normalised text that is not denied, or None. With the
    text as `written`, a person it names by name counts as one it names by office."""
    found = _first_threat(normalised)
    if found is None and written != written.lower() and _HARM_CUE.search(normalised):
        marked = _marked_names(written)
        if marked is not None:
            found = _first_threat(marked)
            found = found.replace(_NAME_MARK, "") if found is not None else None
    return found


# Words that may be capitalised inside a sentence and are no one's name (days, months, holidays, God),
# and those opening one that the patterns read as they are ("Someone should shoot Hargrove.").
_NOT_NAMES = frozenset("""
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december christmas easter god lord jesus christ allah
    someone somebody everyone everybody anyone anybody nobody people they he she we you it this that these
    those there here who whoever all
    the and for with from your his her our their its not but are was were will would should just only also
    never nor cannot
""".split()).union(_TITLES)  # and the little words a title capitalises ("kill The Pursuer first" is a game's boss)
# The words a threat to a named person needs one of, so most comments never take the second reading.
# Stems, so every form counts: "Hargrove ought to be killed." and "I hope someone shoots Okafor." had
# been published (a re-check); and the words of the menace that names no verb of harm ("Let's pay
# Whitfield a visit.", "I will put Nurse Whitfield in the ground.": the re-check after).
_HARM_CUE = re.compile(r"\b(?:kill|murder|shoot|shot|stab|hurt|hang|hung|lynch|behead|execut|tortur|strangl|chok|crack"
                       r"|stabb|shoots|shooting|snapp|beaten|broken"
                       r"|bash|slice|slit|kick|punch|cave|bullet|accident|crash|die|dies|dead|burn|beat|break|smash|snap"
                       r"|shame|suffer|nuremberg)(?:e|s|es|ed|d|ing|er|ers)?\b"  # its forms, not "diet", "caveat", "deadline"
                       # Phrases, not their common words ("work", "live", "park", "ground", "friend"), which
                       # sent most comments through the second reading and doubled the rule's cost.
                       r"|\bknow\s+where\b|\bcut\s+off\b|\bhit\s+by\b|\bin\s+the\s+ground\b|\bsix\s+feet\b|\bgrave\b"
                       r"|\bvisit\b|\bfriend\s+with\b|\bwalking\b|\bhunted\s+down\b|\bstring\s+\S+\s+up\b"
                       r"|\bevery\s+bone\b|\brun\s+\S+\s+over\b|\bon\s+sight\b|\bto\s+school\b|\bin\s+(?:the\s+)?hospital\b"
                       # An election night's ("Okafor won't survive the week ...", "Torch Price's car.").
                       r"|\bsurvive\b|\btorch\b|\bswing\b|\bagainst\s+a\s+wall\b|\bbrick\b")


def _marked_names(written: str) -> str | None:
    """The normalised text with _NAME_MARK before each word a name, or None if none is: a word the
    text as written capitalises (its first letter upper case, another lower, unless the comment
    shouts), of three letters or more, not opening a sentence unless a call follows ("Hargrove
    should be shot."). Read through the normaliser's offsets, so a name written as the normaliser
    reads it ("Har<b></b>grove", "\u202e.evorgraH", "Ｈargrove", "M3ndez", "H a r g r o v e") is
    still a name, and a lower-case "bill" is not Senator Bill Cassidy's."""
    text, starts, ends = normalise_with_offsets(written)
    shouting = sum(map(str.isupper, written)) > sum(map(str.islower, written))
    # The patterns' own words are names only in a sentence that capitalises few: "I hope Lynch dies.",
    # "Someone should shoot Hunt." (a re-check), not "SOMEONE SHOULD SHOOT HARGROVE." or "Someone Should Shoot Him".
    words = len(re.findall(r"\b[^\W\d_]", written))
    titled = shouting or (words >= 4 and len(re.findall(r"\b[A-Z]", written)) * 3 > words * 2)
    cuts = []
    for word in _WORD.finditer(text):
        if (word.group(0) in _NOT_NAMES or _LAUGH_WORD.fullmatch(word.group(0))
                or (titled and word.group(0) in _PATTERN_WORDS)
                or sum(map(str.isalpha, word.group(0))) < 3):
            continue
        letters = [c for k in range(word.start(), word.end()) for c in written[starts[k] : ends[k]][:1] if c.isalpha()]
        if not letters or not letters[0].isupper() or not (shouting or any(map(str.islower, letters[1:]))):
            continue
        if not _opens_sentence(written, starts[word.start()]) or _CALL_AFTER.match(text, word.end()):
            cuts.append(word.start())
    if not cuts:
        return None
    pieces = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    return _NAME_MARK.join(pieces)


_WORD = re.compile(r"\b[^\W\d_][\w']*")
# Not a forecast's "will be dead" or "won't survive": a word opening a sentence there is a party, a firm
# or a product as often ("Labour will be dead by Christmas, trust me.", "Twitter won't survive the week if
# we have anything to do with it": a re-check of an election night's patterns), so a name must be read
# elsewhere in the sentence for those.
# Not any "will": "Someone should shoot\n\nHargrove will be pleased with the photos." is a photographer's.
_CALL_AFTER = re.compile(r"\s+(?:should|must|needs|deserves|ought)\b")


def _opens_sentence(written: str, at: int) -> bool:
    """Whether the word at `at` opens a sentence: nothing, or a sentence's end, before it; not the
    full stop of a title ("Mr. Hargrove")."""
    k = at - 1
    while k >= 0 and written[k] in " \t\u00a0":  # back over the spaces alone: slicing was quadratic
        k -= 1
    if k >= 0 and written[k] in "\n\r":
        # A line broken inside a sentence goes on: "Someone should shoot\nHargrove." (a re-check); a
        # line after a sentence's end, a blank line or a list's colon starts one.
        j = k
        while j >= 0 and written[j] in " \t\u00a0\n\r":
            j -= 1
        return j < 0 or not (written[j].isalnum() or written[j] == ",") or written.count("\n", j, k + 1) > 1
    if k < 0 or written[k] in "!?:;\"“(":
        return True
    if written[k] != ".":
        return False
    j = k
    while j > 0 and written[j - 1].isalpha() and k - j < 9:
        j -= 1
    return written[j:k].lower() not in _TITLES


# The words the patterns spell, which a capital does not make a name ("SOMEONE SHOULD SHOOT HARGROVE.").
_PATTERN_WORDS = frozenset(re.findall(r"[a-z]{3,}", _THREAT.pattern + _ELECTION_THREAT.pattern))


def _first_threat(normalised: str) -> str | None:
    return _first_of_patterns(_laughter_as_stops(normalised))


# Laughter, a face or any emoji where a sentence ends stands for its full stop: the patterns that
# wait for the end ("Hale should hang for this.", "Line the poll workers up against a wall.")
# published the same with "lol" or "😂" after them (an election night's re-check). Before a comma,
# semicolon or colon it is only dropped: read as a full stop there, "I know where the mayor lives lol,
# in a council flat" lost the clause that makes it no threat (the next re-check). The text is read
# once, so as before: reading it a second time when the first found nothing doubled the rule's cost.
_LAUGH = r"(?:lo+l+(?:o+l+)*z*|lu+l+|lmf?a+o+|rofl+(?:mao+)?|a?(?:ha){2,}h?|(?:he){2,}h?|xd+|kek+w?)"
# A joke said to be one is read as laughter is: "Hale should hang for this jk", "... /s" and "... (lol)"
# were published where "... lol" was held (the last stop's audit); saying it is a joke excuses no threat.
_JOKE = r"(?:j+k+s?|jking|j\s/\s?k|just\s+(?:kidding|joking))"
_LAUGH_WORD = re.compile(_LAUGH + r"|" + _JOKE)
_EMOJI = "\u2600-\u27bf\U0001F300-\U0001FAFF"
_EMOTICON = r"[:;=]-?[)(\]\[dp3]"
# A tone tag, which the normalised text spaces ("/s" reads "/ s"); not a unit's ("50 m/s", "3 km/s").
_TONE_TAG = r"(?<![^\w][^\W\d_])(?<!\d)(?<!\bkm)(?<!\bft)(?<!\bmi)\s/\s?(?:s|j|jk|hj|lh|srs|sarcasm)\b"
# ... or a laugh or a joke in brackets or stars: "(lol)", "[jk]", "*kidding*".
_BRACKETED = (r"\s[(\[*]\s?(?:" + _LAUGH + r"|" + _JOKE + r"|kidding|joking|joke|sarcasm)\s?[)\]*]")
# Read back from a clause's end, some characters at a time: a regex looking ahead past a run of them
# took 35 s on 20,000 faces.
_LAST_LAUGH = re.compile(r"(?:\s(?:" + _LAUGH + r"|" + _JOKE + r"|" + _EMOTICON + r"|:\s[dp])|" + _TONE_TAG + r"|"
                         + _BRACKETED + r"|\s*[" + _EMOJI + r"][\ufe0f\u200d\U0001F3FB-\U0001F3FF]*)+\s*\Z")
_WINDOW = 64
# An emoticon's colon or semicolon is no clause's end (":)", ";)", ":D" normalised ": d").
_CLAUSE_ENDS = re.compile(r"([.!?\n]|[,;:](?!-?[)(\]\[dp3](?:\s|\Z)|\s[dp](?:\s|\Z)))")


def _laughter_as_stops(normalised: str) -> str:
    clauses = _CLAUSE_ENDS.split(normalised)
    for k in range(0, len(clauses), 2):  # the clauses, between the ends split out
        clause = clauses[k]
        end = len(clause)
        while (last := _LAST_LAUGH.search(clause, max(0, end - _WINDOW), end)) is not None:
            end = last.start()
        if end < len(clause):
            ends_sentence = k + 1 >= len(clauses) or clauses[k + 1] in ".!?\n"
            clauses[k] = clause[:end] + ("." if ends_sentence else "")
    return "".join(clauses)


def _first_of_patterns(normalised: str) -> str | None:
    found = _first_undenied(_THREAT, normalised)
    if found is None and _ELECTION_CUE.search(normalised):
        found = _first_undenied(_ELECTION_THREAT, normalised)
    if found is None:
        found = first_veiled(_VEILED, normalised)
    return found if found is not None else first_platform_threat(normalised)


# Menace a local reader words without harm ("we know where your office is"): veiled_threats.py.
_VEILED = re.compile(veiled_patterns(_ROLE, _KIN_WORD))


def _first_undenied(threat: re.Pattern[str], normalised: str) -> str | None:
    for found in branches(threat).finditer(normalised):
        words = found.group(0).lstrip(".!?,:; ")
        clause = _CLAUSE_END.split(normalised[max(0, found.start() - 60) : found.start()])[-1].replace(_NAME_MARK, "")
        clause = _NO_DENIAL.sub(" ", clause)
        if not _NEGATION.search(" ".join(clause.split()[-2:])) and not _NEGATION.search(_NO_DENIAL.sub(" ", words)):
            return words
    return None
