"""The last stop's audit of `threat_words` and `group_attack`: the misses it left and the false alarms.

Pure functions of text: no database, no model.
"""
from __future__ import annotations

import pytest

from moderation.domain.rules import Compiled, Facts, validate_rules


def fired(kind: str, text: str) -> list[str]:
    return [h.reason for h in Compiled(validate_rules([{"name": "r", "kind": kind}])).evaluate(text, Facts(author_id="a"))]


def held_as_threat(text: str) -> bool:
    return any(reason.startswith("threat of violence: ") for reason in fired("threat_words", text))


@pytest.mark.parametrize("text", [
    "Hale should hang for this jk", "Hale should hang for this /s", "Hale should hang for this (lol)",
    "Hale should hang for this (jk).", "Hale should hang for this j/k", "Hale should hang for this just kidding",
    "Hale should hang for this /j", "Hale should hang for this [lol]", "Hale should hang for this *jk*",
    "Hale should hang for this jk lol", "Hale should hang for this lol /s", "Hale should hang for this JK!!",
    "Line the poll workers up against a wall /s", "Put Donovan six feet under (haha)", "Shoot him jk.",
    "I know where Hargrove lives jk", "Hargrove should hang jks",
])
def test_a_joke_said_to_be_one_after_a_threat_is_read_as_its_full_stop(text):
    # "... lol" was held and these published (the audit): saying it is a joke excuses no threat.
    assert held_as_threat(text)


@pytest.mark.parametrize("text", [
    # Before a comma a marker is dropped, as laughter is: what follows says what was meant.
    "Shoot him jk, he's open!", "Shoot him /s, he's open!", "Kill her (lol), she has the flag",
    "I know where the mayor lives jk, in a council flat", "Just hang her /s, the painting I mean",
    # Nothing a marker makes a threat of.
    "I'd kill for a coffee jk", "Hale should hang his head in shame /s", "The wind hit 50 m/s",
    "We'll kill them in the return leg jk", "She's going to kill it at the debate (lol)",
    "That striker is dead on his feet /s", "String the lights up jk",
])
def test_a_joke_marker_makes_no_threat_of_what_is_none(text):
    assert fired("threat_words", text) == []


@pytest.mark.parametrize("text", [
    # A re-check: dropping the day, week, weekend, summer and year published these (a farewell with a
    # menace after it is still the threat; a moderator approves the retirement wishes).
    "Enjoy your last day 🔪", "Enjoy your last day 🔫", "Enjoy your last weekend 🔪", "Enjoy your last day. Tomorrow you die.",
    "Enjoy your last day and say goodbye to your family.", "Enjoy your last day. You won't have another.",
    "Enjoy your last day, traitor.", "Enjoy your last day, pig.", "Enjoy your last weekend, scumbag.",
])
def test_a_last_day_with_a_menace_is_a_threat(text):
    assert held_as_threat(text)


@pytest.mark.parametrize("text", [
    "Enjoy your last Christmas.", "Enjoy your last days.", "Enjoy your last breath lol", "Enjoy your last birthday, Hargrove.",
    "Enjoy your last meal.",
    # Decided: held. "A dead man" said as a sentence ends is the stock threat ("When he gets out he's a
    # dead man."), and laughter excuses a threat no more than "jk" does; a moderator approves the jokes.
    # Said with the condition that makes it banter, it goes on and is not read.
    "You're a dead man lol", "You're a dead man.",
])
def test_a_last_christmas_or_a_dead_man_is_still_a_threat(text):
    assert held_as_threat(text)


def test_a_dead_man_with_the_reason_after_it_is_banter():
    assert fired("threat_words", "You're a dead man if your wife sees this lol") == []


