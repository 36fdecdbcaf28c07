"""A moderator of site B, in a real browser, never sees site A's comment: not in the queue, not by URL."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_review_in_a_browser import TEXT, _held_comment
from workspace_pages import sign_in

pytestmark = pytest.mark.browser


def test_a_moderator_of_another_site_never_sees_the_comment(app, make_site, make_moderator, live_server,
                                                             browser_page, tmp_path: Path):
    site_a, site_b = make_site("daily-planet"), make_site("other-gazette")
    comment_id = _held_comment(app, site_a.id)
    bob = make_moderator("bob", sites=[site_b])
    page = browser_page

    sign_in(page, live_server, bob)
    assert page.locator(f"#comment-{comment_id}").count() == 0
    assert TEXT not in page.content()
    assert page.locator("select[name=site] option").all_inner_texts() == ["All my sites", "other-gazette"]
    screenshot = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path)) / "review-other-site.png"
    page.screenshot(path=str(screenshot), full_page=True)

    # Searching for the very word the site's own moderator finds it by, in every tab.
    page.fill("input[name=q]", "moron")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**q=moron**")
    assert TEXT not in page.content() and page.locator(".card.item").count() == 0
    for url in (f"/review/{comment_id}", f"/review?site={site_a.id}", "/review?tab=all&q=moron",
                f"/review/{comment_id}/precedent"):
        response = page.goto(f"{live_server}{url}")
        assert TEXT not in page.content()
        assert response.status == (404 if url.startswith(f"/review/{comment_id}") else 200), url


def test_a_moderator_of_the_site_sees_it_in_the_queue_and_by_url(app, make_site, make_moderator, live_server,
                                                                 browser_page, tmp_path: Path):
    site_a = make_site("daily-planet")
    comment_id = _held_comment(app, site_a.id)
    alice = make_moderator("alice", sites=[site_a])
    page = browser_page

    sign_in(page, live_server, alice)
    assert page.locator(f"#comment-{comment_id}").is_visible()
    page.fill("input[name=q]", "moron")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**q=moron**")
    assert page.locator(f"#comment-{comment_id}").is_visible()
    assert page.locator(".tabs a[aria-current=page]").inner_text() == "To review 1"
    screenshot = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path)) / "review-tabs-and-search.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert page.goto(f"{live_server}/review/{comment_id}").status == 200
    assert "complete moron" in page.content()


def test_an_admin_adds_a_moderator_on_the_site_page(app, make_site, make_moderator, admin, live_server,
                                                    browser_page, tmp_path: Path):
    site_a = make_site("daily-planet")
    make_moderator("alice", sites=[site_a])
    make_moderator("bob")
    page = browser_page

    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/sites/{site_a.id}")
    page.fill("#members input[name=username]", "bob")
    page.click("#members button.primary")
    page.wait_for_selector(".flash-success")
    assert page.locator(".flash-success").inner_text() == "bob now moderates daily-planet."
    assert page.locator("#members tbody td:first-child").all_inner_texts() == ["alice", "bob"]
    screenshot = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path)) / "admin-site-members.png"
    page.screenshot(path=str(screenshot), full_page=True)


def test_a_site_admin_runs_their_title_from_the_top_bar(app, make_site, make_site_admin, live_server, browser_page,
                                                        tmp_path: Path):
    weekly, daily = make_site("valley-weekly"), make_site("daily-planet")
    sadie = make_site_admin("sadie", sites=[weekly])
    page = browser_page

    sign_in(page, live_server, sadie)
    assert page.locator("nav[aria-label=Main] a").all_inner_texts() == ["Review queue", "My sites", "Decisions",
                                                                        "Audit log"]
    assert page.locator(".who").inner_text() == "sadie (site admin)"
    page.click("nav[aria-label=Main] >> text=My sites")
    assert page.locator("table.sites tbody th").all_inner_texts() == ["valley-weekly"]
    screenshot = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path)) / "admin-site-admin-sites.png"
    page.screenshot(path=str(screenshot), full_page=True)
    page.click("table.sites >> text=Edit")
    page.fill("input[name=report_threshold]", "4")
    page.click("form.settings button.primary >> nth=0")
    page.wait_for_selector(".flash-success")
    assert page.locator(".flash-success").inner_text() == "Saved valley-weekly: report weight."
    assert page.goto(f"{live_server}/admin/sites/{daily.id}").status == 404
