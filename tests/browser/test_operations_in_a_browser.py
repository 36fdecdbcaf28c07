"""/admin/operations in Chromium: a day of traffic drawn as charts that fit a desktop and a phone."""
from __future__ import annotations

import os
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from workspace_pages import sign_in

from moderation import db
from moderation.models import AuditEntry, Comment, WebhookDelivery

pytestmark = pytest.mark.browser


def _a_day_of_traffic(app, site_id: int) -> None:
    """Comments every hour of the last day, busier in the evening, a few held, some decided."""
    now = datetime.now(timezone.utc)
    rng = random.Random(11)
    n = 0
    with app.app_context():
        for hours_ago in range(23, -1, -1):
            for _ in range(5 + (20 if 4 <= hours_ago <= 8 else 0) + rng.randrange(6)):
                n += 1
                received = now - timedelta(hours=hours_ago, minutes=rng.randrange(50))
                held = n % 7 == 0
                comment = Comment(
                    site_id=site_id, external_id=f"c{n}", story_id="s", author_id=f"a{n}", text=f"comment {n}",
                    body_hash=f"{n:064d}", received_at=received, status_changed_at=received,
                    status="held" if held else "published", flagged=["toxicity"] if held else [],
                    scored_at=received + timedelta(seconds=0.05 + rng.random() * (3 if hours_ago in (5, 6) else 0.2)))
                db.session.add(comment)
                db.session.flush()
                # The charts of scorings, holds and decisions read the audit log, as /metrics counts them.
                db.session.add(AuditEntry(at=comment.scored_at, actor="system:scorer",
                                          action=f"status:pending->{'held' if held else 'published'}",
                                          comment_id=comment.id, details={"reason": "toxicity" if held else None}))
                if held:
                    if n % 3 == 0:
                        decided = min(received + timedelta(minutes=30 + rng.randrange(60)), now)
                        comment.status = comment.decision = "rejected"
                        comment.decided_at = comment.status_changed_at = decided
                        db.session.add(AuditEntry(at=decided, actor="user:ada", action="status:held->rejected",
                                                  comment_id=comment.id, details={"reason": "Personal attack or insult"}))
                db.session.add(WebhookDelivery(site_id=site_id, comment_id=comment.id, event={}, created_at=received,
                                               delivered_at=None if n % 40 == 0 else received, attempts=1))
        db.session.add(Comment(site_id=site_id, external_id="waiting", story_id="s", author_id="w", text="new",
                               body_hash="f" * 64, status="pending", received_at=now - timedelta(seconds=40),
                               status_changed_at=now - timedelta(seconds=40)))
        db.session.commit()


def test_an_admin_sees_a_day_of_traffic_as_charts(app, site, admin, live_server, browser_page, tmp_path):
    _a_day_of_traffic(app, site.id)
    folder = Path(os.environ.get("WORKSPACE_SCREENSHOT_DIR") or tmp_path)
    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin")
    with page.expect_navigation():  # /admin has an h1 too: read the new page's
        page.click("text=Operations")
    assert page.locator("h1").inner_text() == "Operations"
    assert page.locator("figure.chart svg rect").count() == 6 * 24  # six bar charts, a bar an hour
    assert page.locator("figure.chart svg polyline").count() == 2     # the two latency lines
    assert page.locator(".tiles").inner_text().count("oldest") >= 3
    # From the audit log (the oldest hour's share may fall before the window, so not an exact total).
    for chart in ("Held or rejected when scored", "Moderators' decisions"):
        total = page.locator("figure.chart", has_text=chart).locator("figcaption span.muted").inner_text()
        assert total.endswith("an hour") and not total.startswith("0 in all"), total
    page.screenshot(path=str(folder / "admin-operations.png"), full_page=True)

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(folder / "admin-operations-phone.png"), full_page=True)
