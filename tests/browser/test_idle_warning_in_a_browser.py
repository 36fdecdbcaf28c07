"""Idle sign-out warns first, offers to stay, and says when it has happened (real Chromium, its clock
moved by Playwright; what the server says is left comes from /session, answered here to match):
an accessibility walk lost a typed note to a "Form expired" page unwarned."""
from __future__ import annotations

import pytest

from workspace_pages import held_comment, sign_in

pytestmark = pytest.mark.browser

WARNING = ".toasts .idle-warning"


def test_five_minutes_before_the_idle_limit_a_moderator_is_warned_and_can_stay(
        app, site, moderator, grant, live_server, browser_page):
    grant(moderator, site)
    held_comment(app, site.id, 1)
    page = browser_page
    server: dict[str, object] = {"seconds_left": 300}
    page.route("**/session", lambda route: route.fulfill(status=401, json={}) if server.get("signed_out")
               else route.fulfill(json=server))
    page.clock.install()
    sign_in(page, live_server, moderator)
    page.locator("select[name=reason_choice]").first.select_option(index=1)  # work started on the page

    page.clock.fast_forward("07:55:01")
    warning = page.locator(WARNING)
    warning.wait_for()
    assert warning.inner_text().startswith("You will be signed out in 5 minutes for not using this page.")
    # The key that stays is said: the button is far in Tab order (an accessibility review).
    assert page.locator("#announce-alert").text_content() == ("You will be signed out in 5 minutes for not using "
                                                              "this page. Alt+Shift+S stays signed in.")
    page.clock.fast_forward("02:00")  # it counts down while it shows: it had said "5 minutes" to the end
    assert warning.inner_text().startswith("You will be signed out in 3 minutes for not using this page.")
    stay = warning.get_by_role("button", name="Stay signed in")
    # Seen: it was the top bar's white link colour on the pale toast, 1.1:1 (a re-check walk).
    assert stay.evaluate("b => getComputedStyle(b).color") != "rgb(255, 255, 255)"
    with page.expect_response(lambda response: response.url.endswith("/review") and response.status == 200):
        page.keyboard.press("Alt+Shift+S")
    warning.wait_for(state="detached")
    assert page.locator("#announce-polite").text_content() == "You stay signed in."

    # Pressed with the focus on it, the button goes with the warning: the focus goes back where it was.
    reason = page.locator("select[name=reason_choice]").first
    reason.focus()
    page.clock.fast_forward("07:55:01")
    warning.wait_for()
    warning.get_by_role("button", name="Stay signed in").focus()
    with page.expect_response(lambda response: response.url.endswith("/review") and response.status == 200):
        page.keyboard.press("Enter")
    warning.wait_for(state="detached")
    assert reason.evaluate("el => el === document.activeElement")

    # Used in another tab meanwhile: the server has all eight hours left, so no warning here.
    server["seconds_left"] = 8 * 3600
    with page.expect_request("**/session"):
        page.clock.fast_forward("07:55:01")
    page.wait_for_timeout(300)
    assert page.locator(WARNING).count() == 0

    server["signed_out"] = True  # then eight hours with nothing done anywhere
    page.clock.fast_forward("08:00:01")
    warning.wait_for()
    assert warning.inner_text().startswith("You were signed out after 8 hours without using this page; "
                                           "anything you typed here is still on the page, to copy.")
    link = warning.get_by_role("link", name="Sign in again")
    assert link.get_attribute("href") == "/login?next=%2Freview" and link.get_attribute("target") == "_blank"
    assert page.locator("select[name=reason_choice]").first.input_value() != ""  # nothing reloaded
