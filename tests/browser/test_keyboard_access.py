"""The queue worked by keyboard alone on a small screen, and heard through a screen reader's tree:
the focus never hides under the bulk bar or a message, letter keys act only on the card the
focus is in, and each card is named by who wrote it and described by what they wrote."""
from __future__ import annotations

import pytest

from moderation import db
from moderation.models import Comment
from workspace_pages import held_comment, keys_settled, sign_in

pytestmark = pytest.mark.browser

# The focused element, and how much of it the sticky bulk bar or a fixed message covers.
COVERED = """() => {
  const el = document.activeElement, box = el.getBoundingClientRect();
  let worst = 0;
  for (const cover of document.querySelectorAll('.bulk-bar, .toasts .flash')) {
    const position = getComputedStyle(cover.closest('.toasts') || cover).position;
    if (!['sticky', 'fixed'].includes(position) || cover.contains(el)) continue;
    const c = cover.getBoundingClientRect();
    const w = Math.max(0, Math.min(box.right, c.right) - Math.max(box.left, c.left));
    const h = Math.max(0, Math.min(box.bottom, c.bottom) - Math.max(box.top, c.top));
    worst = Math.max(worst, (w * h) / Math.max(1, box.width * box.height));
  }
  return {what: el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 40), covered: worst};
}"""


def _queue(app, site, moderator, grant, n: int = 8) -> None:
    grant(moderator, site)
    for i in range(n):
        held_comment(app, site.id, i, author_id=f"u{i}")


def _on_the_first_card(page, live_server, moderator) -> None:
    sign_in(page, live_server, moderator)
    page.keyboard.press("j")


@pytest.mark.parametrize("width, height, scale", [(1280, 800, 1), (640, 400, 2)], ids=["laptop", "laptop-at-200%"])
def test_tabbing_after_a_decision_never_leaves_the_focus_hidden(app, site, moderator, grant, live_server, chromium,
                                                               width, height, scale):
    _queue(app, site, moderator, grant)
    context = chromium.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
    page = context.new_page()
    _on_the_first_card(page, live_server, moderator)
    keys_settled(page)
    with page.expect_navigation():
        page.keyboard.press("a")  # "Comment #N approved. Undo" stays up from now on
    assert page.locator(".toasts .flash").count() == 1

    hidden = []
    for key, presses in (("Tab", 90), ("Shift+Tab", 60)):
        for _ in range(presses):
            page.keyboard.press(key)
            focus = page.evaluate(COVERED)
            if focus["covered"] > 0.99:
                hidden.append(focus["what"])
    context.close()
    assert hidden == [], f"{len(hidden)} focus stops hidden, first {hidden[:3]}"


def test_a_letter_key_does_nothing_while_the_focus_is_outside_the_cards(app, site, moderator, grant, live_server,
                                                                        browser_page):
    _queue(app, site, moderator, grant, n=3)
    page = browser_page
    _on_the_first_card(page, live_server, moderator)
    page.keyboard.press("j")  # the second card is the one the keys act on
    page.focus(".signout button")
    keys_settled(page)

    page.keyboard.press("a")
    page.wait_for_timeout(500)  # a decision would have posted the form by now

    assert page.locator(".toasts .flash").count() == 0
    with app.app_context():
        assert {c.status for c in db.session.query(Comment)} == {"held"}
    page.keyboard.press("j")  # moving is harmless, and works from anywhere
    assert page.evaluate("document.activeElement.matches('.card.item')")


def _arrow_down_the_site_filter(page):
    select = page.locator("select[name=site]")
    select.focus()
    page.keyboard.press("ArrowDown")
    return select


def test_arrow_keys_in_the_site_filter_do_not_reload_the_page_until_the_choice_is_made(
        app, site, make_site, admin, live_server, browser_page):
    make_site("metro-news")
    make_site("sports-desk")
    page = browser_page
    sign_in(page, live_server, admin)
    select = _arrow_down_the_site_filter(page)
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert "site=" not in page.url  # still here, the focus still in the list
    chosen = select.evaluate("s => s.value")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"site={chosen}" in page.url


