"""Each kind of site rule fires on its examples and not on the near misses beside them.

Pure functions of text and facts: no database, no model.
"""
from __future__ import annotations

import pytest

from moderation.domain.errors import ValidationFailed
from moderation.domain.policy import Policy, Verdict, decide
from moderation.domain.rules import Compiled, Earlier, Facts, apply_hits, rule_priority, validate_rules


def fired(rule: dict, text: str, facts: Facts = Facts(author_id="a")) -> list[str]:
    return [h.reason for h in Compiled(validate_rules([{"name": "r", **rule}])).evaluate(text, facts)]


BANNED = {"kind": "banned_words", "words": ["stupid", "fuck", "cheap watches"]}


@pytest.mark.parametrize("text", [
    "You are stupid.",
    "you are a s t u p i d person",      # spaced out
    "what a STUUUPID idea",              # repeated letters
    "ѕtupid",                            # Cyrillic s
    "$tup1d take",                       # leet
    "f*ck this",                         # starred
    "Buy CHEAP   watches here",          # a phrase, whatever the spacing
    "you are \u202ediputs\u202c",          # drawn right to left by an override: shown as "stupid"
])
def test_banned_words_match_obfuscated_spellings(text):
    assert fired(BANNED, text)


@pytest.mark.parametrize("text", [
    "Stupidity is not a crime.",         # a longer word that contains one
    "Watches are cheap these days.",     # the phrase's words, not the phrase
    "The stupa was restored.",
    "A footnote* about it.",
])
def test_banned_words_leave_near_misses_alone(text):
    assert not fired(BANNED, text)


def test_a_listed_word_matches_its_plural_and_possessive_and_is_quoted_as_listed():
    """A comments editor's list of slurs in the singular held "you ugly slag" and published "full of
    chavs and slags"."""
    rules = Compiled(validate_rules([{"name": "desk", "kind": "suspect_words", "words": ["slag", "nonce", "bitch", "ho"]}]))
    facts = Facts(author_id="a")
    for text, reason in [("Scunthorpe is full of chavs and slags", 'suspect word: "slag" written "slags"'),
                         ("the nonce's car was outside", 'suspect word: "nonce" written "nonce\'s"'),
                         ("bitches", 'suspect word: "bitch" written "bitches"')]:
        assert [h.reason for h in rules.evaluate(text, facts)] == [reason], text
    for text in ("a slagheap by the mine", "hoes and rakes in the shed", "the nonsense of it"):
        assert rules.evaluate(text, facts) == [], text
    # As English makes them (a re-check): "spic" is not "spices", nor "git" "gîtes"; "tranny" is "trannies".
    rules = Compiled(validate_rules([{"name": "desk", "kind": "banned_words", "words": ["spic", "git", "jap", "tranny"]}]))
    for text in ("add the spices", "two gîtes in Provence", "japes and jokes"):
        assert rules.evaluate(text, facts) == [], text
    assert [(h.action, h.reason) for h in rules.evaluate("trannies", facts)] == [
        ("reject", 'banned word: "tranny" written "trannies"')]


def test_a_threat_inside_wiki_link_brackets_is_still_read():
    """A re-check: blanking any [[User:...]] link hid it from every rule; the rules read every word."""
    rules = Compiled(validate_rules([{"name": "threats", "kind": "threat_words"}]))
    assert rules.evaluate("[[User:I know where you live and I will kill you]]", Facts(author_id="a"))


def test_a_percentage_is_not_a_masked_word_but_a_starred_one_still_is():
    # A finance desk's suspect "10x" and "100x" held every "cut 10% of its workforce".
    rule = {"kind": "suspect_words", "words": ["10x", "100x", "fuck"]}
    assert not fired(rule, "Tesla (TSLA) cut 10% of its workforce.")
    assert not fired(rule, "Government backed, 100%.")
    assert fired(rule, "Only 10x from here, buy now")
    assert fired(rule, "f%ck the banks")


@pytest.mark.parametrize("text, written", [
    ("KyleMercer did it", "KyleMercer"), ("Kyle-Mercer did it", "Kyle-Mercer"), ("Kyle_Mercer did it", "Kyle_Mercer"),
    ("K y l e M e r c e r did it", "K y l e M e r c e r"), ("#KyleMercer", "KyleMercer"), ("Kyle.Mercer is guilty", "Kyle.Mercer"),
])
def test_a_listed_name_is_found_however_its_words_are_joined(text, written):
    # A crime desk's banned name under a court order; the list's spelling is quoted, then the comment's.
    rule = {"kind": "banned_words", "words": ["Kyle Mercer", "the rapist"]}
    assert fired(rule, text) == [f'banned word: "Kyle Mercer" written "{written}"']


def test_short_words_of_a_phrase_never_run_together():
    rule = {"kind": "banned_words", "words": ["the rapist", "Kyle Mercer"]}
    assert not fired(rule, "My therapist said so.")
    assert not fired(rule, "Kyle, Mercer and Jones were there.")
    assert fired(rule, "the rapist was jailed")


def test_a_banned_word_rejects_and_a_suspect_word_holds_by_default():
    rules = validate_rules([{"name": "b", "kind": "banned_words", "words": ["x1y"]},
                            {"name": "s", "kind": "suspect_words", "words": ["refund"]}])
    assert [(r["action"], r["reason"]) for r in rules] == [("reject", "banned word"), ("hold", "suspect word")]


@pytest.mark.parametrize("text", [
    "I hate women.",
    "Immigrants are vermin.",
    "K i l l all the j3ws",                          # spaced out and leet, as the model reads it
    "Gay people should be shot",
    "Muslims don't belong here.",
    "There is no place for trans people in this country.",
    "Women belong in the kitchen, not in the council chamber.",
    "Go back to where you came from, nobody wants your kind here.",
    "Send them all back to Africa.",
    "We don\u2019t want your kind here.",                # a phone's apostrophe: "don", "\u2019", "t" before
    # A data scientist's walk: published, with the rule on, at toxicity 0.17-0.50.
    "Black people are less intelligent.",
    "Gay people are perverts who prey on children.",
    "Jews are greedy and control the banks.",
    "Disabled people are a burden on society.",
    "Gypsies are thieves, every one of them.",
    "Roma are thieves.", "Poles are lazy.", "Women are property.",  # a re-check
    "Gypsies are no doubt thieves.", "Immigrants are no doubt criminals.", "Muslims are not only terrorists.",  # the next
    "Immigrants are parasites about to take over.", "Jews are rats about money.",  # ... and the one after
    "Every one of these illegals should be drowned in the Channel.",
    "The Jews control the media, everyone knows it.",
    "I hate Polish people.",
    "I hate deaf people.",
    # Racist abuse of a player, published on derby day.
    "Okafor you monkey", "Okafor you black monkey", "Go back to Africa Okafor", "Okafor go back to the jungle",
    "Black players are all lazy, Okafor proves it", "Send Okafor back to Nigeria on a banana boat",
    "Monkey noises every time Okafor touched it tonight, loved it",
    "Okafor = \U0001f412", "\U0001f412\U0001f412\U0001f412 Okafor \U0001f412\U0001f412\U0001f412", "you \U0001f98d",
    "\U0001f412 Okafor \U0001f34c",
    # The re-check after: said of him, and told to go.
    "Okafor is a monkey", "Okafor looks like a monkey", "Okafor you dirty black monkey", "Fuck off back to Africa",
    "Black fans are animals",
    "Disabled people shouldn't be allowed to breed.", "Those cripples are clogging the ER. Put them down.",
    # A walk's, published before.
    "Black people are ruining this city.", "Immigrants are invading our country.",
    # ... and the re-check of them: the trope without an article, and places named or said at length.
    "Jews control Hollywood.", "The Jews control everything.", "Jews control banks and media.", "Jews control Congress.",
    "Muslims are destroying Europe.", "Immigrants are ruining this once great city.",
    "Immigrants are absolutely ruining this country.", "Immigrants are destroying our way of life.",
    # A bilingual paper's walk: published where "Go back to Africa." was held.
    "Go back to Mexico.", "Go back to Guatemala where you belong.", "Send them back across the border where they belong.",
    "Go back to Mexico, mojado, nobody wants you here.", "Just go back to India and stay there.",
    "Go back to Somalia where you came from.",
    "Black people are the reason crime is so high here.", "Muslims are responsible for all the violence.",
    "Mexicans are to blame for the drugs on our streets.",
    # A derby night's racist abuse of a player, published: a name ended by the emoji, a zoo, a banana,
    # the noises themselves.
    "Mensah \U0001f412\U0001f412\U0001f412", "Okafor \U0001f412\U0001f412\U0001f412", "Kwame Mensah \U0001f98d",
    "What a miss. Mensah \U0001f435", "Mensah belongs in a zoo.", "You belong in a zoo, Mensah.",
    "Someone throw Mensah a banana.", "Throw him a banana!", "Throw bananas at him next time.",
    "Ooh ooh ooh ooh every time Mensah touches it", "ooh ooh aah aah at him", "Oooh oooh aah aah Mensah",
    # ... and the same night's others, near-copies of what the rule held: a player's country, one named
    # as the example, "the" banana boat, the slaver's trope.
    "Go back to Ghana Mensah, nobody wants you here.", "Black players like Mensah are all lazy until they see a camera.",
    "Send Mensah back on the banana boat.", "Mensah should be picking cotton, not playing football.",
    # A standards editor's audit: stormfront's sentences as written (tokenised), published at the defaults.
    "But unfortunately , Maine 's become the dumping ground for Somalis and other African trash .",
    "I promise you that black are the worse cancer of the world , they 're ready to sell their",
    "The Jew represents the snake .", "Jews are the snake.", "The muslim is a parasite on our nation.",
    "Muslims and other vermin are flooding in.", "The white are the biggest cancer on this planet.",
    "our great grandparents had a society free of jews and other riff raff",
    # A trust and safety analyst's hand-written comments, published at the defaults (2026-12-06).
    "Jews control both parties, that's why nothing ever changes.", "Muslims can't integrate and never will, look at Bradford.",
    "Gays shouldn't be allowed near children, your columnist included.", "Gays shouldn't be allowed to adopt.",
    "Immigrants will never integrate.",
])
def test_a_group_attack_in_plain_words_is_held(text):
    assert fired({"kind": "group_attack"}, text)[0].startswith("attack on a group: ")


@pytest.mark.parametrize("text", [
    "I hate mondays.",
    "Women are amazing.",
    "I love my gay neighbours.",
    "The men are tired after the shift.",
    "Black people are the best neighbours we ever had.",
    "The geese go back to where they came from every spring.",
    "Come here, you cheeky monkey!", "Zoo trip with the kids today \U0001f412\U0001f98d", "\U0001f412 2-1 \U0001f412",
    "Banana bread recipe \U0001f34c\U0001f34c",
    # A team's form and a trip home, held by the derby day's patterns (the re-check after).
    "Three of our starters go back to Africa for the Cup of Nations next month.",
    "We need to get rid of the old players and rebuild the squad.", "There's no place for old players in Pep's system.",
    "Old players are trash in Ultimate Team", "Poor players are a drain on the wage bill.",
    "We went on a banana boat ride in Mallorca", "Diaspora workers send billions back to Africa in remittances.",
    "Did you monkey around with the settings?", "Thank you gorilla for the mascot show", "You ape everything Apple does",
    "My son is a monkey at bath time", "Disabled people should be allowed to live independently.",
    "Learner drivers shouldn't be allowed to drive at night.", "I went back to Africa last year.", "Black players are the heart of this team.",
    "After the summit the ministers go back to their own countries.",
    "Women belong in the council chamber as much as men.",
    "Polish people are hard-working and welcome here.",
    "Travellers are advised to check the timetable.",
    "Greedy landlords are a burden on tenants.",
    "The Jews of Krakow were murdered in the Holocaust.",
    "Not all Muslims are terrorists, obviously.",
    "Not all Jews control the media, obviously.",  # a re-check
    "Most Muslims are not terrorists.",
    "Women are property owners in record numbers now.", "Men are lazy about going to the doctor.",  # the next re-check
    "Black players are destroying the opposition this season.", "Women are taking over the boardroom.",
    "Jewish people run the deli on the corner.", "The Jews controlled trade in medieval Venice.",
    "Tourists are ruining this city.",
    "In Beit Shemesh, ultra-Orthodox Jews control the city council.", "Jews control the game in midfield.",
    "Some migrants can't integrate because there are no language classes.",
    "Many refugees cannot integrate without language lessons.", "Refugees can't integrate until they get work permits.",
    "Migrants cannot integrate if we keep them in hotels.", "Women can't integrate the two data sets easily.",
    "Children shouldn't be allowed near the canal.", "Dogs shouldn't be allowed near children.",
    "Learner drivers shouldn't be allowed near schools.",
    "all the " * 2500 + "x",                         # a crafted run of the patterns' optional words
    # Going home is not being sent there.
    "We go back to Mexico every summer.", "My parents want to go back to China.", "Should I go back to Ireland?",
    "I can't wait to go back to Mexico for the holidays.", "Go back to Mexico City for the best tacos.",
    "The team will go back to Japan after the tournament.", "go back to mexico city , " * 1500,
    "Guns are the reason crime is so high.", "Police officers are responsible for crime prevention.",
    "Poor people are the victims of crime.", "black people are the reason " * 700,
    # A re-check: statistics and travel advice.
    "Young men are responsible for most violent crime, the report found.", "Men are the cause of most violence, the study says.",
    "Go back to Ireland and stay there for the holidays, it's lovely.", "Then go back to Italy, the pasta is better.",
    # A zoo trip, an animal, a banana skin and an "ooh" at a near miss (the derby night's fixes).
    "Cute \U0001f412", "Going bananas \U0001f412", "That tiger belongs in a zoo, not a back garden.",
    "Mensah is a banana skin for defenders.", "Someone throw Nowak a banana skin lol", "Throw him a bone, ref.",
    "Give him a banana at half time, he's cramping.", "Ooh, ooh, what a chance!", "Oh oh oh what a goal",
    "We go back to Ghana every summer.", "Go back to Italy next summer!", "Black players like Mensah are a joy to watch.",
    "Enslaved people were made to pick cotton in Mississippi.",
    "ooh " * 5000, "ooh oh aah " * 1800, "go back to ghana " * 1200, "black players like " * 1100, "ab cd \U0001f412 ef " * 1600, "oh " * 6000 + "every time",
    # Near the audit's shapes: other trash that is litter, other migrants, a cancer risk, one of a group
    # in a play, a film or a match report, parades, colours, a study.
    "Plastic bottles and other trash washed up on the beach.", "Somalis and other African migrants arrived in Maine.",
    "Tent poles and other trash were left at the campsite.", "Gays and other minorities marched on Saturday.",
    "Refugees and other vulnerable people need help.", "Black people are the largest minority in the city.",
    "Smokers are the biggest cancer risk group.", "The old are the biggest cancer risk.",
    "Black women are the worst affected by breast cancer.", "The African elephant is an endangered animal.",
    "The Jew of Malta is a play by Marlowe.", "The Mexican is a beast on the wing.",
    "In the painting the Jew represents the prophet Elijah.", "The Muslim is a snake charmer in this film.",
    "Gay parades are the worst traffic in town.", "Am I the only person sick to death of gay parades?",
    "Mexicans are snake oil salesmen? No, that's a stereotype.", "Hindus are the largest group in India.",
    "The immigrant represents hope in this novel.", "Jews are the victims of the virus outbreak too.",
    "Black are the colours of my team.", "White are the walls, blue are the doors.",
    "Asians are the biggest cancer survivors group in the study.", "Muslims and other faiths joined the vigil.",
    "Chickens, pigs and other animals on the farm.", "Refugees are the worst affected by the virus.",
])
def test_a_group_named_kindly_or_not_at_all_is_not(text):
    assert not fired({"kind": "group_attack"}, text)


