"""A refused admin form puts the focus on the field it names, as /account does.

Left from an accessibility review: on the site settings, thresholds and backtest pages the error
was heard and described the field, but the focus stayed at the page's start, a screen reader user
then hunting for which of twenty fields was wrong.
"""
from __future__ import annotations

import pytest

from workspace_pages import sign_in

pytestmark = pytest.mark.browser


def test_a_refused_site_setting_takes_the_focus(app, site, admin, live_server, browser_page):
    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/sites/{site.id}")
    page.fill("input[name=retention_days]", "-3")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    field = page.locator("input[name=retention_days]")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.evaluate("el => el === document.activeElement")
    # The error describes it, and is what a screen reader says with it.
    assert "form-error" in field.get_attribute("aria-describedby")


def test_a_page_without_an_error_keeps_the_focus_where_it_was(app, site, admin, live_server, browser_page):
    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/sites/{site.id}")
    assert page.evaluate("document.activeElement === document.body")


def test_a_refused_rules_save_is_heard_and_its_field_focused_and_a_preview_is_heard(app, site, admin, live_server,
                                                                                    browser_page):
    """An accessibility review: a refused save on the rules page and a preview's result, both below
    the first screen at 200 % zoom, were neither announced nor given the focus."""
    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/sites/{site.id}/rules")
    page.get_by_label("Add a rule of kind").select_option("flood")
    page.get_by_role("button", name="Add rule").click()
    count = page.get_by_role("group", name="flood").get_by_label("How many times")
    count.evaluate("el => { el.type = 'text'; el.value = 'ten'; }")  # past the browser's own check
    with page.expect_navigation():
        page.get_by_role("button", name="Save rules", exact=True).click()
    count = page.get_by_role("group", name="flood").get_by_label("How many times")
    assert count.evaluate("el => el === document.activeElement")
    page.wait_for_timeout(400)  # announce.js fills its regions a moment after the page is in
    assert "Not saved: rule 1" in page.locator("#announce-alert").text_content()

    count.fill("5")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview", exact=True).click()
    page.wait_for_timeout(400)
    assert "these rules would have" in page.locator("#announce-polite").text_content()
    assert page.evaluate("document.activeElement.matches('.preview')")
