"""A trust & safety lead's platform-style hate (2026-12-07, F2-F4, F11): plural slurs, dog whistles,
exclusion said politely and a reader told they are foreign were published with the starter rules on,
and the ordinary comments that share their words and numbers must stay published.
Pure functions of text: no database, no model.
"""
from __future__ import annotations

import pytest

from moderation.domain.rules import Compiled, Facts, validate_rules


def fired(text: str) -> list[str]:
    rules = Compiled(validate_rules([{"name": "group-hate", "kind": "group_attack"}]))
    return [h.reason for h in rules.evaluate(text, Facts(author_id="a"))]


# F4's probe, "so many X in this thread today", published for each of these at the defaults.
PROBED = ["spics", "beaners", "towelheads", "ragheads", "gooks", "pakis", "kikes", "troons",
          "pajeets", "sandniggers", "sand niggers", "trannies", "coons"]

SLURS = [
    # The tester's.
    "muzzies are a cancer on europe", "beaners jumping the fence again lol",
    "pajeets spamming the comments again, go poo in the loo 💩", "tr@nnies need therapy not hormones",
    "sand n!ggers at it again", "Towelheads at the airport again, random search my ass",
    # Said otherwise.
    "Gooks can't drive lol", "my whole feed is pakis now", "Why are spics always so loud on the bus",
    "troons out in force today I see", "Ragheads everywhere at the airport", "the rag-heads are at it again",
    "lmao look at all these towel heads", "Trannies are ruining women's sport", "Sand-niggers blowing stuff up again",
    "s p i c s everywhere in this town", "SPICS", "kikes run the banks, wake up", "the pakis next door are cooking again",
]

NOT_SLURS = [
    # The idioms and words the slurs' letters make.
    "Chinks in the armour are showing", "There were chinks of light in the second half.",
    "The defence showed a few chinks early on.", "Chinks are starting to appear in the coalition.",
    "Small chinks in the wall let the draught in.", "The Coonhound is a great breed",
    "The coons raided my bins again last night.", "We saw three coons in the garden at dusk.",
    "We went coon hunting with grandad.", "The spick and span cleaners did a great job.",
    "I paid Nigel Pakington for the fence.", "Both trannies needed a rebuild after 200,000 km.",
    "Auto trannies in the old Falcons were bulletproof.", "Faggots and peas is a proper Black Country dinner.",
    "Dad's nipped out for fags.", "The dykes held during the storm surge.", "The drug retards the growth of the tumour.",
    "My niggas came through for my birthday", "Queers for Palestine marched on Saturday.",
    "Operation Wetback was a 1954 deportation campaign.", "Royal Troon hosts the Open next year.",
    # A reader telling what they were called, or quoting a slur to have it removed.
    "My uncle was called a Paki at school in the 80s.", "Someone spray-painted \"ch*nk\" on my uncle's restaurant.",
    "People keep calling Indian devs \"pajeets\" on this sub. It's a slur and the mods should remove it.",
    "They called us chinks and spat at us on the bus.", "At school we got called pakis every single day.",
    "Words like kikes and spics have no place here.", "My dad got called a beaner at work for 20 years.",
    "People keep calling my Sikh friend a \"towelhead\". It's a slur.",
    "I have no respect for people who write things like \"too many trannies in this country\".",  # HateCheck's
    # The model holds the n-word's plural; the rule leaves it, said among friends too.
    "shout out to my niggers who came through tonight",
]

DOG_WHISTLES = [
    # The tester's: the two codes read (coded_hate.py says why the others are not).
    "Notice who owns the studio. (((they))) always do",
    "The (((globalists))) are behind every war, it's not a secret anymore", "I'm not saying it, but 🌍👃",
    "(((Media))) lying again", "((( Soros ))) paid for this protest", "Another war for (((our greatest ally)))",
    "🌎👃 as usual",
]

