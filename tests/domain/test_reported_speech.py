"""Abuse a comment quotes as someone else's speech: still held, but below the threats and attacks the
rules read in a commenter's own words, and said so in the reason.

A crime desk's walk (2026-12-06): court reports and readers condemning abuse ("\"I'll kill you\" is
what he texted her, the court heard") sat at 4.0x among 24 real threats, and a threat the rules
missed 85th, below them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from fake_model import FakeModel
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.policy import Verdict
from moderation.domain.rule_sets import save_rules, starter_rules
from moderation.domain.rules import Compiled, Facts, apply_hits, validate_rules
from moderation.domain.scoring import score_pending
from moderation.models import Comment, Site

REPORTED = [
    # The walk's, held at 4.0x or 3.0x.
    "\"I'll kill you\" is what he texted her the night before, the court heard. And still bail was granted.",
    "Someone shouted \"go back to where you came from\" at my colleague on the bus. Disgusting, I reported it.",
    "Ledger's Joker still gives me chills every time he says \"I'm going to kill you\". Genius.",
    "The graffiti on the shop said \"Go back to where you came from\". Police are treating it as a hate crime.",
    "He shouted \"I know where you live\" at the officer, the court heard.",
    "Protesters chanting \"kill the Jews\" should be prosecuted, full stop.",
    "The defendant told the victim \"you deserve to die\", the jury was told.",
    "The troll wrote \"kys\" under her post and she was 14. Disgusting.",
    "The texts read \"I'm going to burn your house down\", prosecutors said.",
    "He posted \"someone should shoot the mayor\" and has been charged under the Communications Act.",
    # Curly and single quotes, the report after the quotation, a passive, what a reader heard.
    "He texted her \u201cI\u2019ll kill you\u201d the night before she left.",
    "She said 'I know where you live' and hung up, the court heard.",
    "The note pushed through their door read \u2018you deserve to die\u2019.",
    "\"You should hang yourself,\" the message said. The school did nothing.",
    "\"Women belong in the kitchen,\" he wrote under her post, and he's a councillor.",
    "The caller told her \"I know where you live\" before hanging up.",
    "\"Do the world a favour and OD,\" he replied to a grieving mum. Vile.",
    "I heard \"I'll kill you\" from the flat next door and called the police.",
    "My son was told \"go back to your own country\" at school today.",
    "\"Hope you get cancer\" was sprayed on the councillor's car.",
    "The jury heard that he told her 'I will find you and kill you' two days before.",
    "He texted her \"I 'will' kill you\", the court heard.",
    "My son says \"I'll kill you\" to his brother when they play Mario Kart, should I worry?",
]
OWN = [
    # The commenter's own words, quoted or not.
    "I said \"I'll kill you\" and I meant it.", "\"I'll kill you,\" I said, and I will.",
    "We told him \"I'll kill you\" and we meant every word.", "I texted her \"I know where you live\" last night.",
    "I'm telling you now: \"I know where you live\".", "My message to the editor: \"I will find you and kill you\".",
    "\"I'll kill you\" - and that's a promise.", "\"Go back to where you came from\" is all I have to say to them.",
    # An order to say it, a saying made one's own.
    "Someone should tell him \"I know where you live\".", "Remember what they say: \"I know where you live\".",
    "Go back to where you came from, as my dad always said.",
    # A report beside a threat of the commenter's own.
    "He said \"I'll kill you\" to me, so I'll kill him first.",
    "As they say, \"snitches get stitches\". I know where you live.",
    # Quotes for emphasis, which once hid the threat from the rule altogether.
    "I 'will' kill you.", "I will 'kill' you.", "I'll \"kill\" you, editor.", "The mayor \"should be shot\".",
    "I know where you live, \"mate\".",
]

# Quotes inside ordinary words, which the rules now read through as they read "I 'will' kill you".
ORDINARY = [
    "The \"kill count\" in that game is ridiculous.", "He \"will\" be missed by everyone at the club.",
    "I'll \"shoot\" you an email about the fixtures.", "Our keeper was \"dead\" on his feet by the 80th minute.",
    "The council says the library will \"die a slow death\" without funding.",
    "My nan used to say \"you'll catch your death\" if we went out with wet hair.",
    "The film \"I Know Where I'm Going!\" is a lovely old classic.", "She called the budget \"a killer blow\" for pensioners.",
    "The \"go back to work\" message from the minister went down badly.", "We \"murdered\" them 4-0, best night of the season.",
    "The new signing is a \"killer\" in the box, what a finish.", "He said he'd \"die for this club\" and then left for more money.",
    "\"Hang in there\" is all the nurse said, and it helped.", "The band's new single \"Burn It Down\" is brilliant live.",
    "Nobody \"deserves\" that kind of abuse online.", "Kids were told to \"stay home\" because of the snow.",
    "The sign said \"Wet paint, do not touch\".", "The play \"Death of a Salesman\" is on at the Crucible next month.",
    "I'd \"kill\" for a decent bus service in this town.", "My mate texted \"I'm dead\" after that own goal, meaning he was laughing.",
    "The 'killer app' for the council would be a working bin app.", "They chanted \"we want our club back\" for ninety minutes.",
    "The headline \"Mayor should go\" was a bit much.", "He shouted \"shoot!\" and the winger did, top corner.",
    # An elision, not a quotation (a Wikipedia talk page's, in the shared data).
    "Kill 'Em All charts: why did you include the Billboard 200 two times?", "Rock 'n' roll will never die.",
]


def hits(text: str, rules: list[dict] | None = None):
    return Compiled(validate_rules(rules) if rules else starter_rules()).evaluate(text, Facts(author_id="a"))


@pytest.mark.parametrize("text", REPORTED)
def test_abuse_quoted_as_someone_elses_speech_is_held_below_every_threat_and_attack_and_says_so(text):
    found = [h for h in hits(text) if h.kind in ("threat_words", "group_attack", "urging_self_harm")]
    assert found and all(h.action == "hold" and " (quoted): \"" in h.reason for h in found)
    quoted = apply_hits(Verdict("published", [], 0.3), found)
    hate = apply_hits(Verdict("published", [], 0.3), hits("I hate women."))
    doxxing = apply_hits(Verdict("published", [], 0.3), hits("She lives at 12 Oak Street"))
    assert quoted.status == "held" and 1.0 <= quoted.priority < doxxing.priority < hate.priority


@pytest.mark.parametrize("text", OWN)
def test_a_threat_in_the_commenters_own_words_keeps_its_full_rank_quoted_or_not(text):
    found = [h for h in hits(text) if h.kind in ("threat_words", "group_attack", "urging_self_harm")]
    assert found and not any("(quoted)" in h.reason for h in found)
    assert max(h.urgency for h in found) >= 3.0


@pytest.mark.parametrize("text", ORDINARY)
def test_quotes_in_an_ordinary_comment_make_no_rule_fire(text):
    assert hits(text) == []


def test_a_threat_a_rule_missed_and_the_model_held_ranks_above_a_quoted_one():
    # "I'll be waiting outside your office Friday": toxicity 0.83 on the walk's site, 85th at 1.63.
    missed = Verdict("held", ["toxicity"], 1.63)
    # The Joker line: toxicity 0.61 over 0.51, so the model held it too.
    quoted = apply_hits(Verdict("held", ["toxicity"], 1.2), hits(REPORTED[2]))
    assert quoted.status == "held" and quoted.priority < missed.priority


def test_a_reject_rule_holds_a_quotation_for_a_person_rather_than_rejecting_a_court_report_unseen():
    rules = [{"name": "threats", "kind": "threat_words", "action": "reject"}]
    assert [h.action for h in hits(REPORTED[0], rules)] == ["hold"]
    assert [h.action for h in hits("I'll kill you, and I'll say it again: I'll kill you.", rules)] == ["reject"]


def test_the_site_and_the_card_read_the_rules_own_reason_with_quoted_after_it(app, site, client):
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id),
                   validate_rules([{"name": "threats", "kind": "threat_words", "reason": "threat"}]), actor="user:test")
        db.session.commit()
        ids = []
        for n, text in enumerate([REPORTED[0], "I'll kill you, editor."]):
            data = CommentInput(external_id=f"q{n}", story_id="s", author_id="a", text=text)
            ids.append(submit_comment(db.session, db.session.get(Site, site.id), data).comment.id)
        assert score_pending(db.session, FakeModel, ids, batch_size=50) == dict.fromkeys(ids, "held")
        quoted, threat = (db.session.scalar(select(Comment.priority).where(Comment.id == i)) for i in ids)
        assert 1.0 <= quoted < 2.0 <= 4.0 <= threat
    body = client.get(f"/api/v1/comments/{ids[0]}", headers=site.headers).get_json()
    assert body["rules"] == [{"rule": "threats", "action": "hold", "reason": 'threat (quoted): "i\'ll kill you"',
                              "kind": "threat_words"}]


@pytest.mark.parametrize("text", ["\"a\" said " * 2500, "'a 'b " * 3000 + "i will kill you", "\u201ca " * 6000 + "i will kill you",
                                  "he said 'i will kill you " * 800, "\"i will kill you\" he " * 1000 + "said"])
def test_a_crafted_quotation_costs_little(text):
    import time

    started = time.process_time()  # CPU time: a busy machine holds the process up without it costing more
    hits(text)
    assert time.process_time() - started < 5.0
