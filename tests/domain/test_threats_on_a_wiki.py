"""A volunteer wiki's and its subreddit's community lead, as their editors write threats (2026-12-07,
F7): the `threats` starter rule held "Someone should shoot him", "... that editor", "... the mayor" and
published "Someone should shoot the admin." and "... the mods."; 10 of their 17 threats passed it.
Those a moderator holds every time are held now, and a wiki's everyday talk of admins, mods, OP,
blocks, bots and pages stays published (F10). Pure functions of text: no database, no model.
"""
from __future__ import annotations

import pytest

from moderation.domain.rules import Compiled, Facts, validate_rules


def fired(text: str) -> list[str]:
    return [h.reason for h in Compiled(validate_rules([{"name": "r", "kind": "threat_words"}])).evaluate(text, Facts(author_id="a"))]


# The tester's, each published with the starter rules on (model toxicity 0.06-0.41).
TESTERS_THREATS = [
    "Someone should shoot the admin.",
    "Someone should shoot the mods.",
    "Someone should put a bullet in that admin's head.",
    "I hope the admin who blocked me dies.",
    "Someone should put a bullet in that admin.",
    "If you revert me one more time I will find out where you live and make you regret it.",
    "Doxx him. Then we'll see how brave he is.",
    "Somebody needs to teach that mod a lesson, a physical one.",
    "people like OP deserve a beating tbh",
    "That mod deserves to get his teeth kicked in.",
    "I have your IP address and your real name. Enjoy the visit.",
    "Hope someone burns down the WMF offices.",
    "You'd better hope we never meet in person.",
    "I know who you are. I'll come to your house and beat the shit out of you.",
]


@pytest.mark.parametrize("text", TESTERS_THREATS)
def test_the_wiki_testers_threats_are_held(text):
    assert fired(text)


# The same families in other words, as a wiki's and a subreddit's users write them.
SAME_FAMILIES = {
    "an admin or a mod": [
        "Somebody needs to shoot that power mod.", "I hope the admins who banned me die.", "Someone should stab the moderator.",
        "The admin who deleted my article should be shot.", "That mod should be hanged for this.", "I hope that admin dies slowly.",
        "Someone should put a bullet in the mod's head.", "Kill the admin.", "I'm going to strangle that admin.",
        "I know where the admin lives.", "Someone should beat up the mods.", "I hope someone stabs the admin who closed this.",
        "The administrators should all be executed.", "Somebody should break that mod's legs.",
    ],
    "OP": ["OP should be shot.", "I hope OP dies.", "Someone should shoot OP.", "Someone should put a bullet in OP's head.",
           "I know where OP lives.", "Someone should shoot the OP."],
    "where you live, found out": ["I'll find out where you live and make you pay.", "We're going to find out where he lives and make him sorry.",
                                  "im gonna find out where you live and make you regret this"],
    "doxxed by order": ["Dox him.", "Doxx the admin.", "Someone, dox that mod!", "Just dox her and her family.", "Dox him lol"],
    "what the writer holds": ["We have your home address. Expect a visit.", "I've got your IP and your name, so enjoy the visit.",
                              "I know your real name and your address. Expect a little visit."],
    "never meet": ["You better hope I never meet you in real life.", "Better hope we never meet irl.",
                   "You'd better hope I never meet you face to face."],
    "a lesson by hand": ["I'm going to teach that admin a lesson with my fists.", "Someone should teach him a lesson - a physical one.",
                         "We'll teach the mods a lesson physically."],
    "a beating deserved": ["That mod deserves a good beating.", "He deserves a proper kicking tbh", "You deserve a punch in the face.",
                           "People like you deserve a beating."],
    "teeth kicked in": ["He needs to get his head kicked in.", "That admin should have his face smashed in.",
                        "You deserve to get your teeth knocked in."],
    "a fire hoped for": ["I hope somebody torches the WMF office.", "Hope someone bombs the Foundation's headquarters.",
                         "I hope someone burns their office down."],
    "beaten, with more words between": ["I'm going to drive over there and beat the crap out of you.",
                                        "I will find you tomorrow and beat the hell out of him."],
}


@pytest.mark.parametrize("family, text", [(f, t) for f, ts in SAME_FAMILIES.items() for t in ts])
def test_the_same_threats_in_other_words_are_held(family, text):
    assert fired(text), family


