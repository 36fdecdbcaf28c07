"""A re-check of last stop's hate rules (rc-slurs, 2026-12-07): ordinary comments held by `group_attack`
and `threat_words` (and on the Perspective endpoint lifted to 0.95, which deletes them on a Coral site),
and spellings and wordings of hate the rules missed. Each family's own sentences, written beside the
re-check's. Pure functions of text: no database, no model.
"""
from __future__ import annotations

import pytest

from moderation.domain.rules import Compiled, Facts, validate_rules


def fired(text: str, kind: str) -> list[str]:
    rules = Compiled(validate_rules([{"name": "r", "kind": kind}]))
    return [h.reason for h in rules.evaluate(text, Facts(author_id="a"))]


NOT_GROUP_ATTACKS = {
    # Kike, a Spanish nickname (Enrique), two or more of them in a team talk, capitalised as a name.
    "two players called Kike": [
        "Both Kikes scored tonight", "Both Kikes scored tonight, what a night for Spain.",
        "The two Kikes were the best players on the pitch.", "Two Kikes on the scoresheet and Espanyol go top.",
        "Sevilla's two Kikes both start on Sunday.", "Los dos Kikes marcaron anoche.",
        "Three Kikes in one squad? Only in La Liga.", "Both Kikes were subbed off at half time.",
        "Can both Kikes play together up front?", "The three Kikes in the Spain squad all play in Andalusia.",
    ],
    # Transistor radios, in British and Australian English.
    "transistor radios": [
        "Those old Sony trannies were great for the cricket.", "Granddad listened to the cricket on one of those old trannies.",
        "Trannies from the 60s are collector's items now.", "My nan still has her trannies from the 70s.",
        "Dad had two Sony trannies, one for the kitchen and one for the shed.", "Old Philips trannies go for good money on eBay.",
        "We all had trannies from the 1970s glued to our ears for the Ashes.", "Nothing beat the old trannies at the races.",
        "Bakelite trannies are my dad's hobby.", "Grundig trannies were the best made, he swore by them.",
        "Everyone at the footy had trannies pressed to their ears.", "Hitachi trannies were cheap as chips back then.",
    ],
    # A coffee shop in Duluth, named as a place.
    "a coffee shop called Beaners": [
        "Meet me at Beaners after the council meeting.", "Beaners' lattes are the best in Duluth.",
        "Grabbed a coffee at Beaners before the game.", "The open mic night at Beaners was packed.",
        "We walked to Beaners in the snow.", "Beaners Central has live music on Fridays.",
        "There's parking behind Beaners, ask the barista.", "I left my scarf at Beaners, did anyone find it?",
        "The council candidates debated at Beaners last night.", "Just got back from Beaners, the chai is amazing.",
        "Beaners coffee is better than Starbucks, fight me.", "Meet outside Beaners at 7.",
    ],
    # A restaurant's, a hotel's or an airline's reservation.
    "a booking": [
        "Please go back to your reservation; the table is ready.", "Go back to your reservation time, we can't seat you early.",
        "I'll go back to your reservation desk tomorrow.", "Go back to your reservation, the table by the window is free now.",
        "Sir, please go back to your reservation, your dinner is getting cold.",
        "Go back to your reservation and pick another flight.", "Go back to your reservation, the restaurant moved you to 8pm.",
        "Go back to your reservation for the hotel and check the dates.", "Go back to your reservation, check-in opens at 3pm.",
        "Go back to your reservation, lunch is served at one.",
        "Go back to your reservation slot if you want the tasting menu.",
    ],
    # A grandparent's or a parent's story, asked of them or told beside it.
    "a family's crossing": [
        "Did you learn English on the boat over? My grandad did.",
        "You learned English on the boat to Australia, didn't you Nan?",
        "You learnt English on the boat, amazing story, Grandpa.", "Mum you learned English on the boat, tell them the story.",
        "Nan, you learned English on the boat from Naples, didn't you?",
        "Did you learn English on the boat too? My great-grandmother did, in 1912.",
        "Grandad, you learnt English on the boat over from Cyprus, right?",
        "You learned English on the boat, like my nonna did in 1955?",
        "Did you learn to speak English on the boat, or after? My grandparents never said.",
        "So you learned English on the boat to Sydney? My mum did the same.", "Dad you learned English on the boat, tell the kids.",
    ],
    # A law, a pamphlet or a speaker of the past told of.
    "a history lesson": [
        "Catholics shouldn't be allowed to hold public office, said the 18th century law; it was repealed in 1829.",
        "Catholics should not be allowed to hold public office, the Test Act said until 1829.",
        "Jews shouldn't be allowed to stand for parliament, said the law until 1858.",
        "Women should not be allowed to vote, declared the anti-suffrage league in 1910.",
        "Catholics must not be allowed to hold office, read the pamphlet of 1780.",
        "Atheists should not be allowed to hold public office, says the Texas constitution to this day.",
        "Catholics shouldn't be allowed to hold public office, according to the Act of Settlement.",
        "Mormons shouldn't be allowed to vote, the 1887 act said; it's a dark chapter.",
        "Catholics should be barred from public office, said the 1673 Test Act.",
        "\"Women shouldn't be in parliament,\" an MP argued in 1918, and he lost his seat.",
        "Jews should not be allowed to hold public office, the edict declared in 1290.",
    ],
}

