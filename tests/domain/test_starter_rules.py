"""A site made with `moderation keys create` starts with the rules that hold what the model misses."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from fake_model import FakeModel
from moderation import db
from moderation.cli import main
from moderation.cli.context import cli_actor
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.rule_sets import current_rules
from moderation.domain.scoring import score_pending
from moderation.models import AuditEntry, Comment, Site


def _create(services, *args: str) -> tuple[str, Site]:
    result = CliRunner().invoke(main, ["keys", "create", *args], env={**services.env(), "SECRET_KEY": "test-secret"})
    assert result.exit_code == 0, result.output
    return result.output, db.session.scalar(select(Site).where(Site.name == args[0]))


def _post(site: Site, external_id: str, text: str) -> int:
    data = CommentInput(external_id=external_id, story_id="s-1", author_id="reader", text=text)
    return submit_comment(db.session, site, data).comment.id


STARTER = {"Someone should shoot the mayor.": "threats", "I hate women.": "group-hate",
           # A reader in crisis (toxicity 0.06), and one told to kill themselves (0.05).
           "I don't want to be here anymore.": "at-risk", "kys": "urging-self-harm",
           "Du bist ein geistesgestörter Idiot und solltest dich schämen.": "other-language",
           # The model scores a reader's personal information as civil: doxxing, or a reader's own by mistake.
           "Her number is (212) 555-0187, tell her what you think.": "phone-numbers",
           "Write to him at jane.doe@example.com and let him know.": "email-addresses",
           "The councilman lives at 12 Oak Street, if anyone wants to write.": "street-addresses",
           "My card is 4111 1111 1111 1111, can you refund me?": "card-numbers"}


@pytest.mark.parametrize("text", list(STARTER))
def test_a_new_site_holds_threats_hate_foreign_comments_and_personal_information_the_model_lets_through(
        app, services, text):
    with app.app_context():
        output, site = _create(services, "morning-post")
        assert ("rules:          threats, group-hate, at-risk, urging-self-harm, other-language, phone-numbers, "
                "email-addresses, street-addresses, card-numbers") in output
        assert [r["kind"] for r in current_rules(db.session, site.id)] == [
            "threat_words", "group_attack", "at_risk", "urging_self_harm", "other_language", "phone", "email",
            "street_address", "payment_card"]
        audited = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:rules_changed")).all()
        assert [(e.actor, e.details["version"]) for e in audited] == [(cli_actor(), 1)]
        created = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:created")).one()
        assert (created.actor, created.details["site"]) == (cli_actor(), "morning-post")

        threat, calm = _post(site, "c-1", text), _post(site, "c-2", "The mayor spoke well tonight.")
        # The fake model scores both as civil, as ours scores these (threat 0.29, toxicity 0.38 and 0.10).
        assert score_pending(db.session, FakeModel, [threat, calm], batch_size=10) == {threat: "held", calm: "published"}
        held = db.session.get(Comment, threat)
        assert [h["rule"] for h in held.rule_hits] == [STARTER[text]]


def test_a_site_can_start_without_rules(app, services):
    with app.app_context():
        output, site = _create(services, "evening-post", "--rules", "none")
        assert "rules:          none" in output and current_rules(db.session, site.id) == []
        comment = _post(site, "c-1", "Someone should shoot the mayor.")
        assert score_pending(db.session, FakeModel, [comment], batch_size=10) == {comment: "published"}


def test_the_rules_read_a_bounded_length_of_normalised_text_and_an_ordinary_long_comment_whole(monkeypatch):
    """A security review: 20,000 x U+FDFA (18 characters each once normalised) kept the starter rules
    busy 3 s a comment, and twenty such comments held every site's scoring for a minute."""
    from moderation.domain import rule_matchers, rules
    from moderation.domain.rule_facts import Facts
    from moderation.domain.rule_sets import starter_rules

    read: list[int] = []
    real = rules._PHRASES["threat_words"]
    monkeypatch.setitem(rules._PHRASES, "threat_words", lambda normalised, written: read.append(len(normalised))
                        or real(normalised, written))
    compiled = rules.Compiled(starter_rules())

    compiled.evaluate("\ufdfa" * 20_000, Facts())
    assert read == [rule_matchers.READ_AT_MOST]
    long_civil = ("The council met to discuss the budget for the new bridge. " * 400)[:19_950]
    hits = compiled.evaluate(long_civil + " I will kill you.", Facts())
    assert read[-1] > 19_950 and [h.rule for h in hits] == ["threats"]
    # What lies past the bound is held for a person: a re-check hid a threat after 13,500 x "ﬄ"
    # (three characters each once read), and the comment was published.
    hidden = compiled.evaluate("\ufb04" * 13_500 + " I know where you live and I'm coming for you", Facts())
    assert [(h.rule, h.action, h.kind) for h in hidden] == [("too long to read", "hold", "read_limit")]
    assert "they read its first 40,000 characters" in hidden[0].reason


def test_a_comment_longer_than_the_rules_read_is_held_for_a_person(app, services):
    with app.app_context():
        _, site = _create(services, "ligature-post")
        hidden = _post(site, "c-1", "\ufb04" * 13_500 + " I know where you live and I'm coming for you")
        assert score_pending(db.session, FakeModel, [hidden], batch_size=10) == {hidden: "held"}
        assert [h["rule"] for h in db.session.get(Comment, hidden).rule_hits] == ["too long to read"]


def test_a_text_past_the_rules_bound_is_hidden_while_held_on_a_post_moderation_site(app, services):
    """A second re-check: on a post-moderation site the padded threat was shown to every reader while
    held, where the plain threat is hidden as it arrives."""
    from moderation.domain.lifecycle import POST_MODERATION, is_visible

    with app.app_context():
        _, site = _create(services, "open-post")
        site.moderation_mode = POST_MODERATION
        db.session.commit()
        padded = _post(site, "c-1", "\ufb04" * 13_500 + " I know where you live and I will find you.")
        db.session.commit()
        assert not is_visible(db.session.get(Comment, padded))  # as it arrives
        assert score_pending(db.session, FakeModel, [padded], batch_size=10) == {padded: "held"}
        assert not is_visible(db.session.get(Comment, padded))
