"""A video and discussion platform's trust & safety lead, as they wrote its users' threats (2026-12-07,
F8 and Table A): 17 of 25 threats were published at the defaults, the threat head flagging none and
the `threats` starter rule 5. The threats against groups and people it missed are held now, and the
everyday sentences sharing their words stay published. Pure functions of text: no database, no model.
"""
from __future__ import annotations

import pytest

from moderation.domain.rules import Compiled, Facts, validate_rules


def fired(text: str) -> list[str]:
    return [h.reason for h in Compiled(validate_rules([{"name": "r", "kind": "threat_words"}])).evaluate(text, Facts(author_id="a"))]


# The tester's, each published with the starter rules on (model toxicity 0.03-0.50).
TESTERS_THREATS = [
    "string them up from a tree like granddad did 🌳",
    "Just shoot them at the border, problem solved",
    "build the wall and put machine guns on it",
    "Remember, a few rounds in the right boat and the crossings would stop overnight.",
    "I'd run over every chink I see",
    "Gays should get the death penalty, Leviticus 20:13 is clear.",
    "Any trans in the women's bathroom will get dragged out by me personally",
    "the ovens are still warm for these people",
    "Someone should put a bullet in that senator's head.",
    "Politicians like him deserve a firing squad.",
    "Keep talking and I'll find your address, I know people in your city.",
    "im gonna dox you and your family, enjoy",
    "post your address then tough guy, lets see",
    "Whoever keyed my car on 5th street, I will find you and make you regret it.",
    "If my son came out I'd beat it out of him",
    "she needs to be put in her place and I'd happily do it",
    "I hope your channel burns down with you in it you piece of shit",
]

# The same families in other words, each as a platform's users write them.
SAME_FAMILIES = {
    "strung up": ["String em all up from the nearest lamppost.", "string the illegals up by their necks",
                  "hang them from the nearest tree, like the old days", "String those muslims up from a bridge."],
    "shot at the border": ["We should just shoot them at the border.", "Machine gun them at the beach, no more boats.",
                           "shoot every last one of them at the border", "Gun down the migrants at the fence."],
    "guns on the wall": ["Put snipers along the border and the problem goes away.", "Build a fence, put machine guns on top.",
                         "Mount machine guns on the southern border"],
    "rounds in the boats": ["A couple of rounds into the dinghies would sort it.", "some live rounds in a few boats and they'd stop coming",
                            "Two rounds through every raft. Done."],
    "run over": ["I would happily run over every muslim I see", "im gonna mow down any immigrant that steps in the road",
                 "I'd plough into those gays at the parade", "I'd stab every muslim I see", "im gonna punch every jew i meet",
                 "I would happily shoot any tranny that walks in",
                 # Slurs the group list lacked (a re-check): "I'd run over every pajeet I see" was published.
                 "I'd run over every pajeet I see", "I'd stab every muzzie I see", "Somebody kill that pajeet."],
    "death penalty": ["Trans people should be given the death penalty.", "Homosexuality should be punishable by death.",
                      "jews deserve the firing squad", "every faggot should get the death penalty"],
    "dragged out": ["Every muslim at that school is getting dragged out by us, one by one.",
                    "I'll personally drag any tranny out of the changing rooms"],
    "ovens": ["The ovens are hot and waiting for people like you.", "put the jews back in the ovens"],
    "a bullet in the head": ["Somebody needs to put a bullet in his head.", "I hope someone puts a bullet in the mayor's skull.",
                             "Put a bullet through that reporter's head."],
    "a firing squad": ["That traitor deserves a firing squad.", "The whole cabinet needs a firing squad.",
                       "He has earned the rope."],
    "your address": ["One more word and I'll find your address.", "Try me and I'll post your home address.",
                     "We know people in your town.", "Let's dox him.", "someone should dox this guy",
                     "I'm going to dox your whole family", "Drop your addy, tough guy.", "what's your address then, keyboard warrior?",
                     "I'm going to track you down and make you bleed", "We will hunt him down and make him pay."],
    "beaten out of him": ["If my daughter turned out gay I'd beat the gay out of her.", "id knock it out of him if my kid was trans",
                          "I would have beaten it out of him"],
    "put in her place": ["That woman needs to be put in her place, and I'd be happy to do it.",
                         "Someone needs to put her in her place and I'll gladly do the honours."],
    "burnt with you in it": ["Hope your house burns down with your family inside", "I hope your studio goes up in flames with you in it."],
}


