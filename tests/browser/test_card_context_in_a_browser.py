"""A moderator opens a card's thread and precedent in a real browser (precedent loads when opened)."""
from __future__ import annotations

import hashlib
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from workspace_pages import sign_in

from moderation import db
from moderation.models import Comment

pytestmark = pytest.mark.browser

T0 = datetime.now(timezone.utc) - timedelta(hours=2)


def _comment(app, site_id: int, external_id: str, text: str, minutes: int, **fields) -> int:
    values = dict(site_id=site_id, external_id=external_id, story_id="bridge", story_title="Council approves new bridge",
                  story_url="https://daily-planet.example/bridge", author_id=f"u-{external_id}",
                  author_name=f"Reader {external_id}", text=text, body_hash=hashlib.sha256(text.encode()).hexdigest(),
                  status="published", received_at=T0 + timedelta(minutes=minutes), priority=0.5)
    values.update(fields)
    with app.app_context():
        comment = Comment(**values)
        db.session.add(comment)
        db.session.commit()
        return comment.id


def test_a_moderator_opens_a_cards_thread_and_precedent(app, make_site, moderator, grant, live_server,
                                                        browser_page, tmp_path: Path):
    site = make_site("daily-planet")
    grant(moderator, site)
    _comment(app, site.id, "p1", "The bridge will cut my commute in half, finally.", 0)
    _comment(app, site.id, "r1", "Mine too, but the tolls <b>are</b> steep.", 5, parent_id="p1")
    _comment(app, site.id, "r9", "A reply that came later and must not show.", 30, parent_id="p1")
    card = _comment(app, site.id, "r2", "Only an idiot would pay those tolls, you clown.", 10, parent_id="p1",
                    status="held", priority=1.0)
    _comment(app, site.id, "old", "Only an idiot would pay these tolls, you clowns.", -600, status="rejected",
             decision="rejected", decided_at=T0, decision_reason="Personal attack or insult", story_id="other")
    page = browser_page
    sign_in(page, live_server, moderator)

    item = page.locator(f"#comment-{card}")
    thread = item.locator('details[data-key="thread"]')
    precedent = item.locator('details[data-key="precedent"]')
    assert not thread.locator("blockquote").first.is_visible()  # collapsed until wanted
    thread.locator("summary").click()
    assert thread.locator("blockquote").first.inner_text() == "The bridge will cut my commute in half, finally."
    assert "Mine too, but the tolls <b>are</b> steep." in thread.inner_text()  # as text, not markup
    assert "came later" not in thread.inner_text()

    precedent.locator("summary").click()
    precedent.locator(".precedent-sum").wait_for()  # fetched by static/precedent.js under the CSP
    assert "1 rejected, 0 approved" in precedent.inner_text()
    assert "Only an idiot would pay these tolls, you clowns." in precedent.inner_text()
    assert "Reason: Personal attack or insult" in precedent.inner_text()
    screenshot = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path)) / "card-context.png"
    item.screenshot(path=str(screenshot))


def test_the_english_models_flags_on_a_comment_in_another_language_are_drawn_grey_not_red(
        app, make_site, moderator, grant, live_server, browser_page):
    """A bilingual paper's walk: the card of a Spanish comment drew the English model's reading in red
    bars ("threat 0.00" read as "no threat"); greyed, its flagged rows had stayed red."""
    site = make_site("daily-planet")
    grant(moderator, site)
    rule = [{"rule": "other-language", "action": "hold", "kind": "other_language",
             "reason": 'not in English, which the model reads: Spanish (es), with "idiota"'}]
    spanish = _comment(app, site.id, "es", "Cállate, idiota. Nadie te pidió tu opinión.", 0, status="held",
                       scores={"toxicity": 0.74, "insult": 0.69, "threat": 0.0}, flagged=["toxicity", "insult"],
                       rule_hits=rule)
    english = _comment(app, site.id, "en", "You are a worthless idiot.", 1, status="held",
                       scores={"toxicity": 0.99, "insult": 0.99, "threat": 0.0}, flagged=["toxicity", "insult"])
    page = browser_page
    sign_in(page, live_server, moderator)

    def flagged_bar(card: int) -> str:
        return page.locator(f"#comment-{card} tr.flagged .bar").first.evaluate("e => getComputedStyle(e).backgroundColor")

    assert flagged_bar(english) == "rgb(162, 29, 29)"  # the red of a flag
    assert flagged_bar(spanish) == "rgb(213, 219, 226)"
    assert "Not read: the model reads English, and this is Spanish." in page.locator(f"#comment-{spanish}").inner_text()
