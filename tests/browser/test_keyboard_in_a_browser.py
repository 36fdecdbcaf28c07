"""A moderator works the queue with the keyboard alone (static/keyboard.js), in real Chromium."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from moderation import db
from moderation.models import Comment
from moderation.review.routes import GUIDELINE_REASONS
from workspace_pages import held_comment, keys_settled, sign_in

pytestmark = pytest.mark.browser

KEYS_DOC = Path(__file__).resolve().parents[2] / "docs" / "moderation.md"  # "## Keyboard shortcuts"

# Where the focus is, whether it shows, and whether the focused card's top is on screen.
FOCUS = """() => {
  const el = document.activeElement, box = el.getBoundingClientRect();
  return {id: el.id, card: el.matches('.card.item'), outline: getComputedStyle(el).outlineStyle,
          onScreen: box.top >= 0 && box.top < window.innerHeight};
}"""


def _focused_card(page) -> str:
    focus = page.evaluate(FOCUS)
    assert focus["card"], f"the focus is on {focus['id'] or 'no card'}, not on a card"
    assert focus["outline"] == "solid" and focus["onScreen"], focus
    return focus["id"]


def _screenshot(page, name: str) -> None:
    if os.environ.get("WORKSPACE_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(os.environ["WORKSPACE_SCREENSHOT_DIR"]) / name))


def _decide(page, *keys: str) -> None:
    """The last key decides: the form posts and the queue comes back."""
    keys_settled(page)
    for key in keys[:-1]:
        page.keyboard.press(key)
    with page.expect_navigation():
        page.keyboard.press(keys[-1])


def _queue_of(n: int, app, site, moderator, grant, live_server, page) -> list[str]:
    """n held comments, the moderator signed in on the queue; the cards' ids, top first."""
    grant(moderator, site)
    for i in range(n):
        held_comment(app, site.id, i, author_id=f"u{i}")
    sign_in(page, live_server, moderator)
    return page.locator("ol.queue > .card.item").evaluate_all("cards => cards.map(c => c.id)")


def test_a_full_keyboard_pass_through_ten_items(app, site, moderator, grant, live_server, browser_page):
    grant(moderator, site)
    for n in range(10):
        held_comment(app, site.id, n, author_id=f"u{n}")
    page = browser_page
    sign_in(page, live_server, moderator)
    ids = page.locator("ol.queue > .card.item").evaluate_all("cards => cards.map(c => c.id)")
    assert len(ids) == 10
    expected: dict[str, tuple[str, str | None]] = {}

    page.keyboard.press("j")
    assert _focused_card(page) == ids[0]
    _screenshot(page, "keyboard-focus.png")
    _decide(page, "a")
    expected[ids[0]] = ("approved", None)
    assert _focused_card(page) == ids[1]
    _decide(page, "1", "r")  # the reason's number, then reject
    expected[ids[1]] = ("rejected", GUIDELINE_REASONS[0])
    assert _focused_card(page) == ids[2]
    _decide(page, "r", "3")  # or reject, then the reason's number
    expected[ids[2]] = ("rejected", GUIDELINE_REASONS[2])
    assert _focused_card(page) == ids[3]

    page.keyboard.press("j")
    assert _focused_card(page) == ids[4]
    page.keyboard.press("k")
    assert _focused_card(page) == ids[3]
    _decide(page, "a")
    expected[ids[3]] = ("approved", None)

    page.keyboard.press("?")  # the help lists every key, Esc closes it and the card keeps the focus
    dialog = page.locator("dialog#keys-help")
    assert dialog.is_visible()
    _screenshot(page, "keyboard-help.png")
    listed = dialog.locator("tbody kbd").all_inner_texts()
    assert {"j / k", "a", "1 – 9", "r", "u", "o", "t", "p", "x", "/", "?"} <= set(listed)
    assert dialog.locator("ol.reason-numbers li").all_inner_texts() == list(GUIDELINE_REASONS[:9])
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert _focused_card(page) == ids[4]
    _decide(page, "a")
    expected[ids[4]] = ("approved", None)

    keys_settled(page)
    page.keyboard.press("r")  # a reject waiting for its reason, which it lists by number, cancelled
    assert f"(1 {GUIDELINE_REASONS[0]}, 2 {GUIDELINE_REASONS[1]}," in page.locator("#key-status").inner_text()
    page.keyboard.press("Escape")
    _decide(page, "a")
    expected[ids[5]] = ("approved", None)

    page.keyboard.press("/")  # keys typed into a field are text, not commands
    page.keyboard.type("ja")
    assert page.locator("input[type=search]").input_value() == "ja"
    page.keyboard.press("Escape")  # back to the card
    assert _focused_card(page) == ids[6]
    _decide(page, "6", "r")
    expected[ids[6]] = ("rejected", GUIDELINE_REASONS[5])

    _decide(page, "a")
    expected[ids[7]] = ("approved", None)
    assert _focused_card(page) == ids[8]
    _decide(page, "9", "r")
    expected[ids[8]] = ("rejected", GUIDELINE_REASONS[8])
    assert _focused_card(page) == ids[9]
    _decide(page, "a")
    expected[ids[9]] = ("approved", None)
    assert "Nothing to review right now." in page.locator("main").inner_text()

    with app.app_context():
        for card_id, (status, reason) in expected.items():
            comment = db.session.get(Comment, int(card_id.removeprefix("comment-")))
            assert (comment.status, comment.decision_reason or None) == (status, reason), card_id
    assert len(expected) == 10


