"""An admin backtests a registered candidate on a site's decisions in a real browser: a real
worker scores, the page refreshes itself until the result is there, and both plots show."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from backtest_data import add_comment
from classifiers import DEFAULT_MODEL_PATH
from model_variants import model_variant
from moderation import db
from moderation.domain import model_registry
from workspace_pages import sign_in

pytestmark = pytest.mark.browser

TEXTS = {  # the real model tells these apart: rejected insults, approved civil comments
    "You are a worthless idiot and everyone here knows it.": "rejected",
    "Shut up, moron, nobody asked for your stupid opinion.": "rejected",
    "Thanks for the thoughtful article, I learned a lot about the city budget.": "approved",
    "The council meeting is on Tuesday at seven, open to the public.": "approved",
}


def test_an_admin_backtests_a_candidate_and_sees_both_models_with_plots(app, site, admin, services, start_worker,
                                                                         tmp_path, live_server, browser_page):
    with app.app_context():
        model_registry.ensure_bootstrapped(db.session, var_dir=services.var_dir, model_path=DEFAULT_MODEL_PATH)
        candidate = model_registry.register_artifact(
            db.session, model_variant(tmp_path / "in", "candidate-b"), var_dir=services.var_dir).version
        db.session.commit()
        for i, (text, decision) in enumerate(TEXTS.items()):
            add_comment(site.id, text, status=decision, decision=decision, day=i)
        db.session.commit()
    start_worker()

    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin")
    page.get_by_role("link", name="Backtest a model").click()
    page.get_by_label("Candidate").select_option(candidate)
    page.get_by_label("Most recent decided comments").fill("100")
    page.get_by_role("button", name="Run the backtest").click()
    # Queued, then scored by the worker; the page watches the job and loads the result once, at the
    # end, so a link tabbed to meanwhile keeps the focus until then.
    page.get_by_role("link", name="← Another backtest").focus()
    page.wait_for_timeout(2500)
    if page.locator("[data-wait-for-job]").count():
        assert page.evaluate("document.activeElement.textContent") == "← Another backtest"
    page.wait_for_selector("table.backtest-metrics", timeout=60_000)
    assert candidate in page.locator("table.backtest-metrics").inner_text()
    plots = page.locator("img.plot")
    assert plots.count() == 2
    widths = [plots.nth(i).evaluate("img => img.complete && img.naturalWidth") for i in range(2)]
    assert all(width and width > 300 for width in widths), widths
    assert "4 decided comments (2 rejected, 2 approved)" in page.locator("main").inner_text()
    folder = os.environ.get("WORKSPACE_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / "admin_backtest.png"), full_page=True)
