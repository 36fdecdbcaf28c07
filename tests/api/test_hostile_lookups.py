"""Lookups with strings PostgreSQL cannot compare (NUL) are a JSON 4xx, not a 500."""
from __future__ import annotations


def test_a_site_id_with_nul_is_a_clear_error(client, site):
    response = client.get("/api/v1/comments/by-site-id/a%00b", headers=site.headers)

    assert response.status_code in (400, 404)
    assert response.get_json()["error"]["field"] == "site_comment_id"


def test_a_comment_id_past_bigint_is_not_found(client, site):
    response = client.get(f"/api/v1/comments/{2**63}", headers=site.headers)

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_options_says_the_allowed_methods_with_no_body_not_an_empty_html_page(client, site):
    for path in ("/api/v1/comments", "/v1alpha1/comments:analyze"):
        response = client.options(path, headers=site.headers)
        assert response.status_code == 204 and "Content-Type" not in response.headers
        assert "POST" in response.headers["Allow"] and response.get_data() == b""