def test_a_key_pressed_again_as_the_next_card_comes_up_does_not_decide_it(app, site, moderator, grant, live_server,
                                                                        browser_page):
    """'a' pressed twice because the page seemed slow approved the next card unseen, and the Undo
    offered was for that one only."""
    page = browser_page
    _queue_of(2, app, site, moderator, grant, live_server, page)
    page.keyboard.press("j")
    _decide(page, "a")

    page.keyboard.press("a")  # as soon as the page is back
    page.wait_for_timeout(300)

    assert "just come up" in page.locator("#key-status").inner_text()
    with app.app_context():
        assert sorted(c.status for c in db.session.query(Comment)) == ["approved", "held"]
    _decide(page, "a")  # a moment later it decides
    with app.app_context():
        assert sorted(c.status for c in db.session.query(Comment)) == ["approved", "approved"]


def test_esc_in_the_search_box_of_a_page_just_opened_goes_to_the_first_card(app, site, moderator, grant, live_server,
                                                                            browser_page):
    """It cleared the box and left the focus there, so the next 'r' was typed into the search."""
    page = browser_page
    ids = _queue_of(2, app, site, moderator, grant, live_server, page)
    page.keyboard.press("/")
    page.keyboard.type("bridge")

    page.keyboard.press("Escape")

    assert page.locator("input[type=search]").input_value() == "bridge"
    assert _focused_card(page) == ids[0]


def test_next_and_deciding_skip_a_card_another_moderator_is_reviewing(app, site, moderator, grant, live_server,
                                                                      browser_page):
    page = browser_page
    ids = _queue_of(3, app, site, moderator, grant, live_server, page)
    claimed = f"#{ids[1]}"
    page.locator(claimed).evaluate("card => card.dataset.claimedBy = 'alice'")  # as the claims badge marks it

    page.keyboard.press("j")
    page.keyboard.press("j")
    assert _focused_card(page) == ids[2]
    page.keyboard.press("k")
    assert _focused_card(page) == ids[0]
    _decide(page, "a")
    assert _focused_card(page) == ids[2]  # the card after the decided one, past alice's