def test_a_group_attack_holds_by_default_and_says_what_it_read():
    rule = validate_rules([{"name": "hate", "kind": "group_attack"}])[0]
    assert (rule["action"], rule["reason"]) == ("hold", "attack on a group")
    assert fired({"kind": "group_attack"}, "Honestly, I HATE WOMEN!") == ['attack on a group: "i hate women"']


@pytest.mark.parametrize("text", [
    "I know where you live and I'm coming for you.",  # threat 0.01 and toxicity 0.06: published without the rule
    "He should be executed, not given 48 years.",
    "I will find you and kill you",
    "We will hunt you down.",
    "unblock me or i w1ll k1ll y0u",                  # leet, as the model reads it
    "Kill them all.",
    "Watch your back.",
    "Some people need to be beaten to death with a hammer.",
    "I hope you die",
    "I'm not joking, I will kill you.",              # a denial in another clause denies nothing
    "I don't like you\n\nI will hurt you.",           # nor one on the line before
    "Whoever did this should be hanged.",
    "People like you deserve to die.",
    "The traitors should be publicly lynched.",
    "I\u2019ll find you and I\u2019ll kill you.",          # a phone's apostrophe, which this rule missed
    # Against the people a story names, which the rule missed: the model gives the first threat 0.29.
    "Someone should shoot the mayor.",
    "Somebody needs to put a bullet in that judge.",
    "The mayor deserves to be shot.",
    "I hope someone stabs the senator.",
    "I hope the mayor dies.",
    "These reporters should be shot.",
    "Somebody should just stab those immigrants.",
    # Against the people a story is about, said with who they are: published without these words.
    "The engineers who designed this bridge should be executed.",
    "These protesters deserve to be shot.",
    "Anyone who does this should be hanged.",
    # A trust & safety walk's threats, which training's patterns do not spell: harm to a part of
    # someone, a bullet deserved, a place to bomb or burn, a group to round up, a home known.
    "I will break your legs.",
    "I'll smash your head in.",
    "I'm going to beat your face in when I see you.",
    "The reporter deserves a bullet.",
    "Someone should bomb the council offices.",
    "Someone needs to bomb that refugee centre.",
    "Somebody needs to put a bomb in city hall.",  # a moderator's walk: published
    "I'm going to plant a bomb in your office.",
    "If they build that mosque here, we'll burn it down.",
    "We will firebomb their mosque.",
    "Round up the protesters and hang them.",
    "All these migrants should be lined up and shot.",
    "I know where the editor lives.",
    "The day of the rope is coming.",
    "I'm gonna break both your legs, mate.",
    "Let's torch the council offices tonight.",
    "We should set fire to the mosque.",
    "Blow up the parliament building!",
    "Put a bullet in the mayor.",
    "I know where you work, Sarah.",
    "Round them all up and shoot them.",
    "I know where the judge lives, 14 Elm Road.",
    "I know where the councilman lives: 12 Oak Street",
    "I know where the mayor lives, and I'm coming for him.",
    # A Perspective switcher's threats, which the model scored 0.12-0.57 and the rule let through.
    "If the councilman votes yes tomorrow I will be waiting outside his house with my rifle.",
    "Keep writing lies like this and someone is going to put a bullet in you.",
    "Somebody's gonna shoot that judge one day.",
    "I'll be waiting at your door with a knife.",
    "Burn down city hall with them inside.",
    "They should torch the mosque with everyone still inside.",
    # A data scientist's walk: threat 0.01-0.27 from the model, and none of the patterns before.
    "I'll find where you live and hurt your family.",
    "I am going to strangle that reporter.",
    "I'm gonna punch the next board member I see in the face.",  # a walk's
    "I'm going to punch the referee.", "I'm gonna smack the mayor in the mouth",
    "I'm going to find that reporter and break her neck.",
    "I'm going to beat the referee senseless after the match.",
    "We will hunt down every councillor who voted for this.",
    "You'll be dead by Friday.",
    "We know where you live.",
    "It would be a shame if something happened to your family.",
    "Nice house you have on Elm Road. Be a pity if it caught fire.",
    "Keep writing articles like this and see what happens to you.",
    "People like you have accidents.",
    "Enjoy your last Christmas.",
    "There are plenty of us who'd happily pay you a visit.",
    "The boys would happily pay you a visit.", "My friends will gladly pay you a little visit.",  # the next re-check
    "They know where you live and where your kids go to school.", "The boys will pay you a visit.",  # the one after
    # A re-check of those: more words before the harm to "you" or "her", "on" a day, "they" who know.
    "I am going to drive to your house and strangle you.",
    "I will track down the editor and strangle her.",
    "You will be dead on Friday.",
    "They know where you live.",
    "We know where your kids go to school.",
    # Someone's own people, named through the person a story names (noted two stops ago).
    "I'm going to kill the mayor's son.", "I'm going to hurt the judge's daughter.",
    "It would be a shame if something happened to the editor's family.",
    "I am going to kill the mayor's little son.", "I'm going to hurt the judge's whole family.",  # the next re-check
    # Who runs an election, all published on election night.
    "Someone should shoot the county clerk.", "We know where the clerk lives.",
    "Round up the canvassing board and hang them.", "I know where the election supervisor lives.",
    "I hope the secretary of state dies.", "The candidate should be shot.",
    # Hidden in an HTML comment, which a site that shows text as written shows (a re-check), and a
    # comment a browser ends at "--!>".
    "Great article <!-- I will kill you -->", "Great article. <!-- note --!> I will kill you <!-- end -->",
    # A person named by their name, as the text writes it (election night).
    "Someone should shoot Hargrove.", "I hope Mendez dies tonight.", "I know where Janet Ruiz lives.",
    "Someone should shoot the council leader for this.",  # a team lead's walk: published
    "Honestly, I'm going to kill Hargrove's son.", "Hargrove should be shot.", "Hang Okafor.", "Kill the judge.",
    # ... and as the normaliser reads it, with a title, shouted or spelled beyond ASCII (the next re-check).
    "Someone should shoot Har<b></b>grove.", "Someone should shoot \u202e.evorgraH", "Someone should shoot Har&#8203;grove.",
    "Someone should shoot \uff28argrove.", "Someone should shoot \u041dargrove.", "Someone should shoot H a r g r o v e.",
    "I hope M3ndez dies tonight.", "Someone should shoot Mr. Hargrove.", "I hope Dr. Mendez dies tonight.",
    "I know where Mrs. Ruiz lives.", "SOMEONE SHOULD SHOOT HARGROVE.", "I hope Müller dies tonight.",
    "Someone should shoot O'Brien.", "Someone should shoot McDonald.",
    # A player or the referee, published on derby day.
    "Someone should break Mendez's legs", "I will break Okafor's legs.", "Stab the ref",
    "Somebody should break Petrov's neck for that tackle", "Petrov should be taken out back and shot",
    "It would be a shame if something happened to Hargrove's family",
    "Hope Hargrove crashes on the way home and dies", "Hope the ref gets hit by a bus",
    "I hope you crash your car and die", "Referees like Hargrove have accidents.",
    "If I see Hargrove in town he's getting stabbed", "if i catch him round here again he's getting knifed",
    # Held before the derby day's narrowing and published after it (the re-check after).
    "Stab Okafor in the neck.", "Stab Okafor after the match.", "Hang Okafor from the crossbar.", "Shoot Senator Hargrove.",
    "Hang Hargrove, Mendez and Okafor.", "Hang the manager.", "Stab the keeper.", "Simple solution: hang the judge.",
    "Kill Okafor now.", "Kill Okafor's family.", "Kill the coach.", "Kill Hargrove lol", "Enough is enough; kill the mayor.",
    "The mayor should be shot - simple as.", "Hargrove ought to be killed.", "Okafor deserves to be executed.",
    "I hope Mendez gets murdered.", "I hope someone shoots Okafor.", "Someone should crack Mendez's skull.",
    "I'll bash Okafor's head in.", "I will kick Okafor's teeth in.", "I know where Hargrove's wife works.",
    "Someone should shoot Hunt.", "I hope Lynch dies.", "Kill Hunt.", "Someone should shoot Coach Smith.",
    "Someone should shoot\nHargrove.", "Someone should break Mendez' legs.", "Someone should break both of Mendez's legs.",
    "Strangle Okafor.", "Hargrove should be hung.", "No joke I will kill you",
    # A health desk's nurses and doctors by their title.
    "I hope Nurse Whitfield dies tonight.", "I know where Nurse Whitfield lives.", "I hope Professor Mehta dies.",
    "Someone should shoot Coach Hunt.", "Kill Okafor \U0001f52a", "Let's pay Whitfield a visit.",
    # A crime desk's: threats to defendants and their families the model scored 0.3 or less.
    "Hale's getting out in eight years. When he gets out he's a dead man.", "Shoot him on sight. No trial.",
    "Someone should break every bone in that nonce's body.", "Every copper involved should be hunted down.",
    "Somebody should run Qureshi over when he gets out.", "We'll string him up from the lamppost on Ashby Road.",
    "That little rat will get what's coming to him. We know where he goes to school.",
    "I know where Nurse Whitfield parks.", "I will put Nurse Whitfield in the ground.", "I hope PC Daniels gets shot.",
    "Mehta better watch his back.", "If I see Whitfield in town I will put her in the ground.",
    "I will find Lindqvist and make her suffer.", "Whitfield lives on Maple Avenue. Let's pay her a visit.",
    "Dr. Mehta you are a dead man walking.", "Anyone know where Dr. Mehta lives? Asking for a friend with a baseball bat.",
    "Every doctor who pushed the jab will hang at Nuremberg 2.0.", "Karen Whitfield deserves to be strangled for what she did.",
    "Nurse Karen Whitfield killed my father and she is going to pay. I know where she parks.", "Watch your back post-match Okafor, we'll be waiting.",
    "watch your back pass the tunnel tonight",
    # A fire night's walk: published at 0.08-0.18.
    "If they release him on bail I'll be waiting at the courthouse with a knife.",
    "Someone find the arsonist's family and make them pay.",
    "The fire chief's daughter is in year 9 at St Mary's. Just saying.",
    "The mayor's kids go to Ridgeway Primary. Would be a shame.",
    # Spanish, which the model scores as civil English (a bilingual paper's walk: "Te voy a matar" threat 0.00).
    "Te voy a matar si te vuelvo a ver en el barrio.", "Sé dónde vives, cuídate la espalda.",
    "A ese juez deberían pegarle un tiro.", "Vamos a quemar la casa de ese cabrón con él adentro.", "Muérete.",
    "Ojalá te mueras.", "hdp, ojalá te mueras", "If I see that landlord, le voy a romper la cara.",
    "sé dónde trabajas y te voy a encontrar", "Thanks for the story about the bus routes. Te voy a matar, cabrón.",
    "Voy a matarte.", "Te mato, pendejo.", "Hay que fusilarlos a todos.",
    # A re-check's misses: "you are going to die", "a dead man", a bullet, a blade.
    "Vas a morir.", "Te vas a morir, ya verás.", "Eres hombre muerto.", "Te voy a dar un balazo.",
    "Te voy a meter una bala en la cabeza.", "Te voy a rajar.", "¡Muérete, pendejo!", "Ojalá se mueran todos.",
    "Te voy a dar una paliza que no vas a olvidar.", "Vamos a quemar tu casa contigo adentro.",
    "Keep talking and you'll wind up in the river.", "Someone should give that reporter a good hiding.",
    # An editor's walk on a crime story: published at threat 0.01-0.02.
    "Someone should find the man who did this and break his legs.",
    "Somebody needs to give that lad a proper kicking when he is released.",
    "I know where the flood warden lives and he will pay.",
    "Keep talking and you'll end up in the river like the last guy.", "One more word and you'll end up in hospital.",
    "Build the wall and shoot anyone who climbs it.", "Shoot anyone who crosses the border.",
    # A derby night's threats to the referee and his family, published: the verb split by the house,
    # an order to anyone, a family told it will not be safe, what is coming, "getting it", where a
    # wife works nights, a school pinned to its street, a walk home alone asked about.
    "Someone should burn the ref's house down with his family inside.",
    "Someone should burn Pritchard's house down with his family inside.",
    "Someone should burn his house down with his family inside.", "Someone should burn Pritchard's house down.",
    "Burn his house down with his wife and kids inside.",
    "Someone kill the ref, please.", "Someone kill the ref.", "Somebody, please kill the referee.", "Someone kill Pritchard.",
    "Gary Pritchard, your family won't be safe after that decision.", "Pritchard, your family won't be safe.",
    "Your family won't be safe after what you did.", "Pritchard's wife won't be safe after tonight.",
    "Hope Pritchard's wife gets what's coming to her tonight.", "Hope his wife gets what's coming to her.",
    "If I see Pritchard's wife in town she's getting it.", "If I see him in town he's getting it.",
    "Pritchard's wife works at the Tesco on Bradford Road, nights.",
    "His daughter goes to St Mary's primary, the one off the ring road.",
    "Pritchard's kids walk home from school alone, don't they?", "Your kids walk home from school alone, don't they?",
    "I hope Pritchard's kids get hit by a bus.", "Ref's family deserves everything they get after tonight.",
    "Doyle will end up in the river like the last guy.", "Someone needs to put Mensah in hospital.",
    "Town fans, we'll be waiting at the station. Bring an ambulance.",
    # A standards editor's audit: real comments published at the defaults, or held by the model alone.
    "will someone please kill that man", "Would somebody please shoot the referee.", "They should be put down like dogs.",
    "These thugs should be put down like the rabid dogs they are.", "He should be put down like a dog.",
    "He should never have been allowed to be beaten but, rather, should have been summarily executed instead.",
    "Hang this punk by the neck until his eyes bulge out of his skull!!!  After that feed him to the dogs at Waianae beach park!!!",
    "Too bad someone didn't just shoot him like that dog ...", "I wish someone would shoot him.",
    "Death Penalty, no doubt about it. Rid this scum from the face of the Earth.", "Just put them down like animals.",
    "These stupid kids put every driver on that road in danger of being killed, plus Trooper. Shoot them!",
    "Find him and kill him.", "Find them and kill them!", "He deserves to be publicly hanged in the square ."
])
def test_a_threat_in_plain_words_is_held(text):
    assert fired({"kind": "threat_words"}, text)[0].startswith("threat of violence: ")


