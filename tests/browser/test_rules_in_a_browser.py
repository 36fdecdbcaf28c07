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
        {"name": "doxxing", "kind": "street_address", "action": "hold", "reason": "home address", "own_street": "numbered"}]
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


def test_a_paste_refused_for_the_rules_it_takes_away_is_not_saved_by_the_forms_save_button(
        app, site, admin, live_server, browser_page):
    """A tester's walk: *Save JSON rules* refused a paste that dropped the personal-information rules,
    the form above showed the paste, and one click on its blue *Save rules* saved it unasked."""
    from moderation.domain.rule_sets import current_rule_set, save_rules, starter_rules

    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), starter_rules(), actor="test")
        db.session.commit()
    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/sites/{site.id}/rules")
    page.get_by_text("Edit as JSON").click()
    page.get_by_label("Rules (JSON list)").fill(json.dumps([
        {"name": "watches", "kind": "banned_words", "words": ["fake rolex"]}, {"name": "threats", "kind": "threat_words"},
        {"name": "group-hate", "kind": "group_attack"}, {"name": "at-risk", "kind": "at_risk"},
        {"name": "urging-self-harm", "kind": "urging_self_harm"}]))
    with page.expect_navigation():
        page.get_by_role("button", name="Save JSON rules").click()
    assert "Not saved: these rules take away \"other-language\", \"phone-numbers\"" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Save rules", exact=True).click()
    refusal = page.locator("#form-error").inner_text()
    assert "Not saved: these rules take away \"other-language\", \"phone-numbers\", \"email-addresses\"" in refusal
    with app.app_context():
        assert current_rule_set(db.session, site.id).version == 1
    # Asked in the form pressed, and saved once its own tick says so.
    page.locator(".rules-form").get_by_label("Take them away").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save rules", exact=True).click()
    assert ("Saved rules version 2 for daily-planet; removed: other-language, phone-numbers, email-addresses, "
            "street-addresses, card-numbers.") in page.locator("main").inner_text()