# Written before a game after a beating was read as a win: a first version, reverted, published 21 of
# 30 threats it had held ("I'm going to beat him to death on Friday.", "... at chess club with a
# hammer"), a day or a game's name excusing any beating, and what followed never read.
BEATINGS = [
    "Someone should beat him senseless.", "I'm going to beat him to death on Friday.",
    "I'm going to beat him senseless at chess club with a hammer.", "Someone should beat him senseless at chess club with a hammer.",
    "I'll beat him to death at chess.", "I'm going to beat him senseless in the final seconds of his life.",
    "I'll beat him senseless when I see him", "I'm going to beat the referee senseless after the match.",
    "I'll beat him senseless on Saturday when I see him.", "I'll beat him senseless at the pool.",
    "Someone should beat him senseless at the station.", "We will beat him to death at his house.",
    "They should beat the mayor senseless in the car park.", "I'll beat you senseless at the darts on Saturday if you turn up.",
    "Someone should beat Hargrove senseless.", "Someone should beat him senseless, at chess or anywhere else.",
    "They should beat the ref senseless after the final.", "I'll beat you senseless on Saturday night outside the ground.",
    "I'm going to beat him senseless at chess and then break his legs.", "Someone should beat him senseless at chess. With the board.",
    "I'll beat you senseless at poker, then in the car park.", "I'm going to beat him half to death at chess.",
    "Someone should beat him within an inch of his life at chess club.", "I will beat you to a pulp at chess club tonight.",
    "Someone should beat him senseless at the chess club on Friday night.",
    "I'll beat him senseless at chess. Then I'll beat him senseless for real.",
    "We're going to beat him black and blue at cards and then outside.", "Someone should beat him senseless at golf with his own club.",
    "I'm going to beat her senseless at tennis with my racket.", "I'll beat him senseless at chess, literally, with the board.",
    "Someone needs to beat that referee senseless at the game on Saturday.", "I'll beat him senseless at chess lol, then stab him.",
    "Someone should beat him senseless at chess. Then kill him.", "They should beat him to death at chess.",
    "Someone should beat him senseless at the chess board with a hammer", "I'm going to beat him senseless at chess and then in real life.",
    "Someone should beat him senseless at chess. Physically.", "I'll beat him senseless at snooker with the cue.",
    "I'm going to beat Hargrove senseless at Chess Club with a bat.", "Someone should beat him senseless at darts. Then break his arms.",
    "I'll beat you senseless at pool. In the car park after.", "I'm going to beat him senseless at chess jk. With a hammer.",
    "Someone should beat the ref senseless at the pub quiz. Outside, after.", "I'll beat him senseless at chess. Not joking.",
]


# A re-check: each was published by an excuse for a beating at a game ending its sentence, the harm said
# in words no list held ("bleeding", a coma, a body bag, "And hang him", an address, a slur).
GAME_BEATINGS = [
    "I'm going to beat him senseless at darts. He'll be bleeding on the floor.",
    "I'm going to beat him senseless at darts. He'll need an ambulance.", "I'm going to beat him senseless at darts. He'll be in a coma.",
    "I'm going to beat him senseless at darts. And dump his body in the canal.", "I'm going to beat him senseless at darts. I'm not kidding.",
    "I will beat him black and blue at pool. Bring a body bag.", "I will beat him black and blue at pool. He'll need stitches.",
    "I will beat him black and blue at pool. His kids will be next.", "I will beat him black and blue at pool. With my bare hands.",
    "We will beat that ref to a pulp at golf. With his own putter.", "I'm going to beat him senseless at tennis. With my racquet.",
    "Someone should beat him senseless at chess. He'll be in the morgue.", "Someone should beat him senseless at chess. And hang him.",
    "Someone should beat him senseless at chess. He deserves to suffer.", "Someone should beat him senseless at chess. I know his address.",
    "Someone should beat the mayor senseless at chess. He lives on Elm Street.", "I'll beat you black and blue at darts. 💀",
    "I'll beat you black and blue at darts. 🩸", "Someone should beat that judge senseless at darts. He must be punished.",
    "Someone should beat that paki senseless at darts.", "Someone should beat him senseless at chess.",
]


@pytest.mark.parametrize("text", BEATINGS + GAME_BEATINGS)
def test_a_beating_at_a_place_a_time_a_game_or_with_a_weapon_is_still_a_threat(text):
    assert held_as_threat(text)


