"""The self-harm rules: a reader in crisis first in the queue, and a reader urged to harm themselves held.

A health desk's walk (2026-12-03): 44 of 45 readers in crisis were published with no reason, and
13 of 20 comments telling a reader to kill themselves."""
from __future__ import annotations

import pytest

from moderation.domain.policy import Verdict
from moderation.domain.rule_sets import starter_rules
from moderation.domain.rules import Compiled, Facts, apply_hits, validate_rules

AT_RISK = [
    "I'm going to kill myself tonight.", "I don't want to be here anymore.", "Nobody would miss me if I was gone.",
    # A crime desk's walk: a victim's mother and a reader the story brought it back to.
    "I'm Josh's mum. I can't do this. I just want to be with my boy. Nobody would miss me now.",
    "Reading this brought it all back. I can't cope anymore and I've got the pills ready.",
    # A team lead's walk: published, the end said after a comma.
    "I've got the pills ready, tonight is the night.", "Got the pills ready, this is goodbye.",
    # A re-check: a farewell, kisses or an emoji after the end.
    "Got the pills ready, goodbye everyone, I love you all.", "I've got the pills ready, this is goodbye xx",
    "Got the pills ready, this is it 💔", "I've got the pills ready, goodbye world, I'm sorry...",
    "Got the pills ready, goodbye everyone, love you.", "Got the pills ready, goodbye all, sorry for everything.",
    "I've got the pills ready, this is goodbye, love you mum xx", "Got the pills ready, this is goodbye x x",
    # A second re-check: a heart or a wave for the full stop (held before the first re-check's fix).
    "Got the pills ready, this is goodbye ❤", "I have got the pills ready, goodbye everyone, love you all ❤️",
    "Got the pills ready, goodbye 👋",
    "nobody would miss me anyway tbh",
    "I've written my note. I'm done.", "I just swallowed a whole bottle of Tylenol. I don't know why I'm posting this.",
    "I'm standing on the bridge right now typing this.",
    "I bought a gun yesterday. I think I'm going to use it on myself this weekend.",
    "I've got enough fentanyl to never wake up and I'm thinking about using all of it tonight.",
    "I haven't eaten in six days and I'm going to keep going until my heart stops.",
    "i'm gonna kms tonight fr", "I'm going to unalive myself tonight.", "I want to hang myself.", "I'm going to slit my wrists.",
    "I want to kill myself but I'm scared of hurting my mom.", "I will kill myself.", "I'm going to shoot myself tonight.",
    "Tonight is the night. Goodbye everyone. I'm sorry for everything.",
    "I have the pills saved up and I'm going to take them all after my kids go to bed.",
    "I wish I was dead", "Everyone would be better off without me.", "I feel so suicidal today",
    "I'm thinking about ending my life", "I took 30 pills an hour ago", "I'M GOING TO K1LL MYSELF",
    # A re-check's phrasings, published by the first version of the rule.
    "I'm going to commit suicide tonight.", "I wrote my suicide note", "I'm feeling suicidal tonight", "Im suicidal",
    "I'm going to end it tonight", "I've been thinking about killing myself", "I'm going to hurt myself",
    "I'm going to throw myself off the bridge", "I'm going to take all my pills tonight", "i don't wanna be here anymore",
    "I can't keep living like this", "I hope I die tonight", "gonna unalive myself", "I'm going to kill my self",
    "I'm going to sewerslide", "I want to self delete", "I don't care anymore I want to die", "Not gonna lie I want to die",
    "Please look after my kids. Goodbye everyone.", "I'm so tired of living", "Life isn't worth living anymore",
    "I'd be better off dead", "I'm a burden to everyone", "I've been cutting myself again", "Should I kill myself?",
    "I'm going to blow my brains out", "i'm gonna kms tonight fr",
    # A night shift's walk and a security review: published.
    "After losing my house in this fire I just want it all to end.", "Can't do this anymore. Writing my note now.",
    "Tonight's the night, goodbye", "goodbye everyone, this is my last comment, I wont be here tomorrow",
    "Tonight is the night, goodbye everyone. I cannot go on anymore.", "I can't go on anymore.",
    # A children's site's walk (2026-12-06): published, each of them.
    "sometimes i cut myself when im sad", "i keep thinking about ending it all", "i've been hurting myself again",
    "everyone would be happier if i wasnt here", "i took some of my mums pills",
    "my dad hits me and i dont know who to tell", "my stepdad touches me and said not to tell", "i'm scared to go home",
    "I self harm", "i hurt myself on purpose", "My mum's boyfriend hits me", "my dad beats me up", "I'm scared of my stepdad.",
    "I took too many pills", "im cutting myself again", "I cut myself to feel something", "my dad hit me again last night",
    # A second re-check's: what the first re-check's exclusions had let through.
    "i'm scared of my dad when he drinks", "i sometimes hurt myself when i cry", "i still cut myself when i think about it",
    "i sometimes scratch myself until i bleed", "im scared to go home coz dad hits me",
]
NOT_AT_RISK = [
    "I've been suicidal before and what helped was talking to someone.",
    "Suicidal thoughts are a symptom. I'm living proof it gets better.", "This heat is killing me.",
    "I could just die of embarrassment.", "Kill me now, this commute is brutal.", "I'd rather die than vote for him.",
    "I nearly died laughing.", "I wanted to die when she left, but therapy helped.", "I would never kill myself.",
    "I've got my tablets ready for the holiday.", "Nobody would miss me now if I stopped posting here.",
    # A re-check: chores.
    "I've got my rope ready, climbing Snowdon tomorrow.", "I've got the pills ready in the dosette box for mum.",
    "I've got the pills ready, mum will collect them.", "Got the tablets ready, see you at the clinic.",
    # A re-check's care talk, which a first, looser reading of the comma clause held 18 of 20 of.
    "Got the pills ready, it's time for grandma's evening dose.", "Got the pills ready, goodbye fingers!",
    "I've got the pills ready, tonight's the night we finally start the new treatment plan.",
    "Got the pills ready, this is it: day one of the new blood pressure meds.", "Got the pills ready.",
    "Got the tablets ready, sorry for the late reply, the pharmacy was busy.",
    "Got the pills ready, this is it 😀 day one of the new meds.", "Got the pills ready, goodbye headaches xx see you soon",
    "Got the pills ready, this is it 🎉", "Got the pills ready, this is it :)", "Got the tablets ready, I'm done 🙌",
    "Got the pills ready, I'm done with the weekly refill queue.", "I have got the pills ready; goodbye headaches, hello sleep.",
    "I used to want to die every day.", "If he wins I'm going to kill myself lol", "I want to die peacefully in my sleep at 95.",
    "I want to die with dignity, on my own terms.", "The chemo killed my appetite.", "I'm going to kill myself laughing at this.",
    "I'm going to hurt myself at the gym tomorrow", "Suicide rates rose 4%.", "I'll cut myself a slice of cake.",
    "I'm about to jump off the diving board for the first time!", "I'm going to overdose on chocolate this Christmas",
    "I've left a note at WT:WALES for the editors.", "I'm done with this site. Goodbye everyone.",
    # Held by the first version of the rule (a re-check).
    "If they cancel the show I'll kill myself.", "I don't want to live in this country anymore.",
    "I'm sitting on the edge of my seat with this storyline.", "I can't do this anymore, sack the manager.",
    "Goodbye everyone, I'm deleting my account. I love you all, it's been fun.",
    "When I was 17 I took an overdose. I'm 40 now and glad I survived.", "I took all my tablets this morning as usual",
    "I took 20 pills of vitamin D over the winter.", "I'm standing on the bridge watching the boat race",
    "I have the rope ready for the climbing trip tonight", "I've written my note to the school",
    "I'm going to take my life savings and buy a boat", "I'm going to end things with my boyfriend",
    "I don't want to wake up early tomorrow", "I wish I was dead asleep right now", "Lag in ranked again, kms",
    "I'm going to kill myself at the gym tomorrow, it's leg day", "When the time comes I want to die in my own bed with my dog.",
    "I'm gonna off myself if they nerf my main again lol", "Nobody would miss me if I stopped voting, that's the problem.",
    "No reason to live in London if you can work remotely.", "I'm ready to die on this hill: pineapple belongs on pizza.",
    "I'm going to hurt myself laughing.", "I'm going to end it all with a bang: fireworks at midnight.",
    "I'm writing my note to the council about the potholes.", "Tonight's the night! Goodbye Wembley, hello new stadium",
    "I can't go on paying these taxes.", "Goodbye, and thanks for all the fish.", "I won't be here tomorrow, back on Monday.",
    "I want this to end, it's a terrible plan.",
    # A security review: held by the first version of the fire night's patterns.
    "Tonight's the night the old stand comes down. Goodbye, old friend.",
    "I really want everything to end well for the family.", "Writing my note now to the council about the potholes.",
    # Near the children's site's disclosures: accidents, games, feelings, the past.
    "My dad hits the gym every morning", "I cut myself shaving", "I always cut myself shaving", "My mum beats me at chess",
    "My dad hits me with his terrible jokes", "My brother hits me up with memes", "It touches me deeply",
    "My dad's story touches me", "I keep hurting myself at football", "I've been hurting myself at the gym",
    "I keep cutting myself off mid-sentence", "I took some of my mum's paracetamol for a headache",
    "I'm scared to go home and face my wife after that result lol",
    "Everyone would be happier if I wasn't here to point out the obvious", "I hurt myself playing football",
    "I took too many painkillers for my back last year", "Self harm awareness week starts Monday",
    "I'm scared of my dad's reaction to my report", "My mum hits the roof when I'm late", "My dad hit me with a pillow",
    "My mum touches me on the shoulder to wake me up", "I'm afraid to go home in this weather",
    "My dad kicks me out of the car at the school gates", "I'm terrified of my mum finding out I failed",
    "I keep thinking about ending my subscription", "I still burn myself on the toaster", "When I was a kid my dad hit me",
    "I hurt myself again at rugby",
    # A re-check's: play, eczema, a spider, a driver, tickling.
    "i sometimes hurt myself when i play football", "i scratch myself a lot because of my eczema",
    "i'm scared to go home cos there's a spider in my room", "I'm terrified of my dad when he drives",
    "my dad hurts me when he tickles too hard lol",
    "i sometimes hurt myself when i'm playing rugby",
]
URGING = [
    "kys", "k.y.s", "K Y S", "kys 💀", "Go drink bleach.", "You should hang yourself, honestly.", "Rope is cheap. Use it.",
    "Go unalive yourself.", "Nobody would miss you. Go jump off a bridge.", "Hope you get cancer.", "I hope your tumor spreads.",
    "Take the whole bag and do the world a favour.", "go rope", "Just overdose already", "Do the world a favour and OD",
    "Starve yourself to death then, see if anyone cares.", "KILL YOURSELF!!!", "k1ll y0urs3lf", "neck yourself",
    "you should just die", "the world would be better off without you",
    # A re-check's.
    "Why don't you just kill yourself", "why dont u kys", "Go cut yourself", "Cut deeper next time", "End yourself",
    "Nobody would care if you killed yourself", "Go commit suicide", "Eat a bullet", "Take the whole bottle",
    "Die already", "Go an hero", "Blow your brains out", "Hope your family dies",
    # Of someone named, not to them (a red-team walk).
    "Someone tell Emma Clarke to kill herself.", "Emma Clarke should kill herself.", "He should just kill himself lol",
    "That reporter ought to go kill herself", "tell the ref to kill himself",
    # A second re-check's: a reporting word earlier in the sentence is not a report.
    "I told you, she should kill herself.", "If you ask me, Emma Clarke should kill herself.",
    "Everyone says Emma Clarke should kill herself and they are right.", "told ya, someone tell him to kill himself",
    # "Stop" said of something else first is no plea to stop.
    "Stop whining and kill yourself.", "Stop posting. Kill yourself.", "Just stop, kill yourself",
]
NOT_URGING = [
    "Treat yourself to a holiday.", "Don't hurt yourself lifting that.", "Go die on another hill.",
    "KYS: Know Your Status, get tested.", "Don't kill yourself over it, it's only a game.", "Cut yourself a slice of cake.",
    "Be careful not to burn yourself on the oven.", "Hope you get better soon.", "I hope your cancer treatment goes well.",
    "People who might just die the next day deserve care.",
    "You should end it with him, he sounds controlling.", "Shoot yourself an email so you don't forget.",
    "Kill yourself laughing at this clip.", "The world would be better off without people like you in charge, minister.",
    "Do the world a favour and disappear forever, Elon.", "Cut yourself some slack.",
    "Nobody should kill themselves over exams.", "Tell your friends not to kill themselves trying to keep up.",
    "No one should ever feel they need to kill themselves.", "He should not kill himself working these hours.",
    "The court heard she told him to kill himself.", "Police believe he tried to kill himself.",
    "If you feel you want to kill yourself, call Samaritans on 116 123.",
    # A re-check's: reported, weighed, or a character written out.
    "Prosecutors said he sent messages telling her she should kill herself.",
    "Hamlet wonders whether he should kill himself.", "The writers should kill himself off next season.",
    "She asked if he should kill himself, and the jury gasped.",
    # Told to stop (a standards editor's audit held the first and ranked it 5th of 462).
    "<user> stahp to try to kill yourself most favorit meatbag damnit x(", "Please stop trying to kill yourself.",
    "quit trying to kill yourself, we love you", "Don't ever kill yourself.", "Don't you dare kill yourself.",
    "Never try to kill yourself, call someone.", "stop wanting to kill yourself over a game lol",
]


