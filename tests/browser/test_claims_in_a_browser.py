"""Two moderators on one item, in real Chromium: alice's focus claims it, bob's open page learns it
without reloading, bob's decision is refused with her name, and her decision greys his card, as does
the site deleting a comment he has open."""
from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from test_review_in_a_browser import _held_comment
from workspace_pages import sign_in

from moderation import db
from moderation.domain.edits import edit_comment
from moderation.domain.lifecycle import commit_and_send
from moderation.domain.removal import delete_comment
from moderation.models import Comment, Site

pytestmark = pytest.mark.browser

# A decision's time as a card says it, in the browser's zone.
AT = r"at \d{4}-\d\d-\d\d \d\d:\d\d [A-Z][A-Za-z0-9+:-]*"


def _another_held_comment(app, site_id: int, text: str) -> int:
    with app.app_context():
        comment = Comment(site_id=site_id, external_id=f"c-{hashlib.sha256(text.encode()).hexdigest()[:8]}",
                          story_id="bridge", author_id="u2", text=text, body_hash=hashlib.sha256(text.encode()).hexdigest(),
                          status="held", priority=0.5, status_changed_at=datetime.now(timezone.utc))
        db.session.add(comment)
        db.session.commit()
        return comment.id


def _poll_now(page) -> None:
    """The tab becoming visible polls at once (static/live.js), instead of waiting for the next 10 s tick."""
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def test_two_moderators_on_one_item(app, make_site, make_moderator, live_server, browser_page, tmp_path: Path):
    site = make_site("daily-planet")
    contested = _held_comment(app, site.id)
    withdrawn = _another_held_comment(app, site.id, "Is the bridge toll going up again?")
    alice, bob = make_moderator("alice", sites=[site]), make_moderator("bob", sites=[site])
    shots = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path))
    violations: list[str] = []

    bob_page = browser_page
    bob_page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(bob_page, live_server, bob)
    bobs_card = bob_page.locator(f"#comment-{contested}")
    assert bobs_card.get_attribute("data-claimed-by") is None

    alice_page = bob_page.context.browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    alice_page.set_default_timeout(15_000)
    sign_in(alice_page, live_server, alice)
    approve = alice_page.locator(f"#comment-{contested} button[value=approve]")
    before = approve.bounding_box()
    alice_page.locator(f"#comment-{contested} blockquote.text").click()  # focuses her card: she claims it
    alice_page.wait_for_selector(f"#comment-{contested} [data-claim-note]:has-text('you are reviewing this')")
    # The note appears as she reaches for a button: it must not move the buttons under her pointer.
    assert approve.bounding_box() == before

    # bob's page, never reloaded, learns it from its next poll.
    _poll_now(bob_page)
    bob_page.wait_for_selector(f"#comment-{contested}[data-claimed-by=alice]")
    assert bobs_card.locator("[data-claim-note]").inner_text() == "being reviewed by alice"
    bob_page.screenshot(path=str(shots / "review-claimed-by-alice.png"), full_page=True)

    bobs_card.locator("select[name=reason_choice]").select_option("Personal attack or insult")
    bobs_card.locator("button[value=reject]").click()
    bob_page.wait_for_selector(".flash-warning")
    assert bob_page.locator(".flash-warning").inner_text().startswith(
        f"Comment #{contested}: alice is reviewing this comment (claim ends in ")
    assert bob_page.url.endswith(f"#comment-{contested}")  # bob's place kept, not moved to the next card
    with app.app_context():
        assert db.session.get(Comment, contested).status == "held"
    # Rendered again after the refusal, the card says who holds it, from the server this time.
    assert bobs_card.get_attribute("data-claimed-by") == "alice"

    # What bob's screen reader is given, as it settles after each change. Its 10 s poll may land between
    # alice's decision and the new comment, so the two may come in one announcement or two: CI once saw two.
    bob_page.evaluate("""() => { const live = document.getElementById('live-status'); window.heard = [];
        new MutationObserver(() => window.heard.push(live.textContent)).observe(live, {childList: true, characterData: true, subtree: true}); }""")
    # alice approves; a new comment arrives. bob's page greys her card and offers the new one.
    alice_page.locator(f"#comment-{contested} button[value=approve]").click()
    alice_page.wait_for_selector(".flash-success")
    _another_held_comment(app, site.id, "What about cyclists on the new bridge?")
    _poll_now(bob_page)
    bob_page.wait_for_selector(f"#comment-{contested}.decided")
    assert re.fullmatch(r"decided \(approved\) by alice " + AT, bobs_card.locator("[data-claim-note]").inner_text())
    assert bobs_card.locator("button[value=reject]").is_disabled()
    assert bob_page.locator("[data-new-items]").inner_text() == "1 new comment — show"
    # What a screen reader hears of it, once each, naming the comment (the notes themselves are not live).
    # Said one after another in one poll, only the last would reach it: what one poll brings is said together.
    heard = " ".join(bob_page.evaluate("window.heard"))
    assert len(re.findall(rf"Comment #{contested} decided \(approved\) by alice " + AT + r"\.", heard)) == 1, heard
    assert heard.count("1 new comment in the queue.") == 1, heard
    assert bob_page.locator(".tabs [data-tab=approved] .count").inner_text() == "1"
    bob_page.screenshot(path=str(shots / "review-live-updates.png"), full_page=True)

    # The site deletes a comment bob has open: greyed too, not left to be read and decided in vain.
    with app.app_context():
        removal = delete_comment(db.session, db.session.get(Site, site.id), withdrawn, actor="site:daily-planet",
                                 requested_by="author")
        commit_and_send(db.session, removal.deliveries)
    _poll_now(bob_page)
    bob_page.wait_for_selector(f"#comment-{withdrawn}.decided")
    withdrawn_card = bob_page.locator(f"#comment-{withdrawn}")
    # Its reader asked: "by the site" had read as the newsroom's own removal.
    assert withdrawn_card.locator("[data-claim-note]").inner_text() == "deleted on the site"
    assert withdrawn_card.locator(".meta .status").first.inner_text() == "deleted"
    assert withdrawn_card.locator("button[value=approve]").is_disabled()
    # One left to review, and the heading says so as the tab does (it kept the count the page loaded with).
    assert bob_page.locator(".tabs [data-tab=review] .count").inner_text() == "1"
    assert bob_page.locator("h1 [data-tab-count]").inner_text() == "1"
    assert bob_page.locator(".all-matching").inner_text() == "All 1 matching…"

    # Its reader edits the last one while bob reads it: greyed, not left with the old text and live buttons.
    edited = _another_held_comment(app, site.id, "The toll is theft and the council are crooks.")
    bob_page.reload()
    with app.app_context():
        edit = edit_comment(db.session, db.session.get(Site, site.id), edited, text="The toll is steep, I think.")
        commit_and_send(db.session, [edit.delivery])
    _poll_now(bob_page)
    bob_page.wait_for_selector(f"#comment-{edited}.decided")
    edited_card = bob_page.locator(f"#comment-{edited}")
    assert edited_card.locator("[data-claim-note]").inner_text() == (
        "changed since you opened it (being scored again): reload the page to see it")
    assert edited_card.locator("button[value=approve]").is_disabled()
    assert violations == []


