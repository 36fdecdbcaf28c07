"""Every review and admin page passes axe-core with no serious or critical violation, and works at a
phone's width: nothing scrolls the page sideways, and buttons and fields are big enough to tap."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import update

from moderation import db
from moderation.models import Report
from workspace_pages import held_comment, pages, seed_workspace, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}  # an iPhone 12-15's CSS pixels
DESKTOP = {"width": 1280, "height": 900}
MIN_TAP = 40  # px; WCAG 2.5.8 asks for 24, platform guides for 44-48: 40 is what fits a dense queue
MIN_BOX = 24  # px; a checkbox outside a label, as in a table row: WCAG 2.5.8's minimum


# Ids as long as the API takes, without a space: a phone review found the author page 1,428 px wide,
# a comment's detail page 2,006 px and a queue page 1,311 px (a reply's "Thread: reply to ...").
LONG_AUTHOR, LONG_COMMENT = "author-" + "x" * 143, "comment-" + "y" * 150


def _workspace(app, make_site, admin, browser_page, live_server) -> list[str]:
    site = make_site("daily-planet", webhook_url="http://127.0.0.1:9/hooks")
    args = seed_workspace(app, site.id, admin.id)
    long_id = held_comment(app, site.id, 7, author_id=LONG_AUTHOR, external_id=LONG_COMMENT)
    held_comment(app, site.id, 8, author_id="u2", parent_id=LONG_COMMENT)
    with app.app_context():  # a report past the desk's window: the queue's notice and the card's words
        db.session.execute(update(Report).where(Report.comment_id == long_id)
                           .values(created_at=datetime.now(timezone.utc) - timedelta(minutes=20)))
        db.session.commit()
    sign_in(browser_page, live_server, admin)
    return [f"/review?site={site.id}", "/review?tab=all", "/review?tab=reported&sort=waiting", *pages(app, args),
            f"/review/{long_id}", f"/review/authors/{site.id}/{LONG_AUTHOR}"]


def _screenshot(page, path: str, width: str) -> None:
    folder = os.environ.get("WORKSPACE_SCREENSHOT_DIR")
    if folder:
        name = path.strip("/").replace("/", "_").replace("?", "_") or "root"
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


def _serious_violations(page, path: str, rules: list[str] | None = None) -> list[str]:
    options = {"resultTypes": ["violations"], **({"runOnly": {"type": "rule", "values": rules}} if rules else {})}
    found = []
    for violation in Axe().run(page, options=options).response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def test_no_page_has_a_serious_accessibility_violation(app, make_site, admin, live_server, browser_page):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/login")
    found = _serious_violations(page, "/login")
    paths = _workspace(app, make_site, admin, page, live_server)
    for path in paths:
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        _screenshot(page, path, "desktop")
        found.extend(_serious_violations(page, path))
    assert len(paths) >= 9  # the queue, detail, author, and admin pages were all visited
    page.goto(f"{live_server}/review")
    page.keyboard.press("?")  # the keyboard shortcuts dialog, open
    assert page.locator("dialog#keys-help").is_visible()
    found.extend(_serious_violations(page, "/review with the keyboard help open"))
    assert not found, "\n".join(found)


# Page-level horizontal overflow, and the controls a thumb must hit that are too small: a checkbox
# counts with its label when it has one.
MEASURE = """([minTap, minBox]) => {
  const small = [];
  const controls = 'main button, main select, main input:not([type=hidden]), main summary, .topbar a, .topbar button, .tabs a, .pager a, ' +
    'a.details, a.story-filter, .author-line a';
  for (const el of document.querySelectorAll(controls)) {
    if (el.getBoundingClientRect().width === 0) continue;
    const box = ['checkbox', 'radio'].includes(el.type);
    const target = (box && el.closest('label')) || el;
    const height = target.getBoundingClientRect().height;
    if (height < (target === el && box ? minBox : minTap))
      small.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.name || '').trim().slice(0, 30)}" ${Math.round(height)}px`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth, small};
}"""


PHONE_ONLY_RULES = ["scrollable-region-focusable", "target-size", "meta-viewport"]
LAPTOP_AT_200 = {"width": 683, "height": 384}  # a 1366x768 laptop zoomed to 200%
TABLET = {"width": 768, "height": 1024}


def _phone_problems(page, path: str) -> list[str]:
    measured = page.evaluate(MEASURE, [MIN_TAP, MIN_BOX])
    problems = [f"{path}: {small} is too small to tap" for small in measured["small"]]
    if measured["scrollWidth"] > measured["width"]:
        problems.append(f"{path}: the page is {measured['scrollWidth']}px wide on a {measured['width']}px screen")
    # What only a phone's width shows: a table that scrolls inside itself must take the focus. The
    # desktop test runs every rule; all of them again here cost the suite half a minute.
    return problems + _serious_violations(page, path, PHONE_ONLY_RULES)


def _reflow_problems(page, path: str, viewport: dict[str, int]) -> list[str]:
    """An accessibility walk: "Sign out" fell off the right edge at 641-729 px, the accounts table made
    the page 1101 px wide at 768, and the shortcuts button was gone below 641 (WCAG 1.4.10)."""
    problems = []
    measured = page.evaluate(MEASURE, [0, 0])
    if measured["scrollWidth"] > measured["width"]:
        problems.append(f"{path}: the page is {measured['scrollWidth']}px wide on a {measured['width']}px screen")
    sign_out = page.locator(".signout button").bounding_box()
    if sign_out["x"] + sign_out["width"] > viewport["width"]:
        problems.append(f"{path}: Sign out ends at {sign_out['x'] + sign_out['width']:.0f}px at {viewport['width']}px")
    return problems


def test_every_page_fits_a_phone_a_tablet_and_a_laptop_at_200_percent(app, make_site, admin, live_server,
                                                                     browser_page):
    """Each page is loaded once at a phone's width and then resized, as a reader turning a tablet or
    zooming does: the pages' scripts follow the width (phone_fold.js, scroll_regions.js), and loading
    every page three times cost the suite a minute of a test process."""
    page = browser_page
    page.set_viewport_size(PHONE)
    problems: list[str] = []
    for path in _workspace(app, make_site, admin, page, live_server):
        page.set_viewport_size(PHONE)
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        _screenshot(page, path, "phone")
        problems.extend(_phone_problems(page, path))
        for viewport in (LAPTOP_AT_200, TABLET):
            page.set_viewport_size(viewport)
            _screenshot(page, path, f"{viewport['width']}x{viewport['height']}")
            problems.extend(_reflow_problems(page, path, viewport))
    page.goto(f"{live_server}/review")
    for viewport, bulk_bar in ((LAPTOP_AT_200, "static"), (TABLET, "sticky")):
        page.set_viewport_size(viewport)
        assert page.get_by_role("button", name="Keyboard shortcuts").is_visible()
        assert page.evaluate("getComputedStyle(document.querySelector('.bulk-bar')).position") == bulk_bar
    assert not problems, "\n".join(problems)
