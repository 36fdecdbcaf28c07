"""The shadow and drift pages in a real browser: their plots load (the CSP allows them), the drift
banner shows on the admin pages, and hostile comment text in the examples stays text."""
from __future__ import annotations

import hashlib
import os
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from drift_fixtures import CardModel, live_version, no_drift_reports  # noqa: F401  (fixture)
from moderation import db
from moderation.domain.drift import DriftSettings, check_drift
from moderation.models import Comment, ShadowScore
from workspace_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_drift_reports")]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/screenshots"))
HOSTILE = '<img src=x onerror="document.title=\'pwned\'"> you people are idiots'


def seed(app, site_id: int) -> None:
    """A week of a shadow that holds a little more than the live model, and a day of drifted traffic."""
    rng = random.Random(8)
    start = datetime.now(timezone.utc) - timedelta(days=6)
    live_model = live_version(app)
    with app.app_context():
        for n in range(420):
            at = start + timedelta(days=n // 60, minutes=n % 60)
            text = HOSTILE if n == 419 else f"Comment {n} about the bridge budget and the council."
            toxicity = rng.betavariate(1.2 + (n // 60) * 0.25, 6)
            live = "held" if toxicity >= 0.5 else "published"
            shadow = "held" if toxicity >= 0.42 else "published"
            if n % 97 == 5:
                shadow = "published"
            if n == 419:  # the latest example the shadow would hold
                live, shadow = "published", "held"
            comment = Comment(site_id=site_id, external_id=f"s{n}", story_id="bridge", author_id=f"a{n % 9}",
                              text=text, body_hash=hashlib.sha256(text.encode()).hexdigest(), status=live,
                              scores={"toxicity": round(toxicity, 4), "insult": round(toxicity * 0.6, 4)},
                              model_version=live_model, scored_at=at)
            db.session.add(comment)
            db.session.flush()
            db.session.add(ShadowScore(comment_id=comment.id, version="2026.11.29-candidate", live_version=live_model,
                                       scores={"toxicity": round(min(1, toxicity * 1.2), 4)},
                                       would_be_status=shadow, live_status=live, scored_at=at))
        db.session.commit()
        check_drift(db.session, CardModel(version=live_model), DriftSettings(psi_warn=0.2, min_comments=50))  # one day of the seed: 60
        db.session.commit()


def test_the_shadow_and_drift_pages_show_their_plots_and_the_banner(app, site, admin, live_server, browser_page):
    seed(app, site.id)
    page = browser_page
    sign_in(page, live_server, admin)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path, name in (("/admin", "admin-index"), ("/admin/shadow", "admin-shadow"), ("/admin/drift", "admin-drift")):
        page.goto(f"{live_server}{path}")
        assert page.locator(".drift-banner").is_visible(), path
        for image in page.locator("img.plot").all():
            assert image.evaluate("i => i.complete && i.naturalWidth > 0"), f"{path}: a plot did not load"
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.goto(f"{live_server}/admin/shadow")
    assert page.locator("img.plot").count() == 1
    assert page.title() != "pwned" and "onerror" in page.locator(".shadow-examples").first.inner_text()
    page.goto(f"{live_server}/admin/drift")
    assert page.locator("img.plot").count() == 1


def test_on_a_phone_the_drift_banner_leaves_the_page_room(app, site, admin, live_server, browser_page):
    """An admin's walk: at 390 px the banner's list of drifting scores filled most of every admin page's first screen."""
    seed(app, site.id)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin")
    banner = page.locator(".drift-banner")
    which = page.locator(".drift-banner .drift-which")  # the drifting scores, named in the page
    assert banner.is_visible() and which.count() == 1 and not which.is_visible()
    assert banner.bounding_box()["height"] < 844 / 3
    page.screenshot(path=str(SHOTS / "admin-index-phone-drift.png"))
