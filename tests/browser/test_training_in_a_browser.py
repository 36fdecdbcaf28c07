"""An admin trains a candidate from /admin/training in Chromium, with a real trainer on the
"training" queue: the bar and the log move while it runs (static/training.js polling, allowed by
the CSP), and the page shows the registered candidate when it ends."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from training_data import MIN_POSITIVES, write_training_csv

from workspace_pages import sign_in

pytestmark = pytest.mark.browser


def test_an_admin_starts_a_run_and_watches_its_progress(app, admin, live_server, browser_page, start_worker, tmp_path):
    data = tmp_path / "data"
    write_training_csv(data)
    start_worker(queues="training", TRAINING_DATA_DIR=str(data), TRAINING_MIN_POSITIVES=str(MIN_POSITIVES))
    shots = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path))
    page = browser_page
    errors: list[str] = []
    # CSP refusals and script errors; not the favicon's 404.
    page.on("console", lambda message: errors.append(message.text) if "Refused" in message.text else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin")
    page.get_by_role("link", name="Training").first.click()
    # The form posts back to this same URL, so wait for the redirect's page, not a new URL.
    with page.expect_navigation():
        page.get_by_role("button", name="Train a candidate").click()
    assert page.locator(".toasts").get_by_text("Training run #1 queued.").is_visible()
    assert page.get_by_role("button", name="Train a candidate").is_disabled()

    # No reload: the script moves the bar and the log in place while the run goes on.
    # (Polled from here: the CSP forbids the eval behind page.wait_for_function.)
    deadline = time.monotonic() + 120
    shot_taken = False
    seen: list[tuple[str, str, float, str]] = []  # (state, state in the runs table, bar, started there) every 0.2 s
    while not seen or seen[-1][2] <= 0.2:
        assert time.monotonic() < deadline, "the bar never moved"
        page.wait_for_timeout(200)
        seen.append((page.locator("[data-run-state]").inner_text(),
                     page.locator('.training-runs [data-run-state-of="1"]').inner_text(),
                     float(page.locator("[data-run-progress]").get_attribute("value")),
                     page.locator('.training-runs [data-run-started-of="1"]').inner_text()))
        state, _, bar, _ = seen[-1]
        if state == "running" and 0 < bar < 1 and not shot_taken:
            shot_taken = True
            page.screenshot(path=str(shots / "training-run.png"), full_page=True)
    # On a quiet machine the tiny run can end inside one 2 s poll: then the page went from queued to
    # done by itself; tests/integration/test_training_worker.py checks the part-way values the
    # status endpoint serves.
    assert any(0 < bar < 1 for _, _, bar, _ in seen) or seen[-1][:2] == ("succeeded", "succeeded"), seen[-6:]
    # The runs table, drawn while the run was queued, shows when it started as soon as it runs,
    # and the "queued" message goes.
    assert all("UTC" in started for state, _, _, started in seen if state == "running"), seen[-6:]
    if any(state == "running" for state, *_ in seen):
        assert page.locator(".toasts").get_by_text("Training run #1 queued.").count() == 0
    assert "fit heads" in page.locator("[data-run-log]").inner_text()

    page.wait_for_selector(".training-runs .run-succeeded", timeout=180_000)  # reloaded once at the end
    assert page.locator("[data-run-progress]").get_attribute("value") == "1.0000"
    assert "registered as candidate" in page.locator("[data-run-result]").inner_text()
    assert page.get_by_role("button", name="Train a candidate").is_enabled()
    assert page.get_by_role("button", name="Cancel run").count() == 0
    page.screenshot(path=str(shots / "training-done.png"), full_page=True)
    assert not errors, errors  # e.g. a CSP violation would show here
