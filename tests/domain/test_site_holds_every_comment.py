"""A site whose moderation mode is `hold_all` holds every comment for a person, on every story, as a
pre-moderated story holds its own. A children's news site's editor left the site at "pre-moderation"
and 67 of 91 comments on a story nobody had configured were published within seconds, unread."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from fake_model import FakeModel
from moderation import db
from moderation.domain import threshold_release
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.lifecycle import is_visible
from moderation.domain.rule_sets import save_rules
from moderation.domain.rules import validate_rules
from moderation.domain.sanctions import sanction_author
from moderation.domain.scoring import score_pending
from moderation.domain.stories import set_story
from moderation.models import Comment, Site, WebhookDelivery

SITE_HOLD = {"rule": "site_premoderated", "action": "hold", "reason": "site holds every comment for review"}
STORY_HOLD = {"rule": "story_premoderated", "action": "hold", "reason": "story pre-moderated"}


@pytest.fixture
def model() -> FakeModel:
    return FakeModel()


@pytest.fixture
def kids(make_site):
    return make_site("kids-news", moderation_mode="hold_all", webhook_url="http://127.0.0.1:9/hooks")


def post(site_id: int, text: str, *, author: str = "a", story: str = "s") -> int:
    n = db.session.scalar(select(Comment.id).order_by(Comment.id.desc()).limit(1)) or 0
    data = CommentInput(external_id=f"c{n + 1}", story_id=story, author_id=author, text=text)
    return submit_comment(db.session, db.session.get(Site, site_id), data).comment.id


def score(model: FakeModel, ids: list[int]) -> dict[int, str]:
    return score_pending(db.session, lambda: model, ids, batch_size=50)


def row(comment_id: int) -> Comment:
    db.session.expire_all()
    return db.session.get(Comment, comment_id)


def test_a_civil_comment_on_a_story_nobody_configured_is_held_and_hidden(app, client, kids, model):
    with app.app_context():
        comment_id = post(kids.id, "I liked the bit about the penguins.", story="penguins-2026")
        # Hidden while it waits to be scored too, and said at once, as a pre-moderated story's is.
        assert not is_visible(row(comment_id)) and row(comment_id).rule_hits == [SITE_HOLD]
        assert score(model, [comment_id]) == {comment_id: "held"}
        held = row(comment_id)
        assert held.rule_hits == [SITE_HOLD] and held.flagged == [] and not is_visible(held)
        event = db.session.scalars(select(WebhookDelivery.event).where(WebhookDelivery.comment_id == comment_id)).one()
        assert (event["comment"]["status"], event["comment"]["visible"], event["comment"]["rules"]) == (
            "held", False, [SITE_HOLD])
    answer = client.get(f"/api/v1/comments/{comment_id}", headers=kids.headers).get_json()
    assert (answer["status"], answer["visible"], answer["rules"]) == ("held", False, [SITE_HOLD])
    story = client.get("/api/v1/stories/penguins-2026", headers=kids.headers).get_json()
    assert (story["premoderated"], story["site_premoderated"]) == (False, True)
    assert story["comments"]["visible"] == 0 and story["comments"]["in_review"] == 1


def test_a_site_in_pre_moderation_publishes_what_the_model_passes_as_before(app, client, site, model):
    with app.app_context():
        comment_id = post(site.id, "I liked the bit about the penguins.", story="penguins-2026")
        assert score(model, [comment_id]) == {comment_id: "published"}
        assert row(comment_id).rule_hits is None and is_visible(row(comment_id))
    story = client.get("/api/v1/stories/penguins-2026", headers=site.headers).get_json()
    assert (story["premoderated"], story["site_premoderated"]) == (False, False)


def test_reject_rules_auto_reject_and_a_ban_still_reject_as_on_a_pre_moderated_story(app, kids, moderator, model):
    from moderation.models import User

    with app.app_context():
        site = db.session.get(Site, kids.id)
        site.auto_reject, site.reject_thresholds = True, {"toxicity": 0.9}
        save_rules(db.session, site, validate_rules([
            {"name": "no-swearing", "kind": "banned_words", "words": ["bum"], "action": "reject"}]), actor="user:t")
        sanction_author(db.session, db.session.get(Site, kids.id), "troll", "ban", "abuse",
                        db.session.get(User, moderator.id))
        db.session.commit()
        ruled = post(kids.id, "What a bum idea.", author="b")
        vile = post(kids.id, "You vile idiot.", author="c")
        banned = post(kids.id, "A perfectly nice comment.", author="troll")
        civil = post(kids.id, "A perfectly nice comment.", author="d")
        assert score(model, [ruled, vile, banned, civil]) == {
            ruled: "rejected", vile: "rejected", banned: "rejected", civil: "held"}
        assert "auto_rejected" in row(vile).flagged and "author_banned" in row(banned).flagged


def test_it_ranks_as_a_pre_moderated_storys_hold_and_a_reader_at_risk_above_it(app, kids, model):
    with app.app_context():
        save_rules(db.session, db.session.get(Site, kids.id), validate_rules([{"name": "at-risk", "kind": "at_risk"}]),
                   actor="user:t")
        set_story(db.session, db.session.get(Site, kids.id), "set-by-hand", closed=False, premoderated=True,
                  actor="user:t")
        db.session.commit()
        by_site = post(kids.id, "Great story.", story="new-story")
        by_story = post(kids.id, "Great story.", story="set-by-hand", author="b")
        crisis = post(kids.id, "I'm going to kill myself tonight.", story="new-story", author="c")
        assert set(score(model, [by_site, by_story, crisis]).values()) == {"held"}
        # The story's own hold is named where both hold: it stays if the site's mode changes.
        assert row(by_story).rule_hits == [STORY_HOLD]
        assert row(by_site).scored_priority == row(by_story).scored_priority < row(crisis).scored_priority


def test_the_thresholds_page_does_not_publish_what_the_site_holds_for_a_person(app, model, make_comment_scored):
    site = make_comment_scored.site
    comment_id = make_comment_scored.held
    with app.app_context():
        found = threshold_release.releasable(db.session, db.session.get(Site, site.id), "fake-1",
                                             model.attributes, model.thresholds)
        assert found.comments == []
        # Switched back to pre-moderation, what the mode held still waits for a person (a re-check: the
        # page published it, saying the model alone held it); what is scored since is the model's.
        kept = db.session.get(Site, site.id)
        kept.moderation_mode, looser, kept.thresholds = "pre", kept.thresholds, {}
        db.session.commit()
        later = post(site.id, "You idiot, but a kind one. Again.")
        score(model, [later])
        assert row(later).status == "held"
        db.session.get(Site, site.id).thresholds = looser
        db.session.commit()
        found = threshold_release.releasable(db.session, db.session.get(Site, site.id), "fake-1",
                                             model.attributes, model.thresholds)
        assert [c.id for c in found.comments] == [later]


@pytest.fixture
def make_comment_scored(app, kids, model):
    """A comment the model held at the thresholds of its day, under the ones in force now."""
    with app.app_context():
        comment_id = post(kids.id, "You idiot, but a kind one.")
        score(model, [comment_id])
        assert row(comment_id).status == "held"
        db.session.get(Site, kids.id).thresholds = {"toxicity": 0.9, "insult": 0.99}
        db.session.commit()
    return SimpleNamespace(site=kids, held=comment_id)


def test_keys_create_makes_a_site_that_holds_every_comment(app, services, model):
    from click.testing import CliRunner

    from moderation.cli import main

    result = CliRunner().invoke(main, ["keys", "create", "kids-news", "--mode", "hold_all"],
                                env={**services.env(), "SECRET_KEY": "test-secret"})
    assert result.exit_code == 0, result.output
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.name == "kids-news"))
        comment_id = post(site.id, "I liked the bit about the penguins.")
        assert score(model, [comment_id]) == {comment_id: "held"}


def test_the_post_and_a_batchs_answers_say_the_site_holds_it(client, kids, site):
    one = client.post("/api/v1/comments", headers=kids.headers,
                      json={"id": "one", "story_id": "new-story", "author_id": "a", "text": "Hello."}).get_json()
    assert (one["status"], one["visible"], one["rules"]) == ("pending", False, [SITE_HOLD])
    batch = client.post("/api/v1/comments:batch", headers=kids.headers, json={"comments": [
        {"id": "two", "story_id": "another-story", "author_id": "b", "text": "Hi."}]}).get_json()
    assert batch["results"][0]["comment"]["rules"] == [SITE_HOLD]
    elsewhere = client.post("/api/v1/comments", headers=site.headers,
                            json={"id": "one", "story_id": "new-story", "author_id": "a", "text": "Hello."}).get_json()
    assert elsewhere["rules"] == []
