"""A moderator works the queue in a real browser."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from moderation import db
from moderation.models import Comment, WebhookDelivery

pytestmark = pytest.mark.browser

TEXT = "Anyone who voted for this bridge is a complete moron and should be ashamed."


def _held_comment(app, site_id: int, external_id: str = "c-browser") -> int:
    begin = TEXT.index("complete moron")
    with app.app_context():
        comment = Comment(
            site_id=site_id, external_id=external_id, story_id="bridge", story_title="Council approves new bridge",
            story_url="https://daily-planet.example/bridge", author_id="u1", author_name="Angry Reader",
            text=TEXT, body_hash=hashlib.sha256(TEXT.encode()).hexdigest(), status="held",
            scores={"toxicity": 0.93, "severe_toxicity": 0.21, "insult": 0.89, "identity_attack": 0.04,
                    "profanity": 0.33, "threat": 0.02},
            flagged=["toxicity", "insult"],
            explanations={"insult": [{"begin": begin, "end": begin + 14, "score": 0.81, "text": "complete moron"}],
                          "toxicity": [{"begin": begin + 9, "end": begin + 14, "score": 0.66, "text": "moron"}]},
            model_version="civility-test", priority=1.2,
        )
        db.session.add(comment)
        db.session.commit()
        return comment.id


def test_a_moderator_rejects_a_held_comment_in_the_browser(app, make_site, moderator, grant, live_server,
                                                           browser_page, tmp_path: Path):
    site = make_site("daily-planet", webhook_url="http://127.0.0.1:9/hooks")
    grant(moderator, site)
    comment_id = _held_comment(app, site.id)
    page = browser_page

    page.goto(f"{live_server}/review")
    assert page.url.startswith(f"{live_server}/login")
    page.fill("input[name=username]", moderator.username)
    page.fill("input[name=password]", moderator.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/review")

    item = page.locator(f"#comment-{comment_id}")
    assert item.is_visible()
    assert item.locator("mark").first.inner_text() == "complete moron"
    assert "Council approves new bridge" in item.inner_text()
    screenshot = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path)) / "review-queue.png"
    page.screenshot(path=str(screenshot), full_page=True)

    item.locator("select[name=reason_choice]").select_option("Personal attack or insult")
    item.locator("input[name=reason_note]").fill("insults other readers")
    item.locator("button[value=reject]").click()
    page.wait_for_selector(".flash-success")
    assert f"Comment #{comment_id} rejected." in page.locator(".flash-success").inner_text()
    assert page.locator(f"#comment-{comment_id}").count() == 0
    page.screenshot(path=str(screenshot.with_name("review-after.png")), full_page=True)

    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert comment.status == "rejected"
        assert comment.decision_reason == "Personal attack or insult: insults other readers"
        deliveries = db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.comment_id == comment_id)).all()
        assert len(deliveries) == 1


def test_the_site_filter_works_under_the_content_security_policy(app, make_site, moderator, live_server,
                                                                  browser_page, grant, tmp_path: Path):
    site = make_site("daily-planet")
    grant(moderator, site, make_site("other-gazette"))
    _held_comment(app, site.id)
    page = browser_page
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)

    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", moderator.username)
    page.fill("input[name=password]", moderator.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/review")
    page.select_option("select[name=site]", str(site.id))
    page.wait_for_url(f"{live_server}/review?*site={site.id}*")

    screenshot = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path)) / "review-csp.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert violations == []
    bar = page.locator(".scores .bar").first.bounding_box()
    assert bar is not None and bar["width"] > 20  # the score bars still have their width without inline style


def test_on_a_phone_the_first_comment_comes_before_the_filters_and_the_bulk_bar(app, make_site, moderator, grant,
                                                                               live_server, browser_page):
    """On a 390x844 phone the filters and the bulk bar stood between the moderator and the cards:
    the first comment's text started 1.3 screens down."""
    from workspace_pages import sign_in

    site = make_site("daily-planet")
    grant(moderator, site)
    comment_id = _held_comment(app, site.id)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, moderator)

    assert page.locator("details[data-phone-fold]").get_attribute("open") is None
    text_top = page.locator(f"#comment-{comment_id}-text").bounding_box()["y"]
    assert text_top < 844, f"the comment starts {text_top:.0f} px down"
    assert not page.locator("form.bulk-bar button[value=reject]").is_visible()

    page.locator(f"#comment-{comment_id} .select-box input").check()  # ticked: the bar offers its decisions
    assert page.locator("form.bulk-bar button[value=reject]").is_visible()
    page.locator("details[data-phone-fold] > summary").click()  # and the filters are a tap away
    assert page.locator("input[name=q]").is_visible()


