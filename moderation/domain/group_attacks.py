"""The `group_attack` rule: hate against a group said in plain words, which the model often misses.

The classifier learnt identity attacks mostly from slurs (its training sources hold few clean-worded
attacks), and its toxicity head gives group words no weight, for fairness. So "I hate women." scores
0.38 and is published, and of HateCheck's hateful cases it holds 48 % (docs/model.md, "Hate in plain
words is often missed"). This rule looks for a group named by its identity together with stated hatred,
dehumanising words, a call for the group's harm or removal, or its exclusion, and for the
xenophobe's words that need no group named:

    I hate women. / Immigrants are vermin. / Kill all the jews. / Gay people should be shot.
    Muslims don't belong here. / There is no place for trans people in this country.
    Women belong in the kitchen. / Go back to where you came from. / Nobody wants your kind here.
    Trans people should be kept away from schools. / so many chinks in this thread / (((they))) always do

It reads the classifier's normalised text, so "K i l l all the j3ws" and look-alike letters count. It
holds; it does not reject: quoting hate in order to counter it ("Saying 'women are trash' is sexist")
fires too, and a moderator tells the two apart. Patterns, not a model, and narrow ones: over the
shared data's real comments it fires on 87 of 112,067 that people labelled civil and on 926 of
73,188 labelled toxic (bench/plain_words_rules.py; 49 and 273 before a trust & safety lead's plural slurs
and codes, coded_hate.py, whose 38 more civil are nearly all hate its labellers passed: "muzzies",
"pakis", "kikes"; 49 and 253 before a slur for one person, 49 and 248 before a standards editor's audit's stormfront
sentences, 49 and 245 before an election night's attacks on
groups of voters, the same before a derby night's racist abuse of a player, 46 and 229 before the walks
since a data scientist's; HateCheck's hateful 316 of 2,563, 306 before the plural slurs, 299 before the audit and before the election night, 292 before the
derby night); on HateCheck it takes the hateful cases held from 48 % to 53 % and the
others from 43.9 % to 44.3 % (docs/rules-history.md, `group_attack`).
"""
from __future__ import annotations

import re

from classifiers.groups import GROUP_ADJECTIVES, GROUP_PLURALS
from moderation.domain.branch_scan import branches
from moderation.domain.coded_hate import coded_hate