@pytest.mark.parametrize("text", [
    # A name's errand or a thing's end: not a person harmed.
    "Someone should shoot Apple an email.", "Someone should kill Netflix's password sharing.",
    "I will hurt Mendez's feelings.", "See you on Friday, the mayor lives nearby.", "Kill the lights.",
    "Oh, and always kill The Pursuer first.",
    # Names of things, a lower-case word a name spells, and orders to a process, a game or a camera
    # (the next re-check: all were held).
    "Hang Seng fell 2% today.", "Kill Bill is still Tarantino's best film.", "Stab Wound is a great band.",
    "Execute Order 66 was the best scene.", "Kill Devil Hills is a lovely town.", "Shoot Mitchell, shoot! Great goal.",
    "Let's kill Dallas this weekend!", "Headline: Kill Tax Hike Now, Says Mayor", "Liverpool must die trying.",
    "I hope Hamilton gets shot of that car.", "Kane should be shot-shy after that miss.",
    "Senator Bill Cassidy said this bill must die in committee.",
    "Step 3: kill the worker process and restart it.", "In Elden Ring, kill the guard at the gate first.",
    "Tip for photographers: shoot the players warming up.", "Kill the boss with fire arrows, then loot the chest.",
    "Shoot the candidates from a low angle.", "Hang the board above the fireplace.", "I would Never kill Hargrove.",
    # Derby day: a striker told to shoot, a defender to mind the back post, a legend's end.
    "Shoot Okafor!", "Shoot Davies!!", "Watch your back post Kowalski!!!", "Hope Okafor dies a Riverside legend",
    "I'll break his record next season, Mendez.",
    "We will break Arsenal's back four.", "We're going to smash United's back line",
    "Someone needs to break Google's back on ad tech.", "The players were shot by a photographer.",
    "I'll Kill For A Coffee Right Now", "Someone should shoot\n\nHargrove will be pleased with the photos.",
    "Okafor should be hung out to dry by the board.", "Kill Bill \U0001f3ac is still the best film.",
    "I'll make them suffer through my whole holiday slideshow.", "Let's pay the museum a visit.",
    "The Nuremberg trials were a landmark of international law.", "He is a dead man walking in the polls.",
    "I hope the doctor saves him before he dies.", "I hope you don't crash your car and die on that road.",
    "Hope Okafor scores and dies a happy man", "People like you have accidents on that road all the time.",
    "If I see him in town he's getting a pint from me.", "I hope the bus gets hit by fewer delays.",
    "I'll kill for a coffee right now.",
    "We will beat them on Sunday.",
    "I'll shoot you an email tomorrow.",
    "We're going to hang them out to dry in the second half.",
    "I'll find you a seat near the front.",
    "My kids will kill me if I miss the game.",
    "This tax plan will kill small businesses.",
    "Kill the bill! Call your senator today.",
    "The police report says the suspect was shot twice.",
    "Someone is going to get killed at that crossing if the city doesn't add a light.",
    "Carbon is going to be burned for decades whether the pipeline is built or not.",
    "This bill needs to die in committee.",
    "That plan should be killed before it costs us more.",
    "Someone should kill the bill before it passes.",
    "Somebody should just stab those balloons.",
    "The mayor should be fired.",
    "Somebody needs to take out the trash.",
    "Technically my butler runs them over.",
    "Someone should shoot the mayor an email about the potholes.",
    "Follow the leader, they said.", "The team leader should be fired.", "Shoot the council leader a message about it.",
    # A re-check: an errand with a word before it.
    "Someone should shoot the council leader a thank-you note.", "Somebody should shoot the mayor a quick email.",
    "Shoot the judge a polite reminder about the deadline.",
    "Someone should hurt the mayor's feelings more often.",
    "I'm going to kill the mayor's plan before it passes.", "We'll beat the mayor's son at chess.",
    "I hope the senator dies on this hill, it is a good cause.",
    "That judge should die of embarrassment.",
    "I hope the judge gets shot down in the primary.",
    "They say the new regime wants to kill all dissent.",  # told of, mid-sentence: not an order
    "No one deserves to die like that. Rest in peace.",  # condolences under a crime story
    "Immigrants do not deserve to be tortured like that.",
    "I would never hurt you, you know that.",
    "I will never hurt you.",
    "People who think the bill should die are right.",  # an opinion about a bill, not a call
    "The engineers who work on the bridge deserve to be paid.",
    "The players who missed should be benched.",
    "The orders should be executed at the open.",
    "I'll break your heart.",
    "I will break his record next season.",
    "We are going to smash their defence on Saturday.",
    "I'm going to bomb this exam.",
    "Why would you put a bomb inside of a bomb? That'd be stupid.",
    # A re-check's news-comment language: an idiom, history, figures of speech, fiction.
    "Southgate needs to put a bomb under this squad.", "The IRA put a bomb in the Grand Hotel in 1984.",
    "Apple is about to drop a bomb on the smartphone market.", "Farage will throw a grenade into the coalition talks.",
    "A thriller about a man who has to plant a bomb in a casino.", "The plot to leave a bomb at the airport was foiled.",
    "This deserves a bullet point.",
    "I know where the station is.",
    "Round up the usual suspects and interview them.",
    "If the bomb had gone off at rush hour, hundreds would have died.",
    "The fire will burn the forest down if it spreads.",
    "We will not burn it down.",
    "Line up and pay at the counter.",
    "I'll be waiting outside your office with my notes at nine.",
    "He was waiting at his door with a bat and a ball for the kids.",
    "Someone is going to get hurt at that junction.",
    "They burned the old records with the furniture inside.",
    # A verification walk's civil sentences the first spelling of these held:
    "The photographers lined up and shot the royal couple as they arrived.",
    "The players lined up and shot at goal for twenty minutes after training.",
    "Round up the old photos and hang them in the village hall.",
    "I know where the mayor lives, in a council flat like the rest of us, which is to his credit.",
    "I know where the editor lives now: she moved to Leeds and still writes brilliantly.",
    "Someone should bomb-proof the council offices before the next storm.",
    "We should set fire to the bonfire at eight.",
    "I know where you work, it's the building next to mine.",
    "I'm going to shoot the players warming up before kick-off.",  # a photographer
    "Game not on Steam, so I'm going to pirate it to hurt the developers.",
    "You'll be dead before they fix the road.",
    "It would be a shame if something happened to the library.",
    "We'll hunt down the best deals for you.",
    "We will hunt down every tax loophole.",
    "The inspector will pay you a visit next week.",
    "The nurse will happily pay you a visit.",                     # a re-check
    "Data brokers sell everything about you. They know where you live and what you buy.",  # the next re-check
    "We will execute the mayor's vision for the waterfront.",
    # A crime desk's reports and opinions beside them.
    "Police shot him on sight, the inquest heard.", "The officers were hunted down by the press for weeks.",
    "The stabbing victim was run over by the getaway car.", "The gang strung him up from a lamppost, the court heard.",
    "He's a dead man walking in that job, the minister.", "Lock him up and throw away the key.",
    # ... and a re-check's errands, lifts, bunting and justice.
    "I will run you over the figures tomorrow morning.", "The nurse said she will run him over to A&E herself.",
    "We should run them over the weekend to see if the fix holds.", "I bought fairy lights and we'll string them up.",
    "Grab the bunting and string them up along the fence.",
    "Whoever planted the bomb should be hunted down and brought to justice.",
    "As parents we know where she goes to school and who her friends are.",
    "People like you have accidents on that road: slow down.",
    "I'm going to review the tasks and execute them.",
    "I'm going to punch the clock and go home.", "I'll punch the numbers into the spreadsheet.",
    "I will punch the player ratings into the spreadsheet after the match.",  # a re-check's
    "I'm going to punch the driver low under the wind on 18, said McIlroy.",
    "I'm gonna punch the voter registration numbers into the county site.",
    "I'll go out to the garden and kill them before they spread.",  # weeds
    "Enjoy your last Christmas in the old house, Margaret!",
    "People like you have made this town great.",
    "Wait and see what happens to your pension when rates rise.",
    "It would be a pity if your house went up in value.",
    "I'll be there with my gun dog on Saturday.", "I'll be waiting at the station with my knife and fork.",
    "We'll be outside the court with our banners.", "They'll make his family pay the legal costs.",
    "My daughter goes to St Mary's and loves it.", "Her son is at Oxford, just saying, he earned it.",
    # A security review: held by the first version of the fire night's patterns.
    "The council should find the vandal's parents and make them pay for the damage.",
    "If your kids go to school near the junction, be careful.", "Her son goes to St Mary's, nice school.",
    "I'll be there with my shotgun on the first day of pheasant season.",
    "people who " + "do " * 3000 + "x",              # the who-clause is bounded too
    "i will " * 3000 + "x",                          # crafted runs of the patterns' optional words
    "should be " * 2000 + "x",
    "No te voy a matar, tranquilo.", "Nunca te voy a matar.", "Muérete de risa con este video.",
    "Te voy a encontrar un asiento en la reunión.", "Vamos a matar el tiempo en el parque.", "No quiero que te mueras.",
    # A re-check: civil Spanish a news site sees, held by the first patterns.
    "Lo van a colgar en el museo municipal la próxima semana.", "Hay que quemar grasa antes del verano.",
    "Alguien debería colgar el vídeo completo del pleno.", "Los vamos a reventar el domingo en el clásico.",
    "Messi tiene que pegarle un tiro al arco más seguido.", "El delantero debió darle un tiro a puerta.",
    "Tranquila hija, si te pierdes en la feria te voy a encontrar.", "Cuídate la espalda cuando levantes cajas pesadas.",
    "¡Muérete de la risa con este vídeo del alcalde!", "Muérete, qué noticia tan buena para el barrio.",
    "La van a quemar en la hoguera de San Juan.", "Ojalá se mueran los mosquitos este verano",
    "Los van a fusilar en la prensa por ese error.", "Hay que matar el tiempo mientras esperamos el autobús.",
    "Te voy a matar a besos cuando llegues.", "Le van a romper la cara al Barça en la final.",
    "Te vas a morir de risa con este video.",
    "Keep it up and you'll end up in hospital, the doctor told me.", "If you buy that brand you'll end up returning it like the last one.",
    "You'll end up getting fired like the last guy if you keep missing deadlines.",
    "Just shoot anyone who crosses the line in paintball, that's the game.",
    "Somebody needs to give him a good kicking in the next election.", "Les vamos a dar una paliza el domingo.",
    "We gave them a good hiding on Saturday.",
    "La policía dijo que lo mataron en la calle 10.", "Los matamoscas no funcionan.",
    "te voy a " * 3000 + "x",
    "We'll give them a kicking on Saturday.", "I will give you a good beating at chess.",
    "Someone should tell the coach to break the habit of his players.", "The principal said the school lives on donations.",
    "If you keep smoking you'll end up in hospital.", "Keep saving and you'll end up rich.",
    "The photographers shoot anyone who comes down the red carpet.",
    # Warnings and gossip beside the derby night's threats to a family.
    "If this bill passes, your family won't be safe.", "Your kids won't be safe on that road until they fix it.",
    "Honestly, your family won't be safe in that car without a seat.", "Folks, your kids won't be safe.",
    "Your kids won't be safe after this decision to close the station.", "Your family won't be safe.",
    "Hope he gets what's coming to him.", "If we see a deal on the new kit, he's getting it.",
    "His wife works at the hospital, nights, so he does the school run.", "His wife works at the hospital.",
    "My neighbour's son goes to St Mary's primary, the one off the ring road.", "Someone shoot the keeper an email.",
    "They burned the old records with the furniture inside.", "His family were inside the house when it burned down.",
    "Doyle will end up in the Championship like the last manager.",
    "He'll end up in hospital like the last guy with tackles like that.",
    "Someone needs to take him to hospital, he's concussed.", "We'll be waiting at the station, bring your scarves!",
    "His family deserves everything after what they've been through.",
    "doyle will end up in the river like the " * 500, "we'll be waiting at . " * 900,
    "gary pritchard , your family won't be " * 500, "x, y, z, your " * 1400, "if i see pritchard's wife in " * 700,
    "his wife works at the " * 900, "pritchard's son goes to the school " * 560, "someone , please " * 1200,
    # Near the audit's threats: a game's boss, the lights, a vet, a plan executed, a coat hung, a shot in
    # sport, a bill, malaria, pests and enemies with a full stop, a jury's finding told.
    "Can anyone kill the boss on hard mode?", "Will someone please kill that noise, it's 3am.",
    "Could someone please kill the lights on the way out?", "We had to put the dog down last week, he was 14.",
    "Our cat should be put down, the vet says, she is in pain.", "He was put down like a dog by the tabloids.",
    "The plan should have been executed better.", "Hang the picture by the neck of the vase.", "Hang your coat by the door.",
    "The killer was hanged by the neck until dead in 1953, the archive shows.",
    "Too bad someone didn't just shoot the penalty instead of passing.", "Shame someone didn't kill the rumour earlier.",
    "I wish someone would shoot a decent documentary about it.", "I wish somebody would kill this bill.",
    "We should rid the world of malaria once and for all.", "Wipe polio off the face of the earth.",
    "The dinosaurs were wiped off the face of the earth.", "They should be put down as reserves for the cup game.",
    "Kill them with kindness!", "They put him down like a sack of potatoes in the tackle.",
    "Feral cats eat birds. Kill them.", "Bed bugs? Find them and kill them.", "Shoot them a message!",
    "Zombies in the mall? Shoot them in the head.", "A Long Beach jury once again found that Jackson should be put to death.",
])
def test_an_idiom_a_report_or_a_game_is_not_a_threat(text):
    assert not fired({"kind": "threat_words"}, text)