def test_r_waiting_for_its_reason_is_cancelled_by_a_click_into_another_card(app, site, moderator, grant, live_server,
                                                                            browser_page):
    """A moderator's walk: "r" on one card, a click on the next card's thread to read it, then "3"
    rejected the card being read."""
    page = browser_page
    ids = _queue_of(2, app, site, moderator, grant, live_server, page)
    keys_settled(page)
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.locator(f"#{ids[1]} [data-key=thread] summary").click()

    page.keyboard.press("3")
    page.wait_for_timeout(300)

    assert page.locator("#key-status").inner_text() != ""  # said why nothing was rejected
    with app.app_context():
        assert [c.status for c in db.session.query(Comment)] == ["held", "held"]


def test_with_no_focus_keys_leave_a_card_scrolled_out_of_sight_under_the_bulk_bar(app, site, moderator, grant,
                                                                                 live_server, browser_page):
    """A moderator's walk: "j", then the wheel until the next card filled the screen and only the
    first one's buttons peeked out under the sticky bulk bar, a click on the margin, and "a"
    approved the card whose text was out of sight."""
    page = browser_page
    ids = _queue_of(3, app, site, moderator, grant, live_server, page)
    keys_settled(page)
    page.keyboard.press("j")
    # The first card's text just under the sticky bar's bottom edge, its button row still below it.
    page.evaluate("""id => {
      const text = document.querySelector('#' + id + ' blockquote.text').getBoundingClientRect();
      const bar = document.querySelector('.bulk-bar').getBoundingClientRect();
      window.scrollBy(0, text.bottom - bar.height + 2);
    }""", ids[0])
    page.mouse.click(5, 450)  # the margin: the focus goes to the page

    page.keyboard.press("a")
    page.wait_for_timeout(300)

    assert "out of sight" in page.locator("#key-status").inner_text()
    with app.app_context():
        assert [c.status for c in db.session.query(Comment)] == ["held"] * 3


