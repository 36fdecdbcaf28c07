"""Revoking a site's API keys asks first, in a real browser: the CSP blocks inline handlers, so
the question must come from a static script, and cancelling must leave the keys working."""
from __future__ import annotations

import pytest

from workspace_pages import sign_in

pytestmark = pytest.mark.browser


def test_revoking_keys_asks_first_and_cancelling_keeps_them(app, client, site, admin, live_server, browser_page):
    page = browser_page
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/accounts")
    asked: list[str] = []

    def answer(dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Revoke").first.click()
    assert asked == ["Revoke now? Requests with these keys fail at once."]
    assert client.get("/api/v1/comments/by-site-id/none", headers=site.headers).status_code == 404, "the key still works"

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke").first.click()
    assert len(asked) == 2
    assert client.get("/api/v1/comments/by-site-id/none", headers=site.headers).status_code == 401, "the key is revoked"