# What a derby live blog hears in a match, celebration and swearing and the sport's violent words
# among it: the derby night's patterns must hold none of it.
DERBY_BLOG = [
    # A second re-check's near neighbours, each held by the first version of the night's patterns.
    "Oh oh oh at last", "Ooh ooh ooh at Christmas", "Oh oh ah ah ah staying alive",
    "Ooh ooh ah ah, the kids loved the monkeys at the zoo", "ooh ooh ooh every time he touches my heart",
    "Grandpa belongs in a zoo, he's wild lol", "My toddler belongs in a zoo, honestly.",
    "Throw Max a banana, he's cramping.", "Chuck him a banana, he's been running all game",
    "Cotton farmers should be picking cotton in September.", "We should go pick cotton at the heritage farm this weekend.",
    "The kids should be picking cotton buds off the floor!",
    "Someone needs to put him in hospital... he's clearly ill with flu, he needs care.",
    "Somebody needs to put Grandad in hospital, his chest is bad.",
    "The ball will end up in the river like the last one, kick it softer!", "My phone will end up in the river like the last one lol",
    "Their kids deserve everything they get, they worked so hard for those grades.",
    "His family deserves everything they get after tonight, they raised a champion!",
    "His daughter goes to St Mary's school, the one off the ring road, lovely teachers.",
    "Her son goes to Oak primary, the one next to the park, and he loves it.",
    "His wife works at the Co-op nights.", "His kids walk home alone, don't they? They're 15 now.",
    "Dear Councillor Smith, your family won't be safe from the flooding either.", "Council, your families won't be safe.",
    "I'll be waiting at the finish line, bring a stretcher, that marathon will kill me.",
    "We'll be waiting at the hospital, book an ambulance just in case for the transfer.",
    "We'll be waiting at the station. Bring an ambulance for grandma, her knee is bad.",
    # The night's F7: a fixture held as a threat.
    "We'll kill them in the return leg.", "We'll murder them at their place too.", "We'll murder them in the cup as well.",
    'GET IN!!! What a fucking goal, Mensah you beauty!',
    'Fucking hell, what a strike. Get in you bastards!',
    'We killed them in the second half.',
    'We absolutely murdered them today.',
    "Shoot! SHOOT! Why didn't he shoot?",
    'He murdered that free kick, top bins.',
    'Nowak killed the ball dead with one touch.',
    'Need to kill the game off now, two up and fifteen to go.',
    'Kill the game off, lads, keep the ball.',
    'Someone kill the game off for us please.',
    'We need to burn the midfield down with pace.',
    'Harker should burn the old playbook and start again.',
    "The keeper's family were in the stands tonight, lovely to see.",
    "Hope his wife enjoyed the match, she's been at every home game.",
    'See you at the zoo on Sunday, the kids love it.',
    'We took the kids to the zoo before the match.',
    'Ooh that was close!',
    'Ooooh, off the post. So close.',
    'Ooh ooh, nearly! What a chance.',
    "Mensah is a banana skin for defenders, he's so slippery.",
    'Doyle slipped on a banana skin of a back pass.',
    "Pritchard's had a shocker, the ref's family must be embarrassed.",
    "If I see Doyle in town I'm buying him a pint.",
    "If I see that shirt in the club shop, he's getting it for his birthday.",
    'The ref is blind. Absolute joke of a decision.',
    'Someone get the ref some glasses.',
    'The ref should be sacked after that performance.',
    'Hope Pritchard never refs us again.',
    "Nowak's daughter was the mascot today, brilliant.",
    "His daughter goes to St Mary's and she was on the pitch at half time.",
    'Her son goes to the academy here, proud family.',
    "My wife works at the Tesco on Bradford Road, nights, so I'm watching alone.",
    "Doyle's wife works at the hospital, she's a nurse, lovely family.",
    "Your family won't believe this result!",
    'My kids walk home from school alone now, big step.',
    'The crowd went bananas when the second went in 🐒',
    'Monkey see, monkey do: we copied their press.',
    'Get the monkey off our back, first derby win in years.',
    'Burn the tape of that first half.',
    'Town are on fire tonight 🔥🔥',
    'Mensah is an absolute beast up front.',
    'Kill them on the counter, they leave gaps.',
    "Shoot on sight, Mensah, you've got the legs.",
    'Harker will be sacked in the morning, mark my words.',
    'That tackle was a shot in the dark.',
    'Hope Mensah gets what he deserves, the golden boot.',
    'Someone kill me, this defending is painful.',
    'Someone shoot the winner, please, we need one.',
    'Nowak dived like a gorilla off a tree lol',
    'The away end sounded like a zoo at full time.',
    'Going bananas in the away end 🐒',
    "Harker's kids will be gutted, they wear the shirt.",
    "We'll burn them down the wing all day with that pace.",
    "If I catch the bus after the match I'll be home by ten.",
    'Pritchard, your decisions have been shocking all night.',
    'Liam Doyle, your family must be so proud of you.',
]


@pytest.mark.parametrize("text", DERBY_BLOG)
def test_a_derby_live_blogs_ordinary_comments_are_no_threat_and_no_attack(text):
    assert not fired({"kind": "threat_words"}, text)
    assert not fired({"kind": "group_attack"}, text)


# An election night's walk (2026-12-06): a lead moderator's threats and attacks on groups, each
# published by a site made with the starter rules (the threat head scored nearly all 0.00-0.12).
ELECTION_NIGHT_THREATS = [
    "I hope the judge who certified this dies slowly.",
    "If Price wins I'm going to find where he lives and burn his house down.",
    "We'll burn the ballots and the building with them.",
    "The returning officer should be strung up from a lamppost.",
    "Somebody needs to put Okafor in the ground.",
    "Storm the count centre tonight, bring weapons, they can't stop all of us.",
    "If this result stands there will be blood on the streets, and I'll be the first.",
    "I'm coming for you @ElectionLiveBlog reporter, you won't see it coming.",
    "Price is a w\u200bo\u200br\u200bm; s\u200bhoot him.",  # the normalised text drops the zero-width spaces
    "Hale should hang for this.",
    "String the whole electoral commission up.",
    "Bring your guns to the count tomorrow, we finish this ourselves.",
    "The judge will get what's coming to him, I'll make sure of it.",
    "Put Donovan six feet under.",
    "Line the poll workers up against a wall.",
    "Time to take up arms against these election thieves.",
    "We know where the count staff park. Tell them to be careful going home.",
    "A bullet is too good for Price.",
    "Let's see how brave the commissioner is with a brick through his window.",
    "If you touch one white child we will make your life a living hell.",
    # Held before, and still: the night's others.
    "Hang the traitors.", "They deserve to be lynched.", "He needs a bullet between the eyes.",
    "Someone should torch the returning officer's car.", "I'm going to beat him to death.",
    # ... and near-copies: the order, the call, the pronoun, another verb.
    "Torch the returning officer's car.", "Someone should beat him to death.", "Hargrove deserves to hang.",
    "The commissioners should be lined up against a wall.", "String up the whole electoral commission.",
    "Kill him.", "I'll torch Price's car tonight.",
    "Let's put a brick through the commissioner's window.", "We're coming for you, you'll never see it coming.",
    "I'll make sure there's blood on the streets.", "Someone should put the returning officer six feet under.",
    "Bring your rifles to the polling station.", "Let's storm the statehouse.", "Hale should swing for this.",
    "Hale should hang for what he did.", "Time to take up arms.", "Time to take up arms against the regime.",
]


@pytest.mark.parametrize("text", ELECTION_NIGHT_THREATS)
def test_an_election_nights_threats_are_held(text):
    assert fired({"kind": "threat_words"}, text)[0].startswith("threat of violence: ")


@pytest.mark.parametrize("text", [
    "Hale should hang for this lol", "Hale should hang for this 😂", "Hale should hang for this😂😂",
    "Line the poll workers up against a wall lmao!!", "Line the poll workers up against a wall 🤣. Seriously.",
    "Someone should shoot Hargrove 🙄", "Put Donovan six feet under haha", "A bullet is too good for Price lol.",
    "Line the poll workers up against a wall looool 😂😂 lmao",
    # A re-check's: longer laughs, emoticons, other emoji after the face, a capitalised "Lol" (once read as a name).
    "Hale should hang for this lolol", "Hale should hang for this :)", "Hale should hang for this :D",
    "Hale should hang for this ahahaha", "Hale should hang for this roflmao", "Hale should hang for this ☠️",
    "Hale should hang for this lol 👍", "Hale should hang for this 🤦\u200d♂️", "Hale should hang for this 😂🔥",
    "Hale should hang for this hahahahahahahahahahahahahaha", "Put Donovan six feet under ;)",
    "Line Hargrove up against a wall Lol", "Hargrove should hang Lol", "I know where Hargrove lives Lol",
])
def test_a_threat_with_laughter_or_a_face_where_its_sentence_ends_is_held(text):
    # A re-check of the election night's patterns found the ones that wait for a sentence's end
    # publishing the same threat with "lol" or a face after it.
    assert fired({"kind": "threat_words"}, text)[0].startswith("threat of violence: ")


@pytest.mark.parametrize("text", [
    "I would kill for a coffee lol", "Hale should hang his head in shame lol", "I'm going to hang out at the count lol",
    "Our keeper deserves a medal 😂", "Hahaha line the chairs up against the wall 😂", "Hale should hang for this lol honestly,"
    " no, he should resign", "We'll hang them out to dry on Sunday lol", "She's going to kill it at the debate 😂",
    "Bring your umbrellas to the count lol", "That striker is dead on his feet lmao", "String the lights up lol",
    # Laughter before a comma is no sentence's end: what follows still says what was meant (a re-check).
    "I know where the mayor lives lol, in a council flat", "They know where you live lol, and what you buy",
    "Pritchard's wife works at the hospital, nights lol, so he does the school run", "Shoot him lol, he's open!",
    "Kill her lol, she has the flag", "Just hang her 😂, the painting I mean", "I know where he lives lol, he's my neighbour",
    "Just kill her lmao, she's a support main", "Note: d-day was a success :)", "Time: 3pm :D see you there",
])
def test_laughter_makes_no_threat_of_what_is_none(text):
    assert fired({"kind": "threat_words"}, text) == []


@pytest.mark.parametrize("text", [
    "Typical women voters, too emotional to think.",
    "The Jews bought this election like they buy everything.",
    "Gay people shouldn't be anywhere near government.",
    "Send every last migrant back on a boat tonight.",
    "Pakistanis rig every postal vote, everyone knows it.",
    "Gypsies should be banned from polling stations.",
    # Held by the model alone, as an insult: now by the rule too.
    "Black voters are too stupid to read a ballot.",
    # Near-copies.
    "Women are too emotional to vote.", "Muslims rigged the election.", "Black people shouldn't be allowed to vote.",
    "Jews shouldn't be allowed to hold office.", "Muslims should be barred from public office.",
    "Deport every single refugee back.", "Pakistanis are thieves.", "The Jews bought every politician.",
    "Somalis rig every election in Minneapolis.",
    # Quoting hate to counter it fires too, as the rule's docs say: a moderator tells the two apart.
    "Saying 'Gypsies should be banned from polling stations' is disgusting.",
])
def test_an_election_nights_attacks_on_groups_are_held(text):
    assert fired({"kind": "group_attack"}, text)[0].startswith("attack on a group: ")