def test_the_moderators_doc_lists_the_keys_the_help_lists(app, site, moderator, grant, live_server, browser_page):
    grant(moderator, site)
    held_comment(app, site.id, 0)
    sign_in(browser_page, live_server, moderator)
    listed = browser_page.locator("dialog#keys-help tbody kbd").all_inner_texts()
    section = KEYS_DOC.read_text(encoding="utf-8").split("\n## Keyboard shortcuts\n", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| <kbd>(.+?)</kbd> \|", section, flags=re.M)
    assert documented == listed


GREY = """card => {  // as claims.js markDecided greys it after a poll
  card.classList.add('decided');
  card.querySelector('[data-claim-note]').textContent = 'decided (approved) by bob';
  card.querySelectorAll('form.decide button, form.decide select').forEach(el => el.disabled = true);
}"""


def test_keys_pass_over_a_card_a_colleague_decided_meanwhile_and_move_on_from_it(app, site, moderator, grant,
                                                                                 live_server, browser_page):
    """A moderator's walk: j stopped on a card a poll had greyed as decided by bob; "a" did nothing
    and "r 1" said a reason and did nothing, and the moderator believed it rejected. An election-night
    lead's: greyed under the focus, the card kept it, every key refused, until j."""
    page = browser_page
    ids = _queue_of(4, app, site, moderator, grant, live_server, page)
    keys_settled(page)
    page.locator(f"#{ids[1]}").evaluate(GREY)

    page.keyboard.press("j")
    page.keyboard.press("j")
    assert _focused_card(page) == ids[2]
    page.locator(f"#{ids[2]}").evaluate(GREY)  # bob decided the one this moderator is on
    page.keyboard.press("a")
    assert _focused_card(page) == ids[3]  # on, as after a decision of one's own
    gone = ids[2].removeprefix("comment-")
    assert page.locator("#key-status").inner_text() == f"#{gone} decided (approved) by bob: on to the next comment."
    page.keyboard.press("a")  # pressed again at once: not a decision of the card just come up
    assert page.locator("#key-status").inner_text() == "This comment has just come up: read it, then decide."
    page.wait_for_timeout(300)
    with app.app_context():
        assert {c.status for c in db.session.query(Comment)} == {"held"}


def test_after_a_decision_the_keys_pass_over_the_card_a_colleague_took_meanwhile(
        app, site, moderator, grant, make_moderator, live_server, browser_page):
    """A moderator's walk: the page came back on the card a colleague had just taken, and the next
    key's decision was refused after a round trip."""
    from datetime import timedelta

    from moderation.domain.claims import claim
    from moderation.domain.lifecycle import now

    page = browser_page
    ids = _queue_of(3, app, site, moderator, grant, live_server, page)
    bob = make_moderator("bob", sites=[site])
    with app.app_context():  # after this page was drawn
        claim(db.session, int(ids[1].removeprefix("comment-")), bob, at=now(), lease=timedelta(minutes=5))
        db.session.commit()

    page.keyboard.press("j")
    _decide(page, "a")

    assert _focused_card(page) == ids[2]
    assert page.locator("#key-status").inner_text() == \
        f"#{ids[1].removeprefix('comment-')} is being reviewed by bob: on to the next comment."


def test_j_on_the_last_card_of_a_page_says_so_and_again_opens_the_next_page(app, site, moderator, grant,
                                                                            live_server, browser_page):
    """A moderator's walk: j there did nothing and said nothing; the mouse every 25 cards."""
    page = browser_page
    ids = _queue_of(26, app, site, moderator, grant, live_server, page)
    assert len(ids) == 25
    keys_settled(page)
    page.keyboard.press("k")  # from nowhere, the last card
    assert _focused_card(page) == ids[-1]

    page.keyboard.press("x")  # ticked: the next page would lose it (a re-check)
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.locator("#key-status").inner_text() == \
        "Last comment on this page. 1 ticked here: decide or untick them before the next page."
    page.keyboard.press("x")
    page.keyboard.press("j")
    assert page.locator("#key-status").inner_text() == "Last comment on this page: j again for the next page."
    with page.expect_navigation():
        page.keyboard.press("j")
    assert "after=" in page.url and page.locator("ol.queue > .card.item").count() == 1


def test_back_from_the_authors_page_comes_back_to_the_card_and_u_says_where_undo_is(app, site, moderator, grant,
                                                                                    live_server, browser_page):
    """A moderator's night shift: after o and the browser's Back the keys had no card ("a" silent, "j"
    to the top), and after a reload "u" did nothing and said nothing."""
    page = browser_page
    ids = _queue_of(4, app, site, moderator, grant, live_server, page)
    keys_settled(page)
    for _ in range(3):
        page.keyboard.press("j")
    assert _focused_card(page) == ids[2]
    with page.expect_navigation():
        page.keyboard.press("o")
    page.go_back()
    keys_settled(page)
    page.keyboard.press("j")
    assert _focused_card(page) == ids[3]  # on from where it was

    page.reload()
    keys_settled(page)
    page.keyboard.press("u")
    assert page.locator("#key-status").inner_text().startswith("Nothing to undo on this page")


def test_enter_in_a_note_decides_nothing_and_with_a_reason_picked_goes_to_reject(app, site, moderator, grant,
                                                                                 live_server, browser_page):
    """An accessibility review: a keyboard user picked "Threat" on "Someone should shoot the mayor.",
    typed a note and pressed Enter, and the comment was approved (the form's first button); Enter on
    a card's tick box sent the bulk bar as Approve selected."""
    page = browser_page
    ids = _queue_of(2, app, site, moderator, grant, live_server, page)
    first = page.locator(f"#{ids[0]}")
    note = first.get_by_label("Note on comment")
    note.fill("threatens the mayor")
    note.press("Enter")
    page.wait_for_timeout(300)
    box = first.locator('input[type="checkbox"]').first
    box.check()
    page.once("dialog", lambda dialog: dialog.dismiss())  # "Publish every selected comment?" had opened
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message))
    box.press("Enter")
    page.wait_for_timeout(300)
    assert asked == []
    box.uncheck()
    with app.app_context():
        assert {c.status for c in db.session.query(Comment)} == {"held"}

    first.get_by_label("Reason for comment").select_option(index=3)
    note.press("Enter")
    assert page.evaluate("document.activeElement.value") == "reject"  # a second Enter rejects, with that reason
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with app.app_context():
        decided = db.session.get(Comment, int(ids[0].split("-")[-1]))
        assert (decided.status, decided.decision_reason) == ("rejected", f"{GUIDELINE_REASONS[2]}: threatens the mayor")


