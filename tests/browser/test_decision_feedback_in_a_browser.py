"""What a moderator sees after each decision in the queue, deep in a long page (real Chromium)."""
from __future__ import annotations

import pytest

from moderation import db
from moderation.models import Comment
from workspace_pages import held_comment, keys_settled, sign_in

pytestmark = pytest.mark.browser

# The element's box against the window's and the sticky bulk bar's.
BOX = """sel => {
  const el = document.querySelector(sel), box = el.getBoundingClientRect();
  const bar = document.querySelector('.bulk-bar').getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, height: window.innerHeight, barBottom: bar.bottom};
}"""


def _in_window(page, selector: str) -> dict:
    box = page.evaluate(BOX, selector)
    assert 0 <= box["top"] and box["bottom"] <= box["height"], f"{selector} is out of the window: {box}"
    return box


def _card_clear_of_the_bar(page, card_id: str) -> None:
    box = page.evaluate(BOX, f"#{card_id}")
    assert page.evaluate("() => document.activeElement.id") == card_id
    assert box["barBottom"] <= box["top"] < box["height"], f"the bulk bar covers the card's top: {box}"


def test_feedback_stays_in_view_a_reject_asks_for_its_reason_and_undo_keeps_the_place(
        app, site, moderator, grant, live_server, browser_page):
    grant(moderator, site)
    ids = [held_comment(app, site.id, n, author_id=f"u{n}") for n in range(8)]
    page = browser_page
    sign_in(page, live_server, moderator)
    cards = page.locator("ol.queue > .card.item").evaluate_all("cards => cards.map(c => c.id)")
    for _ in range(5):
        page.keyboard.press("j")
    decided, following = cards[4], cards[5]

    keys_settled(page)
    with page.expect_navigation():
        page.keyboard.press("a")
    # The confirmation and its Undo are on screen though the page came back scrolled to the next card.
    _in_window(page, ".flash-success")
    assert page.locator(".flash-success button.undo").is_visible()
    # And said to a screen reader: a live region filled after the page arrived (one already filled
    # when it loads is not read out), with the key that takes it back.
    page.wait_for_function("() => document.getElementById('announce-polite').textContent !== ''")
    decided_id = decided.removeprefix("comment-")
    assert page.locator("#announce-polite").text_content() == f"Comment #{decided_id} approved. Press u to undo."
    assert page.locator("#announce-alert").text_content() == ""
    _card_clear_of_the_bar(page, following)

    # Reject with no reason: the browser asks here; nothing is sent, the card stays where it is.
    url = page.url
    page.locator(f"#{following} button[value=reject]").click()
    hint = page.locator(f"#{following} .field-error")
    hint.wait_for()
    assert hint.inner_text() == "Pick the reason to reject."
    assert page.url == url and page.evaluate("() => document.activeElement.name") == "reason_choice"
    with app.app_context():
        assert db.session.get(Comment, int(following.removeprefix("comment-"))).status == "held"

    # The keyboard's prompt for a reason shows over the window, not at the page's far-off top.
    page.locator(f"#{following}").focus()
    keys_settled(page)
    page.keyboard.press("r")
    _in_window(page, "#key-status")
    page.keyboard.press("Escape")

    # Undo brings the decided comment back, and the page back onto its card.
    with page.expect_navigation():
        page.locator(".flash-success button.undo").click()
    page.wait_for_function(f"() => document.activeElement.id === '{decided}'")
    _card_clear_of_the_bar(page, decided)
    _in_window(page, ".flash-success")
    with app.app_context():
        assert db.session.get(Comment, int(decided.removeprefix("comment-"))).status == "held"
    assert sorted(ids) == sorted(int(c.removeprefix("comment-")) for c in cards)


def test_a_refused_decision_keeps_the_reason_and_note_entered(app, site, moderator, grant, live_server,
                                                              browser_page):
    """An accessibility review (WCAG 3.3.7): a reject refused because a report came in meanwhile came
    back with the reason and the note empty, to pick and type again after reading the report."""
    grant(moderator, site)
    comment_id = held_comment(app, site.id, 0, author_id="u0")
    held_comment(app, site.id, 1, author_id="u1")
    page = browser_page
    sign_in(page, live_server, moderator)
    card = page.locator(f"#comment-{comment_id}")
    card.locator('select[name="reason_choice"]').select_option(index=5)
    card.locator('input[name="reason_note"]').fill("repeated insults, third strike")
    # With a note: a rejection upholds a bare report filed meanwhile, and is refused by one with words
    # the moderator has not read (decisions.refuse_unread_reports).
    reported = app.test_client().post(f"/api/v1/comments/{comment_id}/reports", headers=site.headers,
                                      json={"reason": "harassment", "reporter_id": "reader-5",
                                            "note": "third time tonight he has gone after me"})
    assert reported.status_code == 201

    with page.expect_navigation():
        card.locator('button[value="reject"]').click()

    card = page.locator(f"#comment-{comment_id}")
    assert card.locator('select[name="reason_choice"]').evaluate("s => s.selectedIndex") == 5
    assert card.locator('input[name="reason_note"]').input_value() == "repeated insults, third strike"
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "held"  # refused: nothing decided
    # The kept reason is not taken unasked: "r" asks, as with no reason (a re-check: "r 2" after reading
    # the new report had rejected at once with the old reason).
    keys_settled(page)
    page.locator(f"#comment-{comment_id}").focus()
    page.keyboard.press("r")
    assert "r again for the kept reason" in page.locator("#key-status").inner_text()
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "held"
    page.reload()  # kept for the page after the refusal alone
    assert page.locator(f"#comment-{comment_id} input[name='reason_note']").input_value() == ""
