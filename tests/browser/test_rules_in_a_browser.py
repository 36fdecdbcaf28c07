"""An admin adds a rule in a real browser, in the form and as JSON, previews what it would have
held, saves it, and a moderator's card then names the rule that held a comment."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.scoring import score_pending
from moderation.models import Site
from workspace_pages import sign_in

pytestmark = pytest.mark.browser

class CivilModel:
    """Finds nothing: whatever holds a comment here is the rule."""

    version = "civil-1"
    attributes = ("toxicity",)
    thresholds = {"toxicity": 0.5}

    def score(self, texts):
        return [{"toxicity": 0.02} for _ in texts]

    def explain(self, text, attributes=None, top_k=5):
        return {}


RULES = [{"name": "doxxing", "kind": "street_address", "reason": "home address"}]


def _shot(page, name: str) -> None:
    folder = os.environ.get("WORKSPACE_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def _post(site_id: int, external_id: str, text: str) -> int:
    data = CommentInput(external_id=external_id, story_id="s-1", author_id=external_id, text=text)
    return submit_comment(db.session, db.session.get(Site, site_id), data).comment.id


def test_an_admin_previews_and_saves_a_rule_and_the_card_names_it(app, site, admin, live_server, browser_page):
    with app.app_context():
        _post(site.id, "old-1", "She lives at 12 Oak Street, go and see her.")
        _post(site.id, "old-2", "I walked 5 miles down the street.")
    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/sites/{site.id}")
    page.get_by_role("link", name="Rules and stories").click()
    page.get_by_label("Add a rule of kind").select_option("street_address")
    page.get_by_role("button", name="Add rule").click()
    page.locator(":focus").fill("doxxing")  # the new rule's name has the focus
    rule = page.get_by_role("group", name="street address")
    rule.get_by_label("Reason moderators read").fill("home address")
    page.get_by_role("button", name="Preview", exact=True).click()
    preview = page.locator(".preview").inner_text()
    assert "would have fired on 1" in preview and "held 1" in preview
    _shot(page, "admin_rules_preview.png")
    with page.expect_navigation():  # the old page has a <main> too: read the saved one's
        page.get_by_role("button", name="Save rules", exact=True).click()
    assert "Saved rules version 1 for daily-planet." in page.locator("main").inner_text()
    _shot(page, "admin_rules_form.png")
    # The same rules as JSON, for pasting: what the form saved, and a second rule added there.
    page.get_by_text("Edit as JSON").click()
    assert json.loads(page.get_by_label("Rules (JSON list)").input_value()) == [
        {"name": "doxxing", "kind": "street_address", "action": "hold", "reason": "home address"}]
    page.get_by_label("Rules (JSON list)").fill(json.dumps(RULES + [{"name": "caps", "kind": "shouting"}]))
    with page.expect_navigation():
        page.get_by_role("button", name="Save JSON rules").click()
    assert "Saved rules version 2" in page.locator("main").inner_text()
    assert page.get_by_role("group", name="Rule 2: shouting").get_by_label("Fewest letters").input_value() == "12"
    with app.app_context():
        held = _post(site.id, "new-1", "I know where the councilman lives: 12 Oak Street")
        assert score_pending(db.session, CivilModel, [held], batch_size=10)[held] == "held"
    page.goto(f"{live_server}/review/{held}")
    assert "hold by rule doxxing: home address" in page.locator("ul.rules").inner_text()
    _shot(page, "review_card_rule.png")