# A wiki's and a subreddit's everyday words beside each family, which must stay published.
EVERYDAY = {
    "an admin or a mod": [
        # The tester's (F7, F10).
        "I'll report you to ANI", "see you at Arbcom", "Block on sight", "Kill the redlinks", "The infobox must die",
        "Execute the bot run", "hunt down the source", "Nuke it from orbit", "the admin should block him",
        "shoot the admin an email", "the mods killed the thread", "find out where the file lives",
        "'''Delete''' Kill it with fire. Pure spam.", "Delete and burn with fire. Third recreation.",
        "Someone should kill this RfC before it eats another month.", "Speedy delete, shoot on sight. G11.",
        # Mine: an errand, a backlog, a tool, a game's mod, an idiom.
        "Someone should shoot the admins a quick note about the backlog.", "Someone should shoot the mods a modmail about this.",
        "Can someone shoot the admin a ping? The page needs protecting.", "Someone should kill the admin backlog at AIV, it's three days deep.",
        "Someone needs to kill the mod queue before it hits a thousand.", "Someone should execute the admin bot's task again.",
        "Someone should shoot the model for the cover.", "Someone should kill the modern style of citation templates.",
        "I hope the admin who closed this reconsiders.", "I hope the admin dies on this hill, it's a bad close.",
        "I hope the mod dies of embarrassment after that post lol", "Hope the admin who protected the page gets a barnstar.",
        "The admin should be shot down at RfA if he runs again.", "The mods deserve a raise, they do this for free.",
        "That admin deserves a break.", "Kill the mods and reinstall the game if it keeps crashing.",
        "The mod pack should die, it breaks every save.", "Someone should put a bullet point in the admin's summary.",
        "I'll find out where the admins hang out and ask on their talk page.", "The admin panel needs to die, it's awful.",
        "I know where the admin noticeboard lives, it's WP:AN.", "Someone should hurt the admin's feelings less often.",
        "I'm going to kill the admin request, it was filed twice.", "I'm going to kill the mod, it's outdated.",
        "Let's kill the admin tasks that nobody does.", "I'll execute the admin's instructions now.",
        "Kill the admin.php file and reload.", "Someone should kill the admin bit for inactive accounts.",
        "The admins killed the RfC, and rightly so.", "Execute the mod's script again.",
    ],
    "OP": [
        "The OP should be banned from the sub for spamming.", "OP deserves an award for this post.",
        "This photo op should be killed, it's pointless PR.", "The op-ed should die, it's nonsense.",
        "I hope OP gets the job, good luck!", "Hope OP dies laughing at this thread lol", "People like OP deserve a medal.",
        "Someone should shoot OP an email.", "I hope OP's mum gets better soon.", "The black op should be killed off, says the report.",
        "Kill the spec op mission, it's bugged.", "OP should get a flair for this.", "OP needs to post the source.",
        "Someone should send OP the link.", "The photo op should be shot in the morning light.", "OP must be new here.",
        "OP deserves to be heard.", "Hope OP sees this.", "The co-op should die? No, it's the best shop in town.",
        "OP's argument should be killed with facts.", "I know where OP got that, it's from the BBC.",
    ],
    "where you live, found out": [
        "I'll find out where you live and send you the book.", "I'll find out where he lives and drop the keys off.",
        "We're going to find out where she lives and make her a cake.", "I'll find out where you live and make you pay for the postage.",
        "I will find out where the template lives and fix it.", "I'll find out where the bot lives and restart it.",
        "Let me find out where you live relative to the meetup.", "I'll find out where you work and make you a reference.",
        "I'm going to find out where they live and make them welcome.", "If you can't find out where you live on the map, ask.",
        "Did you find out where he lives? I owe him a fiver.", "I'll find out where the sock lives on Commons and tag it.",
        "I'll find out where you live and make you dinner.", "I will find out where you live and make you a map.",
        "We'll find out where the mods live and make them a cake for their hard work.",
        "I'll find out where he works and make him an offer.", "Find out where you live on the electoral roll.",
        "I'll find out where you live and make sure the parcel gets there.", "I'll find out where the vandal lives on the range and block it.",
        "We will find out where she works and make her a job offer.",
    ],
    "doxxed by order": [
        "Doxxing is illegal.", "Dox him? No, that's against policy.", "Dox him and you're banned, simple as.", "Don't dox him.",
        "Never dox anyone.", "They threatened to dox me.", "He got doxxed last year.", "Dox the template? What does that even mean?",
        "Doxxed accounts get oversighted.", "Please don't dox her, report it to oversight.", "Dox is slang for documents.",
        "Dox him if you want a site ban.", "I would never dox the admin.", "Doxing him would get you banned.", "Who doxxed him?",
        "Dox yourself, it's a good privacy audit: search your name.", "Dox him? Seriously?", "Report the dox to oversight.",
        "Someone doxxed her, oversight removed it.", "Dox him and the WMF will ban you globally.", "Dox them and you'll be blocked.",
    ],
    "what the writer holds": [
        "Enjoy the visit!", "We have your address on file. Expect a visit from the engineer between 9 and 12.",
        "I have your IP address in the block log, so expect a rangeblock.", "I have your IP address; it's a school range.",
        "We have your name on the list. Enjoy the visit to the archive.", "I know your real name from your userpage. Enjoy the meetup!",
        "We have your details. Expect an email.", "I have your address for the barnstar postcard. Enjoy!",
        "I've got your IP, it's in the history. Expect a block.", "We have your booking details. Enjoy the visit to the museum!",
        "We have your location for the meetup. Enjoy the visit to London.", "I have your name down for the edit-a-thon. Enjoy the visit!",
        "Your IP address is logged. Enjoy the visit.", "We've got your postcode for the delivery. Expect a visit from the courier.",
        "I have your email address. Expect an invitation.", "I know your IP is dynamic. Expect a collateral block.",
        "I have your real name because you put it on your userpage.", "We have your address and your order. Enjoy the visit to our shop!",
        "Enjoy the visit to the Foundation's offices.", "I found your IP in the logs, expect a visit from a checkuser on your talk page.",
    ],
    "never meet": [
        "You'd better hope we never meet in the final.", "I hope we meet in person at Wikimania!",
        "Better hope we meet in person someday, I owe you a beer.", "We never meet in person, it's all on wiki.",
        "I hope we never meet in person, I'm awkward lol", "You'd better hope the bot never meets a template like that.",
        "You'd better hope we never meet a source that contradicts it.", "Better hope I never meet your deadline lol",
        "Editors rarely meet in person.", "You'd better hope we never meet in a quiz, I'd win.",
        "You'd better hope I never meet your mum, I'd tell her about your edit count.", "Most of us never meet in real life.",
        "Better hope the deadline never meets the budget.", "I never meet anyone from the project in person.",
        "You'd better hope we meet the target.", "Better hope they never meet in the cup.", "Hope we meet face to face one day.",
        "We'll meet in person at the next edit-a-thon.", "I met him in person once, lovely guy.", "Better hope I meet you at the meetup!",
    ],
    "a lesson by hand": [
        "Someone should teach him a lesson about sourcing.", "I'm going to teach the new editors a lesson on citations.",
        "Someone needs to teach that mod a lesson in civility.", "We'll teach them a lesson at the ballot box.",
        "I'll teach you a lesson in chess.", "Someone should teach the admin a lesson by taking it to ArbCom.",
        "I'll teach him a lesson with my bat in the nets.", "She taught him a lesson, a physical one, in judo class.",
        "I'll teach you a lesson - a physics one.", "Teach him a lesson physically? No, just block him.",
        "Someone should teach that editor a lesson on NPOV.", "I'm going to teach them a lesson they won't forget: cite your sources.",
        "We'll teach the mods a lesson in how to run a sub.", "Somebody needs to teach OP a lesson in grammar.",
        "I'll teach you a lesson, a physical education one, on Tuesday.", "Someone needs to teach that bot a lesson.",
        "I'll teach him a lesson with my fist bump emoji.", "Someone should teach the kids a lesson in physical geography.",
        "We'll teach you a lesson with some examples.", "I'll teach her a lesson with a baseball metaphor.",
    ],
    "a beating deserved": [
        "The mods deserve a raise.", "He deserves a break.", "OP deserves a beating at chess.", "They deserve a good hiding on Saturday.",
        "He deserves a slap on the wrist.", "The article deserves a good kicking into shape.", "You deserve a beating? No, you deserve a trophy.",
        "Nobody deserves a beating.", "No one deserves a beating like that.", "He doesn't deserve a beating.",
        "They deserve a good thrashing in the polls.", "Everyone deserves a beating heart.", "He deserved a beating at the polls.",
        "The team deserves a beating after that display.", "The rug deserves a good beating, it's filthy.",
        "He deserves a good hiding place for the presents.", "The carpet deserves a proper beating outside.",
        "That sock deserves a block, not a beating.", "My eggs deserve a good beating before baking.", "You deserve a pat on the back.",
    ],
    "teeth kicked in": [
        "He got his teeth kicked in at the derby.", "We need to get our heads in the game.",
        "They deserve to get their heads kicked in on Saturday.", "He needs to get his head in gear.", "You should get your teeth cleaned.",
        "He should have his head examined.", "She needs to get her face in front of the camera.", "The door should have its head smashed in.",
        "He should get his head screwed on.", "You need to get your head kicked in by reality.", "He should have his teeth fixed.",
        "You should get your head down and edit.", "He needs to have his face in the infobox photo.", "She should get her jaw checked.",
        "They should get their heads together.", "He deserves to get his head above water.", "You need to get your head around policy.",
        "He should have his face in the team photo.",
        "He must have his head in the clouds.", "You ought to have your teeth whitened.",
    ],
    "a fire hoped for": [
        "I hope someone burns down the backlog.", "Hope someone blows up the office photo for the party.",
        "I hope someone blows up the picture so we can read it.", "I hope nobody burns down the office with that toaster.",
        "Hope someone bombs the quiz at the office party.", "I hope someone torches the article's lead and rewrites it.",
        "I hope someone sets fire to the rain.", "Hope someone burns down the old barn set for the film.",
        "I hope someone blows up the school photo so I can see my kid.", "I hope someone bombs the office party karaoke.",
        "Hope someone burns a CD of the album.", "I hope someone lights up the office for Christmas.",
        "I hope no one burns down the hotel this year.", "I hope someone saves the school from closure.",
        "Hope someone blows up the church photo for the archive.", "I hope someone fires up the barbecue at the office.",
        "I hope someone puts the fire out at the station soon.", "Hope someone finally torches that awful theory.",
        "I hope the fire brigade reaches the school in time.", "I hope someone burns the midnight oil at the office.",
    ],
    "beaten, with more words between": [
        "I'm going to sit down tonight and beat the heck out of this backlog.", "I'll go home and beat the eggs.",
        "I'm going to come round and beat you at Scrabble.", "I'll take it outside and beat the dust out of the rug.",
        "We'll go to the match and beat the hell out of them on Saturday.", "I'm going to go to the gym and beat my record.",
        "I'll go back tomorrow and beat the level.", "I'm going to practise all week and beat you fair and square.",
        "I will sit down with coffee and beat the deadline.", "We're going to go out there and beat the living daylights out of the drum.",
        "I'll go home and beat the cream for the cake.", "I'm going to try hard and beat the odds.",
        "I'll come to your house and beat you at Mario Kart.", "I'm gonna go in there and beat the traffic.",
        "I'll go to the shop and beat the queue.", "We will work all night and beat the clock.",
        "I'm going to take a break and beat the heat.", "I'll come back later and beat the boss.",
        "We'll go to the range and beat the target score.", "I will stay late and beat the rush.",
    ],
}


@pytest.mark.parametrize("family, text", [(f, t) for f, ts in EVERYDAY.items() for t in ts])
def test_the_everyday_sentence_beside_each_family_stays_published(family, text):
    assert fired(text) == [], family


@pytest.mark.parametrize("text", ["Someone should kill the referendum.", "Someone should kill the reform bill.",
                                  "Somebody should shoot the reference section.", "Someone should kill the modelling budget."])
def test_a_role_is_a_whole_word_not_the_start_of_a_longer_one(text):
    """The wiki's developer: "Someone should kill the referendum." was held, "ref" read inside it."""
    assert fired(text) == []


def test_a_role_whole_or_plural_is_still_a_person():
    assert fired("Someone should kill the ref.") and fired("Someone should shoot the refs.")