STILL_GROUP_ATTACKS = [
    "so many Kikes in this thread", "Kikes run the banks", "Trannies have no place in women's sport",
    "so many trannies in this thread", "so many beaners in this town", "Beaners everywhere at the Walmart",
    "go back to your reservation chief", "Go back to your rez, nobody asked.", "nice accent, did you learn English on the boat?",
    "Muslims shouldn't be allowed to hold public office.", "Catholics shouldn't be allowed to vote, and I'd say it to their faces.",
]

# Spelt as abuse spells them: missed before.
SPELT_AS_ABUSE = [
    "so many paki's in this town", "paki's everywhere you look", "The paki's are taking over the high street",
    "bloody paki's", "Paki’s out", "too many paki's on the bus",
    "so many trannys in this thread", "trannys ruining women's sport", "Trannys in the ladies again",
    "Look at all these trannys lol", "trannys need therapy", "so many pajeet's in the comments",
]

NOT_SPELT_AS_ABUSE = [
    "Both trannys needed a rebuild after 300,000 km.", "The tranny's fluid was black, no wonder it slipped.",
    "Kike's goal was the best of the season.", "Pakistan's bowlers were brilliant.",
]

# The group deported and its houses of worship shut: missed before.
DEPORTED_AND_SHUT = [
    "Deport every last one of them. Close the mosques.", "Close the mosques and deport the lot of them.",
    "Shut down every mosque and deport them all.", "Deport them all, then bulldoze their mosques.",
    "Close all the synagogues. Deport every single one of them.", "deport em all and burn down the mosques",
    "Deport all of them and close the temples.",
]

NOT_DEPORTED_AND_SHUT = [
    "Covid: the council closed the mosques, churches and synagogues for a month.",
    "Close the mosques during the lockdown, the imams agreed.", "Foreign criminals? Deport every last one of them.",
    "Deport every last one of the traffickers, I say.", "China threatened to deport them all and close the mosques in Xinjiang.",
    "The regime vowed to deport them all and shut the synagogues; the world looked away.",
    "Our mosque closes at ten; the synagogue next door shuts earlier.",
    "Deport them all? The court ruled the deportations unlawful.", "They close the temples at sunset in Kyoto, so go early.",
    "The mosques will close early for Eid, and the deportation hearings are postponed.",
    "Close the mosque car park on Fridays, the traffic is awful.", "Shut the temple gates behind you, the monkeys get in.",
    "Deport them all, said the tabloid headline about the gang; the mosque leaders condemned it.",
    "The government plans to deport them all and close the camps.",
    "Burn the mosque down? That's terrorism, and the arsonist got 12 years.",
    "Close the mosques, churches and pubs: it's a pandemic, people.",
    "Deport every one of them who overstayed? The Home Office can't even find them.",
    "The city wants to close the old synagogue and turn it into flats.",
    "Deport the lot, said the paper of the small-boat arrivals; close the hotels, it said too.",
    "The mosque closed its doors to the deported family's supporters.",
    "Close the temples of finance and deport the bankers, the protest sign read.",
]