# What a news site's readers say with the words these patterns read: kill, shoot, dead, a joke marker,
# an animal, a game, a farewell, and a slur quoted in a court report. Neither rule holds any of it.
ORDINARY = [
    'The council wants to kill the bus route and nobody asked us jk',
    "I'd kill for a decent bakery in this town lol",
    'Shoot me an email if you want the minutes of the meeting /s',
    'The photographer shot the mayor from a terrible angle (lol)',
    'That band is dead to me after this album jk',
    'My phone battery is dead again, thanks a lot 5G /s',
    "He's dead right about the parking, to be fair.",
    "Dead man's curve on the A38 claimed another car today.",
    "Enjoy your last day, Dave, the office won't be the same!",
    'Enjoy your last week before the baby comes lol',
    "If I had a dog that acted like my toddler, I'd never get any sleep.",
    "If my dog behaved like the mayor's spaniel I'd be proud of it.",
    "If I had a cat that looked like Garfield I'd put it on a diet.",
    "If my dog barked like that at the postman, I'd have it trained.",
    "If we had a horse that ran like Frankel we'd never sell it.",
    "My vet said if my dog kept limping we'd have to put it down eventually, so sad.",
    'My nan beat me senseless at Scrabble again last night.',
    "She'll beat you senseless at chess, she's a grandmaster.",
    "Someone should beat him at chess, he's getting smug.",
    'The jury heard he called the victim a "sand nigger" before the attack.',
    'The word "raghead" was painted on the mosque wall, police said.',
    'Calling a Pakistani man a "paki" is a hate crime, the magistrate said.',
    'The Mark Twain novel uses the word nigger over 200 times, which is why schools debate it.',
    "There's a chink in the armour of this defence.",
    'He spotted a chink of light under the door.',
    'The spic and span look of the new station is lovely.',
    'Kill the lights when you leave, the council pays the bill /s',
    'Shoot for the stars, kids (lol)',
    'They shot the film in Whitby last summer, so pretty.',
    'The deer was shot by a poacher in the park, the ranger said.',
    'Hang on, the mayor said what? lol',
    'We should hang the new portrait of the mayor in the foyer jk',
    'That cat is a little monster, she killed three mice this week lol',
    'Our dog is dead lazy, he sleeps all day /s',
    "He's a dead ringer for the old mayor lol",
    'The striker killed the game off in the 89th minute.',
    "Beat them at their own game, that's all I ask.",
    "I'm going to beat my record at the parkrun tomorrow jk",
    'They beat us black and blue in the second half, fair play.',
    'My brother beat me senseless at FIFA again lol',
    "I'll murder a curry after this match lmao",
    'The report says the dog was put down after the attack.',
    "Stop, you're killing me with these puns /s",
    "If my dog acted like Trump I'd take it to obedience classes.",
    "If I had a parrot that talked like the mayor I'd teach it better words.",
    'The referee killed the atmosphere with that whistle jk',
    'Someone should shoot a documentary about the old mill (lol)',
    'I know where the bakery is jk, next to the library',
    'The ref was dead wrong on that penalty (lol)',
    'Slur or not, the court said, calling him a faggot on the bus was harassment.',
    'The minister wants to deport the illegal immigrants held at the centre, the paper says.',
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_comments_near_the_audits_threats_are_no_threat_and_no_attack(text):
    assert fired("threat_words", text) == [] and fired("group_attack", text) == []


AUDITS_PLEA = ("will someone please kill that sand nigger or just nuke the fucking place that raghead is directly attempting"
               " to destroy america flush the fucker")


@pytest.mark.parametrize("text", [
    AUDITS_PLEA, "will someone please kill that sand nigger", "Someone should shoot that raghead.",
    "I hope that nigga dies tonight.", "That faggot should be hanged.", "I'm going to kill that kike.",
    "Someone should shoot that retard.", "Kill the tranny.",
])
def test_a_threat_at_one_person_named_by_a_slur_is_held(text):
    # The model held the audit's plea; the rule read no person in a singular slur and published it.
    assert held_as_threat(text)


@pytest.mark.parametrize("text", [
    AUDITS_PLEA, "kill that sand nigger", "I hate that paki.", "That wetback should be deported.", "Shoot the kike.",
    "That raghead is vermin.",
])
def test_a_slur_for_one_of_a_group_is_read_where_its_plural_is(text):
    assert fired("group_attack", text)[0].startswith("attack on a group: ")


# "If I had a dog that acted like Donald Trump, I'd shoot it in the head." (the audit's) is the model's to
# hold: a rule for it held pet and vet talk twice over ("like Pit Bulls", "like the vet nurse mentioned":
# two re-checks), so the pet and vet talk below is published.


@pytest.mark.parametrize("text", [
    "Can someone please shoot the mayor at the ribbon cutting tomorrow? Our photographer is off sick.",
    "Could someone please shoot the judge during the awards ceremony for the yearbook?",
    "Will someone please shoot the principal for the school newsletter photo?",
    "Can someone please shoot the president arriving at the airport, we need pics.",
    "Could somebody please shoot the governor when he cuts the ribbon? Need a photo for page 3.",
    "Can someone please shoot the mayor for the cover?", "Could someone please shoot the referee for the match report gallery?",
    "Can someone please shoot the senator at the press conference tomorrow?",
    "Would someone please hang the mayor portrait in the lobby", "Could someone please hang the teacher artwork in the hallway?",
    "Can someone please shoot the president of the PTA an email about Friday?", "Could someone please shoot the doctor the scan results?",
    "Can someone please kill the president ability in the game? It's overpowered.",
    "Can someone please execute the president order 66 in Star Wars Battlefront? lol",
    "Will someone please execute the judge order today", "Will somebody please shoot the teacher of the year for the front page?",
    "Would somebody please hang the judge portraits in the courthouse foyer?",
])
def test_a_photo_or_an_errand_asked_of_an_office_is_no_plea_to_kill(text):
    # A re-check: held once a plea's office word no longer needed the sentence to end after it.
    assert fired("threat_words", text) == []


@pytest.mark.parametrize("text", [
    "Will someone please kill the mayor.", "Can someone please shoot the judge?", "will someone please hang that traitor",
    "will someone please kill that sand nigger or just nuke the place",
])
def test_a_plea_to_kill_an_office_that_ends_or_a_slur_that_goes_on_is_held(text):
    assert held_as_threat(text)


@pytest.mark.parametrize("text", [
    # A re-check: "her", "him", "them" or one name is as often another animal, and these were held.
    "If my dog was suffering like her, I'd have her put down.", "If my horse was lame like him I'd have him put down, poor thing.",
    "If my dog was aggressive like them, I would have it put down. Responsible owners do.",
    "If my dog looked like him, I'd have him put down.", "If my dog behaved like Cujo I'd have it put down.",
    "If my dog barked like Max does next door, I'd have it put down.",
    "If my dog was suffering like the doctor said, I'd have her put down.",
    "If my dog was like that bitch next door I'd have her put down.",
    # The second re-check's: breeds, famous animals and a vet nurse read as people named.
    "If my dog was aggressive like Pit Bulls, I'd have it put down.", "If my pony was lame like Black Beauty, I'd have her put down.",
    "If my dog was vicious like German Shepherds can be, I'd have it put down.",
    "If my dog kept biting like the vet nurse mentioned, we'd have it put down.",
])
def test_pet_and_vet_talk_is_no_animal_standing_for_a_person(text):
    assert fired("threat_words", text) == []


@pytest.mark.parametrize("text", [
    # A re-check: "chink in the armour"'s exception, on every slur, published these.
    "Gas the kike in the showers.", "Deport that wetback in the morning.", "Burn that spic in his house.",
    "Shoot the paki in the head.", "Hang that nigger in the town square.",
])
def test_a_slur_for_one_followed_by_in_the_is_an_attack(text):
    assert fired("group_attack", text)[0].startswith("attack on a group: ")


@pytest.mark.parametrize("text", [
    "He found the chink in his armour at last.", "Every team has a chink in their armour, even City.",
    "Through the chink in the curtains I saw the fireworks.", "That chink of light in the loft is the old vent.",
    "I hate that chink of doubt in my mind.", "Kill that chink of doubt before the final.",  # the second re-check
])
def test_a_chink_in_the_armour_is_no_attack(text):
    assert fired("group_attack", text) == [] and fired("threat_words", text) == []


@pytest.mark.parametrize("text", [
    # A re-check: held as one of a group, a gearbox and kindling.
    "Get rid of the tranny and put in a manual.", "Get rid of that tranny, it slips in 3rd.",
    "That tranny is garbage, GM should be ashamed.", "That tranny is trash, rebuild it.",
    "Burn the faggot on the bonfire, it's dry enough.", "Can someone please kill the tranny fluid warning light on my Ford?",
])
def test_a_gearbox_or_kindling_is_no_attack(text):
    assert fired("group_attack", text) == [] and fired("threat_words", text) == []