NOT_DOG_WHISTLES = [
    # Scores, sums, years, prices and polls.
    "I scored 13/50 on the quiz, embarrassing.", "Got 13/50 on the test, need to study more.",
    "He went 13/50 from three this season.", "Question 13/50: what is the capital of Peru?",
    "Only 13% of the population voted in the by-election.", "13% of the budget goes on defence.",
    "41% turnout is a disgrace for a general election.", "41% of voters backed the proposal.",
    "She became one of the 41% of women who run their own business.", "Polls put Labour on 41%.",
    "We're 41% done, time to finish the job.", "The treaty was signed in 1488.", "It cost $1,488 in total.",
    "Flight 1488 to Malaga is delayed.", "Between 1485 and 1488 the city grew.",
    "Bartolomeu Dias rounded the Cape in 1488.", "Page 1488 of the report has the figures.",
    "In 14 words or less, explain the policy.", "The headline was only 14 words long.",
    "He ran 88 yards on 14 carries.", "The film cost 6 million and made 60 million.",
    # Hugs, a king, a dragon, a bakery, the globe.
    "((( hugs )))", "(((sending love))) to you and your family", "(((Sarah))) so sorry for your loss",
    "((( big squeeze ))) from all of us", "King Zog of Albania fled in 1939.", "My kids love Zog, we read it every night.",
    "The ovens are still warm, come get your bread before it goes.", "Put the trays into the ovens at 6am.",
    "Pizza place closed at 10 but the ovens are still warm.", "Earth day 🌍💚", "Stop and smell the roses 👃🌹",
    # Counter-speech and reports, as the tester wrote them and otherwise.
    "The \"13/50\" stat gets thrown around by racists constantly, and it ignores poverty, policing and reporting bias.",
    "I'm Jewish and someone put triple parentheses around my name in the replies. That's an antisemitic tag.",
    "The Holocaust killed six million Jews. Denial of it should not be tolerated on this sub.",
    "My grandfather survived Auschwitz. Anyone here who says it didn't happen can come talk to me.",
    "People who claim the Holocaust never happened should visit the museum.",
    "Holocaust deniers say it was exaggerated; historians disagree.",
    "He's one of those people who believe that history is wrong and that the holocaust did not happen.",
    "\"Globalist\" is often used as an antisemitic code word; worth knowing.",
    "People keep quoting \"41%\" at trans users as a suicide joke. That's harassment, please report it.",
    "The dancing Israelis myth was debunked years ago.", "The Great Replacement theory is a racist conspiracy.",
    "The Christchurch shooter's manifesto was titled The Great Replacement.",
    "The great replacement isn't a theory, it's a racist lie.", "The great replacement is a myth pushed by extremists.",
    "The AfD's remigration plan was exposed by journalists.", "Remigration was named Germany's non-word of the year.",
    "Fight the great replacement conspiracy theory with facts.",
]

# A re-check's ordinary sentences that the codes first read here held (coded_hate.py).
NOT_CODES = [
    "Chinks in England's armour were plain to see against Italy.", "Chinks in Labour's armour are showing.",
    "The chinks between the bricks need repointing.", "Sunlight poured through the chinks.",
    "Installing wetbacks on wood burners is popular in Canterbury.", "I'm one of the 41% who voted leave.",
    "Join the 41% who already switched to solar!", "Arsenal had 41% possession and still couldn't finish the job.",
    "He told the court the Holocaust never happened.", "Irving wrote that the Holocaust was a hoax, the judge found.",
    "Graffiti reading ZOG controls the media was painted on the synagogue.",
    "The Great Replacement is not a conspiracy theory, it's a racist lie.", "13/50 lol", "Another 13/50.",
    "Typical 13/50. Geography was never my thing.", "Zog wants to fly", "Zog is coming to the Lowry",
    "We need remigration figures from the ONS.", "Remigration now accounts for a third of Polish arrivals, the study found.",
    "He finished the climb at 1488.", "Remember the 14 words limit on the headline.",
    "The ovens are ready for you all at six, bring your dough.", "The dancing Israelis at Eurovision were great.",
    "Proud of my heritage, (((Goldberg))) and proud", "(((them))) all my love",
    "Men genuinely can't think when they're hungry lol.", "Most men simply can't cook, my husband included.",
]

