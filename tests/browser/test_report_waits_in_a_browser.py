"""A queue left open counts a report's wait on (static/waits.js), and says when it passes the desk's
window: drawn once, "reported 2 min ago" stayed on a card for as long as the page was open."""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone

import pytest

from moderation import db
from moderation.models import Comment, Report
from workspace_pages import sign_in

pytestmark = pytest.mark.browser


def _reported(site_id: int, external_id: str, text: str, minutes_ago: float, reporter: str = "reader-1") -> Comment:
    """A published comment one reader reported `minutes_ago`, added to the session (not committed)."""
    comment = Comment(site_id=site_id, external_id=external_id, story_id="s", author_id="a", text=text,
                      body_hash=hashlib.sha256(text.encode()).hexdigest(), status="published", report_weight=2.0,
                      priority=1.0)
    comment.reports.append(Report(reason="harassment", reporter_id=reporter, weight=2.0,
                                  created_at=datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)))
    db.session.add(comment)
    return comment


def test_a_reports_wait_counts_on_and_says_when_it_passes_the_window(app, make_site, make_moderator, live_server,
                                                                     browser_page):
    site = make_site("daily-planet")
    mona = make_moderator("mona", sites=[site])
    with app.app_context():
        comment = _reported(site.id, "c-1", "Somebody needs to put Okafor in the ground.", 14 + 20 / 60)
        db.session.commit()
        card = f"#comment-{comment.id} .meta .report-wait"
    page = browser_page
    page.clock.install()
    sign_in(page, live_server, mona)
    assert page.locator(card).inner_text() == "reported 14 min ago"
    page.clock.run_for("01:00")
    page.wait_for_function(f"document.querySelector({card!r}).innerText.includes('15 min ago')")
    assert page.locator(card).inner_text() == "reported 15 min ago, past the desk's 15 min"


def test_the_late_reports_banner_comes_and_goes_with_the_pages_own_refresh(app, make_site, make_moderator, live_server,
                                                                           browser_page):
    # Drawn once, it said nothing of a report that grew late while the page was open, and went on counting
    # one already answered (a tester's); the page's poll every 10 s now redraws it.
    site = make_site("daily-planet")
    mona = make_moderator("mona", sites=[site])
    with app.app_context():
        _reported(site.id, "c-1", "Somebody needs to put Okafor in the ground.", 3)
        db.session.commit()
    page = browser_page
    page.clock.install()
    sign_in(page, live_server, mona)
    banner = page.locator(".report-wait-banner")
    assert banner.count() == 0
    with app.app_context():  # the report grows late on the server's clock while the page stays open
        db.session.query(Report).update({"created_at": datetime.now(timezone.utc) - timedelta(minutes=16)})
        db.session.commit()
    page.clock.run_for("00:11")
    banner.wait_for()
    assert " ".join(banner.inner_text().split()) == ("1 reader's report has waited over 15 min for an answer; the oldest "
                                                     "was reported 16 min ago. Reported tab, oldest report first")
    with app.app_context():  # a colleague answers it
        db.session.query(Report).update({"outcome": "upheld"})
        db.session.commit()
    page.clock.run_for("00:11")
    banner.wait_for(state="detached")


def test_the_banners_link_keeps_the_focus_when_the_refresh_redraws_it(app, make_site, make_moderator, live_server,
                                                                      browser_page):
    # A re-check: with the keyboard on the banner's link, a poll that changed its count replaced it and
    # the focus fell to the page's <body>.
    site = make_site("daily-planet")
    mona = make_moderator("mona", sites=[site])
    with app.app_context():
        for n, minutes in ((1, 16), (2, 3)):
            _reported(site.id, f"c-{n}", f"Somebody needs to put Okafor in the ground, {n}.", minutes, f"reader-{n}")
        db.session.commit()
    page = browser_page
    page.clock.install()
    sign_in(page, live_server, mona)
    banner = page.locator(".report-wait-banner")
    banner.wait_for()
    banner.get_by_role("link").first.focus()
    with app.app_context():  # the second grows late too
        db.session.query(Report).update({"created_at": datetime.now(timezone.utc) - timedelta(minutes=17)})
        db.session.commit()
    page.clock.run_for("00:11")
    page.locator(".report-wait-banner", has_text=re.compile(r"^\s*2 ")).wait_for()
    assert page.evaluate("() => !!document.activeElement.closest('[data-report-wait-banner]')")