def test_esc_in_the_site_filter_puts_back_the_site_shown_and_goes_back_to_the_card(
        app, site, make_site, admin, live_server, browser_page):
    """The review keys' Esc takes the focus back to the card; it must not submit the filter on the way."""
    make_site("metro-news")
    held_comment(app, site.id, 0)
    page = browser_page
    _on_the_first_card(page, live_server, admin)
    select = _arrow_down_the_site_filter(page)
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    assert "site=" not in page.url and select.evaluate("s => s.value") == ""
    assert page.evaluate("document.activeElement.matches('.card.item')")


def test_a_number_key_says_which_reason_it_picked(app, site, moderator, grant, live_server, browser_page):
    _queue(app, site, moderator, grant, n=2)
    page = browser_page
    _on_the_first_card(page, live_server, moderator)
    page.keyboard.press("2")  # as the page comes up: held back, as a decision is (a re-check)
    assert page.evaluate("document.activeElement.querySelector('select[name=reason_choice]').selectedIndex") == 0
    keys_settled(page)
    page.keyboard.press("2")
    picked = page.evaluate("document.activeElement.querySelector('select[name=reason_choice]').selectedOptions[0].text")
    assert page.locator("#key-status").inner_text() == f"Reason: {picked}."


def test_next_brings_each_card_with_its_buttons_into_view(app, site, moderator, grant, live_server, chromium):
    _queue(app, site, moderator, grant)
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _on_the_first_card(page, live_server, moderator)
    placed = []
    for _ in range(7):
        placed.append(page.evaluate("""() => {
          const card = document.activeElement, bar = document.querySelector('.bulk-bar').getBoundingClientRect();
          const approve = card.querySelector('button[value=approve]').getBoundingClientRect();
          return [Math.round(card.getBoundingClientRect().top - bar.bottom), approve.bottom <= innerHeight];
        }"""))
        page.keyboard.press("j")
    context.close()
    # Just below the bulk bar, not a bar's height further down, with its Approve button on screen.
    assert all(0 <= gap < 80 and visible for gap, visible in placed), placed


def test_a_card_is_named_by_its_author_and_described_by_its_text(app, site, moderator, grant, live_server,
                                                                browser_page):
    _queue(app, site, moderator, grant, n=2)
    page = browser_page
    _on_the_first_card(page, live_server, moderator)

    card = page.evaluate("""() => {
      const card = document.activeElement;
      const ids = a => (card.getAttribute(a) || '').split(' ').map(id => document.getElementById(id).textContent);
      return {name: ids('aria-labelledby').join(' '), description: ids('aria-describedby').join(' ').trim(),
              approve: card.querySelector('button[value=approve]').textContent};
    }""")
    comment_id = page.evaluate("document.activeElement.dataset.commentId")
    assert card["name"] == f"Comment #{comment_id} by Reader u0"
    assert card["description"].startswith("Anyone who voted for this bridge is a complete moron")
    assert card["approve"] == f"Approve comment #{comment_id}"
    # The comment's own page: its card named by the page's heading, described by the text too.
    page.goto(f"{live_server}/review/{comment_id}")
    detail = page.evaluate("""() => {
      const card = document.querySelector('section.card.item');
      const ids = a => card.getAttribute(a).split(' ').map(id => document.getElementById(id).textContent.trim());
      return {name: ids('aria-labelledby').join(' '), description: ids('aria-describedby').join(' ')};
    }""")
    assert detail["name"].startswith(f"Comment #{comment_id}")
    assert detail["description"].startswith("Anyone who voted for this bridge")


