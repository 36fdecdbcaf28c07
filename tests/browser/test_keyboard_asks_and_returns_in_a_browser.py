"""What the keys ask before publishing hate, and where they leave the focus (static/keyboard.js), in real Chromium."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from moderation import db
from moderation.models import Comment
from workspace_pages import held_comment, keys_settled, sign_in

pytestmark = pytest.mark.browser

GROUP_QUESTION = "A rule read an attack on a group in this comment. Publish it anyway?"


def test_approving_what_the_group_attack_rule_held_asks_first_by_key_and_by_click(app, site, moderator, grant,
                                                                                 live_server, browser_page):
    """An election-night lead's walk: "a" on "Muslims are vermin ..." published it at once, where a
    threat's card asked; the newsroom removes both alike."""
    grant(moderator, site)
    hate = held_comment(app, site.id, 0, text="Muslims are vermin and shouldn't be allowed to vote.")
    with app.app_context():
        db.session.get(Comment, hate).rule_hits = [{"rule": "group-hate", "kind": "group_attack", "action": "hold",
                                                    "reason": "attack on a group"}]
        db.session.commit()
    page = browser_page
    sign_in(page, live_server, moderator)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    keys_settled(page)

    page.keyboard.press("j")
    page.keyboard.press("a")
    page.locator(f"#comment-{hate} button[value=approve]").click()
    page.wait_for_timeout(300)  # a decision would have posted the form by now

    assert asked == [GROUP_QUESTION, GROUP_QUESTION]
    with app.app_context():
        assert db.session.get(Comment, hate).status == "held"


def test_closing_the_shortcuts_goes_back_where_the_focus_was(app, site, moderator, grant, live_server, browser_page):
    """An election-night lead's walk: "?" then Esc on a page just opened left the focus on <body>, and a
    screen reader started again from "Skip to the page"."""
    grant(moderator, site)
    first = held_comment(app, site.id, 0)
    held_comment(app, site.id, 1, author_id="u2")
    page = browser_page
    sign_in(page, live_server, moderator)

    page.keyboard.press("?")
    page.keyboard.press("Escape")  # the dialog's close event comes a moment later: expect() waits for it
    expect(page.locator("main")).to_be_focused()  # the page's content, not its top bar
    page.keyboard.press("j")
    expect(page.locator(f"#comment-{first}")).to_be_focused()  # the first comment, not passed over

    held_tab = page.locator("nav.tabs a[data-tab=held]")
    held_tab.focus()
    page.keyboard.press("?")
    page.keyboard.press("Escape")
    expect(held_tab).to_be_focused()


def test_u_on_a_page_with_nothing_to_undo_says_so(app, site, moderator, grant, live_server, browser_page):
    """An election-night lead's walk: back on the queue from an author's page, "u" said no comment was
    chosen, about the wrong thing; Alt+Shift+U said there was nothing to undo."""
    grant(moderator, site)
    held_comment(app, site.id, 0)
    page = browser_page
    sign_in(page, live_server, moderator)
    keys_settled(page)

    page.keyboard.press("u")

    assert page.locator("#key-status").inner_text().startswith("Nothing to undo on this page")