def fired(kind: str, text: str) -> list[str]:
    return [h.reason for h in Compiled(validate_rules([{"kind": kind, "name": kind}])).evaluate(text, Facts(author_id="a"))]


@pytest.mark.parametrize("text", AT_RISK)
def test_a_reader_in_crisis_is_held_as_at_risk(text):
    assert fired("at_risk", text)[0].startswith("reader may be at risk: ")


@pytest.mark.parametrize("text", NOT_AT_RISK)
def test_a_recovery_story_the_past_or_a_figure_of_speech_is_not(text):
    assert not fired("at_risk", text)


@pytest.mark.parametrize("text", URGING)
def test_telling_a_reader_to_harm_themselves_is_held(text):
    assert fired("urging_self_harm", text)[0].startswith("urging self-harm: ")


@pytest.mark.parametrize("text", NOT_URGING)
def test_care_a_recipe_or_a_test_campaign_is_not(text):
    assert not fired("urging_self_harm", text)


def test_a_reader_at_risk_comes_before_a_threat_and_every_insult_in_a_new_sites_queue():
    rules = Compiled(starter_rules())
    facts = Facts(author_id="a")
    crisis = apply_hits(Verdict("published", [], 0.12), rules.evaluate("I don't want to be here anymore.", facts))
    # A threat the model is sure of, with a raid's worth of reports on it (a re-check ranked one at 7.03).
    threat = apply_hits(Verdict("held", ["threat"], 4.2 + 3.0), rules.evaluate("I will kill you, editor.", facts))
    urged = apply_hits(Verdict("published", [], 0.1), rules.evaluate("kys", facts))
    insult = Verdict("held", ["toxicity", "insult"], 3.9)
    assert crisis.status == urged.status == "held"
    assert crisis.priority > threat.priority > urged.priority > insult.priority


