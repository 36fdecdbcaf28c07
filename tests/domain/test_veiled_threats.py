"""A UK news group's readers, as its trust & safety tester wrote them (2026-12-06, F1 and F7): threats
meant plainly but worded as menace were published, and the everyday sentences that share their words
must stay published. Pure functions of text: no database, no model.
"""
from __future__ import annotations

import pytest

from moderation.domain.rules import Compiled, Facts, validate_rules


def fired(text: str, kind: str = "threat_words") -> list[str]:
    return [h.reason for h in Compiled(validate_rules([{"name": "r", "kind": kind}])).evaluate(text, Facts(author_id="a"))]


# The tester's, published at toxicity 0.03-0.39 with the starter rules on.
TESTERS_THREATS = [
    "His name's out now. Someone in his estate will sort him out, and I'll gladly help.",
    "Whoever was driving that car should be strung up from the nearest lamppost.",
    "Reviewer better hope I never find out where she lives after giving this a 4.",
    "If the courts won't deal with him, we will. He's not safe walking round here.",
    "I know which school his kids go to. Just saying.",
    "Hope that ref gets what's coming to him walking to his car tonight. We know what he drives.",
    "I hope the Indian devs outsourced on this get shot, trash code.",
    "The planning officer lives on Elm Road. Maybe someone should pay him a visit and explain how we feel.",
    "Keep pushing this through and watch what happens to your nice cars, councillors.",
    "Someone should give Rachel Reeves the Jo Cox treatment and see how she likes it.",
    "The editor should be careful. People are angry, and we know where your office is.",
    "If I find out where this columnist lives I'll serve her something she won't forget.",
    "If they put those asylum seekers in the hotel on the high street, some of us will be down there with petrol. "
    "Fair warning.",
    "String the animal up. Bring back hanging for the likes of him.",
]

# The same families, said otherwise.
SAME_FAMILIES = [
    "The lads will sort him out, and I'll happily help.", "Somebody should sort her out.",
    "He should be strung up by his neck.", "That nonce deserves to be strung up.", "String the scumbag up.",
    "Bring back the rope for the likes of her.",
    "The ref better hope nobody finds out where he parks.",
    "If we find out where he works, he's finished.", "We've found out where the councillor lives.",
    "If I ever find out where that reporter lives I'll be paying her a visit.",
    "We know which school the ref's kids go to.", "I know where his wife works.",
    "We know where the councillor's office is, Dave.", "We know what car she drives.",
    "Hope he gets what's coming to him on his way home.",
    "I hope they get shot.", "I hope the ref gets stabbed after the match.",
    "Somebody should pay the planning officer a visit tonight.", "A few of us could pay her a visit at home.",
    "You won't be safe round here any more.", "She's not safe anywhere near here.",
    "If the police won't do anything about him, the locals will.",
    "See what happens to your house, councillor.", "Watch what happens to your windows.",
    "She needs the David Amess treatment.", "He should remember what happened to Jo Cox.",
    "We'll be round there with cans of petrol.", "Let's put some petrol through his letterbox.",
    "Councillors, watch your backs.", "If Reform win, you leftie traitors better watch your backs. We'll have lists.",
    "Some of us haven't forgotten what he did and we will be waiting for him.",
    "No joke watch your back.",
]


@pytest.mark.parametrize("text", ["Don't watch your back.", "You needn't watch your backs, nobody's angry.",
                                  "I'm not saying I know which school his kids go to."])
def test_a_menace_denied_just_before_it_is_none(text):
    assert fired(text) == []


@pytest.mark.parametrize("text", TESTERS_THREATS + SAME_FAMILIES)
def test_a_threat_worded_as_menace_is_held(text):
    assert len(fired(text)) == 1 and fired(text)[0].startswith("threat of violence: ")


