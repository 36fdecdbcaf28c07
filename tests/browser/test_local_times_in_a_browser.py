"""A moderator in New York reads the queue's and a comment's times in New York's time."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pytest

from moderation import db
from moderation.models import Comment, Report
from workspace_pages import sign_in

pytestmark = pytest.mark.browser

# A winter day, so New York is five hours behind (EST), and the two dates differ at 03:20 UTC.
RECEIVED = datetime(2026, 1, 15, 3, 20, tzinfo=timezone.utc)
DECIDED = datetime(2026, 1, 15, 14, 5, tzinfo=timezone.utc)


def _held(app, site_id: int) -> int:
    text = "Only an idiot would pay those tolls."
    with app.app_context():
        comment = Comment(site_id=site_id, external_id="c-1", story_id="bridge", author_id="u-1", author_name="Reader",
                          text=text, body_hash=hashlib.sha256(text.encode()).hexdigest(), status="held",
                          received_at=RECEIVED, priority=1.0)
        db.session.add(comment)
        db.session.commit()
        return comment.id


def _approved(app, site_id: int) -> int:
    text = "The bridge will cut my commute in half."
    with app.app_context():
        comment = Comment(site_id=site_id, external_id="c-2", story_id="bridge", author_id="u-2", author_name="Other",
                          text=text, body_hash=hashlib.sha256(text.encode()).hexdigest(), status="published",
                          received_at=RECEIVED, decision="approved", decided_at=DECIDED, priority=0.0)
        db.session.add(comment)
        db.session.commit()
        return comment.id


def test_times_show_in_the_moderators_own_zone_with_utc_in_the_tooltip(app, make_site, moderator, grant, live_server,
                                                                       chromium):
    site = make_site("daily-planet")
    grant(moderator, site)
    held, approved = _held(app, site.id), _approved(app, site.id)
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, timezone_id="America/New_York")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server, moderator)

        card_time = page.locator(f"#comment-{held} time").first
        page.wait_for_function("document.querySelector('time[datetime][data-local]') !== null")
        assert card_time.inner_text() == "received 2026-01-14 22:20 EST"  # the evening before, there
        assert card_time.get_attribute("title") == "2026-01-15 03:20 UTC"

        page.goto(f"{live_server}/review/{approved}")
        page.wait_for_function("document.querySelector('time[datetime][data-local]') !== null")
        assert "at 2026-01-15 09:05 EST" in page.locator("main").inner_text()
    finally:
        context.close()


def test_a_reports_time_in_its_tooltip_is_in_the_moderators_own_zone(app, make_site, moderator, grant, live_server,
                                                                      chromium):
    # "reported 3 days ago" kept its time in its tooltip in UTC, where every other time on the page said EST
    # (a tester's); without scripts it says UTC in words.
    site = make_site("daily-planet")
    grant(moderator, site)
    held = _held(app, site.id)
    with app.app_context():
        db.session.add(Report(comment_id=held, reason="harassment", reporter_id="reader-9", weight=1.0,
                              created_at=RECEIVED))
        db.session.commit()
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, timezone_id="America/New_York")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server, moderator)
        reported = page.locator(f"#comment-{held} .report-wait time")
        # A locator's wait, not wait_for_function's: the page's CSP refuses the string it evaluates when polled.
        page.locator(f"#comment-{held} .report-wait time[data-local]").wait_for(state="attached")
        assert reported.inner_text().startswith("reported ") and reported.inner_text().endswith(" days ago")
        assert reported.get_attribute("title") == "2026-01-14 22:20 EST"
        page.goto(f"{live_server}/review/{held}")
        page.locator(".report-wait time[data-local]").wait_for(state="attached")
        assert page.locator(".report-wait time").get_attribute("title") == "2026-01-14 22:20 EST"
    finally:
        context.close()

    without_scripts = chromium.new_context(java_script_enabled=False)
    try:
        page = without_scripts.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server, moderator)
        assert page.locator(f"#comment-{held} .report-wait time").get_attribute("title") == "2026-01-15 03:20 UTC"
    finally:
        without_scripts.close()
