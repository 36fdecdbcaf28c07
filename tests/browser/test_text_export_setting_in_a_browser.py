"""An admin turns on a site's text export from its settings page, in a real browser."""
from __future__ import annotations

import os

import pytest

from moderation import db
from moderation.models import Site
from workspace_pages import sign_in

pytestmark = pytest.mark.browser


def test_an_admin_allows_text_export_for_one_site(app, site, admin, live_server, browser_page):
    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/sites/{site.id}")
    box = page.get_by_label("Allow exporting comment text")
    assert not box.is_checked(), "off by default"
    box.check()
    if os.environ.get("SCREENSHOT_DIR"):
        page.get_by_role("group", name="Training data").screenshot(path=f"{os.environ['SCREENSHOT_DIR']}/text-export.png")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "text export" in page.inner_text("body")
    with app.app_context():
        assert db.session.get(Site, site.id).allow_text_export is True
