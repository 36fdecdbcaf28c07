"""A form refused for its referrer says so, and the web log says why.

An operator's walk: behind a proxy that did not pass the Host, every sign-in over https failed
Flask-WTF's referrer check; the page said the form had expired and nothing was logged, so the
operator chased tokens, cookies and clocks.
"""
from __future__ import annotations

import logging

from review_helpers import csrf_token


def test_a_referrer_from_another_host_is_named_in_the_page_and_the_log(client, admin, caplog):
    page = client.get("/login", base_url="https://127.0.0.1:8080")  # as gunicorn saw it, behind the proxy
    token = csrf_token(page.get_data(as_text=True))
    with caplog.at_level(logging.WARNING, logger="moderation.review.routes"):
        refused = client.post("/login", base_url="https://127.0.0.1:8080",
                              headers={"Referer": "https://moderation.example.org/login"},
                              data={"username": admin.username, "password": admin.password, "csrf_token": token})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Form refused" in html and "proxy_set_header Host" in html
    logged = [r.getMessage() for r in caplog.records if r.name == "moderation.review.routes"]
    assert any("referrer does not match" in line.lower() and "'127.0.0.1:8080'" in line for line in logged), logged


def test_a_malformed_token_reads_as_an_expired_form(client, admin):
    refused = client.post("/login", data={"username": admin.username, "password": admin.password,
                                          "csrf_token": "not-a-token"})
    assert refused.status_code == 400 and "Form expired" in refused.get_data(as_text=True)
