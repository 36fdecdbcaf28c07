"""The tasks hand scoring the provider's shadow when the app has one, and the drift check runs daily."""
from __future__ import annotations

from sqlalchemy import select

from drift_fixtures import no_drift_reports  # noqa: F401  (fixture)
from fake_model import FakeModel
from moderation import db
from moderation.celery_app import DRIFT_TASK
from moderation.domain.comments import CommentInput, submit_comment
from moderation.models import DriftReport, ShadowScore, Site
from workers import tasks


class Candidate(FakeModel):
    version = "fake-candidate"


class Provider:
    """The model provider's contract (moderation/model_provider.py): FakeModel live, a candidate in shadow."""

    def __init__(self) -> None:
        self.live, self.candidate = FakeModel(), Candidate()

    def for_site(self, site_id):
        return self.live

    def default(self):
        return self.live

    def refresh(self, **_):
        pass

    def shadow(self):
        return self.candidate


def test_scoring_tasks_take_the_shadow_from_the_apps_model_provider(app, site, monkeypatch):
    provider = app.extensions["models"] = Provider()
    with app.app_context():
        comment = submit_comment(db.session, db.session.get(Site, site.id),
                                 CommentInput(external_id="c1", story_id="s", author_id="a", text="You idiot.")).comment.id
        db.session.commit()
        tasks.score_comments.apply(args=[[comment]], throw=True)
        assert db.session.scalars(select(ShadowScore.version)).all() == ["fake-candidate"]


def test_without_a_provider_scoring_tasks_have_no_shadow(app):
    app.extensions.pop("models", None)
    with app.app_context():
        assert tasks._shadow_getter() is None


def test_the_drift_check_is_scheduled_daily_and_stores_a_report(app, no_drift_reports):
    schedule = app.extensions["celery"].conf.beat_schedule["drift"]
    assert schedule["task"] == DRIFT_TASK == tasks.check_drift.name and schedule["schedule"].days == 1
    with app.app_context():
        result = tasks.check_drift.apply(throw=True).get()
        assert result["warning"] is False  # the shipped card has no validation scores yet
        assert db.session.scalar(select(DriftReport.version)) == result["version"]
