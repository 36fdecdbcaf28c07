"""With the database unreachable every blueprint answers 503 with Retry-After, in its own shape."""
from __future__ import annotations

import pytest



@pytest.fixture
def outage_app(app_with, tmp_path, site, admin):
    """An app whose database is gone. The personas exist first: the database session is bound per
    process, so once this app is built every query in the test meets the outage."""
    # A socket directory with no server in it: every connection is refused at once.
    nowhere = tmp_path / "no-postgres-here"
    nowhere.mkdir()
    # CSRF off so that signing in gets as far as the database.
    return app_with(DATABASE_URL=f"postgresql+psycopg://postgres@/moderation?host={nowhere}&connect_timeout=2",
                    WTF_CSRF_ENABLED=False)


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert int(response.headers["Retry-After"]) > 0


def test_the_api_says_unavailable_in_json(outage_app, site):
    response = outage_app.test_client().get("/api/v1/comments/1", headers=site.headers)

    assert_unavailable(response)
    assert response.get_json()["error"]["code"] == "unavailable"


def test_the_perspective_endpoint_says_unavailable_in_googles_shape(outage_app, site):
    response = outage_app.test_client().post(f"/v1alpha1/comments:analyze?key={site.api_key}",
                                             json={"comment": {"text": "Hi"}, "requestedAttributes": {"TOXICITY": {}}})

    assert_unavailable(response)
    assert response.get_json()["error"]["status"] == "UNAVAILABLE"
    assert response.get_json()["error"]["code"] == 503


@pytest.mark.parametrize("path", ["/review", "/admin/", "/admin/sites/1"])
def test_pages_say_unavailable_in_html(outage_app, admin, path):
    client = outage_app.test_client()
    with client.session_transaction() as session:
        session["user_id"] = admin.id  # signed in before the outage

    response = client.get(path)

    assert_unavailable(response)
    assert response.mimetype == "text/html"
    assert "try again" in response.get_data(as_text=True).lower()


def test_signing_in_says_unavailable_in_html(outage_app, admin):
    response = outage_app.test_client().post("/login", data={"username": admin.username, "password": admin.password})

    assert_unavailable(response)
    assert response.mimetype == "text/html"