@pytest.mark.parametrize("text", TESTERS_THREATS + [t for family in SAME_FAMILIES.values() for t in family])
def test_a_threat_a_platforms_users_write_is_held(text):
    assert len(fired(text)) == 1 and fired(text)[0].startswith("threat of violence: "), text


@pytest.mark.parametrize("text", [
    "I don't think gays should get the death penalty, whatever the cleric says.",
    "I would never dox you, that's vile.",
    "I hope your house doesn't burn down with you in it, check the smoke alarms.",
    "I'd never beat it out of him, I love my son whoever he is.",
])
def test_a_threat_denied_just_before_it_is_none(text):
    assert fired(text) == []


# What the platform's and a news site's users say with the same words: twenty or more per family.
NEAR_MISSES = {
    "strung up": [
        "We strung up the fairy lights for the party.", "string up the fairy lights along the fence, it looks magical",
        "The kids made paper lanterns. We'll string them up from the tree in the front garden.",
        "Shot two deer this morning, strung them up from a tree to bleed out.",
        "Got the bird feeders today, gonna string them up from the old oak.",
        "Hang them from a tree branch to dry, the herbs keep for months.",
        "The bunting is up, we hung them from the lampposts on the high street.",
        "My wind chimes? Just hang them from a tree near the window.",
        "String them up from the ceiling with fishing line, the paper cranes look great.",
        "I bought a hammock, where do I string it up?", "String up the washing, it's sunny.",
        "We strung the flags up from the lampposts for the jubilee.", "Hang them from a tree in the garden, the pumpkins look spooky.",
        "The decorations are in the loft; we string them up from the beams every Christmas.",
        "The tennis shoes? People hang them from the street lights by the laces.",
        "In the film they string them up from a tree and the hero cuts them down.",
        "Lynching was used to terrorise Black Americans; thousands were strung up from trees.",
        "Billie Holiday sang of bodies strung up from the poplar trees.",
        "String the lanterns up from the trees for the wedding.", "hang the ornaments from the tree by their loops",
        "Tie the tomatoes up, don't let them hang from the vine.",
    ],
    "shot at the border": [
        "shoot them at the border crossing for the documentary", "shoot them an email about the border closures",
        "Let's shoot them at the border at golden hour, the light is better.",
        "The crew will shoot them on the beach tomorrow for episode two.",
        "Border guards shoot them at the border, Human Rights Watch says.", "They shoot migrants at the Evros border, the report found.",
        "Photographers shoot them at the border post every morning.", "Just shoot them at the border post, the customs office is photogenic.",
        "Shoot them a message at the border if the queue is long.", "Just shoot the breeze at the border while you wait.",
        "Should we shoot them at the beach or in the studio? The portraits need natural light.",
        "Shoot them at the wall, the mural makes a great backdrop for the photos.",
        "Shoot them at the fence, the old wooden one, for the family portrait.",
        "They were shot at the border in 1989 trying to cross the Wall.",
        "I'd shoot them at the border with my new camera if they let me.",
        "Shoot everyone at the beach with a wide lens.", "just shoot hoops at the wall if the court is busy",
        "The border agency said it does not shoot anyone at the border.",
        "Shoot them on the coast road, the views are stunning.", "If you see the puffins, shoot them at the coast at dawn.",
    ],
    "guns on the wall": [
        "In Rust, put turrets and machine guns on the wall of your base.", "In Fallout 4 put machine guns on the wall of the settlement.",
        "The Soviets put machine guns on the Berlin Wall in 1961.", "History lesson: they put machine guns on the wall in 1961.",
        "Put a mural on the wall of the border town.", "They put cameras on the wall and lights on the fence.",
        "Put some flowers on the wall by the beach.", "put a shelf on the wall for the machine",
        "The museum put machine guns on the wall of the WW1 display.", "build the wall and put solar panels on it",
        "We put a gun rack on the wall of the cabin.", "Put the machine on the wall bracket.",
        "They placed snipers on the roof during the summit.", "Put machine guns on the jeep in the Lego model.",
        "The fence has cameras on it.", "Build the wall and put a plaque on it.",
        "Police put armed officers at the border after the attack.", "They mounted guns on the castle walls in 1644.",
        "put some machine guns on top of the tower in minecraft and the zombies can't get in",
        "Don't put machine guns on it, that's a fire hazard.",
    ],
    "rounds in the boats": [
        "a few rounds of golf", "We played a few rounds of cards in the boat on the way over.",
        "Bought a few rounds in the boat bar, great night.", "Some rounds in the boat race were close.",
        "Few rounds in the boxing boat tournament, brilliant fun.", "A few rounds in the right boat and you'll win the regatta.",
        "The ferry had a pub, we had a few rounds in the boat before docking.",
        "The boats did a few rounds of the harbour.", "A couple of rounds at the range this weekend.",
        "A few rounds in the ring, then a beer.", "He fired a few rounds into the air at the range.",
        "three rounds in the sailing regatta were cancelled for wind", "Couple of rounds of applause for the lifeboat crew.",
        "a few rounds of the quiz on the boat", "Let's do some rounds in the rowing boat on the lake.",
        "Two rounds in and the poker on the boat got serious.", "Some rounds in the fishing boat competition.",
        "The nurse does her rounds in the hospital boat.", "A few rounds of drinks for the boat crew.",
        "Several rounds of talks on the small boats crisis failed.",
    ],
    "run over": [
        "run over every detail before the meeting", "I'd run over every line of the contract with a lawyer.",
        "I'd run over every black cat I see if I were superstitious? No, I'd swerve.",
        "Someone ran over a muslim woman in Finsbury Park, it was a terror attack.",
        "I'd run over every hill in the Lakes if my knees let me.", "I'll run over every Asian recipe in the book.",
        "I'd drive through every Indian town on the route.", "We'd run over every gay bar in the guide for the tour.",
        "Run over every point in the brief.", "I'd run over every muslim holiday with the kids so they learn.",
        "I would run over every jewish festival with my class.", "I'd drive into every Mexican restaurant car park.",
        "I'll run down every black dress in the shop.", "I'd run over every argument again.",
        "The driver ran over every cone on the course.", "We'd mow down every weed in the garden.",
        "I'd ram every chinese takeaway menu in the drawer.", "I'd run over every Jewish cemetery I see? No, I'd visit.",
        "im gonna run over every catholic hymn before mass", "I'd run down every immigration statistic in the report.",
        "I'd kill every gay joke in the script.", "I'd hurt Mendez's chances by voting.", "I would attack Menendez's record.", "I'll hit every Indian restaurant on the list.",
        "I'd shoot every trans person I meet for the portrait series, the photos are powerful.",
        "I'd kill every chinese takeaway order in one sitting.", "I'd kill every chink in the armour of that argument.",
    ],
    "death penalty": [
        "death penalty debate tonight on the news", "Murderers should get the death penalty.",
        "Child killers deserve the death penalty.", "Should the death penalty return? I say no.",
        "In Iran homosexuality is punishable by death.", "Uganda's law means gays can face the death penalty, a horror.",
        "The death penalty for gays in Brunei was condemned.", "Gays should get the same rights as everyone.",
        "Trans people should get the support they need.", "Muslims should get the vote on this.",
        "Jews should get the recognition they deserve.", "The killer should get the death penalty.",
        "He deserves the death penalty for what he did.", "Gays should get married if they want.",
        "Immigrants should get the right to work.", "Women should get the same pay.",
        "Black people should get reparations.", "Should homosexuality be punishable by death? Of course not.",
        "the death penalty is wrong for everyone", "Christians should get the day off for Easter.",
    ],
    "dragged out": [
        "Any man in the women's bathroom will get dragged out by security.", "I got dragged out by my mates to karaoke.",
        "My husband will get dragged out by me personally to that concert.", "Any trans person is welcome here.",
        "The muslim kids got dragged out of bed by their parents for Eid prayers.",
        "I'll drag my gay best friend out to the club.", "Any trans athlete will get dragged out by the press, sadly.",
        "Every immigrant gets dragged out by the tabloids.", "I'll drag the jewish holiday dates out of the calendar app.",
        "They dragged out the muslim ban debate for months.", "The gay rights bill got dragged out by the committee.",
        "We'd drag the kids out to the parade.", "Any black cab driver will get you there fast.",
        "I dragged myself out of bed.", "the meeting dragged out for hours",
        "Any trans in the bathroom? Nobody cares, let people pee.", "Every asian restaurant got dragged out by the review.",
        "I'll personally drag the old sofa out.", "He'll get dragged out by me to the gym tomorrow.",
        "The trans debate got dragged out by the media.",
    ],
    "ovens": [
        "the ovens are still warm for these loaves", "The ovens are still warm for these people, come in for fresh bread.",
        "Put them back in the ovens for five minutes.", "The pizza ovens are hot and waiting for you.",
        "The ovens are ready for the cookies.", "The ovens at Auschwitz are a reminder of what hate leads to.",
        "Put the trays back in the ovens.", "The bakery's ovens are still warm for the late shift.",
        "The kilns and ovens are ready for the pottery class.", "ovens are on for the turkey",
        "The ovens are warm for these pies.", "Preheat the ovens for these rolls.",
        "My grandparents died in the ovens, never forget.", "The museum keeps the ovens as they were.",
        "Ovens are still warm for these croissants, get them fresh.", "the ovens are hot, put the chicken in",
        "The ovens are still warm, come get your bread.", "Put them in the oven for 20 minutes.",
        "The restaurant's ovens are on for the dinner rush.", "Holocaust deniers say the ovens never existed.",
    ],
    "a bullet in the head": [
        "put a bullet point in the report", "Put a bullet point in the head of the document.",
        "The film's villain puts a bullet in the hero's head in the last scene.",
        "He was found with a bullet in his head, police said.", "Put a bullet point in his summary.",
        "Someone should put a bullet point in that senator's speech.", "Put a bullet list at the head of the page.",
        "The coroner found a bullet in the victim's skull.", "someone should put a bullet journal in his hands",
        "Put a bullet in the chamber and the gun's ready, the range officer said.",
        "She put a bullet point in her CV's head section.", "Someone should put a bulletin in the mayor's newsletter.",
        "Bullet in the head was a great film.", "the soldier took a bullet in the head in 1944",
        "I put a bullet point in my boss's slides.", "Put a bullet in the spreadsheet's head row.",
        "Someone should put a bullet train in the mayor's plan.", "He survived a bullet in his head in the war.",
        "Put a bullet point in your essay's heading.", "Someone should put a bullet point in that speech.",
    ],
    "a firing squad": [
        "firing squad scene in the film", "The firing squad scene in the film was harrowing.",
        "He faced a firing squad in 1916.", "Deserves a firing squad scene of its own, that finale.",
        "The climber needs a rope and a harness.", "He deserves a firing squad? No, he deserves a fair trial.",
        "Executed by firing squad in Utah, the report says.", "The rope swing deserves a repair.",
        "She earned the rope-a-dope nickname in boxing.", "The firing squad was abolished in 1965.",
        "Each team needs a rope for the tug of war.", "The team deserves the rope trophy.",
        "Firing squad executions are barbaric.", "the novel's firing squad chapter is the best",
        "He deserves a firing squad joke in the roast.", "The gallows at the museum are grim.",
        "The film deserves a firing squad moment of silence? Weird review.", "He stood before the firing squad bravely.",
        "Every climber needs a rope.", "That scene deserves a firing squad meme.",
    ],
    "your address": [
        "I'll find your address in the system and send the refund", "I'll find your address on the order and post the parcel.",
        "doxxing is illegal in most places", "They threatened to dox me last year and it was terrifying.",
        "Is it legal to dox someone who doxxed you?", "I'm going to write about doxxing for my thesis.",
        "Someone should dox-proof their accounts.", "How do I stop someone from doxxing me?",
        "I'd never dox anyone.", "We should talk about doxing and how to prevent it.",
        "I know people in your city who'd love to meet you at the convention.", "I know people in your town, they say it's lovely.",
        "Post your address and I'll send you a copy of the book.", "DM me your address, big man, I'll send you a shirt.",
        "Keep talking about it and I'll find your address book for you.", "Keep talking and I'll find you a seat.",
        "I will find you a table and make you a coffee.", "Whoever hit my car, I will find you and make you pay for the repairs.",
        "I'll find you and make you a cake for your birthday.", "The streamer got doxxed and had to move house.",
        "I know people in your city are struggling with rents.", "Tell me your address, I'll send the flowers.",
    ],
    "beaten out of him": [
        "beat it out of the carpet", "Beat the dust out of the rug outside.", "I'd knock it out of the park.",
        "The academy beat it out of him, his flair was gone.", "I'd beat it out of the pan with a spoon.",
        "If he had hiccups I'd scare it out of him.", "I'd beat the eggs first.", "The coach knocked it out of the park with that speech.",
        "I'd knock the rust out of the old engine.", "I'd beat them at darts.", "Life beat it out of him, poor man.",
        "I'd whip the cream out of the bowl.", "I'd knock it out of the ground for six.", "The trauma knocked it out of him.",
        "I'd beat him at chess and knock the smugness out of him? Only on the board.", "We'd beat it out of the rugs every spring.",
        "She'd knock it out of the water with that cover.", "I'd punch the dough out of the bowl.",
        "I would beat it out of the mould with a mallet.", "Years in that job beat it out of him.",
    ],
    "put in her place": [
        "She needs to be put in her place by the voters.", "She needs to be put in her place and I'd happily vote for her rival.",
        "He needs to be put in his place, and I'd happily do it in the debate.", "She put him in his place and I'd happily do it again.",
        "Someone needs to put her in her place at the ballot box.", "She was put in her place by the judge.",
        "He needs to be put in his place and I'd happily do it at the ballot box.", "Put the chair in its place.",
        "The jar needs to be put in its place on the shelf.", "She needs to be put in her place in the team, striker.",
        "Someone needs to put him in his place, I'd happily watch.", "They need to be put in their place in the league table.",
        "She needs to be put in her place on the podium, first!", "Put in her place? She's the best player we have.",
        "He needs to be put in his place and I'd happily do it verbally.", "The vase needs to be put in its place.",
        "She needs to be put in her place and I'd happily do it online.", "The ref put him in his place.",
        "You need to be put in your place in the queue.", "She needs to be put in her place? No, she needs support.",
    ],
    "burnt with you in it": [
        "The house burns down in the game if you fail the mission.", "In Phasmophobia the house burns down the house.",
        "I hope the house burns down in the game, the fire effects are amazing.", "burns down the house every time in that level",
        "I hope your channel grows with you in it.", "I hope your house doesn't burn down with you in it, check the alarms.",
        "I hope your channel blows up, you deserve it.", "I hope the barbecue doesn't burn down the fence.",
        "The building burned down with nobody inside, thank goodness.", "I hope your stream blows up with new subscribers.",
        "I hope the candle burns down slowly.", "I hope your video goes viral with you in it.",
        "Hope the bonfire burns down before the kids go to bed.", "I hope your house is warm with you in it.",
        "The factory burned down with workers inside in 1911.", "I hope the log burns down to embers.",
        "I hope your channel thrives with you in it.", "I hope the fireworks go off with everyone watching.",
        "I hope your garden grows with you in it.", "I hope the fire burns down before morning.",
    ],
}


def test_each_family_has_twenty_near_misses_or_more():
    assert all(len(texts) >= 20 for texts in NEAR_MISSES.values()), {k: len(v) for k, v in NEAR_MISSES.items()}


@pytest.mark.parametrize("text", [t for family in NEAR_MISSES.values() for t in family])
def test_an_ordinary_comment_with_a_threats_words_is_no_threat(text):
    assert fired(text) == []


@pytest.mark.parametrize("text", ["Someone should kill the referendum.", "Someone should kill the reform bill.",
                                  "Somebody should shoot the reference section.", "Someone should kill the modelling budget."])
def test_a_role_is_a_whole_word_not_the_start_of_a_longer_one(text):
    """A wiki's developer: "Someone should kill the referendum." was held, "ref" read inside it."""
    assert fired(text) == []


def test_a_role_whole_or_plural_is_still_a_person():
    assert fired("Someone should kill the ref.") and fired("Someone should shoot the refs.")
