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


def test_a_key_revoked_before_the_sites_row_stalls_is_refused_within_max_stale(client, app, site, monkeypatch):
    """A security review: behind a 25-second lock on `sites`, the copy a process held stood the whole
    time, and a key revoked just before answered 200 for 26 s. Now the copy stands MAX_STALE at most."""
    import time

    from table_locks import table_locked

    monkeypatch.setattr(site_rows, "ROW_TTL", 0.2)
    monkeypatch.setattr(site_rows, "MAX_STALE", 1.0)
    assert client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hello.")).status_code == 200
    before, verified = site_rows._rows[site.id][1], dict(sites._verified)
    with app.app_context():
        sites.revoke_keys(db.session, db.session.get(Site, site.id), actor="test")
        db.session.commit()
    # As another process holds them, which read the row and checked the key before the change.
    site_rows._keep(site.id, before, time.monotonic())
    sites._verified.update(verified)
    with table_locked(app.config["DATABASE_URL"], "sites"):
        time.sleep(0.3)
        within = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hello again."))
        time.sleep(1.2)
        past = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hello once more."))

    assert within.status_code == 200  # the copy stands a moment: the database did not answer in time
    assert past.status_code == 503 and past.get_json()["error"]["status"] == "UNAVAILABLE"
    # Once the lock goes, the row is read again (the read that waited behind it ends first) and the key refused.
    codes = []
    for n in range(20):
        codes.append(client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(f"After {n}.")).status_code)
        if codes[-1] != 503:
            break
        time.sleep(0.25)
    assert codes[-1] == 403, codes