def test_b_goes_to_the_bulk_bar_esc_comes_back_and_esc_closes_the_messages(app, site, moderator, grant,
                                                                           live_server, browser_page):
    """An accessibility review: from the 20th card the bulk bar's Reject was 210 Shift+Tabs away, and
    at 400 % zoom a decision's message covered a third of the window until its ×, 91 Shift+Tabs away."""
    page = browser_page
    ids = _queue_of(4, app, site, moderator, grant, live_server, page)
    keys_settled(page)
    for _ in range(3):
        page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("b")
    assert page.evaluate("document.activeElement.closest('form.bulk-bar') !== null")
    assert page.evaluate("document.activeElement.name") == "reason_choice"
    page.keyboard.press("Escape")
    assert _focused_card(page) == ids[2]

    _decide(page, "a")
    assert page.locator(".toasts .flash").count() == 1
    keys_settled(page)
    page.keyboard.press("Escape")
    assert page.locator(".toasts .flash:visible").count() == 0
    assert "Messages closed." in page.locator("#key-status").inner_text()
    # The undo of the decision it named still works (a night shift lost it with the message).
    with page.expect_navigation():
        page.keyboard.press("Alt+Shift+U")
    with app.app_context():
        assert db.session.get(Comment, int(ids[2].split("-")[-1])).status == "held"


COVERED = """() => {
  const el = document.activeElement, bar = document.querySelector('form.bulk-bar');
  if (!el || !bar || bar.contains(el) || getComputedStyle(bar).position !== 'sticky') return 0;
  const r = el.getBoundingClientRect(), q = bar.getBoundingClientRect();
  const x = Math.max(0, Math.min(r.right, q.right) - Math.max(r.left, q.left));
  const y = Math.max(0, Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top));
  return r.width * r.height ? x * y / (r.width * r.height) : 0;
}"""


@pytest.mark.parametrize("width, height", [(800, 600), (853, 533)])
def test_no_control_tabbed_to_is_hidden_under_the_sticky_bulk_bar(app, site, moderator, grant, live_server,
                                                                  browser_page, width, height):
    """An accessibility review: at 800x600 (a 1280x1024 screen at 160 %) the bar wrapped to about
    190 px, past the 144 px the page kept clear, and a card's Reject and Reason lay under it."""
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    _queue_of(8, app, site, moderator, grant, live_server, page)
    keys_settled(page)
    page.keyboard.press("j")
    page.keyboard.press("x")  # a ticked card: the bar shows its reason and buttons
    worst = 0.0
    for key in ["Tab"] * 60 + ["Shift+Tab"] * 60:
        page.keyboard.press(key)
        worst = max(worst, page.evaluate(COVERED))
    assert worst < 0.01, f"a focused control was {worst:.0%} under the bulk bar"


SPACING = """() => document.querySelectorAll('body *').forEach(el => {
  el.style.lineHeight = '1.5'; el.style.letterSpacing = '0.12em'; el.style.wordSpacing = '0.16em';
  if (el.tagName === 'P') el.style.marginBottom = '2em';
})"""


def test_with_wcag_text_spacing_at_400_percent_a_card_still_fits_the_window(app, site, moderator, grant, live_server,
                                                                          browser_page):
    """An accessibility review: with WCAG 1.4.12's text spacing at 320 CSS px the reason list and
    Reject ran 33 px past the window."""
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 256})
    _queue_of(2, app, site, moderator, grant, live_server, page)
    page.evaluate(SPACING)
    reject = page.locator("form.decide button.reject").first.bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert reject["x"] + reject["width"] <= 320



