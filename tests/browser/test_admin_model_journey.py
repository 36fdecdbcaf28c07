"""The admin's journey in Chromium, end to end with real workers: train a candidate (the progress
bar moves), backtest it on a site's decisions (both plots show), promote it, roll it back."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from training_data import MIN_POSITIVES, write_training_csv

from backtest_data import add_comment
from classifiers import DEFAULT_MODEL_PATH
from moderation import db
from moderation.domain import model_registry as registry
from moderation.domain.lifecycle import APPROVED, REJECTED
from workspace_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="needs the shipped model")]

DECIDED = {
    "You are a worthless idiot and everyone here knows it.": REJECTED,
    "Shut up, moron, nobody asked for your stupid opinion.": REJECTED,
    "Thanks for the thoughtful article, I learned a lot about the city budget.": APPROVED,
    "The council meeting is on Tuesday at seven, open to the public.": APPROVED,
}


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("WORKSPACE_SCREENSHOT_DIR") or tmp_path)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_an_admin_trains_backtests_promotes_and_rolls_back(app, site, admin, start_worker, live_server,
                                                           browser_page, tmp_path):
    data = tmp_path / "data"
    write_training_csv(data)
    start_worker(queues="training", TRAINING_DATA_DIR=str(data), TRAINING_MIN_POSITIVES=str(MIN_POSITIVES))
    start_worker()  # runs the backtest job
    with app.app_context():
        for day, (text, decision) in enumerate(DECIDED.items()):
            add_comment(site.id, text, status=decision, decision=decision, day=day)
        db.session.commit()
        active = registry.ensure_bootstrapped(db.session, var_dir=app.config["VAR_DIR"],
                                              model_path=DEFAULT_MODEL_PATH).version
        db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, admin)

    # Train: the bar moves without a reload, and the run ends with a registered candidate.
    page.goto(f"{live_server}/admin/training")
    page.get_by_role("button", name="Train a candidate").click()
    deadline = time.monotonic() + 120
    while float(page.locator("[data-run-progress]").get_attribute("value")) <= 0.1:
        assert time.monotonic() < deadline, "the progress bar never moved"
        page.wait_for_timeout(200)
    page.wait_for_selector(".training-runs .run-succeeded", timeout=180_000)
    assert "registered as candidate" in page.locator("[data-run-result]").inner_text()
    _shot(page, tmp_path, "journey-trained")
    with app.app_context():
        candidate = next(v.version for v in registry.list_versions(db.session) if v.status == "candidate")

    # Backtest the candidate against the active model: metrics for both, and two plots that load.
    page.goto(f"{live_server}/admin/backtest")
    page.get_by_label("Candidate").select_option(candidate)
    page.get_by_role("button", name="Run the backtest").click()
    page.wait_for_selector("table.backtest-metrics", timeout=60_000)
    metrics = page.locator("table.backtest-metrics").inner_text()
    assert candidate in metrics and active in metrics
    plots = page.locator("img.plot")
    assert plots.count() == 2
    assert all((plots.nth(i).evaluate("img => img.complete && img.naturalWidth") or 0) > 300 for i in range(2))
    _shot(page, tmp_path, "journey-backtest")

    # Promote it for every site, then roll back with one button.
    page.goto(f"{live_server}/admin/models")
    row = page.locator("table.model-versions tr", has_text=candidate)
    row.get_by_label(f"Promote {candidate} for").select_option(label="global")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        row.get_by_role("button", name="Promote").click()
    # The tiny training set's thresholds come out high, and the question says what that means.
    assert len(asked) == 1 and asked[0].startswith(f"Make {candidate} the active version for every site (global)?")
    assert asked[0].endswith("or more, so it holds almost nothing there; a site's own thresholds, if set, are used "
                             "instead.") or asked[0].endswith("(global)?")
    assert f"{candidate} is now active" in page.content()
    with app.app_context():
        assert registry.active_version(db.session).version == candidate
    _shot(page, tmp_path, "journey-promoted")

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("table.model-assignments").get_by_role("button", name=f"Roll back to {active}").click()
    assert "Rolled back" in page.content()
    with app.app_context():
        assert registry.active_version(db.session).version == active