# What an election night's live blog hears (results, politics, sport on the same page, crime reports):
# the night's patterns must hold none of it.
ELECTION_BLOG = [
    # The walk's own near-misses.
    "That bill needs to die in committee.", "Hale should hang his head in shame.", "Line the chairs up against the wall.",
    "The judge will get what's coming to him at the appeal.", "bring your umbrellas to the count tomorrow",
    "blood on the streets, the historian wrote of 1968", "Price will be dead in the water by Christmas",
    "A bullet point summary is too good for this report", "In 1775 the colonists took up arms against the crown.",
    "Storm the castle before the timer runs out, it's the only way past level 3.", "String the lights up along the fence.",
    "Women voters turned out in record numbers.", "Jewish voters in the district backed the challenger.",
    "Pakistani-British candidates won three seats.", "Migrants arrived by boat in Dover last night, the BBC reports.",
    "Gay rights were on the ballot in three states.",
    "Muslims voted for Labour in higher numbers than 2019, the exit poll says.",
    "The scheme bans cars from polling stations' car parks.", "Saying 'Gypsies should be banned' is disgusting.",
    # Results night.
    "Storm the polls on Thursday and vote them out!", "Volunteers, bring your clipboards to the count centre by ten.",
    "I know where the count staff park, it's behind the leisure centre.", "Labour, we're coming for you at the next election.",
    "The twist at the end? You won't see it coming.", "Price will be dead and buried politically by Christmas.",
    "The minister won't survive the week, the lobby says.", "Okafor won't survive the reshuffle if the polls are right.",
    "Hanging chads decided Florida in 2000.", "The returning officer should be thanked for a smooth count.",
    "Time to take up arms against this tax rise: write to your MP.", "It was time to take up arms, the rebels decided.",
    "Death is too good a word for what happened to Labour tonight.", "Let's see how brave the commissioner is with the press tomorrow.",
    "We'll burn through the ballots by midnight at this pace.", "The candidate's campaign will be dead by Christmas, trust me.",
    "Shoot him an email, the agent will know.", "Hang him on the wall next to the other portraits.",
    "Typical Westminster: smile to his face, then stab him in the back.", "Stab him in the back.", "Kill him with kindness.",
    "Someone should shoot\n\nPrice will be pleased with the photos.",
    "We must take up arms against climate change.", "Let's take up arms against poverty!",
    "Undecided voters should swing for this candidate.", "The Senate should hang on to its filibuster.",
    "Anyone who voted for this should hang their heads.", "Let's bury Price six feet under at the ballot box.",
    "We're coming for you Tories, and you won't see it coming on polling day.", "Let's put the past in the ground and move on.",
    "I hope the doctor who saved him dies a hero.", "The jury should hang.", "Black voters stole the show.",
    "Asian voters fixed the result.",
    "Storm Darragh hit the count centre roof.", "Bring your ID to the polling station tomorrow.",
    "Turnout was dead by noon, the returning officer said.", "Rioters stormed the Capitol in 2021.",
    "Labour will make your life a living hell with these taxes.", "We'll make his life hell at the ballot box.",
    "I'll make your life easier: here's the link to the results.", "Price should hang on to the seat by a few hundred votes.",
    "He should swing for the fences in the second debate.", "The portrait of the mayor should hang in the town hall.",
    "You guys should hang sometime.", "Our volunteers lined up against the wall for the photo.",
    "Pollsters got it wrong again, line them all up and ask them why.", "The Greens are coming for your car, warns the Mail.",
    "Black voters are too often ignored by both parties.", "Young voters are too busy to vote, says the pollster.",
    "Women voters are too important to ignore.", "Send every refugee child a Christmas card.",
    "Immigrants shouldn't be allowed to vote in general elections until they are citizens.",
    "Old people shouldn't be allowed to vote, joked the comedian.", "Men shouldn't be allowed in women's refuges.",
    "Travellers should be banned from using phones on the plane.", "Foreigners should be banned from buying houses here.",
    "The Jews bought the building on Hope Street in 1920.", "Pakistanis celebrated the cricket win in Bradford.",
    "Muslims voted as a bloc for the independent, they're a big part of the ward.",
    "Immigrants staff our hospitals, they're the reason the NHS works.", "Send every last leaflet back to the printers.",
    "Women shouldn't be in government just because of a quota, she argued.", "Women voters were too busy to respond to the poll.",
    "Jewish donors bought tickets to the gala.", "Muslims should be allowed to vote wherever they live.",
    "Jews voted in large numbers; they're a key bloc.", "Disabled voters should be allowed in polling stations with their carers.",
    "Black voters were turned away from polling stations in Georgia.", "Catholic voters are too numerous to ignore.",
    "Polish voters fixed their registration online.", "Immigrants, the report says, are vital; they're the backbone of the NHS.",
    "Send every last voter a postal ballot.",
    # Sport on the same page.
    "Hang in there, lads, two more rounds.", "We'll kill them in the second leg.", "Bring your guns to the range on Saturday.",
    "Bring weapons that deal fire damage to the boss.", "Line the players up against the wall for the team photo.",
    # Crime reports beside the results.
    "Police said he was beaten to death outside the count.", "The gunman was shot dead by police.",
    "A man was jailed for threatening to burn down his neighbour's house.", "The arsonist set fire to her car, the court heard.",
    "The jury heard he had said he would make her life a living hell.",
    # A re-check of the night's first patterns: a party's or a firm's demise foretold, the group's
    # attackers called names, an army's, a prison's or a church's rules, tickets bought, a ballot box mended.
    "Labour will be dead by Christmas, trust me.", "Twitter won't survive the week if we have anything to do with it.",
    "Jewish voters were targeted by neo-Nazis, they're scum.", "Muslim voters are terrified of the BNP, they're a cancer on this nation.",
    "Gay voters were harassed by the thugs outside, they're animals.",
    "Women shouldn't be allowed to serve in combat roles, the general argued in 1990.",
    "Trans women shouldn't be allowed to serve in female prisons.", "Catholic women shouldn't be allowed to lead Mass, the Vatican says.",
    "Disabled people should be banned from running marathons in wheelchairs? Absurd.",
    "Catholics should be excluded from the school admissions lottery, the council said.",
    "Gay men bought the seats in the front row.", "Jews fixed the election date because of Yom Kippur, the council said.",
    "Polish voters fixed every broken ballot box in the village, lol.",
    "Let's storm the polling stations with voters tomorrow!", "Hanging is too good for them, my gran used to say about litterbugs.",
    "Let's see how brave the manager is with a brick wall of a defence.", "Let's put him in the ground team for Saturday's match.",
]


@pytest.mark.parametrize("text", ELECTION_BLOG)
def test_an_election_nights_ordinary_comments_are_no_threat_and_no_attack(text):
    assert not fired({"kind": "threat_words"}, text)
    assert not fired({"kind": "group_attack"}, text)


def test_a_threat_holds_by_default_and_says_what_it_read():
    rule = validate_rules([{"name": "threats", "kind": "threat_words"}])[0]
    assert (rule["action"], rule["reason"]) == ("hold", "threat of violence")
    assert fired({"kind": "threat_words"}, "Hey Doc, I KNOW WHERE YOU LIVE!") == ['threat of violence: "i know where you live"']
    assert fired({"kind": "threat_words"}, "Enough talk. Kill them all!") == ['threat of violence: "kill them all"']


@pytest.mark.parametrize("text, fires", [
    ("Buy cheap watches at cheapwatches.biz now", True),
    ("see https://spam.example.org/offer", True),
    ("www.casino.ru is great", True),
    ("As reported on news.example.com/story/1, it passed.", False),  # allowed domain (a subdomain of it)
    ("e.g. the 3.5 stars it got.Next time", False),
    ("Mail me: jane@shop.com", False),                                # an e-mail address is not a link
])
def test_links_outside_the_allow_list_fire(text, fires):
    assert bool(fired({"kind": "links", "allowed_domains": ["example.com"]}, text)) is fires


# A business desk's spam wave, every one published under a links rule.
@pytest.mark.parametrize("text, host", [
    ("Copy trades from a pro instead: bit . ly/3FxProfit", "bit.ly"),
    ("www dot chainrecover dot net", "chainrecover.net"),
    ("goldira-secure(.)com", "goldira-secure.com"),
    ("hxxps://crypto-refund-claim[.]com", "crypto-refund-claim.com"),
    ("claim-your-money[dot]uk", "claim-your-money.uk"),
    ("exchange-victims-claim . org", "exchange-victims-claim.org"),
    ("t dot me slash chainrescue", "t.me"),
    ("\uff48\uff4f\uff4d\uff45\uff50\uff52\uff4f\uff46\uff49\uff54\uff0e\uff43\uff4f\uff4d", "homeprofit.com"),
    ("\u24e6\u24e6\u24e6.\u24d2\u24d0\u24e2\u24d7.\u24d2\u24de\u24dc", "cash.com"),  # circled letters
    ("homeincomenow\u3002net", "homeincomenow.net"),
    ("homeincomenow\u2024net", "homeincomenow.net"),
    ("homeincome\u200bnow.net", "homeincomenow.net"),  # the reason named "now.net"
    # Spaced on one side only (a spam walk: published).
    ("Claim your refund now at refund-help. com today", "refund-help.com"),
    ("Copy my trades: bit .ly/3FxProfit", "bit.ly"),
    ("cash-back-now .net pays out", "cash-back-now.net"),
])
def test_a_disguised_link_is_read_as_the_link_it_shows(text, host):
    assert fired({"kind": "links"}, text) == [f"link: {host}"]


@pytest.mark.parametrize("text", [
    "the dot com bubble burst", "It was the dot-com era. Me too.", "I said no . It was fine",
    "He gave it to me . to be honest", "See section 3 . 2 of the report", "I got 10 . 5 percent",
    # A re-check: a sentence after a spaced full stop, and a polka dot.
    "Great news . Top of the league again!", "Join the dots . Net zero costs money.",
    "He went to Paris . De Gaulle airport was chaos.", "She wore a polka dot top to the hearing.",
    "Leaked reality . Com",
    # Spaced on one side: a full stop, a typo's space before it, a decimal.
    "It was over. Net zero is the goal.", "That was the end. community halls closed.", "I said no .It was fine",
    "We paid 3 .5 percent more", "He said so. com is short for company", "Fine. Info at the desk.",
    "list them as terrorists, not any .com operation.", "Wntube is now .net , not .com.",
])
def test_a_spaced_dot_or_the_word_dot_in_a_sentence_is_not_a_link(text):
    assert not fired({"kind": "links"}, text)


def test_contact_details_in_the_authors_name_count_and_say_so():
    # A business desk's walk: a civil text under this name was published.
    spammer = Facts(author_id="a", author_name="Crypto Recovery WhatsApp +44 7911 123456 homeincomenow.net")
    assert [fired(rule, "I agree with the article.", spammer) for rule in ({"kind": "links"}, {"kind": "phone"})] == [
        ["link: homeincomenow.net (in the author's name)"], ["phone number (in the author's name)"]]
    assert fired({"kind": "links"}, "See bbc.co.uk/news.", spammer) == ["link: bbc.co.uk"]  # the text's own first
    assert not fired({"kind": "threat_words"}, "I agree.", Facts(author_id="a", author_name="I will kill you"))


@pytest.mark.parametrize("name", ["Dick Smith", "Fanny Adams", "Crypto Bro", "Ex.Pat.In.Spain", "J.R.R.To"])
def test_a_name_that_holds_a_listed_word_or_looks_dotted_is_just_a_name(name):
    # A re-check: a banned "dick" rejected every comment Dick Smith posted.
    facts = Facts(author_id="a", author_name=name)
    rules = ({"kind": "banned_words", "words": ["dick", "fanny"]}, {"kind": "suspect_words", "words": ["crypto"]},
             {"kind": "links"}, {"kind": "first_link"})
    assert not any(fired(rule, "I agree with the article.", facts) for rule in rules)


def test_a_link_in_the_name_holds_even_where_the_rule_would_reject_the_text():
    rule = {"kind": "links", "action": "reject"}
    name = Facts(author_id="a", author_name="Cheap pills at pharmacy-deals.com")
    hits = Compiled(validate_rules([{"name": "r", **rule}])).evaluate("Nice piece.", name)
    assert [(h.action, h.reason) for h in hits] == [("hold", "link: pharmacy-deals.com (in the author's name)")]


@pytest.mark.parametrize("text, fires", [
    ("Send 0.1 BTC and receive 0.2 BTC back: bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", True),
    ("Elon's giveaway! Send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa and get double", True),
    ("ETH only: 0x742d35Cc6634C0532925a3b844Bc454e4438f44e", True),
    ("Send 500 USDT (TRC20) to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", True),
    ("One checksum off: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", False),
    ("The fix is in commit 3f786850e387550fdab836ed7e6dc881de23001b.", False),
    ("Watch https://youtu.be/dQw4w9WgXcQ and bitcoin's price at 1 BTC = $90,000", False),
    ("Supercalifragilisticexpialidocious1234 is a long word", False),
])
def test_a_cryptocurrency_address_is_one_its_network_would_take(text, fires):
    # A business desk's walk: "Send 0.1 BTC and receive 0.2 BTC back ... bc1q..." was published.
    assert fired({"kind": "crypto_address"}, text) == (["cryptocurrency address"] if fires else [])


def test_a_first_comment_links_allowed_domains_as_the_links_rule_does():
    # A business desk's new reader pointing at the regulator's register was held.
    rule = {"kind": "first_link", "allowed_domains": ["fca.org.uk"]}
    first = Facts(author_id="a", earlier_by_author=0)
    assert not fired(rule, "Check the register: https://register.fca.org.uk/", first)
    assert fired(rule, "Check the register: https://register.fca.org.uk/ and homeincomenow . net", first) == [
        "link in a first comment: homeincomenow.net"]


def test_a_first_comment_with_a_link_is_held_but_not_a_later_one():
    rule = {"kind": "first_link"}
    assert fired(rule, "Look at example.com", Facts(author_id="a", earlier_by_author=0))
    assert not fired(rule, "Look at example.com", Facts(author_id="a", earlier_by_author=1))
    assert not fired(rule, "My first comment, no link.", Facts(author_id="a", earlier_by_author=0))


