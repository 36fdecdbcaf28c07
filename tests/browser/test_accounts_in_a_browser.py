"""An admin adds a site and a moderator of it from the accounts page, and the moderator changes their
own password, in a real browser: the forms' labels, checkboxes and the top bar's link to the account page."""
from __future__ import annotations

import os

import pytest

from workspace_pages import sign_in

pytestmark = pytest.mark.browser

FIRST = "nine ravens over the quay"
OWN = "seven lanterns by the ferry"


def _shot(page, name: str) -> None:
    # SCREENSHOTS=dir keeps pictures of the pages to look at; the test does not need them.
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], name), full_page=True)


def test_an_admin_adds_a_moderator_who_then_changes_their_own_password(app, site, outsider, admin, live_server,
                                                                       browser_page, chromium):
    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/accounts")
    new_site = page.locator("#add-site form")
    new_site.get_by_label("Name").fill("evening-star")
    with page.expect_navigation():
        new_site.get_by_role("button", name="Add site").click()
    ready = page.locator("#new-site")
    assert "Site evening-star is ready" in ready.inner_text() and "mk_" in ready.inner_text()
    _shot(page, "accounts-site.png")
    form = page.locator("#add-user form")
    form.get_by_label("Username").fill("nora")
    form.get_by_label("Password").fill(FIRST)
    form.get_by_label("evening-star").check()
    _shot(page, "accounts-add.png")
    with page.expect_navigation():
        form.get_by_role("button", name="Add user").click()
    assert "Created nora, a moderator, moderating evening-star" in page.locator(".toasts").inner_text()
    assert page.get_by_label("Role of nora", exact=True).input_value() == "moderator"
    _shot(page, "accounts-added.png")

    mod = chromium.new_context(viewport={"width": 1200, "height": 900}).new_page()
    mod.goto(f"{live_server}/login")
    mod.fill("input[name=username]", "nora")
    mod.fill("input[name=password]", FIRST)
    mod.click("button[type=submit]")
    mod.wait_for_url(f"{live_server}/review")
    mod.get_by_role("link", name="nora (moderator)").click()
    assert "evening-star" in mod.locator("dl.facts").inner_text()
    assert "daily-planet" not in mod.locator("dl.facts").inner_text()
    mod.get_by_label("Current password").fill(FIRST)
    mod.get_by_label("New password", exact=True).fill(OWN)
    mod.get_by_label("New password again").fill(OWN)
    with mod.expect_navigation():
        mod.get_by_role("button", name="Change password").click()
    assert "Your password is changed" in mod.locator(".toasts").inner_text()
    _shot(mod, "account-changed.png")
    mod.goto(f"{live_server}/review")  # still signed in here
    assert mod.url == f"{live_server}/review"
