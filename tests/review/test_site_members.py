"""Admins manage who moderates a site: on the site's admin page and with `moderation users grant|revoke`."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.cli import main
from moderation.domain.errors import Conflict, NotFound, ValidationFailed
from moderation.domain.membership import grant, revoke, visible_site_ids
from moderation.models import AuditEntry, User


def _visible(app, user_id: int) -> set[int] | None:
    with app.app_context():
        return visible_site_ids(db.session, db.session.get(User, user_id))


def _audit(app) -> list[tuple[str, str, dict]]:
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("membership:%"))
                                     .order_by(AuditEntry.id)).all()
        return [(e.actor, e.action, e.details) for e in entries]


def test_admins_see_every_site_and_moderators_only_their_own(app, site, outsider, admin, make_moderator):
    alice = make_moderator("alice", sites=[site])
    both = make_moderator("bea", sites=[site, outsider])
    nobody = make_moderator("ned")
    assert _visible(app, admin.id) is None
    assert _visible(app, alice.id) == {site.id}
    assert _visible(app, both.id) == {site.id, outsider.id}
    assert _visible(app, nobody.id) == set()


def test_granting_and_revoking_are_audited_and_refuse_nonsense(app, site, admin, moderator):
    with app.app_context():
        grant(db.session, "mona", site.name, actor="user:ada")
        db.session.commit()
        with pytest.raises(Conflict, match="already"):
            grant(db.session, "mona", site.id, actor="user:ada")
        with pytest.raises(NotFound, match="no user 'nobody'"):
            grant(db.session, "nobody", site.id, actor="user:ada")
        with pytest.raises(NotFound, match="no site 'no-such-site'"):
            grant(db.session, "mona", "no-such-site", actor="user:ada")
        with pytest.raises(ValidationFailed, match="admin and sees every site"):
            grant(db.session, "ada", site.id, actor="user:ada")
        db.session.rollback()
    assert _visible(app, moderator.id) == {site.id}
    with app.app_context():
        revoke(db.session, "mona", site.id, actor="user:ada")
        db.session.commit()
        with pytest.raises(NotFound, match="not a member"):
            revoke(db.session, "mona", site.id, actor="user:ada")
    assert _visible(app, moderator.id) == set()
    assert [(actor, action, details["user"], details["site"]) for actor, action, details in _audit(app)] == [
        ("user:ada", "membership:granted", "mona", "daily-planet"),
        ("user:ada", "membership:revoked", "mona", "daily-planet"),
    ]


def test_an_admin_adds_and_removes_a_moderator_on_the_site_page(app, sign_in, admin, moderator, site):
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert "No moderators yet" in page and '<option value="mona">' in page

    response = client.post(f"/admin/sites/{site.id}/members", data={"csrf_token": csrf_token(page),
                                                                     "username": "mona"})
    assert response.status_code == 303 and response.headers["Location"] == f"/admin/sites/{site.id}#members"
    page = client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert "mona now moderates daily-planet." in page
    assert re.search(r"<td>mona</td>", page)
    assert _visible(app, moderator.id) == {site.id}

    remove = f"/admin/sites/{site.id}/members/{moderator.id}/remove"
    assert f'action="{remove}"' in page
    assert client.post(remove, data={"csrf_token": csrf_token(page)}).status_code == 303
    page = client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert "mona no longer moderates daily-planet." in page and "No moderators yet" in page
    assert _visible(app, moderator.id) == set()
    assert [action for _, action, _ in _audit(app)] == ["membership:granted", "membership:revoked"]
    assert all(actor == "user:ada" for actor, _, _ in _audit(app))


def test_the_site_page_explains_a_refused_addition(app, sign_in, admin, site):
    client = sign_in(admin)
    token = csrf_token(client.get(f"/admin/sites/{site.id}").get_data(as_text=True))
    response = client.post(f"/admin/sites/{site.id}/members", data={"csrf_token": token, "username": "ghost"},
                           follow_redirects=True)
    assert response.status_code == 200 and "There is no user &#39;ghost&#39;." in response.get_data(as_text=True)
    assert _audit(app) == []


def test_membership_forms_need_the_csrf_token(app, sign_in, admin, moderator, site):
    client = sign_in(admin)
    assert client.post(f"/admin/sites/{site.id}/members", data={"username": "mona"}).status_code == 400
    assert _visible(app, moderator.id) == set()


def test_unknown_sites_and_users_are_not_found(sign_in, admin, moderator, site):
    client = sign_in(admin)
    token = csrf_token(client.get(f"/admin/sites/{site.id}").get_data(as_text=True))
    assert client.post("/admin/sites/999/members", data={"csrf_token": token, "username": "mona"}).status_code == 404
    assert client.post(f"/admin/sites/{site.id}/members/999/remove", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/admin/sites/{site.id}/members/{moderator.id}/remove",
                       data={"csrf_token": token}).status_code == 404


def test_the_cli_grants_and_revokes(app, services, site, moderator):
    runner = CliRunner()
    env = services.env()
    granted = runner.invoke(main, ["users", "grant", "mona", "--site", "daily-planet"], env=env)
    assert granted.exit_code == 0, granted.output
    assert "mona now moderates daily-planet" in granted.output
    assert _visible(app, moderator.id) == {site.id}

    again = runner.invoke(main, ["users", "grant", "mona", "--site", "daily-planet"], env=env)
    assert again.exit_code == 1 and "mona is a member of daily-planet already" in again.output
    unknown = runner.invoke(main, ["users", "grant", "mona", "--site", "nowhere"], env=env)
    assert unknown.exit_code == 1 and "there is no site 'nowhere'" in unknown.output

    revoked = runner.invoke(main, ["users", "revoke", "mona", "--site", "daily-planet"], env=env)
    assert revoked.exit_code == 0 and "mona no longer moderates daily-planet" in revoked.output
    assert _visible(app, moderator.id) == set()
    assert [action for _, action, _ in _audit(app)] == ["membership:granted", "membership:revoked"]
    assert all(actor.startswith("cli:") for actor, _, _ in _audit(app))


def test_the_cli_commands_explain_themselves():
    for command in ("grant", "revoke"):
        result = CliRunner().invoke(main, ["users", command, "--help"])
        assert result.exit_code == 0 and "--site" in result.output and "SITE" in result.output
