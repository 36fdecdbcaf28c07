"""An admin sets a site's retention in a real browser; a moderator sees an erased comment say so."""
from __future__ import annotations

import os
from datetime import timedelta

import pytest

from moderation import db
from moderation.domain.lifecycle import now
from moderation.domain.removal import delete_comment
from moderation.domain.retention import erase_expired_texts
from moderation.models import Site
from workspace_pages import held_comment, sign_in

pytestmark = pytest.mark.browser


def _shot(page, name: str) -> None:
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=f"{os.environ['SCREENSHOT_DIR']}/{name}.png", full_page=True)


def test_an_admin_sets_retention_and_an_erased_comment_says_so(app, site, admin, live_server, browser_page):
    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/sites/{site.id}")
    field = page.get_by_label("Days to keep a comment's text after it was rejected or deleted")
    assert field.input_value() == "", "blank (keep for good) by default"
    field.fill("seven")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "Retention must be a whole number of days" in page.inner_text(".flash-error[role=alert]")
    page.get_by_label("Days to keep a comment's text after it was rejected or deleted").fill("7")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "Saved daily-planet: retention days." in page.inner_text("body")
    if os.environ.get("SCREENSHOT_DIR"):
        page.goto(f"{live_server}/admin/sites/{site.id}")
        page.get_by_role("group", name="Data retention").screenshot(path=f"{os.environ['SCREENSHOT_DIR']}/retention.png")

    comment_id = held_comment(app, site.id, 1)
    with app.app_context():
        assert db.session.get(Site, site.id).retention_days == 7
        delete_comment(db.session, db.session.get(Site, site.id), comment_id, actor=f"site:{site.id}")
        db.session.commit()
        assert erase_expired_texts(db.session, at=now() + timedelta(days=8)) == 1
    page.goto(f"{live_server}/review/{comment_id}")
    main = page.inner_text("main")
    assert "Text erased on" in main and "Deleted: held → deleted" in main and "deleted at the site's request" in main
    _shot(page, "erased-comment")
