"""A comment's history with a reporter id of 200 characters and no space: it fits a phone and a
laptop, where one such id made the table 2,348 px wide and "What" a few letters a line (a re-check)."""
from __future__ import annotations

import os

import pytest
from workspace_pages import held_comment, sign_in

pytestmark = pytest.mark.browser


def test_a_long_reporter_id_wraps_in_the_history_at_a_phones_and_a_laptops_width(
        app, site, admin, live_server, browser_page, client, grant):
    grant(admin, site)
    comment_id = held_comment(app, site.id, 1)
    response = client.post(f"/api/v1/comments/{comment_id}/reports", headers=site.headers,
                           json={"reason": "harassment", "reporter_id": "R" * 200, "note": "rude " * 40})
    assert response.status_code in (200, 201, 202), response.get_json()
    page = browser_page
    sign_in(page, live_server, admin)
    shots = os.environ.get("WORKSPACE_SCREENSHOT_DIR")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/review/{comment_id}")
        history = page.locator("table.history")
        assert history.evaluate("table => table.scrollWidth <= table.clientWidth + 1")
        what = page.locator("table.history tr.event-report td:nth-child(3)").last
        assert what.evaluate("cell => cell.getBoundingClientRect().width") >= 90  # "harassment" on one line
        if shots:
            history.screenshot(path=os.path.join(shots, f"history-{width}.png"))
