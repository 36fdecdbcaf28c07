"""A moderator rejects a comment, takes it back with the Undo in the flash, and sees both in its history."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from moderation import db
from moderation.models import Comment

from test_review_in_a_browser import _held_comment

pytestmark = pytest.mark.browser


def test_a_moderator_undoes_a_rejection_from_the_flash(app, make_site, moderator, grant, live_server,
                                                       browser_page, tmp_path: Path):
    site = make_site("daily-planet", webhook_url="http://127.0.0.1:9/hooks")
    grant(moderator, site)
    comment_id = _held_comment(app, site.id)
    page = browser_page
    shots = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path))

    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", moderator.username)
    page.fill("input[name=password]", moderator.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/review")

    item = page.locator(f"#comment-{comment_id}")
    item.locator("select[name=reason_choice]").select_option("Personal attack or insult")
    item.locator("button[value=reject]").click()
    flash = page.locator("form.undo-offer")
    flash.wait_for()
    assert f"Comment #{comment_id} rejected." in flash.inner_text()
    assert page.locator(f"#comment-{comment_id}").count() == 0
    page.screenshot(path=str(shots / "undo-offer.png"), full_page=False)

    flash.locator('[data-key="undo"]').click()
    page.wait_for_selector(f"#comment-{comment_id}")
    assert "decision undone; it is held again" in page.locator(".flash-success").inner_text()
    assert page.locator('[data-key="undo"]').count() == 0
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert (comment.status, comment.version, comment.decision) == ("held", 3, None)

    page.wait_for_load_state("load")  # the page focuses (and scrolls to) a card once loaded: click after that
    page.locator(f"#comment-{comment_id} a.details").click()
    page.wait_for_url(re.compile(rf".*/review/{comment_id}\?back=/review$"))  # back to the queue it was opened from
    history = page.locator("table.history")
    decided = history.locator("tr.event-decision")
    undone = history.locator("tr.event-undo")
    assert "Rejected (held → rejected)" in decided.inner_text() and moderator.username in decided.inner_text()
    assert "Undid their decision (rejected); back to held" in undone.inner_text()
    assert history.locator("tr.event-webhook").count() == 2  # the rejection's event and the reversal's
    page.screenshot(path=str(shots / "detail-history.png"), full_page=True)
