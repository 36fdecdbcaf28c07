"""comments:analyze raises the attributes the plain-words matchers speak for: a Perspective client
asks for one attribute and holds above its threshold, and the comment API's rules never reached it.

A migrating site's walk (2026-12-05), Coral's body at docs/perspective.md's threshold of 51: "We should hang
every journalist." scored toxicity 0.34, "Someone should shoot the mayor." 0.26, "Go back to your
country." 0.41 and "kys" 0.05, all published.
"""
from __future__ import annotations

import pytest
from perspective_helpers import ANALYZE, analyze_body

from moderation.perspective.plain_words import FLOOR

CORAL_THRESHOLD = 0.51


def _scores(client, site, text: str, *attributes: str, **extra) -> dict:
    answer = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(text, *attributes, **extra))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["attributeScores"]


@pytest.mark.parametrize("text, also", [
    ("We should hang every journalist.", "THREAT"),
    ("Someone should shoot the mayor.", "THREAT"),
    ("Go back to your country.", "IDENTITY_ATTACK"),
    ("kys", "SEVERE_TOXICITY"),
])
def test_what_the_rules_hold_on_the_comment_api_scores_above_any_coral_threshold(client, site, text, also):
    scores = _scores(client, site, text, "TOXICITY", also)
    assert scores["TOXICITY"]["summaryScore"]["value"] >= FLOOR > CORAL_THRESHOLD
    assert scores[also]["summaryScore"]["value"] >= FLOOR


@pytest.mark.parametrize("text", ["The killing of the journalist was a tragedy and the police must investigate.",
                                  "I'm going to kill myself tonight.",  # at risk: no toxicity of theirs
                                  "This film is killer, I'd shoot it again."])
def test_what_no_matcher_reads_keeps_the_models_score(client, site, text):
    assert _scores(client, site, text, "TOXICITY", "THREAT")["THREAT"]["summaryScore"]["value"] < FLOOR


def test_only_the_sentence_the_matcher_reads_is_raised_among_the_spans(client, site):
    scores = _scores(client, site, "Thanks for the careful reporting. Someone should shoot the mayor.", "THREAT",
                     spanAnnotations=True)
    first, second = scores["THREAT"]["spanScores"]
    assert first["score"]["value"] < CORAL_THRESHOLD and second["score"]["value"] >= FLOOR


# A Coral developer's walk (2026-12-06): a court report quoting a defendant's threat scored 0.95, and
# the site had no lever. Setting the threats rule to flag is one; a kind with no rule still lifts, or a
# site made before a kind joined the starter rules loses its lift unwarned (a re-check).
THREAT = "The mayor deserves a bullet."
COURT_REPORT = ("Quoting the defendant: 'I'm going to burn your house down'. He got 18 months, which seems "
                "light to me.")
GROUP = "Go back to your country."


def _toxicity(client, key: str, text: str) -> float:
    answer = client.post(f"{ANALYZE}?key={key}", json=analyze_body(text, "TOXICITY"))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"]


def _save(app, site_id: int, rules: list[dict]) -> None:
    from moderation import db
    from moderation.domain.rule_sets import save_rules
    from moderation.models import Site

    with app.app_context():
        save_rules(db.session, db.session.get(Site, site_id), rules, actor="test", take_away=True)
        db.session.commit()


def test_a_site_with_no_rule_of_a_kind_keeps_its_lift(app, client):
    """A site made with `--rules none`, or before urging-self-harm joined the starter rules: "kys" had
    gone from 0.95 to 0.05 when only the kinds a site has lifted (a re-check)."""
    from moderation import db
    from moderation.domain.accounts import add_site

    with app.app_context():
        new = add_site(db.session, "no-rules-news", starter=False, actor="test")  # keys create --rules none
        db.session.commit()
    for text in (THREAT, GROUP, "kys"):
        assert _toxicity(client, new.api_key, text) >= FLOOR, text


def test_a_rule_set_to_flag_takes_its_lift_away_at_once_and_leaves_the_others(app, client, site):
    from moderation.domain.rule_sets import starter_rules

    assert _toxicity(client, site.api_key, THREAT) >= FLOOR  # kept in the cache, too
    assert _toxicity(client, site.api_key, COURT_REPORT) >= FLOOR
    _save(app, site.id, [{**rule, "action": "flag"} if rule["kind"] == "threat_words" else rule
                         for rule in starter_rules()])
    assert _toxicity(client, site.api_key, THREAT) < FLOOR
    assert _toxicity(client, site.api_key, COURT_REPORT) < FLOOR
    assert _toxicity(client, site.api_key, GROUP) >= FLOOR


def test_a_kind_lifts_while_any_of_its_rules_holds(app, client, make_site):
    from moderation.domain.rules import validate_rules

    other = make_site("own-rules-news")
    _save(app, other.id, validate_rules([{"name": "watch", "kind": "threat_words", "action": "flag"},
                                         {"name": "no-violence", "kind": "threat_words", "action": "reject"}]))
    assert _toxicity(client, other.api_key, THREAT) >= FLOOR
    _save(app, other.id, validate_rules([{"name": "watch", "kind": "threat_words", "action": "flag"}]))
    assert _toxicity(client, other.api_key, THREAT) < FLOOR
    assert _toxicity(client, other.api_key, GROUP) >= FLOOR


def test_a_stalled_first_read_of_the_rules_lifts_every_kind(app, monkeypatch):
    """A worker that had never read the site's rules answered 503 in a stall (a re-check)."""
    from moderation import db
    from moderation.bounded_reads import NoAnswer
    from moderation.domain import rules_in_force

    def stalled(*_args, **_kwargs):
        raise NoAnswer("stalled", first=True)

    monkeypatch.setattr(rules_in_force, "read_within", stalled)
    rules_in_force.forget()
    with app.app_context():
        assert rules_in_force.flag_only_kinds(db.session, 12345) == frozenset()