def _bob_on_alices_comment(app, make_site, make_moderator, live_server, page) -> tuple[int, int, int]:
    """alice holds a held comment's claim; bob opens its page. (comment id, alice's and bob's user ids)"""
    from moderation.domain.claims import claim
    from moderation.domain.status import now
    from moderation.models import User

    site = make_site("daily-planet")
    contested = _held_comment(app, site.id)
    alice, bob = make_moderator("alice", sites=[site]), make_moderator("bob", sites=[site])
    with app.app_context():
        claim(db.session, contested, db.session.get(User, alice.id), at=now(), lease=timedelta(minutes=5))
    sign_in(page, live_server, bob)
    page.goto(f"{live_server}/review/{contested}")
    assert page.locator(f"#comment-{contested} [data-claim-note]").inner_text() == "being reviewed by alice"
    return contested, alice.id, bob.id


def test_a_comment_page_learns_a_colleague_decided_it(app, make_site, make_moderator, live_server, browser_page):
    """bob opens the comment alice is on: the page says so, and once she decides it greys without
    a reload (it kept "being reviewed by alice" and live buttons, which then failed)."""
    from moderation.domain.decisions import decide
    from moderation.domain.undo import undo_decision
    from moderation.models import User

    page = browser_page
    contested, alice_id, _ = _bob_on_alices_comment(app, make_site, make_moderator, live_server, page)
    with app.app_context():
        comment = db.session.get(Comment, contested)
        decide(db.session, contested, user=db.session.get(User, alice_id), action="approve", reason=None,
               expected_version=comment.version)
        db.session.commit()
    _poll_now(page)
    page.wait_for_selector(f"#comment-{contested}.decided")
    card = page.locator(f"#comment-{contested}")
    assert re.fullmatch(r"decided \(approved\) by alice " + AT, card.locator("[data-claim-note]").inner_text())
    assert card.locator("button[value=reject]").is_disabled()

    # alice undoes it: the greyed page says so (it stayed "decided" until a reload).
    with app.app_context():
        comment = db.session.get(Comment, contested)
        undo_decision(db.session, contested, user=db.session.get(User, alice_id), expected_version=comment.version,
                      window=timedelta(minutes=10))
        db.session.commit()
    _poll_now(page)
    page.wait_for_selector(f"#comment-{contested} [data-claim-note]:has-text('the decision was undone')")