def test_single_key_shortcuts_can_be_turned_off_and_stay_off(app, site, moderator, grant, live_server, browser_page):
    """A screen reader in browse mode, or speech input, sends plain letters: WCAG 2.1.4 asks for a way off."""
    _queue(app, site, moderator, grant, n=3)
    page = browser_page
    _on_the_first_card(page, live_server, moderator)
    assert page.locator('.card.item button[value="approve"]').first.get_attribute("aria-keyshortcuts") == "a"
    page.keyboard.press("?")
    assert page.evaluate("document.activeElement.id") == "keys-help-title"  # the list opens at its top
    page.locator("#single-keys").uncheck()
    assert page.locator("#single-keys-status").text_content() == "Single-key shortcuts off."  # heard in the modal
    page.keyboard.press("Escape")  # from the box: closes the list (it moved the focus behind it instead)
    page.locator("#keys-help").wait_for(state="hidden")
    keys_settled(page)

    page.keyboard.press("a")
    page.wait_for_timeout(500)  # a decision would have posted the form by now
    with app.app_context():
        assert {c.status for c in db.session.query(Comment)} == {"held"}
    assert page.locator('.card.item button[value="approve"]').first.get_attribute("aria-keyshortcuts") is None

    page.reload()  # kept in this browser
    keys_settled(page)
    page.locator(".card.item").first.focus()
    page.keyboard.press("a")
    page.wait_for_timeout(500)
    with app.app_context():
        assert {c.status for c in db.session.query(Comment)} == {"held"}
    # With the keys off, a decision's announcement offers the key with a modifier, which still undoes it:
    # the toast's Undo was 54 Shift+Tabs away for those told to turn the keys off (an accessibility review).
    with page.expect_navigation():
        page.locator('.card.item button[value="approve"]').first.click()
    page.wait_for_function("() => document.getElementById('announce-polite').textContent !== ''")
    assert page.locator("#announce-polite").text_content().endswith("approved. Alt+Shift+U undoes it.")
    # The toast's Undo says so to assistive technology too, with single keys off.
    assert page.locator('.toasts [data-key="undo"]').first.get_attribute("aria-keyshortcuts") == "Alt+Shift+U"
    keys_settled(page)
    with page.expect_navigation():
        page.keyboard.press("Alt+Shift+U")
    with app.app_context():
        assert {c.status for c in db.session.query(Comment)} == {"held"}
    page.get_by_role("button", name="Keyboard shortcuts").click()
    page.locator("#single-keys").check()
    page.keyboard.press("Escape")
    page.locator("#keys-help").wait_for(state="hidden")
    page.locator(".card.item").first.focus()
    keys_settled(page)
    with page.expect_navigation():
        page.keyboard.press("a")


def test_tabbing_through_a_queue_just_opened_says_nothing_over_the_top_bar(app, site, moderator, admin, grant,
                                                                           live_server, browser_page):
    """An accessibility review: on a fresh queue, with no card chosen, Tab and Shift said "No comment is
    chosen for these keys" in a box over the admin's top-bar links as each took the focus."""
    _queue(app, site, moderator, grant, n=3)
    page = browser_page
    sign_in(page, live_server, admin)
    said = set()
    for key in ["Tab"] * 12 + ["Shift+Tab"] * 4:
        page.keyboard.press(key)
        said.add(page.locator("#key-status").inner_text())
    assert said == {""}
    page.keyboard.press("a")  # a shortcut with no card chosen still says why nothing happens
    assert page.locator("#key-status").inner_text().startswith("No comment is chosen")


def test_slash_opens_the_folded_search_on_a_narrow_window(app, site, moderator, grant, live_server, chromium):
    """At 200% zoom on a laptop the filters fold away, and "/" focused a search box it could not show."""
    _queue(app, site, moderator, grant, n=2)
    context = chromium.new_context(viewport={"width": 600, "height": 450})
    page = context.new_page()
    _on_the_first_card(page, live_server, moderator)
    page.keyboard.press("/")
    focused = page.evaluate("document.activeElement.type")
    context.close()
    assert focused == "search"


def test_leaving_the_card_cancels_a_reject_waiting_for_its_reason_and_clears_its_prompt(
        app, site, moderator, grant, live_server, browser_page):
    """A re-check: after "r", Shift+Tab out of the card left the nine reasons' prompt over six top-bar
    links as each took the focus, and Esc there could not clear it."""
    _queue(app, site, moderator, grant, n=2)
    page = browser_page
    _on_the_first_card(page, live_server, moderator)
    keys_settled(page)
    page.keyboard.press("r")
    assert page.locator("#key-status").inner_text().startswith("Reject: press the reason's number")
    page.focus(".signout button")
    assert page.locator("#key-status").inner_text() == ""
    page.keyboard.press("j")  # back on a card, a digit only picks a reason: nothing is rejected
    keys_settled(page)
    page.keyboard.press("1")
    page.wait_for_timeout(500)
    with app.app_context():
        assert {c.status for c in db.session.query(Comment)} == {"held"}