def _either(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


# The groups the identity-attack head's swaps know (classifiers.groups), and a few more that
# hate names: plural slurs among them, since "i hate niggers" attacks a group as much as anyone.
# Nationalities, peoples and conditions a British or European paper's readers attack (a data
# scientist's walk: "I hate Polish people." and "Gypsies are thieves" were published). Here only: the
# model's identity swaps (classifiers.groups) are what its training saw, and stay so.
_MORE_ADJECTIVES = (
    "jew", "latina", "immigrant", "refugee", "foreign", "pakistani", "polish", "romanian", "bulgarian", "albanian",
    "nigerian", "somali", "afghan", "syrian", "iraqi", "iranian", "turkish", "kurdish", "eritrean", "romani",
    "roma", "gypsy", "traveller", "traveler", "irish", "scottish", "welsh", "english", "british", "european",
    "russian", "ukrainian", "lithuanian", "bangladeshi", "indian", "caribbean", "jamaican", "ghanaian",
    "asylum-seeking", "asylum seeking", "migrant", "deaf", "blind", "autistic", "female", "male", "fat", "old", "poor",
    "working class", "working-class", "bi", "nonbinary", "non-binary", "intersex", "atheist", "mormon", "protestant",
)
_ADJECTIVES = _either(GROUP_ADJECTIVES + _MORE_ADJECTIVES)
_PLURALS = _either(GROUP_PLURALS + (
    "moslems", "females", "migrants", "foreigners", "feminists", "trannies", "niggers", "niggas", "faggots", "fags",
    "dykes", "kikes", "spics", "chinks", "wetbacks", "ragheads", "negroes", "queers", "gypsies", "gipsies", "travellers",
    "pikeys", "gyppos", "pakis", "poles", "romanians", "nigerians", "somalis", "afghans", "syrians", "illegals",
    "asylum seekers", "foreigners", "transgenders", "transsexuals", "atheists", "mormons", "roma",
    # An election night's "Pakistanis rig every postal vote, everyone knows it."
    "pakistanis", "bangladeshis", "albanians",
    # The slurs for disabled people a health desk's readers used ("Those cripples are clogging the ER.").
    "cripples", "retards", "spastics", "spazzes", "mongs", "mongols", "window lickers"))
# A slur for one of them names the group as its plural does: "will someone please kill that sand nigger"
# was published (a standards editor's audit; the model held it). Not "nigga", a friend in many readers'
# English, nor the slurs a personal insult uses ("retard"), which are no group's; not "coon", "dyke" or
# "fag" (a raccoon, a dike, a cigarette), "tranny" or "faggot" (a gearbox, kindling: "Get rid of the tranny
# and put in a manual." was held, a re-check), nor "chink" in the armour.
SLURS_FOR_ONE = ("nigger", "kike", "spic", "chink", "wetback", "raghead", "towelhead", "paki", "gook", "beaner", "pajeet",
                 "muzzie")
# Said of one ("that", "the", "you"), not an insult's adjective: "i hate faggot ass mf bro" is labelled civil.
# Only "chink" is in the armour: "Gas the kike in the showers." was published by a lookahead on every slur.
_ONE = (r"(?:that|this|the|you|every|any|such)\s+(?:\w+\s+)?(?:" + _either(tuple(w for w in SLURS_FOR_ONE if w != "chink"))
        + r"\b|chink\b(?!\s+(?:in|of)\b))")  # nor "a chink of doubt", "that chink of light" (a re-check)
# ... and as voters ("Black voters are too stupid to read a ballot.", an election night).
_PEOPLE = r"(?:people|persons?|folks?|men|women|guys|ones|kids|children|immigrants|community|voters)"
# A team's people by the identity hate names them by ("Black players are all lazy", derby day); not by
# age, form, build or home nation, which a fan judges them by ("Old players are trash in Ultimate Team",
# "Poor players are a drain on the wage bill", "get rid of the old players": a re-check).
_NOT_OF_A_SQUAD = ("fat", "old", "poor", "working class", "working-class", "female", "male", "deaf", "blind", "english",
                   "british", "scottish", "welsh", "irish", "european", "foreign")
_SQUAD = (_either(tuple(a for a in GROUP_ADJECTIVES + _MORE_ADJECTIVES if a not in _NOT_OF_A_SQUAD))
          + r"\s+(?:players|footballers|fans)")
_GROUP = (r"(?:(?:(?:all|the|those|these|you|any|every|most|such)\s+(?:\w+\s+)?)?(?:" + _ADJECTIVES + r"\s+" + _PEOPLE
          + r"|" + _SQUAD + r"|" + _PLURALS + r")|" + _ONE + r")")
# Groups whose exclusion from the vote or from office is hate, not a citizenship rule ("Immigrants
# shouldn't be allowed to vote" is also said of non-citizens in a policy debate), nor one said of
# men in women's spaces or of age ("Old people shouldn't be allowed to drive").
_NOT_FROM_CIVIC_LIFE = ("immigrant", "refugee", "foreign", "migrant", "asylum-seeking", "asylum seeking", "old", "poor", "fat",
                        "male")
_CITIZENS = (r"(?:(?:all|the|those|these|any|most)\s+(?:\w+\s+)?)?(?:"
             + _either(tuple(a for a in GROUP_ADJECTIVES + _MORE_ADJECTIVES if a not in _NOT_FROM_CIVIC_LIFE))
             + r"\s+(?!immigrants\b)" + _PEOPLE + r"|" + _either(tuple(p for p in GROUP_PLURALS + (
                 "moslems", "females", "feminists", "trannies", "gypsies", "gipsies", "travellers", "pikeys", "gyppos", "pakis",
                 "pakistanis", "bangladeshis", "poles", "romanians", "nigerians", "somalis", "afghans", "syrians", "roma",
                 "transgenders", "atheists", "mormons", "queers", "homosexuals", "niggers", "kikes", "spics", "ragheads",
                 "cripples", "retards") if p not in ("immigrants", "refugees", "men"))) + r")")
GROUP = _GROUP  # threat_words reads it too: "somebody should just stab those immigrants"
_HATED = r"(?:hate|despise|loathe|detest|can'?t\s+stand|cannot\s+stand|am\s+sick\s+of)"
_VERMIN = (r"(?:animals|vermin|parasites|rats|cockroaches|roaches|pigs|swine|apes|monkeys|snakes|savages|subhuman|scum|filth|trash"
           r"|garbage|a\s+disease|a\s+cancer|a\s+plague|cancer|not\s+human|inferior|worthless|disgusting|evil|dogs|beasts"
           r"|degenerates|less\s+than\s+human|property"
           # the stereotype stated as fact: "Black people are less intelligent.", "Gypsies are thieves".
           r"|less\s+intelligent|stupider|thieves|criminals|rapists|terrorists|paedophiles|pedophiles|lazy(?!\s+about\b)|dirty"
           r"|perverts|predators|greedy|lazy\s+scroungers|scroungers|leeches|a\s+burden|a\s+drain|invaders|an\s+invasion"
           r"|a\s+disgrace\s+to\s+humanity|an\s+abomination|abominations|mentally\s+ill|diseased|breeding\s+stock"
           # The whole group as one creature: "Jews are the snake." (a standards editor's audit).
           r"|snake|serpent|parasite|virus)")
_HARMED = (r"(?:die|killed|shot|hanged|hung|gassed|exterminated|deported|wiped\s+out|eradicated|sterili[sz]ed|burned"
           r"|burnt|lynched|put\s+down|drowned|shipped\s+back|sent\s+back)")
_HARM = r"(?:kill|exterminate|eradicate|wipe\s+out|gas|deport|get\s+rid\s+of|lynch|hang|shoot|burn|nuke)"
# Telling people where they belong: the xenophobe's "go back to where you came from" names no group
# and needs none; "your kind" stands for one. Said to "you" or of "them" being sent: "they go back to
# where they came from" is also birds in spring and diplomats after a summit.
# A trip home is not one: "Three of our starters go back to Africa for the Cup of Nations", "send
# billions back to Africa in remittances", "a banana boat ride" (a re-check).
_A_TRIP = r"(?!\s+(?:for|to\s+play|with|in|next|this|after|during|on|every|each|when|at|once|twice|to\s+visit)\b)"
_SENT_AWAY = (r"\b(?:go|fuck\s+off|piss\s+off|sod\s+off)\s+back\s+(?:to\s+)?(?:where\s+you\s+(?:came|come)\s+from"
              r"|(?:to\s+)?your\s+(?:own\s+)?(?:country|shithole|jungle|desert|cave|hut)|to\s+(?:africa|the\s+jungle)\b" + _A_TRIP + r")\b"
              r"|\b(?:send|ship)\s+(?:them|em|all\s+of\s+them)\s+(?:all\s+)?back\s+to\s+(?:where\s+they\s+came\s+from|africa)\b"
              # ... and a player named: "Send Okafor back to Nigeria on a banana boat" (derby day).
              r"|\b(?:send|ship)\s+(?!(?:billions|millions|thousands|money|cash|aid|it|funds|remittances|donations|goods"
              r"|supplies|food|wages|savings|profits)\b)\w+\s+back\s+to\s+(?:africa|the\s+jungle)\b" + _A_TRIP
              # "Send Mensah back on the banana boat." (a derby night)
              + r"|\bon\s+(?:a|the)\s+banana\s+boat\b(?!\s+(?:ride|trip|tour|in|at|with|and|for)\b)")
# The same said of a country, where a trip home is commoner still ("we go back to Mexico every
# summer", "my parents want to go back to China"): only an order at a clause's start, ended there
# or told where they belong, or sent "back across the border where they belong". "Go back to
# Mexico." was published where "Go back to Africa." was held (a bilingual paper's walk).
_HOMELAND = (r"(?:mexico|guatemala|honduras|el\s+salvador|nicaragua|venezuela|colombia|cuba|haiti|puerto\s+rico"
             r"|the\s+dominican\s+republic|china|india|pakistan|bangladesh|the\s+philippines|vietnam|korea|japan"
             r"|somalia|nigeria|kenya|ethiopia|syria|iraq|iran|afghanistan|lebanon|palestine|israel|turkey"
             r"|the\s+middle\s+east|asia|poland|romania|russia|ukraine|ireland|italy|your\s+(?:own\s+)?people"
             # A player's country: "Go back to Ghana Mensah, nobody wants you here." (a derby night).
             r"|ghana|senegal|cameroon|the\s+ivory\s+coast|ivory\s+coast|mali|the\s+congo|congo|zimbabwe|jamaica|sierra\s+leone"
             r"|gambia|the\s+gambia|guinea|angola|morocco|algeria|brazil|albania|turkey)")
_WHERE_THEY_BELONG = r"where\s+(?:you|they|u|ya)\s+(?:belong|came\s+from|come\s+from)\b"
_SENT_HOME = (r"(?:^|[.!?,;:]\s*)(?:just\s+|now\s+|so\s+|then\s+|and\s+)?(?:go|get|fuck\s+off|piss\s+off)\s+back\s+to\s+"
              # Ended there, or a word or two of address after; not travel advice ("Then go back to
              # Italy, the pasta is better.", "... and stay there for the holidays": a re-check).
              + _HOMELAND + r"(?=\s*(?:[.!?]|$|,\s*(?:\w+\s*,?\s*){0,2}(?:[.!?]|$|(?:nobody|no\s+one)\s+wants\s+(?:you|u|ya|them)))"
              # ... or a name without the comma: "Go back to Ghana Mensah, nobody wants you here." (a derby night).
              r"|\s+\w+(?:\s+\w+)?\s*,?\s*(?:nobody|no\s+one)\s+wants\s+(?:you|u|ya|them)\b"
              r"|\s+(?:and\s+stay\s+(?:there|home)\s*(?:[.!]|$)|" + _WHERE_THEY_BELONG + r"))"
              r"|\bback\s+(?:to\s+" + _HOMELAND + r"|across\s+the\s+border)\s+" + _WHERE_THEY_BELONG)
# The football racist's word for a black player, said to him: "Okafor you monkey", "you black monkey"
# were published on derby day (not "you cheeky monkey", said to a child).
_APE = (r"\b(?<!thank\s)(?:you|u|ya)\s+(?:(?:black|dirty|fucking|fuckin|filthy)\s+)*(?:(?:monkey|baboon|gorilla|chimp)s?\b"
        r"(?!\s+(?:around|about|with|business|see|do)\b)|apes?\b(?=\s*(?:[.!?,]|$)))"  # not "you ape everything Apple does"
        r"|\bmonkey\s+(?:noises|chants)\b"
        # Said of him: "Okafor looks like a monkey", "Okafor is a black monkey" (a re-check); not a
        # child ("my son is a little monkey" has its own word before, and a son or a pet is not one).
        r"|(?<!son\s)(?<!kid\s)(?<!boy\s)(?<!girl\s)(?<!baby\s)(?<!dog\s)(?<!cat\s)(?<!daughter\s)"
        r"\b(?:is|looks\s+like|belongs\s+in\s+a\s+zoo\s+with\s+the\s+other)\s+(?:a\s+|an\s+)?(?:(?:black|dirty|fucking|fuckin"
        r"|filthy)\s+)*(?:monkey|ape|baboon|gorilla|chimp)s?\b(?!\s+(?:around|about|with|business|enclosure|house|bars?)\b)")
# ... and its emoji, said to him or around his name: "Okafor = 🐒", "🐒🐒🐒 Okafor 🐒🐒🐒" (derby day;
# the normaliser folds a run of one emoji to one). Not a zoo trip's "🐒🦍", which names no one.
_APE_EMOJI = "[\U0001f412\U0001f435\U0001f98d\U0001f9a7]"
_APE += (r"|(?:\b(?:you|u|ya|ur)\s*|=\s*)" + _APE_EMOJI
         + r"|" + _APE_EMOJI + r"\s*[^\W\d_]\w*(?:\s+[^\W\d_]\w*)?\s*[\U0001f34c\U0001f412\U0001f435\U0001f98d\U0001f9a7]")
# A derby night found the commonest forms published ("Mensah 🐒🐒🐒", "Mensah belongs in a zoo.",
# "Someone throw Mensah a banana.", "Ooh ooh ooh ooh every time Mensah touches it"): a name (a word
# or two opening a sentence, not an animal, a zoo or a laugh) ended by the emoji, one said to belong in
# a zoo or thrown a banana, and the noises themselves at a player. Not a zoo trip ("We took the kids
# to the zoo", "Zoo trip 🐒🦍"), an animal that belongs in one, a banana skin or an "ooh" at a near miss.
_NOT_A_PERSON = (r"(?:zoos?|cute|aww+|lol|lmao|haha\w*|omg|wow|yay|me|mood|same|love|today|yes|no|oh|ooh|so|this|that|it"
                 r"|the|a|an|my|our|look|see|little|baby|babies|cheeky|funny|animals?|wildlife|nature|safari|jungle|gibraltar"
                 r"|primates?|monkeys?|apes?|gorillas?|chimps?|baboons?|orangutans?|gibbons?|lemurs?|tigers?|lions?|bears?"
                 r"|elephants?|snakes?|penguins?|pandas?|giraffes?|zebras?|wol(?:f|ves)|parrots?|pets?|crocs?|crocodiles?"
                 r"|alligators?|gators?|sharks?|kangaroos?|hippos?|rhinos?|cheetahs?|leopards?|jaguars?|otters?|seals?"
                 r"|camels?|owls?|eagles?|birds?|fish|dogs?|cats?|horses?|pigs?|cows?|goats?|sheep|rats?|foxes|fox|deer"
                 r"|bulls?|meerkats?|koalas?|sloths?|tortoises?|turtles?|lizards?|pythons?|spiders?|creatures?|beasts?"
                 r"|things?|ones?|species|mascots?|bison|buffalo|moose|reptiles?|llamas?|ostrich(?:es)?|flamingos?|puppy"
                 r"|kitten|specimens?|critters?|hamsters?|rabbits?|bunny|ducks?|squirrels?|raccoons?|badgers?"
                 # and the words a mood or a day out is said in: "Going bananas 🐒", "Weekend vibes 🐒".
                 r"|going|went|gone|get|got|feeling|happy|mad|crazy|bananas?|party|fun|weekend|day|night|morning|family"
                 r"|kids|lads|boys|girls|good|great|nice|lovely|wild|hi|hello|hey|thanks|ok|okay|yeah|yep|what|how|why"
                 r"|just|very|too|more|vibes|mode|energy|face|us|when|cheeky|monday|friday|saturday|sunday|holiday|trip"
                 # A family's own, said in jest: "My toddler belongs in a zoo", "Grandpa belongs in a zoo, he's
                 # wild lol" (a re-check).
                 r"|sons?|daughters?|toddlers?|grandpa|grandad|granddad|grandma|gran|granny|nan|nana|mum|mom|dad|husband"
                 r"|wife|brothers?|sisters?|boyfriend|girlfriend|partner|kid|child|children|teenagers?|nephews?|nieces?"
                 r"|cousins?|uncle|aunt|auntie|hubby|missus|family|friends?|mates?|flatmates?|housemates?|dog|puppy)")
_SOUND = r"(?:oo+h*|oh+|uh+)"  # "oo", "ooh", "oooh", "oh", "uh": one reading each
_APE += (r"|(?:^|(?<=[.!?]))\s*(?!" + _NOT_A_PERSON + r"\b)[^\W\d_]{2,}(?:\s+(?!" + _NOT_A_PERSON + r"\b)[^\W\d_]{2,})?\s*"
         + _APE_EMOJI + r"(?:\s*" + _APE_EMOJI + r"){0,8}(?=\s*(?:[.!?]|$))"
         # "belongs" looked for first: the long list of what is not a person, tried at every word, had cost
         # a tenth of the rule's time.
         r"|\b(?=[^\W\d_]+\s+belongs\s)(?!" + _NOT_A_PERSON + r"\b)[^\W\d_]+\s+belongs\s+in\s+(?:a|the)\s+zoo\b"
         r"|\b(?:you|u|ya)\s+belong\s+in\s+(?:a|the)\s+zoo\b"
         r"|\b(?:throw|toss|chuck|lob)\s+(?!" + _NOT_A_PERSON + r"\b)[^\W\d_]+\s+(?:a\s+|some\s+)?bananas?\b"
         r"(?!\s*-?\s*(?:skins?|peels?|bread|split|cake|milkshake|smoothie|boat)\b)"
         # Not fuel for a player's cramp ("Throw Max a banana, he's cramping": a re-check).
         r"(?![^.!?]{0,50}\b(?:cramp\w*|tired|hungry|knackered|energy|potassium|running|half\s+time|loves?\s+them))"
         r"|\b(?:throw|toss|chuck|lob)(?:ing|s)?\s+(?:a\s+)?bananas?\s+at\s+(?!" + _NOT_A_PERSON + r"\b)[^\W\d_]+"
         # The noises at a player, not alone (a song's "oh oh ah ah", a zoo trip, "oh oh oh at last": a
         # re-check). One way to read each sound and each gap: "oo" had matched two alternatives, and
         # 20,000 characters of "oo-" took 6 s (a re-check), where the rest of the rule takes 0.2 s.
         r"|\b" + _SOUND + r"(?:[-,!\s]+" + _SOUND + r"\b){1,8}(?:[-,!\s]+a+h+\b){0,8}[-,!\s]+(?:\w+\s+){0,2}?"
         # ... the ball, not a heart ("ooh ooh ooh every time he touches my heart", a song: a re-check).
         r"(?:(?:every\s+time|whenever|when)\s+(?:\w+\s+){1,2}?(?:(?:touches|gets|has|goes\s+near|picks\s+up)\s+(?:it|the\s+ball"
         r"|possession)|runs\s+with\s+it)\b"
         r"|at\s+(?:him|her)\s*(?:[.!?]|$))"
         # ... or ending on a name: "Oooh oooh aah aah Mensah" (not "staying alive", two words of a song).
         r"|\b" + _SOUND + r"(?:[-,!\s]+" + _SOUND + r"\b){1,8}(?:[-,!\s]+a+h+\b){2,8}[-,!\s]+(?!" + _NOT_A_PERSON
         + r"\b)[^\W\d_]{2,}(?=\s*(?:[.!?]|$))")
_YOUR_KIND = (r"\b(?:your|their)\s+kind\s+(?:is|are)\s+not\s+(?:welcome|wanted)\b"
              r"|\b(?:nobody|no\s+one)\s+wants\s+(?:your|their)\s+kind\b"
              r"|\bwe\s+(?:don'?t|do\s+not)\s+want\s+(?:your|their)\s+kind\b")
_RUINING = (r"(?:(?:just|all|slowly|completely|absolutely|totally|literally|really)\s+)?"
            r"(?:ruining|destroying|infesting|polluting|invading|overrunning)\s+(?:(?:(?:this|our|my|the|every|these)\s+(?:\w+\s+){0,2}?"
            r"(?:city|cities|town|towns|country|nation|neighbou?rhoods?|area|streets?|society|culture|schools?|communit(?:y|ies)"
            r"|world|place|club|sport|game|west|britain|england|america|europe|uk|us|way\s+of\s+life))|everything|europe|britain"
            r"|england|america|london|paris|berlin|sweden|france|germany|ireland|scotland|wales|canada|australia)\b")
# An election night's walk (2026-12-06): attacks on groups of voters published by a site with the
# starter rules on.
# A group said too stupid to vote or think ("Typical women voters, too emotional to think.", "Black voters
# are too stupid to read a ballot."); not too busy, too young or too tired, nor "too emotional to speak".
_TOO_DIM = (r"too\s+(?:stupid|dumb|thick|ignorant|primitive|backward|emotional|hysterical|irrational|brainwashed|simple"
            r"|illiterate|uneducated)\s+to\s+(?:think|vote|understand|read|reason|govern|lead|decide|make\s+decisions|be\s+trusted"
            r"|count|know\s+better|learn|run\s+(?:a|the|anything)|hold\s+office)\b")
# Each alternative is tried at every word and the lists of groups are long, so those that open with a
# group share one, and all are read only where a word they need is there (see `group_attack`).
_ELECTION_NIGHT = (
    r"\b" + _GROUP + r"(?:(?:\s+voters)?(?:\s*(?:,\s*|\s+(?:are|r)\s+(?:all\s+|just\s+|simply\s+)?)" + _TOO_DIM
    # The trope that a group buys or rigs the vote: "The Jews bought this election like they buy
    # everything.", "Pakistanis rig every postal vote"; not "Jewish voters backed the challenger".
    # Not "fixed" (a ballot box mended, a date set) nor "seats" (tickets bought): a re-check.
    + r"|\s+(?:always\s+|all\s+|just\s+)?(?:rig|rigs|rigged|steal|steals|stole|fiddle|fiddles|fiddled|buy|buys"
    r"|bought)\s+(?:every|each|all\s+the|the|this|our|these|every\s+single)\s+(?:\w+\s+)?(?:vote|votes|election|elections"
    r"|ballots?|count|politicians?|mps|senators|congress|parliament)\b)"
    # Not the dehumanising words said of "they" later in the sentence: "they" are the group's attackers
    # as often ("Jewish voters were targeted by neo-Nazis, they're scum": a re-check).
    r")"
    # Their exclusion from the vote, from office or from children: "Gay people shouldn't be anywhere near
    # government.", "Gypsies should be banned from polling stations."; not "bans cars from polling
    # stations' car parks", nor "Gypsies should be banned" alone, said of too much else to be read.
    # ... and what a sentence says of them first ("Muslims are fundamentally incompatible with Western
    # values and shouldn't be allowed to vote.", a trust & safety lead's hand-written set, 2026-12-07).
    + r"|\b" + _CITIZENS + r"\s+(?:(?:are|r)\s+(?:\w+\s+){1,6}?and\s+)?"
    r"(?:(?:shouldn'?t|should\s+not|must\s+not|mustn'?t|should\s+never)\s+be\s+(?:(?:allowed\s+)?"
    r"(?:anywhere\s+near|near|in|allowed\s+in)\s+(?:the\s+|our\s+|a\s+|any\s+)?(?:government|office|power|parliament|congress"
    r"|politics|public\s+office|polling\s+stations?|the\s+polls|ballot\s+box(?:es)?)\b"
    # ... said as exclusion, not a quota's debate ("Women shouldn't be in government just because of a quota").
    r"(?!\s+(?:just\s+|only\s+|simply\s+|merely\s+|solely\s+)?because\b)"
    # Not to serve, teach or lead, said of armies, prisons and churches (a re-check).
    # "Permitted" too: "Muslims should not be permitted to hold public office in a Christian nation." (the same set).
    r"|(?:allowed|permitted)\s+to\s+(?:vote|run\s+for\s+(?:public\s+)?office|hold\s+(?:public\s+|any\s+)?office"
    r"|stand\s+for\s+(?:office|election|parliament)|govern)\b)"
    r"|(?:should|must|need\s+to|ought\s+to)\s+(?:all\s+)?be\s+(?:banned|barred|kept\s+out|excluded)\s+from"
    r"\s+(?:the\s+|our\s+|all\s+|every\s+)?(?:polling\s+stations?|polls|voting|the\s+vote|office|government|parliament|politics"
    r"|(?:this|our|the)\s+country|public\s+office)\b)"
    # "Send every last migrant back on a boat tonight."; not "send every refugee child a card".
    + r"|\b(?:send|ship|kick|deport|throw)\s+(?:every|each)\s+(?:last\s+|single\s+)?(?:one\s+of\s+(?:the|these|those|them)\s+)?"
    + _ADJECTIVES + r"s?\s+(?:back|out)\b(?!\s+(?:to\s+(?:work|school|class|the\s+drawing\s+board)|in\s+time)\b)"
)
# A trust & safety lead's hand-written set (2026-12-07): exclusion and contempt said politely. A group kept
# from children ("Trans people should be kept away from schools entirely"; not "Sex offenders should be
# kept away from schools", no group's name, nor age or illness: "Old people should be kept away from the
# kids during flu season") or said to be, after its name ("I don't hate gay people, I just don't think
# they should be allowed near children"; not a charity that says so of offenders).
_NOT_OF_THIS = r"(?!(?:\w+\s+){0,2}?(?:old|elderly|sick|poor|fat|young|disabled|deaf|blind|autistic|immigrants?|refugees?|migrants?|asylum|foreign)\b)"
_POLITE = (r"\b" + _NOT_OF_THIS + _GROUP + r"\s+(?:should|must|need\s+to|needs\s+to|ought\s+to)\s+(?:all\s+)?(?:be\s+kept|stay)\s+"
           r"(?:well\s+|far\s+)?(?:away\s+from|out\s+of)\s+(?:(?:our|your|the|young|little|all)\s+)?(?:kids|children|schools?"
           r"|classrooms?|playgrounds?|nurseries)\b"
           r"|\bkeep\s+" + _NOT_OF_THIS + _GROUP + r"\s+(?:well\s+|far\s+)?(?:away\s+from|out\s+of)\s+(?:(?:our|your|the|my)\s+)?"
           r"(?:kids|children|schools?|classrooms?)\b"
           r"|\b" + _GROUP + r"[^.!?]{0,60}?\b(?:(?:don'?t|do\s+not)\s+think\s+(?:they|them)\s+should|(?<!\bsay\s)(?<!\bsays\s)"
           r"(?<!\bsaid\s)(?<!\btold\s)(?<!\bclaim\s)(?<!\bargue\s)(?:they|them)\s+(?:shouldn'?t|should\s+not|should\s+never|must\s+not))"
           r"\s+be\s+(?:allowed|permitted)\s+(?:anywhere\s+)?near\s+(?:(?:our|your|the|young|little)\s+)?(?:kids|children|schools?)\b"
           # A group unable by nature: "women genuinely can't handle engineering", "Asians can't drive, it's
           # genetic"; not a barrier ("disabled people simply can't get in"), a worry ("Women genuinely can't
           # handle another year of cuts") nor a body ("Asians can't process alcohol, it's genetic"), nor men
           # teased ("Men genuinely can't think when they're hungry lol": a re-check).
           r"|(?<!some\s)(?<!many\s)(?<!few\s)\b" + _NOT_OF_THIS + r"(?!(?:\w+\s+){0,2}?men\b)" + _GROUP + r"\s+(?:(?:genuinely|simply|biologically|naturally"
           r"|inherently|fundamentally|genetically)\s+(?:can'?t|cannot|are\s+incapable\s+of|are\s+not\s+capable\s+of|aren'?t\s+capable\s+of)"
           r"\s+(?:lead|leading|think|thinking|reason|reasoning|drive|driving|learn|grasp|be\s+trusted|control\s+themselves|govern"
           r"|(?:do|doing|handle|handling)\s+(?:maths?|science|engineering|logic|physics|stem|leadership|power|responsibility|pressure"
           r"|command|combat|complex\s+\w+|technical\s+\w+|the\s+job))\b"
           r"|(?:can'?t|cannot)\s+(?:drive|lead|think|reason|learn|govern|be\s+trusted)\b[^.!?]{0,30}?\b(?:it'?s|its)\s+(?:(?:just"
           r"|literally|all|purely|simply)\s+)?(?:genetic|in\s+their\s+(?:blood|dna|genes|nature)|biology|biological)\b)"
           # One reader told they are foreign for who they are: "go back to your reservation chief", "nice
           # accent, did you learn English on the boat?" (F11); not a booking ("go back to your reservation
           # page"), a boat trip, nor a grandparent's story ("My grandad learned English on the boat over").
           r"|\bgo\s+back\s+to\s+(?:your|ur)\s+(?:own\s+)?(?:reservation|rez)\b(?!\s+(?:page|details?|confirmation|email|number|link"
           r"|screen|settings|booking|tab|form|code|and\s+(?:click|select|check|change|cancel|modify|edit|tap|update)))"
           r"|\b(?:you|u|ya)\s+(?:just\s+|only\s+)?(?:learn|learnt|learned)\s+(?:(?:to\s+(?:speak|talk|write)\s+)?english|to\s+(?:speak"
           r"|talk|write))\s+on\s+(?:the|a|that)\s+(?:banana\s+)?(?:boat|raft|dinghy|dingy|lorry)\b(?!\s+(?:trip|tour|cruise|ride"
           r"|holiday|course|class|lessons?)\b)")
_POLITE_ATTACK = re.compile(_POLITE)
# A word each of them needs: read as they were, they cost a fifth of the rule's time on every comment.
_POLITE_CUE = re.compile(r"\b(?:away\s+from|out\s+of|near|genuinely|simply|biologically|naturally|inherently|fundamentally"
                         r"|genetically|genetic|biology|biological|blood|dna|genes|nature|reservation|rez|english)\b")
_CONFINED = r"(?:the\s+|a\s+)?(?:kitchen|zoo|cages?|jail|prison|gas\s+chambers?|ovens?|camps?|chains)"
# Every repeat is bounded, and each alternative starts at a word boundary with a literal word, so
# the search is linear in the text (a test runs a crafted 20,000-character input).
_ATTACK = re.compile(
    r"\bi\s+(?:\w+\s+)?" + _HATED + r"\s+" + _GROUP + r"\b"
    # Not a denial between ("most muslims are not terrorists": a re-check saw it fire).
    # "No doubt" and "not only" deny nothing: "Gypsies are no doubt thieves." (the next re-check).
    # Or "=": "Immigrants = 🐀" was published (a trust and safety walk), where "are 🐀" was held.
    # "Black players like Mensah are all lazy" (a derby night): one named as the example.
    r"|\b" + _GROUP + r"(?:\s+like\s+\w+(?:\s+\w+)?)?(?:\s+(?:are|r|is|equals?)\s+|\s*={1,3}\s*)(?:(?!(?:not\b(?!\s+only\b)|never\b|no\b(?!\s+doubt\b)))\w+\s+){0,2}?"
    + _VERMIN + r"\b(?!\s+(?:owners?|rights|taxes|values?|prices?|developers?|charmers?|oil|pits?|eyes|handlers?|bites?|venom"
    r"|worship\w*|protection|scans?|outbreaks?|carriers?|survivors?|patients?|risks?|research|screening)\b)"
    r"|\b" + _GROUP + r"\s+(?:should|must|needs?\s+to|ought\s+to|deserve\s+to)\s+(?:all\s+|just\s+)?(?:be\s+|get\s+)?"
    + _HARMED + r"\b"
    r"|\b" + _HARM + r"\s+(?:(?:all\s+|every\s+|the\s+|those\s+|these\s+)" + _GROUP + r"|" + _ONE + r")\b"
    r"|\b" + _GROUP + r"\s+(?:don'?t|do\s+not)\s+belong\b|\bno\s+place\s+for\s+" + _GROUP + r"\b"
    # Eugenics: "Disabled people shouldn't be allowed to breed." (a health desk's walk).
    r"|\b" + _GROUP + r"\s+(?:shouldn'?t|should\s+not|must\s+not|mustn'?t)\s+be\s+allowed\s+to\s+(?:breed|reproduce"
    r"|have\s+(?:kids|children|babies)|live|exist|adopt|teach|foster|work\s+with\s+(?:kids|children))\b"
    # ... or near them: "Gays shouldn't be allowed near children, your columnist included." (a trust and
    # safety analyst's walk, 2026-12-06).
    r"|\b" + _GROUP + r"\s+(?:shouldn'?t|should\s+not|must\s+not|mustn'?t)\s+be\s+allowed\s+(?:anywhere\s+)?near\s+"
    r"(?:(?:our|your|the|young|little)\s+)?(?:kids|children|schools?)\b"
    # A group that can never belong: "Muslims can't integrate and never will, look at Bradford." (the
    # same walk); not some of them, nor a cause told ("many migrants can't integrate without classes").
    r"|(?<!some\s)(?<!many\s)(?<!few\s)(?<!newly\s)\b" + _GROUP + r"\s+(?:can'?t|cannot|will\s+never|won'?t(?:\s+ever)?|never)"
    r"\s+integrate(?=\s*(?:[.!?,;:]|$)|\s+(?:and|into|in|with|here|there|anywhere|properly|at\s+all|ever)\b)"
    r"|\b" + _PLURALS + r"\b(?:\s+\w+){0,6}?\s*[.!]?\s*put\s+(?:them|em)\s+(?:all\s+)?down\b"
    r"|\b" + _GROUP + r"\s+belong\s+in\s+" + _CONFINED + r"\b"
    r"|" + _SENT_AWAY + r"|" + _SENT_HOME + r"|" + _YOUR_KIND + r"|" + _APE
    # The slaver's trope said of a player: "Mensah should be picking cotton, not playing football." (a
    # derby night); not history's "enslaved people were made to pick cotton".
    # Not a farm's own work, nor the writer's day out ("Cotton farmers should be picking cotton in September.",
    # "We should go pick cotton at the heritage farm", "picking cotton buds off the floor": a re-check).
    + r"|\b(?=should|belong|need|ought|go|get)(?<!\bwe\s)(?<!\bi\s)(?<!\bfarmers\s)(?<!\bworkers\s)(?<!\bpickers\s)"
    r"(?<!\bfarmer\s)(?<!\bshould\s)"
    r"\b(?:should|belongs?|needs?\s+to|ought\s+to|go(?:es)?|get)\s+(?:be\s+)?(?:go(?:ing)?\s+)?(?:back\s+)?(?:to\s+)?pick(?:ing)?\s+cotton\b"
    r"(?!\s+(?:buds?|wool|balls?|candy|fields?|in\s+(?:september|october|the\s+autumn|the\s+fall)))"
    # A standards editor's audit of real comments (2026-12-06), stormfront's sentences published at the
    # defaults: the group among "other" trash ("Maine 's become the dumping ground for Somalis and
    # other African trash ."; not "bottles and other trash", nor "Somalis and other African migrants"),
    # the group's adjective alone for its people, called the world's worst cancer ("black are the worse
    # cancer of the world"; not "the old are the biggest cancer risk"), and one of it named for all
    # ("The Jew represents the snake ."; not "the Jew of Malta", "the African elephant is an animal").
    + r"|\b(?!poles\b)" + _PLURALS + r"\s+and\s+(?:all\s+)?(?:the\s+)?other\s+(?:\w+\s+){0,2}?(?:trash|garbage|scum|filth"
    r"|vermin|animals|savages|parasites|rats|cockroaches|roaches|apes|monkeys|subhumans|degenerates|riff\s*-?\s*raff|dregs"
    r"|lowlifes|mongrels)\b"
    r"|\b(?:the\s+)?" + _ADJECTIVES + r"\s+(?:are|r)\s+(?:the\s+)?(?:worst|worse|biggest|real|true)\s+(?:cancer|plague|disease"
    r"|parasites?|vermin|scourge)(?:\s+(?:of|on|in|for|to)\s+(?:the\s+|this\s+|our\s+)?(?:world|earth|planet|society|humanity"
    r"|mankind|country|nation|europe|america|west|civili[sz]ation|race)\b|(?=\s*(?:[.!?,;]|$)))"
    r"|\bthe\s+(?:jew|muslim|moslem|negro|nigger|nigga|arab|gypsy|gipsy|paki|kike|mexican|immigrant|migrant|african|chink|spic"
    r"|wetback|raghead|homosexual|faggot|tranny)\s+(?:is|represents|remains|equals|=|will\s+always\s+be|has\s+always\s+been)\s+"
    r"(?:(?:nothing\s+but|just|like|truly|really|always|still|simply)\s+)?(?:(?:a|an|the)\s+)?(?!not\b|never\b|no\b)(?:\w+\s+)?"
    r"(?:snake|serpent|rat|parasite|vermin|cancer|virus|plague|disease|leech|cockroach|roach|ape|monkey|baboon|chimp)s?\b"
    r"(?!\s*-?\s*(?:catchers?|charmers?|oil|pits?|eyes|skin|bites?|handlers?|traps?|poison|race|king|venom|kingdom|lovers?"
    r"|welfare|rights|shelter|sanctuary|park|trainers?)\b)"
    # The antisemite's trope: "The Jews control the media.", what it says they control; not any
    # object: "ultra-Orthodox Jews control the city council" is a fact, "Jews control the game" a
    # match report of Maccabi (a re-check held both for a day).
    + r"|\b(?:the\s+)?(?:jews|jewish\s+people|zionists)\s+(?:secretly\s+|really\s+)?(?:control|run|own)\s+(?:the\s+|our\s+|all\s+the\s+)?"
    r"(?:media|banks|world|government|money|hollywood|press|everything|congress|washington|wall\s+street|finance"
    r"|the\s+fed|politicians|the\s+un|america|the\s+us|the\s+west|both\s+parties|parliament|the\s+bbc|politics"
    r"|the\s+narrative)\b"
    # The group blamed for a place's decline: "Black people are ruining this city." (a walk); not a
    # team's form ("Black players are destroying the opposition") nor "taking over" a boardroom.
    r"|\b" + _GROUP + r"\s+(?:are|r)\s+" + _RUINING
    # The group blamed for crime: "Black people are the reason crime is so high here." was published at
    # toxicity 0.25 (a bilingual paper's walk); not a cause told of a thing ("guns are the reason").
    # Not a statistic ("Young men are responsible for most violent crime, the report found.": a re-check).
    + r"|\b" + _GROUP + r"\s+(?:are|r)\s+(?:(?:just|all|really|literally)\s+)?(?:the\s+(?:reason|cause)(?:\s+(?:for|of|why))?"
    r"|to\s+blame\s+for|responsible\s+for(?=\s+all\b))\s+(?:(?:all|the|this|our|so\s+much)\s+)?"
    r"(?:(?!(?:most|much|many|a|\d+%?)\b)\w+\s+){0,2}?(?:crime|crimes|violence|rapes?|murders?|stabbings|shootings|drugs|gangs"
    r"|disease|terrorism|poverty)\b"
)
_ELECTION_ATTACK = re.compile(_ELECTION_NIGHT)
_ELECTION_CUE = re.compile(r"\b(?:too|rig|rigs|rigged|steal|steals|stole|fiddle|fiddles|fiddled|buy|buys|bought"
                           r"|shouldn'?t|should|must|mustn'?t|need|ought|send|ship|kick|deport|throw)\b")


# "not all muslims are terrorists", and "not all jews control the media" (a re-check), where "all" is
# not part of the trope's words.
_DENIED = re.compile(r"\bnot\s+(?:all\s+)?$")


def group_attack(normalised: str, written: str | None = None) -> str | None:
    """The words of the first attack on a group in the normalised text that is not denied ("not all
    muslims are terrorists"), or else of a plural slur or a code of hate (coded_hate.py), which reads
    the `written` text too where the normaliser folds a code away ("(((they)))"), or None."""
    for attack, cue in ((_ATTACK, None), (_ELECTION_ATTACK, _ELECTION_CUE), (_POLITE_ATTACK, _POLITE_CUE)):
        if cue is not None and not cue.search(normalised):
            continue
        for found in branches(attack).finditer(normalised):
            if not _DENIED.search(normalised[max(0, found.start() - 12) : found.start()]):
                return found.group(0)
    return coded_hate(normalised, written)