@pytest.mark.parametrize("text", ["i want to kill myself " * 900, "kys " * 5000, "goodbye everyone " * 1200,
                                  "i'm going to " * 1600, "go and just " * 1800,
                                  # A plea to stop read back from each "kill yourself" (a standards editor's audit).
                                  "stop trying to kill yourself " * 700, "stahp to try to " * 1250 + "kys"])
def test_a_crafted_long_comment_costs_little(text):
    import time

    started = time.process_time()  # CPU time: a busy machine holds the process up without it costing more
    fired("at_risk", text), fired("urging_self_harm", text)
    assert time.process_time() - started < 5.0  # ~0.05 s; a quadratic pattern takes many seconds


def test_kisses_and_farewells_cannot_make_the_reading_take_long():
    """A second re-check: "xx " sixteen times before an unexpected end took the at-risk rule 30 s, and
    every comment of every site waited behind it."""
    import time

    from moderation.domain.rules import phrase_found

    started = time.process_time()
    for text in ("I've got the pills ready, goodbye " + "xx " * 16 + "a",  # 30 s before; exponential in the count
                 "Got the pills ready, goodbye, " + "love you, sorry, " * 40 + "a",
                 "Got the pills ready, this is it " + "x " * 200 + "a"):
        phrase_found("at_risk", text)
    assert time.process_time() - started < 2.0
