"""The top bar on a 1366x768 laptop at 200 % zoom (683x384 CSS px): an admin's seven links wrapped to
four lines there, 121 px of the 384, above every page. They fold under "Menu" (static/nav_menu.js),
every one still a Tab away and inside the landmark a screen reader lists as "Main"."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from workspace_pages import sign_in

pytestmark = pytest.mark.browser

LAPTOP_AT_200 = {"width": 683, "height": 384}
ADMIN_LINKS = ["Review queue", "Sites & model", "Models", "Training", "Operations", "Decisions", "Audit log"]

# One line of the bar is 51 px here and two are 69; the four it took were 121.
TWO_LINES = 80


def _height(page) -> float:
    return page.locator(".topbar").bounding_box()["height"]


@contextmanager
def _signed_in(chromium, live_server: str, user, viewport: dict = LAPTOP_AT_200) -> Iterator:
    """A page in a window of its own size (browser_page's is a desktop's), `user` signed in."""
    context = chromium.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server, user)
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/admin", "/admin/models", "/admin/operations"])
def test_an_admins_top_bar_takes_two_lines_at_most_on_a_laptop_at_200_percent(app, admin, live_server, chromium, path):
    with _signed_in(chromium, live_server, admin) as page:
        page.goto(live_server + path)  # its scripts have run when it has loaded
        assert _height(page) <= TWO_LINES

        # Every link a Tab away: past the skip link and the name, the menu's button opens them in order.
        main_nav = page.get_by_role("navigation", name="Main")
        assert not main_nav.is_visible()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Menu"
        page.keyboard.press("Enter")
        reached = []
        for _ in ADMIN_LINKS:
            page.keyboard.press("Tab")
            reached.append(page.evaluate("document.activeElement.textContent"))
        assert reached == ADMIN_LINKS
        # Named for a screen reader: the landmark, each link by its words.
        assert [main_nav.get_by_role("link", name=name, exact=True).count() for name in ADMIN_LINKS] == [1] * 7
        # Escape folds it again and puts the focus back on its button.
        page.keyboard.press("Escape")
        assert page.evaluate("document.activeElement.textContent") == "Menu"
        assert not main_nav.is_visible()


def test_on_a_wide_window_the_links_stand_in_the_bar_unfolded(app, admin, live_server, chromium):
    with _signed_in(chromium, live_server, admin, viewport={"width": 1280, "height": 800}) as page:
        page.locator(".nav-menu.menu-ready").wait_for(state="attached")
        assert not page.locator(".nav-menu > summary").is_visible()
        assert all(page.get_by_role("link", name=name, exact=True).is_visible() for name in ADMIN_LINKS)
        assert _height(page) < 60  # one line


def test_a_site_admins_four_links_take_two_lines_at_most_unfolded(app, make_site, make_site_admin, live_server,
                                                                  chromium):
    sam = make_site_admin("sam", sites=[make_site("daily-planet")])
    with _signed_in(chromium, live_server, sam) as page:
        page.goto(live_server + "/admin")
        assert _height(page) <= TWO_LINES
        assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").is_visible()


def test_tabbing_past_the_last_link_folds_the_menu_so_it_covers_nothing(app, admin, live_server, chromium):
    # A re-check: tabbing past the last link left it open over the queue, the "Keyboard shortcuts"
    # button that had focus next hidden under it.
    with _signed_in(chromium, live_server, admin) as page:
        page.goto(live_server + "/review")
        main_nav = page.get_by_role("navigation", name="Main")
        page.get_by_text("Menu", exact=True).click()
        assert main_nav.is_visible()
        page.get_by_role("link", name="Audit log", exact=True).focus()
        page.keyboard.press("Tab")
        assert not main_nav.is_visible()
        assert not page.evaluate("document.activeElement.closest('details[data-nav-menu]')")