@pytest.mark.parametrize("text", [t for family in NOT_GROUP_ATTACKS.values() for t in family] + NOT_SPELT_AS_ABUSE
                         + NOT_DEPORTED_AND_SHUT)
def test_ordinary_comments_the_recheck_found_held_are_not_attacks_on_a_group(text):
    assert fired(text, "group_attack") == []


@pytest.mark.parametrize("text", STILL_GROUP_ATTACKS + SPELT_AS_ABUSE + DEPORTED_AND_SHUT)
def test_the_attacks_beside_them_are_held(text):
    assert fired(text, "group_attack")[0].startswith("attack on a group: ")


NOT_THREATS = {
    # A story told: a film, a book, a game.
    "strung up in a story": [
        "In the film they string him up from a tree and leave him there.",
        "In the last episode they string him up from the rafters of the barn.",
        "Spoiler: they string him up from the yardarm in chapter four.",
        "By the third act the villagers string him up from the gallows.",
        "In the novel the townsfolk string him up without a trial.",
        "Then the mob string him up and the sheriff does nothing. Brutal film.",
        "The pirates string him up from the mast and sail off.", "In the musical the cowboys string him up during the finale.",
        "In the western the posse string him up from a cottonwood.",
        "In the game the rebels string him up from a watchtower if you fail the mission.",
        "They string him up at the end of Django, great scene.",
    ],
    # A photographer's shoot.
    "a photo shoot": [
        "We'll shoot them at the border at golden hour, the light is perfect.",
        "I'll shoot them at sunset on the beach, the lighting is gorgeous then.",
        "We're going to shoot them in black and white for the album.", "I'm going to shoot you for the magazine cover next week.",
        "We'll shoot them by the lake for the wedding album.", "I'll shoot him with the drone from above, it'll look epic.",
        "I'm gonna shoot her on film this time, 35mm.", "We will shoot them at golden hour by the harbour.",
        "I'll shoot you against the brick wall for your headshots.", "We'll shoot them on the pier, blue hour is amazing.",
        "I want to shoot you in the studio with a 50mm lens.", "I'm going to shoot every couple at golden hour this summer.",
    ],
    # Ayrshire's town and its links.
    "Troon": [
        "He'd shoot the Royal Troon course in 65 if the wind dropped.", "Shoot the Troon front nine under par and you're flying.",
        "Kill the Troon service and people will riot.", "We'll hang that Troon print in the hall.",
        "I'd run over every Troon hole in my head the night before.", "Every Troon resident should be deported? Don't be silly.",
        "I'd kill for a round at the Troon links.", "The Royal Troon is hosting again, I'd kill to be there.",
        "The Open is at Royal Troon next year.", "I'd happily drive through Troon on the way to Ayr.",
    ],
}

STILL_THREATS = [
    "we'll string him up from the lamppost", "String him up!", "They should string him up.",
    "Let's string him up from the nearest tree.", "we'll shoot them at the border", "I'll shoot you in the face",
    "I'm going to shoot them all at dawn",
]

# A slur for one of a group, the threats rule's group list lacking it: missed before.
THREATS_TO_ONE_OF_A_GROUP = [
    "I'd run over every pajeet I see", "I'd run over every troon I see", "I'd stab every muzzie I see",
    "im gonna run down any pajeet that steps in the road", "I would happily plough into every troon at the parade",
    "will someone please kill that pajeet", "I'd beat up every muzzie on my street",
]


@pytest.mark.parametrize("text", [t for family in NOT_THREATS.values() for t in family])
def test_ordinary_comments_the_recheck_found_held_are_not_threats(text):
    assert fired(text, "threat_words") == []


@pytest.mark.parametrize("text", STILL_THREATS + THREATS_TO_ONE_OF_A_GROUP)
def test_the_threats_beside_them_are_held(text):
    assert fired(text, "threat_words")[0].startswith("threat of violence: ")


@pytest.mark.parametrize("text", NOT_THREATS["Troon"])
def test_the_town_is_no_group_either(text):
    assert fired(text, "group_attack") == []