# What news readers say with the same words: at least one beside each family.
NEAR_MISSES = [
    # knowing or finding where someone lives, works, parks; a child's school
    "I know where he lives, he's my neighbour and a lovely man.",
    "If I find out where she lives now I'll send her a card, we lost touch years ago.",
    "If I find out where it's sold I'll let you know.",
    "We found out where he lives from the parish newsletter and sent flowers.",
    "I know which school his kids go to, it's the same as mine and the head is brilliant.",
    "I know which school his kids go to, lovely place.", "I know what he drives, a Tesla.",
    "Does anyone know which school her daughter goes to? Mine starts in September.",
    "I know where your office is, I walk past it every morning.",
    "We know what he drives because he parks it across two spaces every day.",
    # paying a visit
    "Pay a visit to the new bakery on the high street, the sourdough is superb.",
    "Someone from the council should pay her a visit to check she's ok.",
    "Someone should pay him a visit, he's been so lonely since his wife died.",
    "We paid them a visit last summer and the gardens were lovely.",
    # watch your back, watch what happens
    "Watch your back on that road, it's icy.",
    "Watch your back when cycling down the high street, the lorries don't look.",
    "Watch what happens to your car insurance when you turn 25.",
    "Watch what happens to your house prices if they build that incinerator.",
    "Leave it for a day and see what happens to your dough, it doubles.",
    "Take the phone away and watch what happens to your kids.", "Add coffee grounds and watch what happens to your garden.",
    # sorting out
    "The council should sort out the potholes before they fix anything else.",
    "The physio will sort him out, he'll be back for Saturday.",
    "Someone at the bank will sort it out for you.",
    "Someone should sort him out a new contract before City come in for him.",
    # strung up, string up
    "We strung up the bunting for the jubilee street party.",
    "The Christmas lights should be strung up from the lampposts by the first of December.",
    "I bought fairy lights and we'll string them up.",
    "String the chillies up somewhere dry and they keep for months.",
    "Bring back hanging baskets on the high street, the town looks bare without them.",
    # shot, got shot of
    "We finally got shot of the old sofa.",
    "I hope the new series gets shot in Yorkshire again.",
    "I hope the wedding photos get shot by someone who knows what they're doing.",
    "I hope they get shot of that eyesore on the corner.", "I hope they get killed off in the next series.",
    # not safe
    "The cars were not safe, the inspection found.",
    "It's not safe walking round here at night since they turned the street lights off.",
    "Kids aren't safe walking round here with the traffic the way it is.",
    "He's not safe to drive at 94, his family should take the keys.",
    "The bridge won't be safe until the repairs are finished.",
    # petrol
    "We'll be down there with petrol for the generators if the power goes again.",
    "Petrol is up 10p a litre in a month, it's a scandal.",
    # the courts, dealing with him
    "If the courts won't deal with him, the regulator should.",
    "The backlog will be dealt with when the time comes.",
    # the murdered, remembered
    "What happened to Jo Cox was a tragedy and the town still remembers her.",
    "The Jo Cox Foundation does wonderful work against loneliness.",
    # what is coming, justice, waiting
    "I hope he gets what's coming to him in court.", "Hope he gets what's coming to him walking out of court.",
    "We will be waiting for him at arrivals with balloons, welcome home son.",
    "I haven't forgotten what he did for this club, what a player.",
    # someone else's home told
    "I know where the mayor lives, in a council flat like the rest of us.",
]


def test_there_are_forty_near_misses_or_more():
    assert len(NEAR_MISSES) >= 40


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_an_ordinary_comment_with_a_menaces_words_is_no_threat(text):
    assert fired(text) == []


def test_someone_elses_home_told_is_held_as_an_address_and_a_readers_own_street_is_not():
    """F7: "I live on Mill Lane" was held, and "The planning officer lives on Elm Road" was not."""
    assert fired("The planning officer lives on Elm Road, the one with the hedge.", "street_address") == ["street address"]
    assert fired("Pritchard lives in Elm Close now.", "street_address") == ["street address"]
    for text in ("I live on Mill Lane and the traffic is already bumper to bumper.",
                 "My gran lives on Station Road and the buses never come.",
                 "Everyone who lives on Mill Lane knows about the flooding.",
                 "Her memory lives on in Elm Grove, where she raised five children.",
                 "Kindly print my complaint regarding the street lights on Station Road."):
        assert fired(text, "street_address") == [], text
    # With a number, the writer's own is held as ever.
    assert fired("I live at 14 Mill Lane, come and see the traffic.", "street_address") == ["street address"]
