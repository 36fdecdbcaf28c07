"""Someone seeking a young reader's private contact is held with threats, and a site's own list of
what children tell ranks first.

A children's news site's walk (2026-12-06, readers 9-14): 12 of 12 comments asking a reader's age,
a secret from their parents or a private chat were published with no reason; its own suspect words
caught the ones written for them and 2 of 10 fresh ones. Its list of disclosures sat 36th-55th of
198, below insults, since a site's list could rank no higher than threats."""
from __future__ import annotations

import pytest

from moderation.domain.policy import Verdict
from moderation.domain.rule_sets import starter_rules
from moderation.domain.rules import Compiled, Facts, apply_hits, validate_rules

# The walk's twelve (five of them quoted in its report) and its ten fresh ones.
SEEKING = [
    "how old are you? dm me", "dont tell your parents but i can get you free robux",
    "lets talk somewhere private, do u have whatsapp?", "where do you live? i could meet you after school",
    "delete this chat after u read it so ur mum doesnt see",
    "wat age r u", "r u home alone rn", "keep this between us yeah", "do ur mum n dad check ur phone?",
    "i'm 12 as well lol, where abouts do u live", "what do you look like?",
    "i can help with your homework, whats ur number", "come find me on my server, link in bio",
    "asl?", "What's your snap?", "add me on snapchat", "send me a pic x", "it's our little secret ok",
    "message me privately", "Do you have Instagram?", "what school do you go to", "are your parents home?",
    "I'll get you a gift card if you want", "wanna meet up irl?", "don't let your mum see this",
]
# Adult news comments and children's chatter that say some of the same words.
ORDINARY = [
    "How old are you supposed to be to vote?", "How old are you going to be when the loan is paid off?",
    "How old are you when you start secondary school?", "what age do you have to be to join the club?",
    "My dad hits the gym every morning", "I cut myself shaving",
    "don't tell your parents about the surprise party lol", "I don't tell my parents everything",
    "Where do you live that rent is that cheap?", "send me a pic of your dog!", "Send me the link to the game",
    "show me the photos from the trip", "What's your number one priority, minister?", "what's your favourite book?",
    "The government tried to keep it secret for years.", "We should keep it between us and the EU.",
    "keep this up and you'll win", "my teacher says the secret of good writing is reading",
    "Delete this comment if it breaks the rules.", "He told aides to delete the messages.",
    "do u have minecraft?", "add me on fortnite lol", "see u after school!", "Text me the answer to question 4",
    "They're giving free skins in the new season", "I'm learning ASL at school",
    "I asked my dad how old he was when he met mum", "Meet the new head teacher at the school gates on Monday",
    "Are you alone in thinking this?", "Your parents must be proud.", "Are you home? No, I'm at school.",
    "What do you look like in that hat, lol", "I think the puppy is so cute, are you going to adopt him?",
    "Follow me on the walking tour next week", "My phone number changed, the school has the new one",
]


def _hits(text: str, rules: list[dict[str, object]] | None = None):
    return Compiled(validate_rules(rules or [{"name": "contact", "kind": "contact_seeking"}])).evaluate(text, Facts(author_id="a"))


@pytest.mark.parametrize("text", SEEKING)
def test_someone_seeking_a_young_readers_private_contact_is_held_with_threats(text):
    hits = _hits(text)
    assert [h.reason.split(":")[0] for h in hits] == ["seeks private contact with a reader"]
    held = apply_hits(Verdict("published", [], 0.05), hits)
    insult = Verdict("held", ["toxicity", "insult"], 3.9)
    assert held.status == "held" and held.priority > insult.priority


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_comments_with_the_same_words_are_not(text):
    assert _hits(text) == []


def test_it_is_no_starter_rule_of_an_adult_site_but_an_admin_adds_it_and_it_is_listed_and_protected():
    """Over the shared data it fires on 87 of 112,067 civil comments, nearly all "PM me if you want to
    chat" and "How old are you?": ordinary on an adult site, so a site adds it."""
    from moderation.domain.queue_filters import FLAGS, RULE_FLAGS
    from moderation.domain.rule_sets import PROTECTIVE_KINDS

    assert Compiled(starter_rules()).evaluate("dm me if you want the recipe", Facts(author_id="a")) == []
    assert "contact_seeking" in FLAGS and RULE_FLAGS["contact_seeking"] == ("contact_seeking",)
    assert "contact_seeking" in PROTECTIVE_KINDS


def test_a_sites_list_of_what_children_tell_can_rank_with_a_reader_at_risk():
    rules = [{"name": "disclosures", "kind": "suspect_words", "words": ["nobody listens at home"], "ranks_with": "at risk"},
             {"name": "told", "kind": "banned_words", "words": ["he hurts my sister"], "ranks_with": "at risk"},
             {"name": "threats", "kind": "threat_words"}]
    told = apply_hits(Verdict("published", [], 0.05), _hits("nobody listens at home", rules))
    threat = apply_hits(Verdict("held", ["threat"], 4.2 + 3.0), _hits("I will kill you, editor.", rules))
    assert told.status == "held" and told.priority > threat.priority
    # A banned list ranked so holds rather than rejects: a child telling of harm is read by a person.
    assert [h.action for h in _hits("he hurts my sister", rules)] == ["hold"]


def test_a_list_ranked_with_a_reader_at_risk_is_never_rejected_unseen_by_another_rule():
    """A re-check: only the list's own reject stopped; a swear list beside it rejected "my dad hits me
    with a fucking belt" at priority 100.01, and a ban or the model's auto-reject would have too."""
    from moderation.domain.routing import route

    rules = [{"name": "disclosures", "kind": "suspect_words", "words": ["my dad hits me"], "ranks_with": "at risk"},
             {"name": "swearing", "kind": "banned_words", "words": ["fucking"]}]
    hits = _hits("my dad hits me with a fucking belt", rules)
    assert {h.rule: h.kind for h in hits}["disclosures"] == "at_risk"  # what the site is sent, and filters read
    verdict, _ = route(Verdict("published", [], 0.05), hits, None)
    assert verdict.status == "held"
    verdict, _ = route(Verdict("rejected", ["toxicity", "auto_rejected"], 3.0), hits, None)
    assert verdict.status == "held"
