"""/admin/accounts: users (disable, enable, new password) and sites' keys (rotate, revoke), for admins only."""
import re

import pytest
from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.models import AuditEntry, User

PAGE = "/admin/accounts"


def _post(client, path, **form):
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **form})


def test_an_admin_sees_users_and_keys_without_secrets(sign_in, admin, moderator, site):
    html = sign_in(admin).get(PAGE).get_data(as_text=True)
    assert "mona" in html and "moderator" in html and "ada" in html
    key_id, secret = site.api_key.split("_", 2)[1:]
    assert f"mk_{key_id}_" in html and secret not in html
    assert "daily-planet" in html


def test_the_admin_index_links_to_the_accounts_page(sign_in, admin):
    assert 'href="/admin/accounts"' in sign_in(admin).get("/admin").get_data(as_text=True)


def test_disabling_a_user_ends_their_session_and_is_audited(app, sign_in, admin, moderator):
    mona = sign_in(moderator)
    client = sign_in(admin)

    response = _post(client, f"{PAGE}/users/{moderator.id}/disable")

    assert response.status_code == 303
    assert mona.get("/review").status_code == 302
    with app.app_context():
        assert db.session.get(User, moderator.id).active is False
        assert db.session.scalar(select(AuditEntry.actor).where(AuditEntry.action == "user:disabled")) == "user:ada"
    assert _post(client, f"{PAGE}/users/{moderator.id}/enable").status_code == 303
    sign_in(moderator)


def test_an_admin_cannot_disable_themselves(sign_in, admin):
    client = sign_in(admin)
    response = _post(client, f"{PAGE}/users/{admin.id}/disable")
    assert response.status_code == 400 and "your own account" in response.get_data(as_text=True)


def test_a_new_password_must_meet_the_policy_and_ends_sessions(app, sign_in, admin, moderator):
    mona = sign_in(moderator)
    client = sign_in(admin)

    weak = _post(client, f"{PAGE}/users/{moderator.id}/password", password="aaaaaaaa")
    assert weak.status_code == 400 and "at least 12 characters" in weak.get_data(as_text=True)
    assert mona.get("/review").status_code == 200

    assert _post(client, f"{PAGE}/users/{moderator.id}/password", password="tall ships in the harbour").status_code == 303
    assert mona.get("/review").status_code == 302


def test_rotating_shows_the_new_key_once_and_revoking_ends_it(app, client, sign_in, admin, site):
    admin_client = sign_in(admin)

    response = _post(admin_client, f"{PAGE}/sites/{site.id}/rotate", grace="1h")

    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    new_key = re.search(r"mk_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}", response.get_data(as_text=True)).group(0)
    assert new_key.split("_", 2)[2] not in admin_client.get(PAGE).get_data(as_text=True)
    for key in (site.api_key, new_key):
        assert client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {key}"}).status_code == 404

    assert _post(admin_client, f"{PAGE}/sites/{site.id}/revoke", which="all").status_code == 303
    for key in (site.api_key, new_key):
        assert client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["site:key_rotated", "site:key_revoked"]


@pytest.mark.parametrize("path", [f"{PAGE}/users/1/disable", f"{PAGE}/sites/1/rotate", f"{PAGE}/sites/1/revoke"])
def test_moderators_and_forms_without_a_token_are_refused(sign_in, moderator, admin, site, path):
    mona = sign_in(moderator)
    token = csrf_token(mona.get("/review").get_data(as_text=True))
    assert mona.get(PAGE).status_code == 403
    assert mona.post(path, data={"csrf_token": token}).status_code == 403
    assert sign_in(admin).post(path).status_code == 400
