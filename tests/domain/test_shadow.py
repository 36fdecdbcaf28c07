"""A shadow model scores what the live model scored, apart: statuses never change, failures never spread."""
from __future__ import annotations

from sqlalchemy import select, update

from fake_model import FakeModel
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.scoring import score_pending
from moderation.domain.shadow import shadow_summary, shadow_versions
from moderation.models import Comment, ShadowScore, Site


class StricterModel(FakeModel):
    """A candidate that holds anything mentioning "fool" as well, and nothing "vile" alone."""

    version = "fake-2"

    @staticmethod
    def _one(text: str) -> dict[str, float]:
        scores = FakeModel._one(text)
        if "fool" in text:
            scores.update(toxicity=0.7)
        if "vile" in text and "idiot" not in text:
            scores.update(toxicity=0.1)
        return scores


class BrokenModel(FakeModel):
    version = "broken-1"

    def score(self, texts):
        raise RuntimeError("the shadow's artifact is corrupt")


def add(site_id: int, text: str, n: int) -> int:
    data = CommentInput(external_id=f"c{n}", story_id="s", author_id="a", text=text)
    return submit_comment(db.session, db.session.get(Site, site_id), data).comment.id


TEXTS = ["Thanks for the piece.", "What a fool.", "You idiot.", "A vile take.", "Good point."]


def test_shadow_scores_are_stored_apart_and_every_status_is_the_live_models(app, site):
    with app.app_context():
        ids = [add(site.id, text, n) for n, text in enumerate(TEXTS)]
        scored = score_pending(db.session, FakeModel, ids, batch_size=10, get_shadow=StricterModel)
        assert scored == dict(zip(ids, ["published", "published", "held", "held", "published"]))
        comments = {c.id: c for c in db.session.scalars(select(Comment))}
        assert {c.model_version for c in comments.values()} == {"fake-1"}
        assert {i: c.status for i, c in comments.items()} == scored
        rows = {r.comment_id: r for r in db.session.scalars(select(ShadowScore))}
        assert set(rows) == set(ids)
        assert {r.version for r in rows.values()} == {"fake-2"} and {r.live_version for r in rows.values()} == {"fake-1"}
        assert {i: (r.live_status, r.would_be_status) for i, r in rows.items()} == {
            ids[0]: ("published", "published"), ids[1]: ("published", "held"), ids[2]: ("held", "held"),
            ids[3]: ("held", "published"), ids[4]: ("published", "published")}
        assert rows[ids[1]].scores["toxicity"] == 0.7


def test_a_failing_shadow_model_does_not_stop_live_scoring(app, site, caplog):
    with app.app_context():
        ids = [add(site.id, text, n) for n, text in enumerate(TEXTS)]
        assert len(score_pending(db.session, FakeModel, ids, batch_size=2, max_batches=5, get_shadow=BrokenModel)) == 5
        assert all(c.status != "pending" and c.scoring_failed_at is None for c in db.session.scalars(select(Comment)))
        assert db.session.scalars(select(ShadowScore)).all() == []
    assert "shadow scoring failed" in caplog.text


def test_a_shadow_that_cannot_even_load_does_not_stop_live_scoring(app, site):
    def unloadable():
        raise FileNotFoundError("models/gone.skops")

    with app.app_context():
        ids = [add(site.id, text, n) for n, text in enumerate(TEXTS)]
        assert len(score_pending(db.session, FakeModel, ids, batch_size=10, get_shadow=unloadable)) == 5


def test_without_a_shadow_or_with_the_live_model_as_shadow_nothing_is_stored(app, site):
    with app.app_context():
        first = [add(site.id, text, n) for n, text in enumerate(TEXTS[:2])]
        score_pending(db.session, FakeModel, first, batch_size=10, get_shadow=lambda: None)
        second = [add(site.id, text, n + 10) for n, text in enumerate(TEXTS[2:])]
        score_pending(db.session, FakeModel, second, batch_size=10, get_shadow=FakeModel)
        assert db.session.scalars(select(ShadowScore)).all() == []


def test_the_shadow_uses_the_sites_own_thresholds(app, site):
    with app.app_context():
        db.session.get(Site, site.id).thresholds = {"toxicity": 0.75}
        comment = add(site.id, "What a fool.", 0)
        score_pending(db.session, FakeModel, [comment], batch_size=10, get_shadow=StricterModel)
        assert db.session.scalar(select(ShadowScore.would_be_status)) == "published"  # 0.7 < the site's 0.75


def test_agreement_and_would_be_changes_both_ways_are_counted_with_examples(app, site):
    with app.app_context():
        ids = [add(site.id, text, n) for n, text in enumerate(TEXTS)]
        score_pending(db.session, FakeModel, ids, batch_size=10, get_shadow=StricterModel)
        assert shadow_versions(db.session) == ["fake-2"]
        summary = shadow_summary(db.session, "fake-2")
        assert (summary.scored, summary.agreed, summary.agreement) == (5, 3, 0.6)
        assert (summary.would_hold_count, summary.would_publish_count) == (1, 1)
        assert len(summary.days) == 1 and summary.days[0].agreement == 0.6
        assert [e.text for e in summary.would_hold] == ["What a fool."]
        assert [e.text for e in summary.would_publish] == ["A vile take."]
        assert summary.live_versions == ["fake-1"]
        assert shadow_summary(db.session, None).scored == 0


def test_a_storms_hold_applies_to_the_shadow_too_so_it_is_not_counted_as_the_models_doing(app, site):
    with app.app_context():
        db.session.execute(update(Site).where(Site.id == site.id).values(storm_comments_per_minute=3))
        db.session.commit()
        ids = [add(site.id, text, n) for n, text in enumerate(["Thanks for the piece.", "Good point.", "Well said."])]
        assert set(score_pending(db.session, FakeModel, ids, batch_size=10, get_shadow=StricterModel).values()) == {"held"}
        rows = db.session.scalars(select(ShadowScore)).all()
        assert [(r.live_status, r.would_be_status) for r in rows] == [("held", "held")] * 3
        assert shadow_summary(db.session, "fake-2").would_publish_count == 0


def test_a_shadow_compares_scores_to_six_places_as_live_scoring_does(app, site):
    """A re-check: a score within a millionth of the threshold was held live and published by a shadow
    of the same scores."""
    class EdgeModel(StricterModel):
        version = "edge-2"

        @staticmethod
        def _one(text: str) -> dict[str, float]:
            return {**FakeModel._one(text), "toxicity": 0.4999996}

    with app.app_context():
        comment = add(site.id, "Right at the line.", 0)
        score_pending(db.session, FakeModel, [comment], batch_size=10, get_shadow=EdgeModel)
        assert db.session.scalar(select(ShadowScore.would_be_status)) == "held"  # 0.5 at six places


def test_one_untried_readers_report_hides_nothing_for_the_shadow_either(app, site):
    """A newcomer's walk: a shadow byte for byte the live model reported "would hold" for comments one
    untried reader had reported, which live scoring leaves published (one such reader never hides)."""
    from moderation.domain.reports import file_report

    class SameModel(FakeModel):
        version = "fake-same"

    with app.app_context():
        comment = add(site.id, "The road works finish in spring.", 0)
        file_report(db.session, db.session.get(Site, site.id), comment, reason="harassment", reporter_id="rep-1")
        db.session.commit()
        assert score_pending(db.session, FakeModel, [comment], batch_size=10, get_shadow=SameModel) == {
            comment: "published"}
        assert db.session.scalar(select(ShadowScore.would_be_status)) == "published"
