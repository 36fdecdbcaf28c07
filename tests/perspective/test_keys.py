"""Keys are verified with argon2 once, then re-confirmed cheaply; a deactivated site is refused."""
from __future__ import annotations

from perspective_helpers import ANALYZE, analyze_body

from moderation import db
from moderation.models import Site
from moderation.domain import site_rows, sites


def test_a_key_is_reconfirmed_against_a_fresh_row_without_argon2(client, site, monkeypatch):
    monkeypatch.setattr(site_rows, "ROW_TTL", 0.0)  # the row is read on every request
    calls = []
    real = sites.verify_secret
    monkeypatch.setattr(sites, "verify_secret", lambda stored, secret: calls.append(secret) or real(stored, secret))

    for _ in range(3):
        assert client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hello.")).status_code == 200

    assert len(calls) == 1


def test_a_deactivated_site_is_refused_on_the_next_request(client, app, site, monkeypatch):
    monkeypatch.setattr(site_rows, "ROW_TTL", 0.0)  # the row is read on every request
    assert client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hello.")).status_code == 200
    with app.app_context():
        db.session.get(Site, site.id).active = False
        db.session.commit()

    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hello."))

    assert response.status_code == 403
    assert response.get_json()["error"]["status"] == "PERMISSION_DENIED"


def test_a_key_with_a_nul_is_an_invalid_key_not_a_bad_request(client, site):
    """Found by schemathesis: the query's key was refused as unstorable (400), where any key no site
    has is a 403; nothing in Perspective's query is stored."""
    response = client.post(f"{ANALYZE}?key=mk_ab%00cd_secret", json=analyze_body("Hello."))
    assert response.status_code == 403
    assert response.get_json()["error"]["status"] == "PERMISSION_DENIED"