def test_on_a_laptop_at_200_percent_the_first_card_and_why_it_is_here_come_up_sooner(app, make_site, moderator, grant,
                                                                                      live_server, chromium):
    """An election night's lead at 200 % on a 1366x768 laptop (683x384): the first card started at 460 px,
    under the unfolded filters, and "Why it is here" came under six score bars, never on the first screen."""
    from workspace_pages import keys_settled, sign_in

    site = make_site("daily-planet")
    grant(moderator, site)
    comment_id = _held_comment(app, site.id)
    context = chromium.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    page = context.new_page()
    sign_in(page, live_server, moderator)
    keys_settled(page)

    assert page.locator("details[data-phone-fold]").get_attribute("open") is None
    card = page.locator(f"#comment-{comment_id}")
    assert card.bounding_box()["y"] < 384
    page.keyboard.press("j")
    why = card.get_by_role("heading", name="Why it is here").bounding_box()
    assert why["y"] + why["height"] < 384 and why["y"] < card.locator("table.scores").bounding_box()["y"]
    context.close()


def test_a_moderator_leaves_a_note_for_the_team_on_a_card(app, site, moderator, grant, live_server, browser_page,
                                                          tmp_path: Path):
    """A team lead's walk: a comment left held on purpose said so to no one, and the next moderator
    approved it. The note is written on the card and shown there above the buttons."""
    from workspace_pages import sign_in

    grant(moderator, site)
    comment_id = _held_comment(app, site.id)
    page = browser_page
    sign_in(page, live_server, moderator)
    card = page.locator(f"#comment-{comment_id}")
    card.locator("summary", has_text="Note for the team").click()
    card.locator("textarea[name=note]").fill("Left held: legal is checking the claim about the contractor.")
    with page.expect_navigation():
        card.locator("button", has_text="Add note").click()
    card = page.locator(f"#comment-{comment_id}")
    assert "Note from mona" in card.locator(".team-notes").inner_text()
    assert card.locator(".team-notes").bounding_box()["y"] < card.locator("button.approve").bounding_box()["y"]
    card.screenshot(path=str(Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path)) / "team-note.png"))


def _note_started(page, live_server, moderator, comment_id: int, note: str):
    """Signed in, a note typed on the card and not added, and the questions the page asks, declined."""
    from workspace_pages import sign_in

    sign_in(page, live_server, moderator)
    card = page.locator(f"#comment-{comment_id}")
    card.locator("summary", has_text="Note for the team").click()
    card.locator("textarea[name=note]").fill(note)
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    return page, card, questions


def test_a_decision_asks_before_it_drops_a_note_for_the_team_not_yet_added(app, site, moderator, grant, live_server,
                                                                         browser_page):
    """A re-check: a note typed on a card, then Esc and "a", approved the comment and lost the note
    that said why it was left held. Declined, nothing is decided and the note is still there."""
    from workspace_pages import keys_settled

    grant(moderator, site)
    comment_id = _held_comment(app, site.id)
    page, card, questions = _note_started(browser_page, live_server, moderator, comment_id,
                                          "Left held: the health desk is calling the reader.")
    page.keyboard.press("Escape")
    keys_settled(page)
    page.keyboard.press("a")
    page.wait_for_timeout(300)
    assert questions and "note for the team is not added" in questions[0]
    assert card.locator("textarea[name=note]").input_value() == "Left held: the health desk is calling the reader."
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "held"


@pytest.mark.parametrize("on_the_other_card", ["decide", "add a note"])
def test_acting_on_another_card_asks_before_it_drops_a_note_started_on_this_one(app, site, moderator, grant,
                                                                                live_server, browser_page,
                                                                                on_the_other_card):
    """A re-check: a note typed on one card was lost when the moderator decided the next card; a second
    re-check: or added a note on it."""
    grant(moderator, site)
    first, second = _held_comment(app, site.id), _held_comment(app, site.id, "c-second")
    page, _, questions = _note_started(browser_page, live_server, moderator, first, "Left held: legal is reading it.")
    other = page.locator(f"#comment-{second}")
    if on_the_other_card == "decide":
        other.locator("button.approve").click()
    else:
        other.locator("summary", has_text="Note for the team").click()
        other.locator("textarea[name=note]").fill("A second note.")
        other.locator("button", has_text="Add note").click()
    page.wait_for_timeout(300)
    assert questions and "note for the team is not added" in questions[0]
    assert page.locator(f"#comment-{first} textarea[name=note]").input_value() == "Left held: legal is reading it."
    with app.app_context():
        assert db.session.get(Comment, second).status == "held"
