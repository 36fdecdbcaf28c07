"""Storm mode in the domain: triggers, holding a stormy story's comments, calm, audit and events."""
from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select, update

from fake_model import FakeModel
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.lifecycle import now
from moderation.domain.scoring import score_pending
from moderation.domain.storms import _recent_counts, active_storms, calm_storms
from moderation.models import AuditEntry, Comment, Site, StoryStorm, WebhookDelivery
from moderation.observability.collect import exposition

HOOK = "http://127.0.0.1:9/hook"


def add(site_id: int, story: str, text: str = "Thanks for the reporting.") -> int:
    site = db.session.get(Site, site_id)
    n = db.session.scalar(select(func.count()).select_from(Comment))
    return submit_comment(db.session, site, CommentInput(external_id=f"c{n}", story_id=story, author_id=f"a{n}",
                                                         text=text)).comment.id


def configure(site_id: int, **settings: object) -> None:
    db.session.execute(update(Site).where(Site.id == site_id).values(**settings))
    db.session.commit()


def score(ids: list[int]) -> dict[int, str]:
    return score_pending(db.session, FakeModel, ids, batch_size=500)


def storm_events(site_id: int) -> list[dict]:
    return [d.event for d in db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.site_id == site_id, WebhookDelivery.comment_id.is_(None))
        .order_by(WebhookDelivery.id))]


@pytest.fixture
def stormy_site(app, make_site):
    site = make_site("daily-planet", webhook_url=HOOK)
    with app.app_context():
        configure(site.id, storm_comments_per_minute=5, storm_calm_minutes=10)
    return site


def test_a_burst_on_one_story_holds_its_comments_and_the_next_but_not_another_storys(app, stormy_site):
    with app.app_context():
        burst = [add(stormy_site.id, "viral") for _ in range(5)]
        quiet = add(stormy_site.id, "quiet")
        assert score([*burst, quiet]) == {**dict.fromkeys(burst, "held"), quiet: "published"}
        following = add(stormy_site.id, "viral")
        assert score([following]) == {following: "held"}
        held = db.session.get(Comment, following)
        assert held.flagged == ["storm"]
        audit = db.session.scalar(select(AuditEntry).where(AuditEntry.comment_id == following))
        assert (audit.action, audit.details["reason"]) == ("status:pending->held", "storm")
        [storm] = active_storms(db.session, {stormy_site.id})
        assert storm.story_id == "viral" and storm.trigger == "5 comments in the last minute (limit 5)"
        starts = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "story:storm_started")).all()
        assert len(starts) == 1 and starts[0].details["story_id"] == "viral"
        [event] = storm_events(stormy_site.id)
        assert event["type"] == "story.storm_mode" and event["story_id"] == "viral"
        assert event["storm"]["active"] is True and event["storm"]["trigger"] == storm.trigger
        # Comments held by the storm itself are not "held by the policy": the storm cannot feed itself.
        assert _recent_counts(db.session, {(stormy_site.id, "viral")}, now())[(stormy_site.id, "viral")] == (6, 6, 0)


def test_an_imported_backlog_starts_no_storm(app, stormy_site):
    """A newsroom's first day: a batch import of last month's comments, storm mode on, held every story of it."""
    with app.app_context():
        site = db.session.get(Site, stormy_site.id)
        written = now() - timedelta(days=30)
        old = [submit_comment(db.session, site, CommentInput(external_id=f"old-{n}", story_id="archive", author_id=f"a{n}",
                                                             text="Thanks for the reporting.", created_at=written)).comment.id
               for n in range(8)]
        assert set(score(old).values()) == {"published"}
        assert active_storms(db.session, {stormy_site.id}) == []


def test_an_uncivil_wave_starts_a_storm_by_its_held_share(app, make_site):
    site = make_site("daily-planet")
    with app.app_context():
        configure(site.id, storm_held_share=0.5)
        wave = [add(site.id, "viral", "You idiot." if i % 2 else "Fine.") for i in range(10)]
        score(wave)  # 5 of 10 held by the model: the storm starts with the next batch
        civil = add(site.id, "viral")
        assert score([civil]) == {civil: "held"}
        [storm] = active_storms(db.session, None)
        assert storm.trigger == "5 of 10 comments of the last minute held (50%, limit 50%)"


def test_under_the_triggers_or_with_them_off_nothing_is_held(app, make_site):
    site = make_site("daily-planet")
    with app.app_context():
        ids = [add(site.id, "viral") for _ in range(20)]
        assert set(score(ids).values()) == {"published"}  # storm mode is off by default
        configure(site.id, storm_comments_per_minute=50, storm_held_share=0.9)
        more = [add(site.id, "viral") for _ in range(5)]
        assert set(score(more).values()) == {"published"}
        assert db.session.scalar(select(func.count()).select_from(StoryStorm)) == 0


def test_a_storm_ends_when_calm_for_the_sites_calm_minutes_and_the_story_is_published_again(app, stormy_site):
    with app.app_context():
        score([add(stormy_site.id, "viral") for _ in range(5)])
        assert calm_storms(db.session, now() + timedelta(minutes=9)) == []  # still within the calm period
        # Ten minutes later, and the burst more than a minute old:
        db.session.execute(update(Comment).values(received_at=Comment.received_at - timedelta(minutes=11)))
        db.session.execute(update(StoryStorm).values(last_stormy_at=StoryStorm.last_stormy_at - timedelta(minutes=11)))
        db.session.commit()
        [ended] = calm_storms(db.session)
        assert ended.ended_at is not None and active_storms(db.session, None) == []
        calm = add(stormy_site.id, "viral")
        assert score([calm]) == {calm: "published"}
        ends = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "story:storm_ended")).all()
        assert len(ends) == 1 and ends[0].actor == "system:storm"
        started, finished = storm_events(stormy_site.id)
        assert (started["storm"]["active"], finished["storm"]["active"]) == (True, False)
        assert finished["storm"]["ended_at"]


def test_turning_the_triggers_off_ends_open_storms_at_the_next_sweep(app, stormy_site):
    with app.app_context():
        score([add(stormy_site.id, "viral") for _ in range(5)])
        configure(stormy_site.id, storm_comments_per_minute=0)
        assert len(calm_storms(db.session)) == 1
        assert score([following := add(stormy_site.id, "viral")]) == {following: "published"}


def test_a_banned_authors_comment_stays_rejected_in_a_storm(app, stormy_site, admin):
    from moderation.domain.sanctions import sanction_author
    from moderation.models import User

    with app.app_context():
        score([add(stormy_site.id, "viral") for _ in range(5)])
        site = db.session.get(Site, stormy_site.id)
        sanction_author(db.session, site, "troll", "ban", "spam", db.session.get(User, admin.id))
        comment = submit_comment(db.session, site, CommentInput(external_id="t", story_id="viral", author_id="troll",
                                                                text="Buy now")).comment.id
        assert score([comment]) == {comment: "rejected"}


def test_comments_held_by_a_storm_count_as_scored_in_the_metrics(app, stormy_site):
    # They were left out of moderation_comments_scored_total: Prometheus said 23 scored where the
    # admin's operations page said 28.
    def scored(status: str) -> float:
        text = exposition(app.extensions["metrics_dir"], None).decode()
        return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
                   if s.name == "moderation_comments_scored_total"
                   and s.labels == {"site": "daily-planet", "status": status})

    before = scored("held")
    with app.app_context():
        burst = [add(stormy_site.id, "viral") for _ in range(5)]
        assert score(burst) == dict.fromkeys(burst, "held")
        assert [db.session.get(Comment, i).flagged for i in burst] == [["storm"]] * 5
    assert scored("held") - before == 5