@pytest.mark.parametrize("kind, text", [
    ("phone", "If you want to talk, call me on 555-123-4567 after work."),
    ("phone", "Ring +44 20 7946 0958 for tickets."),
    ("phone", "Her number is (212) 555-0187, tell her."),
    ("phone", "Local folks can dial 555 1234 today."),
    ("phone", "Call 718-622-0221 now http://t.co/u3PzeV9E9q"),  # a link beside it leaves it a phone
    ("phone", "her number: 555\u200b-867\u200b-5309"),            # an adversarial walk: zero-width spaces
    ("phone", "Call her at 555-867-53O9"),                            # ... and a letter O for a zero
    ("email", "mail jane.doe\u200b@example.com"),
    # A re-check: a left-to-right mark or an invisible separator, a Cyrillic O, a run of O's, a no-break
    # space or an en dash between groups, a full-width at sign
    ("phone", "call me 555\u200e-867\u200e-5309"), ("phone", "call me 555\u2063867\u20635309 now"),
    ("phone", "Any questions? Call me on 0207 946 0991"), ("phone", "Drinks & 0207 946 0991 for tables"),
    ("phone", "ring 555-867-53\u041e9"), ("phone", "ring 555\u00a0867\u00a05309"), ("phone", "ring 555\u2013867\u20135309"),
    ("payment_card", "card 4OOO OOOO OOOO OOO2"), ("payment_card", "card 4111\u200e1111\u200e1111\u200e1111"),
    ("email", "mail jane\uff20example.com"), ("email", "mail jane\u200e@example.com"),
    ("email", "Write to jane.doe@example.com about it."),
    ("email", "jane dot doe? no: jane at example dot com"),
    # The next re-check: drawn in another order by a bidi override, invisible characters outside the
    # format category, an l for a 1, Ø and 〇 for 0, look-alike letters, dots between a card's groups.
    ("email", "Write me: \u202emoc.liamg@ecila"), ("payment_card", "My card: \u202e1111 1111 1111 1114"),
    ("street_address", "He lives at \u202eteertS kaO 21"), ("phone", "ring \u202e9035-768-555"),
    ("phone", "555\u034f-867\u034f-5309"), ("phone", "555\ufe0f-867\u3164-5309"), ("phone", "555-867-53l9"),
    ("phone", "555-867-53\u00d89"), ("phone", "555-867-53\u30079"), ("email", "alice@gm\u0430il.com"),
    ("street_address", "12 O\u200bak Street"), ("street_address", "12 \u041eak Street"),
    ("payment_card", "4111.1111.1111.1111"), ("email", "alice@gmail\u3002com"),
    # The one after: dots drawn like a full stop, double spaces a page folds, a threat's mail laid out
    # by a dir="auto" comment element.
    ("email", "Write to her: alice.jones@gmail\ua4f8com"), ("email", "alice.jones@gmail\u00b7com"),
    ("email", "alice.jones@gmail\u2027com"), ("email", "alice.jones@gmail\u06d4com"), ("email", "alice@gmail\u0589com"),
    ("phone", "Call her at 212  555  0199"), ("email", "\u200f\u202dThoughts on the article:\nail.com\u200fMail alice@gm"),
    # And the re-check after: any run of spaces or tabs a page folds, three more dots.
    ("phone", "Call her at 212   555   0199"), ("phone", "212\t\t555\t\t0199"), ("phone", "(212)  555  0199"),
    ("email", "alice@gmail\u0702com"), ("email", "alice@gmail\u2e33com"), ("email", "alice@gmail\u2022com"),
    # Tags a page drops before it lays the text out, and what a comment hides from it.
    ("email", "Write to alice@gm<b></b>ail.com"), ("email", "Write to her: \u202emoc.li<b></b>amg@ecila\u202c"),
    ("phone", "Call her: \u202e9910-5<b></b>55-212\u202c"), ("email", "Nice piece <!-- alice@gmail.com -->"),
    ("street_address", "I know where the councilman lives: 12 Oak Street"),
    ("street_address", "Meet at 1600 Pennsylvania Ave. at noon"),
    ("street_address", "The ref lives at 14 Elm Grove, Salford."), ("street_address", "7 Cherry Tree Walk"),
    ("street_address", "He's at 22 Lansdowne Gardens"), ("street_address", "3 Hanover Mews, go and tell him"),
    ("payment_card", "My card is 4111 1111 1111 1111 exp 12/29"),
    # A business desk's scam numbers: dots, keycaps, digits in black circles.
    ("phone", "WhatsApp me on 07.723.881.442"), ("phone", "Appelez-moi au 06.12.34.56.78"),
    # Not helplines, though their digits are: an Indian mobile, a Dorset number (a re-check).
    ("phone", "Call me on 88001 23456"), ("phone", "Ring +44 1300 123456 after six"),
    ("phone", "0\ufe0f\u20e37\ufe0f\u20e37\ufe0f\u20e30\ufe0f\u20e30\ufe0f\u20e39\ufe0f\u20e30\ufe0f\u20e30\ufe0f\u20e3"
              "4\ufe0f\u20e36\ufe0f\u20e31\ufe0f\u20e3"),
    ("phone", "WhatsApp \u24ea\u2790\u2790\u24ea\u24ea \u2792\u24ea\u24ea \u278d\u278f\u278a"),
    ("payment_card", "5500-0000-0000-0004"),
    # A number told beside a wiki's revision ids, or after a word that only looks like a label.
    ("phone", "Undid revision 1184773201 by Example (talk). Call me on 07700 900123"),
    ("phone", "Revised number: 0207 946 0991"), ("phone", "revision history aside, my number is 07700 900123"),
    ("phone", "Ask the diff team: 0207 946 0991"), ("phone", "Revision 3 of the flyer: call 0207 946 0991"),
])
def test_personal_information_fires(kind, text):
    assert fired({"kind": kind}, text) == [{"phone": "phone number", "email": "e-mail address",
                                             "street_address": "street address",
                                             "payment_card": "payment card number"}[kind]]


@pytest.mark.parametrize("kind, text", [
    ("phone", "The vote was 1,234,567 to 1,200,000 in 2024."),
    ("phone", "Between 1999-2004 the budget grew 3.14159265 times."),
    ("phone", "The meeting is on 2024-05-01 at 10:30."),
    ("phone", "Flight 370 left with 239 people on board."),
    ("phone", "Reverted vandalism from 149.63.96.145, again."),                   # an IP address
    ("phone", "the edit by an IP (212.174.135.194) from Turkey"),
    ("phone", "I 1000000000% guarantee it"),
    ("phone", "In 1990 I was 25, and Il Divo sang at 8 pm."),
    ("payment_card", "Pi is 3.14159265358979 and e is 2.71828182845904."),  # a decimal is no card
    ("payment_card", "Dates 2023.2024.2025.2026 were good."),  # nor are years, though they pass Luhn
    ("phone", "an Internet black belt. 212.127.137.2 22:53, 5 Jun 2005 (UTC)"),
    ("phone", "Thanks for your support. \u2014 0918 \u2022 2005-12-18 21:33"),  # a bullet between a signature and a date
    ("phone", "for understanding contradictions. — 2007-07-18 15:40Z"),
    ("phone", "Plausible Inference, Softcover, ISBN: 1558604790 Publisher: Morgan Kaufmann"),
    # A wiki's revision ids, ten digits now, and a library's records (a wiki community lead's walk:
    # MediaWiki's own undo summary was held as a phone number).
    ("phone", "Undid revision 1184773201 by Example (talk)"),
    ("phone", "Reverted to revision 1184773201 by ClueBot NG: rv vandalism"),
    ("phone", "Restored the version of 12:04, 3 March 2026 (oldid 1184770012)."),
    ("phone", "OCLC 1184773201 has the second edition."), ("phone", "PMID 1184773201 says otherwise"),
    ("phone", "The diff between revisions 1184773201 and 1184773388 shows it."),
    ("phone", "Compare diffs 1184773201 vs 1184773388, please."),
    ("payment_card", "singh bros. p. 256. isbn 978-81-7205-071-9. oclc 28583123."),
    ("phone", "[Set of 6](https://www.amazon.com/dp/B07FJM1QK9/ref=sr_1_3?qid=1551377250&sr=8-3)"),
    ("payment_card", "SOURCE: https://twitter.com/someone/status/1096643923945144320?s=19"),
    ("email", "Thanks @jane for the tip at noon."),
    # Helplines, which no person answers at home (a business desk's and a crime desk's walks).
    ("phone", "If you are worried about your savings, the FSCS helpline is 0800 678 1100."),
    ("phone", "Anyone with information can call Crimestoppers anonymously on 0800 555 111."),
    ("phone", "NSPCC helpline is 0808 800 5000 if anyone has concerns about a child."),
    ("phone", "Action Fraud number is 0300 123 2040, report it."), ("phone", "Call +44 800 678 1100 from abroad"),
    ("phone", "The lifeline is 1-800-273-8255."),
    ("phone", "That took primitive life something like 2.000.000.000 years."),  # no longer an IP address's shape
    ("phone", "Vote count 1.234.567.890 in Brazil"), ("phone", "Reference 12.345.678.901 on the invoice"),
    ("phone", "Lotto numbers 04.11.23.35.41.49 again"), ("phone", "Ireland: 1800 201 890; Australia: +61 1300 22 4636"),
    ("street_address", "I walked 5 miles down the street."),
    ("street_address", "In 2020 Oak trees fell on the road."),
    ("street_address", "We won 3 in a row."), ("street_address", "Top 10 Garden tips"),
    ("street_address", "Stoke City 2-2 Port Vale. What a derby"), ("street_address", "Star Wars 9 The Rise of Skywalker"),
    ("street_address", "Top 10 Skid Row songs"),
    ("payment_card", "Order 4111 1111 1111 1112 is a typo, not a card."),  # fails the checksum
    ("payment_card", "0000 0000 0000 0000"),
    # A table's or a score sheet's numbers, aligned by spaces or tabs (the re-check after folding gaps).
    ("phone", "Q3 sales by region:\tNorth    120   135   149   162"), ("phone", "Year    2019    2020    2021"),
    ("phone", "Votes\t1204\t\t1350\t\t1490"), ("phone", "Scores:  98   87   91   77   85   90"),
    ("phone", "Tally: 1204   1350   1490   16"),
    ("phone", "Points by season: 101 99 87 110 95"), ("phone", "Rebounds: 10 8 12 9 11 7 13"),
    # A link's query spaced out by tokenising (a standards editor's audit held the first as a phone).
    ("phone", "https : //s3.amazonaws.com/ksr/assets/ ... jpg ? 1365024003"),
    ("phone", "see image . png ? v = 1365024003 for the chart"), ("phone", "page . php ? id = 4155550199 & lang = en"),
    ("phone", "www . example . com / story ? ref = home & t = 1700000000"),
])
def test_personal_information_near_misses_do_not_fire(kind, text):
    assert not fired({"kind": kind}, text)


def test_the_reason_never_repeats_the_personal_information():
    assert fired({"kind": "phone", "reason": "phone number (doxxing)"}, "call 555-123-4567") == ["phone number (doxxing)"]


def test_shouting_is_all_caps_over_enough_letters_or_a_long_repeat():
    rule = {"kind": "shouting"}
    assert fired(rule, "THIS IS A DISGRACE TO EVERYONE")
    assert fired(rule, "nooooooooooo way")
    assert not fired(rule, "NASA and the FBI agree with the report.")
    assert not fired(rule, "OK")  # too few letters to shout
    assert not fired(rule, "Well... sooo good")


def earlier(seconds: float, text_print: str, author: str = "a", reply: bool = False) -> Earlier:
    return Earlier(author_id=author, fingerprint=text_print, is_reply=reply, seconds_before=seconds)


def test_flood_fires_on_the_count_th_near_same_post_in_the_window():
    rule = {"kind": "flood", "count": 3, "minutes": 1}
    two = (earlier(10, "buy cheap watches"), earlier(40, "buy cheap watches"))
    assert fired(rule, "Buy CHEAP watches!!", Facts(author_id="a", recent=two))
    assert not fired(rule, "Buy cheap watches", Facts(author_id="a", recent=two[:1]))  # only the 2nd
    old = (earlier(10, "buy cheap watches"), earlier(61, "buy cheap watches"))
    assert not fired(rule, "Buy cheap watches", Facts(author_id="a", recent=old))   # outside the minute
    others = (earlier(10, "buy cheap watches", "b"), earlier(20, "buy cheap watches", "c"))
    assert not fired(rule, "Buy cheap watches", Facts(author_id="a", recent=others))  # scope: author
    assert fired({**rule, "scope": "site"}, "Buy cheap watches", Facts(author_id="a", recent=others))


def test_a_pitch_that_changes_only_its_sums_is_the_same_text_to_flood():
    from moderation.domain.rule_matchers import fingerprint

    # A business desk's wave: "$480", "$490", "$11,470" each counted as a new text.
    two = tuple(earlier(10 * n, fingerprint(f"I earn ${sum} daily working from home!"), f"spam{n}")
                for n, sum in enumerate(("480", "11,470"), 1))
    assert fired({"kind": "flood", "count": 3, "minutes": 5, "scope": "site"}, "I earn $490 daily working from home",
                 Facts(author_id="a", recent=two))
    assert fingerprint("I earn $490 daily working from home") != fingerprint("I earn $490 weekly working from home")
    assert fingerprint("Arsenal 2-1 Chelsea") != fingerprint("Arsenal 0-3 Chelsea")  # readers' predictions differ


def test_a_comment_the_model_cannot_read_is_held_naming_its_language():
    rule = {"kind": "other_language"}
    assert fired(rule, "Ferme ta gueule, espèce de connard.") == [
        'not in English, which the model reads: French (fr), with "gueule"']
    assert not fired(rule, "Great game last night, we murdered them!")
    assert not fired(rule, "Danke!")  # too short to tell: read as English, as before
    # An SRE's walk: past an English opening of 80 characters the identifier read no further.
    opening = "Thanks for the article, I read it this morning over coffee and wanted to say this: "
    assert fired(rule, opening + "Ferme ta gueule, espèce de connard, tu ne sais rien. " * 2) == [
        'not in English, which the model reads: French (fr), in part, with "gueule"']
    assert not fired(rule, "I loved the piece on the new bridge. As the French say, c'est la vie, and the "
                           "council will do what it wants anyway.")
    # A re-check: a short insult after a full stop, a dash, a semicolon or a line break, under the 40
    # letters a sentence needs for the identifier, was published.
    for text in ("Great piece, thanks. Ferme ta gueule, espèce de connard.", "Great piece, thanks — ferme ta gueule, "
                 "connard", "Great piece, thanks for writing it; connard\nwhatever", "Good point.\nDu Wichser."):
        assert fired(rule, text), text
    assert not fired(rule, "My editor said merde when she read it. The mayor was a connard, she said.")
    # A given name that is also a language's abuse, in brackets: "Randi" was held as Hindi (a re-check).
    assert not fired(rule, "The union's leader (Randi Weingarten) said teachers would strike next week.")
    assert fired(rule, "Great piece. Randi hai tu") and fired(rule, "Great piece. (randi saala)")


def test_another_languages_abuse_ranks_its_comment_above_that_languages_civil_ones():
    """A bilingual paper's walk: every Spanish comment sat at priority 1.00, its abuse among its thanks."""
    compiled = Compiled(validate_rules([{"name": "other-language", "kind": "other_language"}]))
    [abuse] = compiled.evaluate("Los mexicanos son unos animales, pinche pendejo de mierda.", Facts(author_id="a"))
    [civil] = compiled.evaluate("Mi abuelo fue bracero y trabajó en estos campos por treinta años.", Facts(author_id="a"))
    assert abuse.reason == 'not in English, which the model reads: Spanish (es), with "pinche"'
    assert civil.reason == "not in English, which the model reads: Spanish (es)"
    assert rule_priority(0.0, [abuse]) > rule_priority(0.99, [civil])