EXCLUSION = [
    # The tester's (F3), and the same sentence of the other groups they sent.
    "Trans people should be kept away from schools entirely, for the kids' sake.",
    "Muslims should be kept away from schools entirely, for the kids' sake.",
    "Jews should be kept away from schools entirely.", "Black people should be kept away from schools entirely.",
    "Women should be kept away from schools entirely.",
    "With all due respect, Muslims should not be permitted to hold public office in a Christian nation.",
    "I'm not being hateful, I just think Muslims are fundamentally incompatible with Western values and shouldn't be "
    "allowed to vote.",
    "I don't hate gay people, I just don't think they should be allowed near children.",
    "I'm not sexist but women genuinely can't handle engineering. Name one great female engineer.",
    "Asians can't drive, it's genetic at this point",
    # Said otherwise.
    "Keep gay people away from our kids.", "Jewish people should not be permitted to run for office.",
    "Black people simply can't be trusted with power.", "Women biologically can't lead, sorry.",
    "Gay men should stay away from children.", "Women can't lead, it's in their nature.", "Muslims should all be kept out of our schools.",
    "Trans people are a tiny minority and should never be allowed to vote.",
    "Lesbians are fine I guess, but they shouldn't be allowed near schools.",
]

NOT_EXCLUSION = [
    "Sex offenders should be kept away from schools.", "Dogs should be kept away from small children.",
    "Phones should be kept out of classrooms.", "Old people should be kept away from the kids during flu season.",
    "Sick children should stay away from school until they're well.", "Keep children away from the road.",
    "Keep the dogs away from the kids at the party.", "Women were not allowed to vote here until 1920.",
    "Disabled people simply can't get into the station since the lift broke.",
    "Women genuinely can't catch a break in this industry.",
    "Immigrants genuinely can't understand these forms, they're in legalese.",
    "Asians can't process alcohol as well, it's genetic.", "Deaf people simply can't hear the alarms, we need lights.",
    "Many women can't afford childcare.", "Trans people should be kept safe in schools.",
    "Gay people are told they shouldn't be allowed near children, which is a lie.",
    "Muslims should be permitted to pray at work.", "Black people are underrepresented and should be encouraged to vote.",
    "Women should be permitted to hold office in the church, the synod says.",
    "Autistic children should be kept in mainstream schools where possible.",
    "Women genuinely can't believe how good this match was.",
    "Immigrants can't vote in general elections, only local ones.",
]

HARASSMENT = [
    "go back to your reservation chief", "nice accent, did you learn English on the boat?",
    "Go back to your rez, nobody asked.", "u learnt english on a raft or what", "Did you learn to speak English on the boat?",
]

NOT_HARASSMENT = [
    "Go back to your reservation page to change the dates.", "Go back to your reservation and click modify.",
    "My grandad learned English on the boat over from Italy.", "Did you learn English on the boat trip to Dover?",
    "Where did you learn English? Your writing is great.", "I go back to the rez every summer to see family.",
    "Did you learn to sail on the boat your dad bought?", "We learned English on the job.",
    "Go back to your seat, the match is starting.", "Go back to your room and do your homework.",
    "Did you learn English at school or from films?", "You learned English on Duolingo? Impressive.",
    "The tribe's reservation got its own clinic this year.", "Book a reservation for the boat tour.",
    "Go back to your old job, you were happier.", "She learned Spanish on the ferry to Bilbao, she says.",
    "Did you learn that on the boat?", "You learned to swim on the boat holiday, right?",
    "Go back to your reservation email for the code.", "My nan learned English on the boat to Liverpool.",
]


@pytest.mark.parametrize("slur", PROBED)
def test_a_plural_slur_said_of_anyone_is_held(slur):
    assert fired(f"so many {slur} in this thread today")


@pytest.mark.parametrize("text", SLURS + DOG_WHISTLES + EXCLUSION + HARASSMENT)
def test_platform_hate_is_held(text):
    assert fired(text)[0].startswith("attack on a group: ")


@pytest.mark.parametrize("text", NOT_SLURS + NOT_DOG_WHISTLES + NOT_CODES + NOT_EXCLUSION + NOT_HARASSMENT)
def test_the_ordinary_comments_beside_it_are_not(text):
    assert not fired(text)


def test_the_card_quotes_the_echo_as_written():
    assert fired("Notice who owns the studio. (((they))) always do") == ['attack on a group: "(((they)))"']