def test_without_javascript_enter_on_a_tick_box_or_in_a_note_decides_nothing(app, site, moderator, grant,
                                                                           live_server, chromium):
    """A re-check: with JavaScript off, Enter on a ticked box published the selection at once, a held
    threat among it: Chromium passes a disabled first button by for the next enabled one."""
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        ids = _queue_of(2, app, site, moderator, grant, live_server, page)
        first = page.locator(f"#{ids[0]}")
        first.locator('input[type="checkbox"]').first.check()
        page.locator("form.bulk-bar").get_by_label("Reason").select_option(index=3)
        with page.expect_navigation():
            first.locator('input[type="checkbox"]').first.press("Enter")
        assert "Nothing decided: Enter does not decide here" in page.locator("main").inner_text()
        # A card's note: nothing happens at all, its reason and note stay (the night shift lost both).
        card = page.locator(f"#{ids[1]}")
        card.get_by_label("Reason for comment").select_option(index=3)
        card.get_by_label("Note on comment").fill("kept")
        card.get_by_label("Note on comment").press("Enter")
        page.wait_for_timeout(500)
        assert card.get_by_label("Note on comment").input_value() == "kept"
        assert card.get_by_label("Reason for comment").input_value() != ""
        with app.app_context():
            assert {c.status for c in db.session.query(Comment)} == {"held"}
    finally:
        context.close()


def test_b_from_a_ticked_box_goes_to_the_bulk_bar(app, site, moderator, grant, live_server, browser_page):
    """A re-check: b did nothing with the focus on a tick box, the natural place to press it."""
    page = browser_page
    ids = _queue_of(2, app, site, moderator, grant, live_server, page)
    keys_settled(page)
    box = page.locator(f"#{ids[1]}").locator('input[type="checkbox"]').first
    box.check()
    box.focus()
    page.keyboard.press("b")
    assert page.evaluate("document.activeElement.name") == "reason_choice"
    assert page.evaluate("document.activeElement.closest('form.bulk-bar') !== null")
    # A reason's number there picks the bar's reason, as on a card (the bar took none: the night shift).
    page.keyboard.press("3")
    bar_reason = page.locator("form.bulk-bar select[name=reason_choice]")
    assert bar_reason.evaluate("s => s.selectedIndex") == 3
    assert page.locator("#key-status").inner_text().startswith("Reason for the selected comments: ")


def test_j_reaches_the_only_card_of_a_queue_narrowed_to_one(app, site, moderator, grant, live_server, browser_page):
    """A night shift's walk: a search that left one comment, and j said "Last comment in this list."
    without reaching it; k did nothing; 42 Tabs did."""
    page = browser_page
    ids = _queue_of(1, app, site, moderator, grant, live_server, page)
    keys_settled(page)
    page.keyboard.press("j")
    assert _focused_card(page) == ids[0]


def test_on_an_approved_comment_reported_since_r_says_what_the_keys_do_and_a_dismisses_the_reports(
        app, site, moderator, grant, live_server, browser_page):
    """A team lead's walk: on the Reported tab's "Keep approved, dismiss 1 report" card a new moderator
    pressed "r 7", "r 6", "r 2" for a minute and a half, and the page said nothing."""
    from moderation.models import Report

    grant(moderator, site)
    comment_id = held_comment(app, site.id, 0)
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        comment.status, comment.decision, comment.flagged = "approved", "approved", []
        db.session.commit()
    page = browser_page
    sign_in(page, live_server, moderator)
    page.goto(f"{live_server}/review?tab=reported")
    keys_settled(page)
    page.keyboard.press("j")
    assert _focused_card(page) == f"comment-{comment_id}"
    page.keyboard.press("r")
    said = page.locator("#key-status").inner_text()
    assert "a keeps it approved and dismisses the reports" in said and "admin can reverse" in said
    page.keyboard.press("7")
    assert "a keeps it approved" in page.locator("#key-status").inner_text()
    with page.expect_navigation():
        page.keyboard.press("a")
    assert "stays approved" in page.content()
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "approved"
        assert [r.outcome for r in db.session.query(Report).filter_by(comment_id=comment_id)] == ["dismissed"]