def test_word_lists_and_floods_read_every_script_and_emoji():
    """An Arabic word list entry was refused as "letterless", and four identical Arabic or emoji-only
    posts in a minute were never a flood: every one of them had the empty fingerprint."""
    arabic = {"kind": "suspect_words", "words": ["حيوان", "🖕"]}
    assert fired(arabic, "سأقتلك يا حيوان.") == ['suspect word: "حيوان"']
    assert not fired(arabic, "الحيوانات في الحديقة")  # a longer word that contains it
    assert fired(arabic, "so 🖕🖕 to you")
    rule = {"kind": "flood", "count": 3, "minutes": 1}
    for text in ("سأقتلك يا حيوان.", "🖕🖕🖕"):
        from moderation.domain.rule_matchers import fingerprint

        two = (earlier(10, fingerprint(text)), earlier(20, fingerprint(text)))
        assert fired(rule, text, Facts(author_id="a", recent=two)), text
    assert not fired(rule, "🖕🖕🖕", Facts(author_id="a", recent=(earlier(10, "😀"), earlier(20, "😀"))))


def test_short_repeated_replies_fire_but_not_long_ones_or_top_level_comments():
    rule = {"kind": "short_repeat", "count": 3, "minutes": 60, "max_chars": 12}
    two = (earlier(100, "first", reply=True), earlier(200, "first", reply=True))
    assert fired(rule, "First!", Facts(author_id="a", is_reply=True, recent=two))
    assert not fired(rule, "First!", Facts(author_id="a", is_reply=False, recent=two))
    assert not fired(rule, "First!", Facts(author_id="a", is_reply=True, recent=two[:1]))


def test_new_author_holds_the_first_comments_or_until_enough_are_approved():
    posted = {"kind": "new_author", "count": 2, "until": "posted"}
    assert fired(posted, "hi", Facts(author_id="a", earlier_by_author=1))
    assert not fired(posted, "hi", Facts(author_id="a", earlier_by_author=2))
    approved = {"kind": "new_author", "count": 2}
    assert fired(approved, "hi", Facts(author_id="a", earlier_by_author=9, approved_by_author=1))
    assert not fired(approved, "hi", Facts(author_id="a", earlier_by_author=2, approved_by_author=2))


@pytest.mark.parametrize("raw, field", [
    ({"rules": []}, "rules"),
    ([{"name": "x", "kind": "nonsense"}], "rules[0].kind"),
    ([{"name": "x", "kind": "banned_words"}], "rules[0].words"),
    ([{"name": "x", "kind": "banned_words", "words": ["***"]}], "rules[0].words"),
    ([{"name": "x", "kind": "phone", "action": "delete"}], "rules[0].action"),
    ([{"name": "Bad Name", "kind": "phone"}], "rules[0].name"),
    ([{"name": "x", "kind": "phone"}, {"name": "x", "kind": "email"}], "rules[1].name"),
    ([{"name": "x", "kind": "flood", "count": 1}], "rules[0].count"),
    ([{"name": "x", "kind": "flood", "minutes": True}], "rules[0].minutes"),
    ([{"name": "x", "kind": "phone", "words": ["a"]}], "rules[0].words"),
    ([{"name": "x", "kind": "links", "allowed_domains": ["not a domain"]}], "rules[0].allowed_domains"),
    ([{"name": "x", "kind": "shouting", "caps_ratio": 2}], "rules[0].caps_ratio"),
])
def test_invalid_rules_are_refused_naming_the_field(raw, field):
    with pytest.raises(ValidationFailed) as error:
        validate_rules(raw)
    assert error.value.field == field


ALL_KINDS = [{"name": kind.replace("_", "-"), "kind": kind,
              **({"words": ["stupid", "cheap watches"]} if kind in ("banned_words", "suspect_words") else {})}
             for kind in ("banned_words", "suspect_words", "links", "first_link", "phone", "email", "street_address",
                          "payment_card", "flood", "shouting", "short_repeat", "new_author", "group_attack",
                          "threat_words", "other_language", "crypto_address", "social_handle", "at_risk",
                          "contact_seeking")]


@pytest.mark.parametrize("text", ["a" * 19_999 + "*", "1 " * 10_000, "a." * 10_000, "x@" * 10_000, "12 Oak " * 2_800,
                                  "at dot " * 2_800, "i will kill " * 1_600, "kill all the " * 1_500, ". " * 10_000,
                                  "go back to your " * 1_200, "a" + " " * 19_990 + "dot com",
                                  "word " * 2_000 + " " * 10_000 + "dot com", "a'" * 10_000,
                                  "the a's daughter is at " * 870,
                                  # The derby night's patterns: a family, a name and its emoji, the noises.
                                  "if i see his wife " * 1100, "x, y, z, your " * 1400, "ooh " * 5000, "ab cd \U0001f412 ef " * 1600,
                                  "his wife works at the " * 900, "pritchard's son goes to the school " * 560,
                                  "ooh ooh ooh every time a b " * 700,
                                  # A second re-check's: "oo" read two ways, 6 s for 20,000 characters.
                                  ("oo-" * 7000)[:20000], ("oo-" * 7000)[:19999] + "\U0001f400", "oh " * 6600,
                                  # Urging said of someone named (a red-team walk's).
                                  "tell a b c " * 1800, "should kill himself " * 1000,
                                  # A children's site's: digits as words, e-mail "at gmail", "I live on",
                                  # a handle on a platform.
                                  "one " * 5000, "one-" * 5000, "one" * 6600 + "x", "0seven" * 3300, "o " * 10000,
                                  "double " * 2800, "0 7 - " * 3300, "a dot " * 3300 + "at gmail", "a." * 9990 + " at gmail",
                                  "x at gmail " * 1800, "@gmail" * 3300, "i live on a b c " * 1250, "i live at 14 " * 1600,
                                  "my snap is " * 1800, "sc: " * 5000, "add me on snap " * 1300, "add " * 5000 + "x on snap",
                                  "a_b " * 5000 + "on snap",
                                  # ... and contact sought, and what a child tells (at_risk).
                                  "dont tell ur mum n dad or " * 770, "how old r u " * 1700, "keep this between u " * 1000,
                                  "delete this chat " * 1200, "where do u live " * 1300, "do ur mum n dad check ur " * 800,
                                  "send me a pic " * 1500, "somewhere private " * 1100, "join my discord " * 1300,
                                  "i'll get you " * 1500, "what's ur " * 2000, "i sometimes cut myself when im " * 650,
                                  "my stepdad hits me with a " * 760, "my mum's boyfriend " * 1050,
                                  "everyone would be happier if i " * 640, "i took some of my mum's " * 830,
                                  "i'm scared to go home because " * 660, "i've been self - " * 1200,
                                  # An election night's: who-clauses, gaps and sentences read to their end.
                                  "hope the judge who a " * 1000, "i'm going to find a " * 1000 + "burn his house",
                                  "we'll burn the building " * 800, "i'm coming for you " * 1100, "blood on the streets " * 1000,
                                  "see how brave a b " * 1100, "he won't survive the week " * 800 + "if i have", "the mayor should be " * 1000 + "strung",
                                  "line the " * 2200 + "wall", "string the whole " * 1200, "get what's coming , " * 1000,
                                  "muslims voted , " * 1300 + "they're", "women voters , too " * 1000, "gay people shouldn't be " * 800,
                                  "send every last " * 1300, "the jews bought the " * 1000, "bring your " * 2000 + "guns",
                                  # Laughter read as a full stop, back from each clause's end.
                                  "\U0001f602" * 20000 + "x", " lol" * 5000 + " x", "\U0001f602 " * 10000, "a lol, " * 2800,
                                  "hang " + " haha" * 3900, "Hale \u2620 lol " * 1800, "kill Hale \u2620 lol " * 1200,
                                  "Kill \u2620 lol, " * 1800, "line the \u2620 lol " * 1300, "Line the Hale " * 1400 + " up against a wall lol",
                                  " :)" * 6000, "a :d, " * 3000, " " + "ha" * 9990, "\U0001f926\u200d\u2642\ufe0f" * 5000,
                                  # ... and a joke said to be one: "jk", "/s", "(lol)".
                                  " jk" * 6600 + " x", " /s" * 6600, " (lol)" * 3300, "a /s, " * 3300, " [jk] *" * 2800,
                                  " j/k" * 5000, "hang m/s " * 2200, " just kidding" * 1500 + " x",
                                  # ... a slur for one person, an animal like a person, a beating at a game.
                                  "kill that sand " * 1300, "i hate that " * 1600, "kill that chink in " * 1000,
                                  "if i had a dog that acted like " * 640, "If My Dog Acted Like Hargrove " * 650,
                                  "if my dog acted like the " * 800 + "i would", "Hargrove put it down " * 1000,
                                  "If My Dog Acted Like Mayor Don Hale " * 450, "if my dog was like the doctor " * 650,
                                  "someone should beat him senseless at chess. " * 450,
                                  "I will beat Him Senseless At Mario Kart In The " * 400,
                                  "someone should beat him senseless at chess " + "a " * 9000,
                                  # A standards editor's audit: a link's query spaced out, before its number.
                                  "a . jpg ? 1234567890 " * 950, "? a = " * 3300 + "1234567890", "& " * 9990 + "= 12",
                                  # ... a group among "other" trash, its adjective alone, one for all.
                                  "somalis and other " * 1100, "somalis and other a b " * 900, "black are the worst " * 1000,
                                  "the jew is a " * 1500, "the jew is nothing but a big " * 700,
                                  # ... and threats: a plea, put down like dogs, by the neck, a wish, the earth rid.
                                  "will someone please kill the " * 700, "they should be put down like a " * 650,
                                  "should all have been summarily " * 650, "hang this a b " * 1400 + "by the neck",
                                  "too bad someone didn't just " * 700, "wish someone would " * 1000,
                                  "rid the a b " * 1600 + "from the face of", "find them and " * 1400, "shoot them " * 1800,
                                  # ... and a plea to stop (urging_self_harm).
                                  "stop trying to " * 1400 + "kill yourself", "stahp " * 3300 + "kys",
                                  # A UK news group's veiled threats (veiled_threats.py) and a home told (F7).
                                  "someone in his estate will sort him " * 550, "the lights " * 2000 + "should be strung up",
                                  "a should be strung " * 1100, "a. b should be strung up by " * 700, "string the a " * 1600,
                                  "better hope i never find out where " * 570, "if i find out where he lives i'll " * 580,
                                  "we've found out where he " * 800, "i know which school his kids " * 690,
                                  "we know where your " * 1050, "we know what car he " * 1000,
                                  "hope a b c gets what's coming " * 660, "hope the devs a b c d get " * 770,
                                  "i hope they get shot of " * 830, "someone should pay him a " * 800,
                                  "he's not safe round " * 1000, "if the courts won't deal with him " * 580,
                                  "watch what happens to your " * 740, "give a b c the jo cox " * 900,
                                  "some of us will be down there with " * 570, "watch your back on that " * 830,
                                  "haven't forgotten what he did " * 690, "traitors who should be dealt with " * 580,
                                  "put petrol through his " * 870, "the planning officer lives on " * 660,
                                  "he lives on a b c " * 1100, "My gran lives on " * 1200 + "Elm Road",
                                  # A trust & safety lead's platform hate: plural slurs, codes, polite exclusion.
                                  "so many chinks in the " * 1000, "chinks in the " * 1500, "trannies " * 2500 + "gearbox",
                                  "\"pajeets\" " * 2000, "words like kikes and " * 1000, "called us spics " * 1300,
                                  "coons in the " * 1800, "13/50 " * 3000, "the 13% " * 2500, "13% of the population " * 900,
                                  "1488 " * 4000, "14/88 " * 3000, "in 1488 " * 2500, "the ovens are still warm for " * 700,
                                  "send these people back " * 900, "41% " * 5000 + "finish the job", "join the 41% of " * 1200,
                                  "finish the job " * 1300 + "41%", "zog " * 5000, "dancing israelis myth " * 900,
                                  "\U0001f30d\U0001f443" * 5000, "holocaust was a " * 1200,
                                  "people who say the holocaust was " * 600, "6 million? more like " * 900,
                                  "great replacement isn't a " * 800, "remigration " * 1700, "(" * 20000, "((( a " * 3300,
                                  "(((" + "a" * 19000, "(((" + "a " * 9000, "((( hugs ))) " * 1500, "gay people , i just " * 1000,
                                  "gay people " * 1800 + "they shouldn't be allowed near children",
                                  "trans people should be kept " * 700, "women genuinely can't " * 900,
                                  "asians can't drive " * 1000, "go back to your reservation " * 700,
                                  "did you learn english on the " * 700, "muslims are a and " * 1100,
                                  "muslims are " + "a " * 9000 + "and shouldn't be allowed to vote", "keep the old " * 1500,
                                  # A platform's threats (platform_threats.py): groups, a shot, a place, a volunteer.
                                  "string them up from the " * 850, "hang every muslim " * 1100, "just shoot them at the " * 900,
                                  "shoot every last one of them at the " * 550, "the wall " * 2200 + "put machine guns on it",
                                  "wall put some " * 1500, "a few rounds in the " * 1000, "i'd run over every " * 1100, "i'd stab every " * 1300,
                                  "every black " * 1700, "any trans in the " * 1200 + "will get dragged out by me",
                                  "every muslim will get " * 900,
                                  "put them back in the " * 950, "i'd beat it out of " * 1000, "i'd never " * 2200,
                                  "she needs to be put in her place and i'd " * 480, "i hope your " * 1700 + "burns down with you in",
                                  "hope a b c d e " * 1400,
                                  # ... and a person's: an address, a dox, a bullet in the head, a firing squad.
                                  "keep talking and i'll find your " * 620, "i know people in your " * 900, "im gonna dox " * 1500,
                                  "post your address then " * 870, "i will find you and make you " * 690,
                                  "someone should put a bullet in that " * 570, "put a bullet through his " * 800,
                                  "deserves a firing squad " * 830, "deserves the rope " * 1100,
                                  # ... and a phone after a labelled id, read back 48 characters from each candidate.
                                  "revisions 1184773201 and 07700 900123 " * 520])
