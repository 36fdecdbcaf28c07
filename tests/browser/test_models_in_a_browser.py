"""/admin/models in Chromium: an admin promotes a candidate for one site (after confirming), sees it
active there, and rolls it back with one button."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from classifiers import DEFAULT_MODEL_PATH
from model_variants import model_variant
from moderation import db
from moderation.domain import model_registry as registry
from workspace_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="needs the shipped model")]


def _screenshot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    folder = os.environ.get("MODELS_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_an_admin_promotes_a_candidate_for_a_site_and_rolls_it_back(app, make_site, admin, live_server, browser_page,
                                                                     tmp_path):
    site = make_site("daily-planet")
    make_site("evening-star")
    with app.app_context():
        app.extensions["models"].refresh(force=True)
        candidate = registry.register_artifact(db.session, model_variant(tmp_path / "m", "candidate-b"),
                                               var_dir=app.config["VAR_DIR"], notes="trained on our own decisions")
        db.session.commit()
        version = candidate.version
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/models")

    row = page.locator("table.model-versions tr", has_text=version)
    row.get_by_label(f"Promote {version} for").select_option(label="daily-planet")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        row.get_by_role("button", name="Promote").click()
    assert f"{version} is now active for daily-planet" in page.content()
    assigned = page.locator("table.model-assignments tr", has_text="daily-planet")
    assert version in assigned.inner_text()
    _screenshot(page, tmp_path, "admin-models")
    with app.app_context():
        assert registry.active_version(db.session, site.id).version == version

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        assigned.get_by_role("button", name="Roll back to the global version").click()
    assert "Rolled back daily-planet" in page.content()
    with app.app_context():
        assert registry.active_version(db.session, site.id).version != version