def test_a_comment_page_takes_the_claim_when_the_colleague_leaves(app, make_site, make_moderator, live_server,
                                                                  browser_page):
    from moderation.domain.claims import release
    from moderation.models import ReviewClaim, User

    page = browser_page
    contested, alice_id, bob_id = _bob_on_alices_comment(app, make_site, make_moderator, live_server, page)
    with app.app_context():
        release(db.session, contested, db.session.get(User, alice_id))
    _poll_now(page)
    page.wait_for_selector(f"#comment-{contested} [data-claim-note]:has-text('you are reviewing this')")
    assert page.locator(f"#comment-{contested}").get_attribute("data-claimed-by") is None
    with app.app_context():
        assert db.session.get(ReviewClaim, contested).user_id == bob_id


def test_a_card_left_alone_is_no_longer_claimed_and_is_taken_again_on_return(app, make_site, make_moderator,
                                                                           live_server, browser_page):
    """A tab left open over lunch renewed its claim every minute, keeping the card from colleagues all
    afternoon, though the refusal they saw said the claim would end in 3 minutes."""
    site = make_site("daily-planet")
    contested = _held_comment(app, site.id)
    mona = make_moderator("mona", sites=[site])
    page = browser_page
    page.clock.install()
    claims: list[str] = []
    page.on("request", lambda r: claims.append(r.url) if r.method == "POST" and r.url.endswith("/claim") else None)
    sign_in(page, live_server, mona)
    page.locator(f"#comment-{contested} blockquote.text").click()
    page.wait_for_selector(f"#comment-{contested} [data-claim-note]:has-text('you are reviewing this')")

    page.clock.run_for("04:00")  # still there: renewed each minute
    _until(page, lambda: len(claims) >= 4)  # the requests go out in real time: a loaded machine is slow
    renewed = len(claims)
    page.clock.run_for("10:00")  # away: no more renewals, so the lease runs out
    page.wait_for_timeout(300)
    away = len(claims)
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/claim"), timeout=10_000):
        # Back. A key, not the wheel: Chromium hands a wheel event to the page after the call returns,
        # so on a loaded machine it could land after the minute below had already run, and no renewal came.
        page.keyboard.press("Shift")
        page.clock.run_for("01:00")
    page.wait_for_timeout(300)

    assert renewed >= 4 and away - renewed <= 1 and len(claims) == away + 1


def _until(page, condition, seconds: float = 10) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("not within the time allowed")


def test_showing_new_comments_asks_first_when_a_note_is_started(app, make_site, make_moderator, live_server,
                                                               browser_page):
    """The link reloaded the page and dropped a half-typed note without a word."""
    site = make_site("daily-planet")
    contested = _held_comment(app, site.id)
    mona = make_moderator("mona", sites=[site])
    page = browser_page
    sign_in(page, live_server, mona)
    page.locator(f"#comment-{contested} input[name=reason_note]").fill("quotes the mayor, not an insult")
    _another_held_comment(app, site.id, "What about cyclists on the new bridge?")
    _poll_now(page)
    page.wait_for_selector("[data-new-items]:not([hidden])")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))

    page.locator("[data-new-items] a").click()

    assert asked == ["Show the new comments? The reason or note you started will be lost."]
    assert page.locator(f"#comment-{contested} input[name=reason_note]").input_value() == "quotes the mayor, not an insult"


def test_on_a_phone_new_comments_show_at_the_top_and_ask_before_dropping_ticked_cards(
        app, make_site, make_moderator, live_server, browser_page):
    """A phone walk: the pill appeared over Reject at the foot of the screen, and tapping it dropped
    the cards ticked for a bulk decision without a word."""
    site = make_site("daily-planet")
    ticked = _held_comment(app, site.id)
    mona = make_moderator("mona", sites=[site])
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, mona)
    page.locator(f"#comment-{ticked} label.select-box").click()
    _another_held_comment(app, site.id, "What about cyclists on the new bridge?")
    _poll_now(page)
    page.wait_for_selector("[data-new-items]:not([hidden])")
    pill = page.locator("[data-new-items] a").bounding_box()
    assert pill["y"] + pill["height"] < 844 / 4, pill  # at the top, away from the thumb's buttons
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))

    page.locator("[data-new-items] a").click()

    assert asked == ["Show the new comments? The comment you ticked will be lost."]
    assert page.locator(f'#comment-{ticked} input[data-key="select"]').is_checked()


