"""The daily drift check: a day of live scores against the card's validation scores."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from drift_fixtures import CardModel, no_drift_reports  # noqa: F401  (fixture)
from moderation import db
from moderation.domain.drift import NO_VALIDATION_SCORES, DriftSettings, check_drift, current_warnings
from moderation.models import Comment

pytestmark = pytest.mark.usefixtures("no_drift_reports")
SETTINGS = DriftSettings(psi_warn=0.2, min_comments=300)


def scored(site_id: int, toxicities: list[float], *, version: str = "carded-1", hours_ago: float = 1) -> None:
    at = datetime.now(timezone.utc) - timedelta(hours=hours_ago)
    for n, toxicity in enumerate(toxicities):
        text = f"comment {version} {hours_ago} {n}"
        db.session.add(Comment(site_id=site_id, external_id=f"{version}-{hours_ago}-{n}", story_id="s", author_id="a",
                               text=text, body_hash=hashlib.sha256(text.encode()).hexdigest(), status="published",
                               scores={"toxicity": toxicity, "insult": toxicity / 2}, model_version=version,
                               scored_at=at))
    db.session.commit()


def like_validation(n: int) -> list[float]:
    """n toxicity scores spread like the card's histogram (60% under 0.1, 20% in 0.1-0.2, ...)."""
    shares = [600, 200, 50, 30, 20, 20, 20, 20, 20, 20]
    return [(b + 0.5) / 10 for b, count in enumerate(shares) for _ in range(round(count * n / 1000))]


def test_traffic_like_the_validation_data_does_not_warn(app, site):
    with app.app_context():
        scored(site.id, like_validation(500))
        report = check_drift(db.session, CardModel(), SETTINGS)
        assert report.comments == 500 and report.psi["toxicity"] < 0.05 and not report.warning
        assert report.validation_held_rate == 0.1
        assert report.held_rate == pytest.approx(0.1)  # toxicity 0.55 and up: 10% of them
        assert current_warnings(db.session) == []


def test_a_day_of_much_more_toxic_traffic_warns(app, site):
    with app.app_context():
        scored(site.id, [0.75] * 200 + [0.05] * 200)
        report = check_drift(db.session, CardModel(), SETTINGS)
        db.session.commit()
        assert report.warning and report.max_psi == report.psi["toxicity"] > 0.2
        assert report.held_rate == pytest.approx(0.5)
        assert [w.id for w in current_warnings(db.session)] == [report.id]
        assert sum(report.live_histograms["toxicity"]) == 400


def test_a_sites_own_model_that_drifts_warns_beside_a_global_one_that_does_not(app, site):
    """Only the global version's latest report was read: a site on its own model never warned."""
    from moderation.domain.drift import check_models

    with app.app_context():
        scored(site.id, like_validation(500), version="global-1")
        scored(site.id, [0.75] * 200 + [0.05] * 200, version="site-own-2")
        reports = check_models(db.session, [CardModel(version="global-1"), CardModel(version="site-own-2")], SETTINGS)
        db.session.commit()
        assert [(r.version, r.warning) for r in reports] == [("global-1", False), ("site-own-2", True)]
        assert [w.version for w in current_warnings(db.session, ["global-1", "site-own-2"])] == ["site-own-2"]
        assert current_warnings(db.session, ["global-1"]) == []


def test_only_the_models_own_scores_of_the_last_day_count(app, site):
    with app.app_context():
        scored(site.id, [0.95] * 400, version="someone-else")
        scored(site.id, [0.95] * 400, hours_ago=30)
        scored(site.id, like_validation(300))
        report = check_drift(db.session, CardModel(), SETTINGS)
        assert report.comments == 300 and not report.warning


def test_too_few_comments_are_reported_but_do_not_warn(app, site):
    with app.app_context():
        scored(site.id, [0.95] * 50)
        report = check_drift(db.session, CardModel(), SETTINGS)
        assert report.max_psi > 1 and not report.warning and "at least 300" in report.note


def test_a_card_without_validation_scores_says_so_instead_of_failing(app, site):
    with app.app_context():
        scored(site.id, [0.95] * 400)
        report = check_drift(db.session, CardModel(validation_scores=None), SETTINGS)
        assert report.note == NO_VALIDATION_SCORES and report.psi == {} and not report.warning
        assert report.comments == 400


def test_the_shipped_model_is_checked_without_error(app, site):
    from moderation.scorer import get_model

    with app.app_context():
        report = check_drift(db.session, get_model(app), SETTINGS)
        assert report.version == get_model(app).version and not report.warning


def test_when_the_global_model_and_a_sites_own_both_drift_both_are_warned_of(app, site):
    """An admin's walk: the global model and herald's own both warned; the banner named the global one only."""
    from moderation.domain.drift import check_models, current_warnings

    with app.app_context():
        scored(site.id, [0.75] * 200 + [0.05] * 200, version="global-1")
        scored(site.id, [0.75] * 200 + [0.05] * 200, version="site-own-2")
        check_models(db.session, [CardModel(version="global-1"), CardModel(version="site-own-2")], SETTINGS)
        db.session.commit()
        assert [r.version for r in current_warnings(db.session, ["global-1", "site-own-2"])] == ["global-1", "site-own-2"]