def test_a_hostile_long_text_costs_every_rule_little(text):
    import time

    rules = Compiled(validate_rules(ALL_KINDS))
    started = time.process_time()
    rules.evaluate(text, Facts(author_id="a"))
    # ~0.05 s on a quiet machine; a quadratic pattern takes 20 s. This process's CPU time, not the
    # clock's: a busy machine held the process up for seconds (CI saw 5 s for one case) without
    # the evaluation costing more.
    assert time.process_time() - started < 5.0


def test_an_attack_on_a_group_waits_in_the_queue_behind_no_insult_and_no_reported_civil_comment():
    rules = Compiled(validate_rules([{"name": "hate", "kind": "group_attack"}, {"name": "doxxing", "kind": "street_address"}]))
    facts = Facts(author_id="a")
    civil = Verdict("published", [], 0.75)  # "I hate women.": toxicity 0.38 over 0.508
    hate = apply_hits(civil, rules.evaluate("I hate women.", facts))
    doxxing = apply_hits(civil, rules.evaluate("She lives at 12 Oak Street", facts))
    kind_curse = Verdict("held", ["toxicity", "profanity"], 1.52)  # "Holy shit, that is great news"
    reported_civil = 2.10  # "What about our own homeless?": toxicity 0.05, two readers' "hate" reports
    assert (hate.status, doxxing.status) == ("held", "held")
    # Someone's address above a kind curse (a crime desk's walk: a witness's address last in the queue).
    assert kind_curse.priority < doxxing.priority < reported_civil < hate.priority
    # Among comments a rule ranks alike, the one the model flagged too comes first, below no stronger rule's.
    already_held = apply_hits(Verdict("held", ["toxicity"], 1.2), rules.evaluate("Immigrants are vermin.", facts))
    assert hate.priority < already_held.priority < 3.1


def test_threats_the_rule_holds_are_ordered_by_how_sure_the_model_is_not_tied():
    rules = Compiled(validate_rules([{"name": "threats", "kind": "threat_words"}]))
    facts = Facts(author_id="a")
    plain = apply_hits(Verdict("published", [], 0.1), rules.evaluate("Referees like Hargrove have accidents.", facts))
    cruder = apply_hits(Verdict("held", ["toxicity"], 1.9), rules.evaluate("Hope the fucking ref gets hit by a bus", facts))
    surest = apply_hits(Verdict("held", ["threat"], 4.5), rules.evaluate("I will kill you", facts))
    assert 4.0 < plain.priority < cruder.priority < surest.priority
    assert apply_hits(Verdict("held", ["toxicity"], 1.9), []).priority == 1.9  # no rule, the model's own


def test_a_threat_ranks_above_an_attack_on_a_group_and_a_reported_insult():
    rules = Compiled(validate_rules([{"name": "threats", "kind": "threat_words"}, {"name": "hate", "kind": "group_attack"}]))
    civil = Verdict("published", [], 0.12)  # "I know where you live and I'm coming for you": toxicity 0.06
    facts = Facts(author_id="a")
    threat = apply_hits(civil, rules.evaluate("I know where you live and I'm coming for you", facts))
    hate = apply_hits(civil, rules.evaluate("I hate women.", facts))
    reported_insult = 3.45  # "Ortega is a corrupt crook": insult over its threshold and two reports
    assert threat.status == "held" and threat.priority > reported_insult and threat.priority > hate.priority


def test_a_threat_the_model_flags_ranks_with_the_rudest_insult():
    policy = Policy(thresholds={"toxicity": 0.5, "threat": 0.66}, report_threshold=2.0)
    threat = decide(policy, {"toxicity": 0.3, "threat": 0.7})
    insult = decide(policy, {"toxicity": 0.99, "threat": 0.0})
    assert threat.status == insult.status == "held" and threat.priority > insult.priority


@pytest.mark.parametrize("text, found, written", [
    ("I will r*** you.", "rape", "r***"), ("Go away you ugly c***.", "cunt", "c***"),
    ("Shut up you d***.", "dick", "d***"), ("Jane Doyle is an ugly s***.", "slut", "s***"),
    ("Mark Evans is a p***o and we all know it.", "paedo", "p***o"),
])
def test_a_masked_word_is_quoted_as_written_not_as_another_word_of_its_length(text, found, written):
    """A red-team walk: 'banned word: "paedo" written "Evans"' marked a person's name, and a
    moderator reading it may approve a false positive."""
    [hit] = Compiled(validate_rules([{"name": "b", "kind": "banned_words", "words": [found]}])).evaluate(
        text, Facts(author_id="a"))
    assert hit.reason == f'banned word: "{found}" written "{written}"'


@pytest.mark.parametrize("kind, text", [
    ("threat_words", "Someone should \u202etoohs\u202c the mayor."),  # a browser shows "shoot"
    ("threat_words", "I know where you \u202eevil\u202c"),
    ("group_attack", "I \u202eetah\u202c women."),
])
def test_threats_and_hate_written_backwards_under_a_bidi_override_fire_as_shown(kind, text):
    """An international newsroom's walk: all three were published, the rules reading "toohs"."""
    assert fired({"kind": kind}, text)


@pytest.mark.parametrize("words, text, action, reason", [
    (["ano"], "Feliz año nuevo a todos.", "hold", 'banned word: "ano" written "año"'),
    (["schwul"], "Heute ist es sehr schwül draußen.", "hold", 'banned word: "schwul" written "schwül"'),
    (["cop"], "много сор", "hold", 'banned word: "cop" written "сор"'),            # Russian "rubbish"
    (["хер"], "the xep protocol", "hold", 'banned word: "хер" written "xep"'),
    (["урод"], "ты урод", "reject", 'banned word: "урод"'),                     # not "ypod", as it read
    (["stupid"], "ѕtupid", "reject", 'banned word: "stupid" written "ѕtupid"'),  # scripts mixed: obfuscation
    (["stupid"], "ｓｔｕｐｉｄ", "reject", 'banned word: "stupid" written "ｓｔｕｐｉｄ"'),
    (["stupid"], "what a STUUUPID idea", "reject", 'banned word: "stupid" written "STUUUPID"'),
])
def test_a_banned_word_matched_only_by_folding_another_languages_letters_is_held_not_rejected(
        words, text, action, reason):
    """An international newsroom's walk: a German site's banned "schwul" rejected "schwül" (humid)."""
    [hit] = Compiled(validate_rules([{"name": "b", "kind": "banned_words", "words": words}])).evaluate(
        text, Facts(author_id="a"))
    assert (hit.action, hit.reason) == (action, reason)


@pytest.mark.parametrize(("kind", "text"), [
    ("threat_words", "I will 🔪 you"), ("threat_words", "Someone should 🔫 the mayor"),
    ("threat_words", "I will 🔪\ufe0e you"), ("threat_words", "I will 🔪🏻 you"),  # a second re-check
    ("threat_words", "The mayor should be 🔫"), ("threat_words", "The judge deserves a 🔫"),
    ("threat_words", "i hope you catch 🦠 and ☠️"), ("urging_self_harm", "Go 🔫 yourself"),
    ("group_attack", "All immigrants are 🐀🐀🐀"), ("group_attack", "Muslims are 🐷"),
    # "=" for "are", and the snake the picture reads as (last stop's leftovers: both were published).
    ("group_attack", "Immigrants = 🐀"), ("group_attack", "Refugees=🐀🐀"), ("group_attack", "Jews are 🐍"),
    ("group_attack", "Muslims = terrorists"), ("group_attack", "Immigrants == rats"),  # a re-check
])
def test_a_picture_standing_for_the_word_is_read_by_the_phrase_rules(kind, text):
    """A trust and safety walk: "I will 🔪 you", "Go 🔫 yourself" and "All immigrants are 🐀🐀🐀" were
    published, none read by the rules written for them."""
    from moderation.domain.rules import phrase_found

    assert phrase_found(kind, text) is not None


@pytest.mark.parametrize("text", ["My chef knife 🔪 is so sharp", "Slice the 🍅 with a 🔪", "This game is 💣",
                                  "Pass the 🔪 please", "I'll 🔪 the cake after dinner", "Year of the 🐀",
                                  "The 🐀 in my kitchen are back", "That goal was 🔥 and I'm 💀",
                                  "Price per 🐷 = £40", "Immigrants = hard workers", "Year of the 🐍 = 2025"])
def test_pictures_in_ordinary_comments_are_no_threat_or_attack(text):
    from moderation.domain.rules import phrase_found

    assert [k for k in ("threat_words", "group_attack", "urging_self_harm") if phrase_found(k, text)] == []


def test_saving_rules_that_take_rules_away_is_refused_in_the_domain_unless_asked(app, site):
    """A newcomer's read: the refusal lived in the rules page's route, so any other way of saving rules
    would have taken the threat and personal-information rules away unasked."""
    from moderation import db
    from moderation.domain.rule_sets import TakesAway, current_rule_set, save_rules
    from moderation.domain.rules import validate_rules as valid
    from moderation.models import Site

    with app.app_context():
        row = db.session.get(Site, site.id)
        save_rules(db.session, row, valid([{"name": "threats", "kind": "threat_words"},
                                           {"name": "phones", "kind": "phone"}]), actor="test")
        db.session.commit()
        with pytest.raises(TakesAway) as refused:
            save_rules(db.session, row, valid([{"name": "phones", "kind": "phone"}]), actor="test")
        assert refused.value.removing == ["threats"] and refused.value.protective == ["threats"]
        db.session.rollback()
        # Every rule taken away is asked about, whoever saves: the form had asked of the protections
        # only, and saved a refused paste with the personal-information rules gone (a tester's walk).
        with pytest.raises(TakesAway) as refused:
            save_rules(db.session, row, valid([{"name": "threats", "kind": "threat_words"}]), actor="test")
        assert refused.value.removing == ["phones"] and refused.value.protective == []
        db.session.rollback()
        # Agreed by name: agreeing to one takes away no other.
        with pytest.raises(TakesAway) as refused:
            save_rules(db.session, row, valid([]), actor="test", take_away=["phones"])
        assert refused.value.removing == ["threats", "phones"]
        db.session.rollback()
        assert save_rules(db.session, row, valid([{"name": "threats", "kind": "threat_words"}]), actor="test",
                          take_away=["phones"]) is not None
        db.session.commit()
        save_rules(db.session, row, valid([]), actor="test", take_away=True)
        db.session.commit()
        assert current_rule_set(db.session, site.id).rules == []


def test_what_a_save_takes_away_is_each_rule_in_force_it_no_longer_holds_by_name_or_by_what_it_holds():
    from moderation.domain.rule_sets import taken_away
    from moderation.domain.rules import validate_rules as valid

    in_force = valid([{"name": "phones", "kind": "phone"}, {"name": "slurs", "kind": "banned_words", "words": ["x"]},
                      {"name": "threats", "kind": "threat_words"}])
    same = [dict(rule) for rule in in_force]
    assert taken_away(in_force, same) == []
    # Renamed, or its words or reason changed, a rule is kept; a word list renamed and changed is not.
    renamed = [{**same[0], "name": "phone-numbers"}, {**same[1], "words": ["x", "y"], "reason": "ours"}, same[2]]
    assert taken_away(in_force, renamed) == []
    assert taken_away(in_force, [same[0], {**same[1], "name": "slurs-2", "words": ["y"]}, same[2]]) == ["slurs"]
    # Kept by name as a flag, or as another kind, holds nothing it held; a reject for a hold still holds.
    assert taken_away(in_force, [{**same[0], "action": "flag"}, same[1], {**same[2], "action": "reject"}]) == ["phones"]
    assert taken_away(in_force, [{**same[0], "action": "flag", "name": "p2"}, same[1], same[2]]) == ["phones"]
    assert taken_away(in_force, [same[0], same[1]]) == ["threats"]
    # Two alike renamed into one: one of them is taken away.
    twins = valid([{"name": "a", "kind": "email"}, {"name": "b", "kind": "email"}])
    assert taken_away(twins, valid([{"name": "c", "kind": "email"}])) == ["b"]


def test_the_kinds_that_hide_while_held_are_the_ones_their_kinds_say():
    """A newcomer's read: what a kind means was kept in seven modules' lists, where one missed fails
    silently. Each kind says it now; lifecycle, which the rules import, keeps its own list, held to it."""
    from moderation.domain.lifecycle import BAN_EVASION_KIND, HIDING_RULE_KINDS
    from moderation.domain.rules import KINDS, READ_LIMIT_KIND

    assert set(HIDING_RULE_KINDS) == {name for name, kind in KINDS.items() if kind.hides_while_held} | {
        READ_LIMIT_KIND, BAN_EVASION_KIND}


def test_a_sites_word_list_can_rank_what_it_holds_with_threats():
    """A derby desk's list of threats against its referee's family held "I hope Pritchard's kids get hit
    by a bus." 153rd of 195, below celebrations held for swearing."""
    from moderation.domain.errors import ValidationFailed
    from moderation.domain.rules import Compiled, Facts, rule_priority, validate_rules

    rules = validate_rules([{"name": "family", "kind": "suspect_words", "words": ["Pritchard's kids"], "ranks_with": "threats"},
                            {"name": "swearing", "kind": "suspect_words", "words": ["fucking"]}])
    assert rules[1]["ranks_with"] == "suspect words"
    family = Compiled(rules).evaluate("I hope Pritchard's kids get hit by a bus.", Facts())
    swearing = Compiled(rules).evaluate("Get in you fucking beauty!", Facts())
    assert rule_priority(0.5, family) >= 4 > 1 <= rule_priority(0.5, swearing) < 2
    with pytest.raises(ValidationFailed) as refused:
        validate_rules([{"name": "x", "kind": "banned_words", "words": ["y"], "ranks_with": "urgent"}])
    assert refused.value.field == "rules[0].ranks_with"


@pytest.mark.parametrize(("kind", "text"), [
    ("threat_words", "Your family won't be safe after that decision."), ("threat_words", "His family won't be safe after that decision."),
    ("threat_words", "I hope his kids get knocked over by a bus"), ("threat_words", "Doyle will end up in the river like the last ref"),
    ("group_attack", "Throw Mensah some bananas"),
])
def test_a_second_re_checks_variants_of_the_derby_nights_abuse_are_held(kind, text):
    from moderation.domain.rules import phrase_found

    assert phrase_found(kind, text) is not None
