"""Pages cannot be framed or sniffed, run only our own scripts and styles, and ask for HTTPS when secure."""
from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/$discovery/rest"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers

    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_hsts_is_sent_only_when_cookies_are_secure(app_with, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers

    secure = app_with(SESSION_COOKIE_SECURE=True).test_client()

    assert secure.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_pages_need_no_inline_script_or_style(sign_in, moderator, site, make_comment):
    comment_id = make_comment(site.id)
    client = sign_in(moderator)

    for path in ("/review", f"/review/{comment_id}", "/login"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert " style=" not in html and "<style" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path


def test_signed_in_pages_are_never_kept_in_the_browsers_cache(sign_in, admin, site, make_comment):
    """A security review: on a shared computer, Back after "Sign out" showed the queue from the cache."""
    comment_id = make_comment(site.id)
    client = sign_in(admin)
    for path in ("/review", f"/review/{comment_id}", "/admin", "/admin/models"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path
    assert "no-store" not in (client.get("/static/moderation.css").headers.get("Cache-Control") or "")