def test_signed_out_in_another_browser_the_open_queue_says_so_and_nothing_is_lost(
        app, make_site, make_moderator, live_server, browser_page):
    """A moderator's walk: signed out elsewhere, the open queue went on as if nothing happened; the
    Reject clicked there went to the sign-in page, and after it the rejection was not made, unsaid."""
    site = make_site("daily-planet")
    comment = _held_comment(app, site.id)
    alice = make_moderator("alice", sites=[site])
    here = browser_page
    sign_in(here, live_server, alice)
    elsewhere = here.context.browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    sign_in(elsewhere, live_server, alice)

    # Clicked before the page knew: the server says the rejection was not saved, and goes back to the queue.
    elsewhere.locator("button:has-text('Sign out')").click()
    card = here.locator(f"#comment-{comment}")
    card.locator("select[name=reason_choice]").select_option("Personal attack or insult")
    card.locator("button[value=reject]").click()
    here.wait_for_selector(".flash-warning")
    assert here.url.endswith(f"/login?next=/review%23comment-{comment}")  # back on this card, once signed in
    assert "What you just sent was not saved" in here.locator(".flash-warning").inner_text()
    here.fill("input[name=username]", alice.username)
    here.fill("input[name=password]", alice.password)
    here.click("button[type=submit]")
    here.wait_for_url(f"{live_server}/review#comment-{comment}")
    with app.app_context():
        assert db.session.get(Comment, comment).status == "held"

    # Signed out again elsewhere: the next poll says so at the top, and the buttons are off.
    sign_in(elsewhere, live_server, alice)
    elsewhere.locator("button:has-text('Sign out')").click()
    _poll_now(here)
    here.wait_for_selector("[data-signed-out]")
    assert here.locator("[data-signed-out]").inner_text().startswith("You have been signed out")
    assert here.locator(f"#comment-{comment} button[value=reject]").is_disabled()


def test_a_card_a_colleague_decided_greys_as_soon_as_it_is_taken_up(app, make_site, make_moderator, live_server,
                                                                     browser_page):
    """A night shift's walk: at the queue's top, clicking a card alice had decided seconds before
    claimed nothing and said nothing; carol read it and chose a reason before the refusal came."""
    from moderation.domain.decisions import decide
    from moderation.models import User

    site = make_site("daily-planet")
    contested = _held_comment(app, site.id)
    alice, carol = make_moderator("alice", sites=[site]), make_moderator("carol", sites=[site])
    page = browser_page
    sign_in(page, live_server, carol)
    with app.app_context():
        decide(db.session, contested, user=db.session.get(User, alice.id), action="reject",
               reason="Personal attack or insult", expected_version=db.session.get(Comment, contested).version)
        db.session.commit()

    page.locator(f"#comment-{contested} blockquote.text").click()  # takes it up: a claim, no poll

    page.wait_for_selector(f"#comment-{contested}.decided", timeout=3_000)
    card = page.locator(f"#comment-{contested}")
    # When and why too, as a card the server draws says it (it said only who).
    assert re.fullmatch(r"decided \(rejected\) by alice " + AT + ": Personal attack or insult",
                        card.locator("[data-claim-note]").inner_text())
    assert card.locator("button[value=approve]").is_disabled()


def test_n_shows_the_new_comments(app, make_site, make_moderator, live_server, browser_page):
    """The night shift reached "N new comments — show" only by the mouse or by Tabs back up the page."""
    site = make_site("daily-planet")
    first = _held_comment(app, site.id)
    mona = make_moderator("mona", sites=[site])
    page = browser_page
    sign_in(page, live_server, mona)
    page.wait_for_selector("body[data-keys-settled]")
    page.keyboard.press("n")
    assert page.locator("#key-status").inner_text() == "No new comments since this page was loaded."
    _another_held_comment(app, site.id, "What about cyclists on the new bridge?")
    _poll_now(page)
    page.wait_for_selector("[data-new-items]:not([hidden])")
    page.locator(f"#comment-{first}").focus()
    with page.expect_navigation():
        page.keyboard.press("n")
    assert "What about cyclists on the new bridge?" in page.locator("ol.queue").inner_text()
