"""/admin/accounts: users (disable, enable, new password) and sites' keys (rotate, revoke), for admins only."""
import re

import pytest
from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.models import AuditEntry, User

PAGE = "/admin/accounts"
ANALYZE_BODY = {"comment": {"text": "Thanks for the article."}, "requestedAttributes": {"TOXICITY": {}}}


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
    # Enabling keeps the password, and says so before and after: an incident walk enabled a phished
    # account and the attacker signed straight back in with the password they had set.
    page = client.get(PAGE).get_data(as_text=True)
    assert f"Enable {moderator.username} with the password the account has now?" in page
    enabled = _post(client, f"{PAGE}/users/{moderator.id}/enable")
    assert enabled.status_code == 303
    assert "with the password the account had; set a new one" in client.get(PAGE).get_data(as_text=True)
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


def _rotate_form(page: str, site_id: int) -> dict[str, str]:
    """The rotate form of the site's row as the page drew it: what a reload of its answer sends again."""
    form = re.search(rf'action="/admin/accounts/sites/{site_id}/rotate">(.*?)</form>', page, re.S).group(1)
    return {**dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)), "grace": "24h"}


def test_a_rotation_sent_again_by_a_reload_or_while_a_key_is_in_grace_ends_no_key_the_site_sends(
        app, client, sign_in, admin, site):
    """An incident walk: reloading the page that showed the new key sent the rotation again; the
    new key became the "previous" one and the key the site's servers still sent stopped at once
    (14 comments lost in 10 s). The log then named no key the revocation ended."""
    admin_client = sign_in(admin)
    form = _rotate_form(admin_client.get(PAGE).get_data(as_text=True), site.id)
    first = admin_client.post(f"{PAGE}/sites/{site.id}/rotate", data=form)
    new_key = re.search(r"mk_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}", first.get_data(as_text=True)).group(0)

    reloaded = admin_client.post(f"{PAGE}/sites/{site.id}/rotate", data=form)
    assert reloaded.status_code == 409 and "rotated since this page was drawn" in reloaded.get_data(as_text=True)
    # A fresh page's rotation, with the old key still in its grace: refused, naming what to do first.
    again = admin_client.post(f"{PAGE}/sites/{site.id}/rotate",
                              data=_rotate_form(admin_client.get(PAGE).get_data(as_text=True), site.id))
    old_id, new_id = site.api_key.split("_")[1], new_key.split("_")[1]
    refusal = again.get_data(as_text=True)
    assert again.status_code == 409 and f"previous key of daily-planet, mk_{old_id}_…, still works" in refusal
    for key in (site.api_key, new_key):
        assert client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {key}"}).status_code == 404

    assert _post(admin_client, f"{PAGE}/sites/{site.id}/revoke", which="previous").status_code == 303
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("site:key%"))
                                     .order_by(AuditEntry.id)).all()
    assert [(e.action, e.details["key_id"] if "key_id" in e.details else None, e.details.get("previous_key_id"),
             e.details["ended_key_ids"]) for e in entries] == [
        ("site:key_rotated", new_id, old_id, []), ("site:key_revoked", None, None, [old_id])]


def test_the_accounts_page_issues_a_scoring_key_once_and_revokes_it_alone(app, client, sign_in, admin, site):
    admin_client = sign_in(admin)
    token = csrf_token(admin_client.get("/admin/accounts").get_data(as_text=True))

    shown = admin_client.post(f"/admin/accounts/sites/{site.id}/scoring-key", data={"csrf_token": token})

    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    html = shown.get_data(as_text=True)
    key = re.search(r"mks_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}", html).group(0)
    assert "New scoring key for daily-planet" in html and "/v1alpha1" in html
    page = admin_client.get("/admin/accounts").get_data(as_text=True)
    assert f"mks_{key.split('_')[1]}_…" in page and key.split("_", 2)[2] not in page
    assert 'value="scoring"' in page
    assert client.post(f"/v1alpha1/comments:analyze?key={key}", json=ANALYZE_BODY).status_code == 200

    revoked = admin_client.post(f"/admin/accounts/sites/{site.id}/revoke", data={"csrf_token": token, "which": "scoring"})

    assert revoked.status_code == 303
    assert client.post(f"/v1alpha1/comments:analyze?key={key}", json=ANALYZE_BODY).status_code == 403
    assert client.get("/api/v1/comments/1", headers=site.headers).status_code == 404
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["site:scoring_key_issued", "site:key_revoked"]


def _scoring_form(page: str, site_id: int, grace: str = "24h") -> dict[str, str]:
    """The scoring key form of the site's row as the page drew it."""
    form = re.search(rf'action="/admin/accounts/sites/{site_id}/scoring-key"[^>]*>(.*?)</form>', page, re.S).group(1)
    return {**dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)), "grace": grace}


def test_replacing_a_scoring_key_keeps_the_old_one_for_the_grace_chosen_and_a_reload_replaces_nothing(
        app, client, sign_in, admin, site):
    """A Coral developer's walk: Replace ended the old scoring key at once, and Coral, which fails
    open, published every comment unscored until its admin pasted the new one."""
    admin_client = sign_in(admin)
    path = f"{PAGE}/sites/{site.id}/scoring-key"
    shown = admin_client.post(path, data=_scoring_form(admin_client.get(PAGE).get_data(as_text=True), site.id))
    old = re.search(r"mks_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}", shown.get_data(as_text=True)).group(0)
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "The current one keeps working for the grace period chosen" in page
    assert 'aria-label="Old scoring key keeps working for"' in page

    form = _scoring_form(page, site.id, grace="1h")
    replaced = admin_client.post(path, data=form)
    html = replaced.get_data(as_text=True)
    new = re.search(r"mks_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}", html).group(0)
    assert replaced.status_code == 200 and "The previous scoring key keeps working for 1 hour" in html
    for key in (old, new):
        assert client.post(f"/v1alpha1/comments:analyze?key={key}", json=ANALYZE_BODY).status_code == 200
    assert client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {old}"}).status_code == 403
    page = admin_client.get(PAGE).get_data(as_text=True)
    old_id, new_id = old.split("_")[1], new.split("_")[1]
    assert re.search(rf"previous <code>mks_{old_id}_…</code><br>until", page) and 'value="previous_scoring"' in page

    reloaded = admin_client.post(path, data=form)
    assert reloaded.status_code == 409 and "replaced since this page was drawn" in reloaded.get_data(as_text=True)
    again = admin_client.post(path, data=_scoring_form(admin_client.get(PAGE).get_data(as_text=True), site.id))
    assert again.status_code == 409
    assert f"previous scoring key of daily-planet, mks_{old_id}_…, still works" in again.get_data(as_text=True)
    assert client.post(f"/v1alpha1/comments:analyze?key={old}", json=ANALYZE_BODY).status_code == 200

    assert _post(admin_client, f"{PAGE}/sites/{site.id}/revoke", which="previous_scoring").status_code == 303
    assert client.post(f"/v1alpha1/comments:analyze?key={old}", json=ANALYZE_BODY).status_code == 403
    assert client.post(f"/v1alpha1/comments:analyze?key={new}", json=ANALYZE_BODY).status_code == 200
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("site:%key%"))
                                     .order_by(AuditEntry.id)).all()
    assert [(e.action, e.details.get("key_id"), e.details.get("previous_key_id"), e.details["ended_key_ids"])
            for e in entries] == [("site:scoring_key_issued", old_id, None, []),
                                  ("site:scoring_key_issued", new_id, old_id, []),
                                  ("site:key_revoked", None, None, [old_id])]


@pytest.mark.parametrize("path", [f"{PAGE}/users/1/disable", f"{PAGE}/sites/1/rotate", f"{PAGE}/sites/1/revoke"])
def test_moderators_and_forms_without_a_token_are_refused(sign_in, moderator, admin, site, path):
    mona = sign_in(moderator)
    token = csrf_token(mona.get("/review").get_data(as_text=True))
    assert mona.get(PAGE).status_code == 403
    assert mona.post(path, data={"csrf_token": token}).status_code == 403
    assert sign_in(admin).post(path).status_code == 400


def _new_user(client, **form):
    fields = {"username": "nora", "role": "moderator", "password": "nine ravens over the quay"}
    return _post(client, f"{PAGE}/users", **{**fields, **form})


def test_an_admin_adds_a_moderator_of_chosen_sites_who_then_signs_in_and_sees_them(app, client, sign_in, admin,
                                                                                    site, outsider, make_comment):
    admin_client = sign_in(admin)
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert "Add a user" in html and f'value="{site.id}"' in html

    response = _post(admin_client, f"{PAGE}/users", username="nora", role="moderator",
                     password="nine ravens over the quay", sites=[str(site.id)])

    assert response.status_code == 303
    assert "Created nora, a moderator, moderating daily-planet" in admin_client.get(PAGE).get_data(as_text=True)
    ours = make_comment(site.id)
    theirs = make_comment(outsider.id)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"username": "nora", "password": "nine ravens over the quay",
                                       "csrf_token": token}).status_code == 302
    queue = client.get("/review").get_data(as_text=True)
    assert f'href="/review/{ours}"' in queue and f'href="/review/{theirs}"' not in queue
    assert client.get(f"/review/{ours}").status_code == 200
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[:2] == ["user:created", "membership:granted"]


@pytest.mark.parametrize("form, status, message", [
    ({"username": "mona"}, 409, "exists already"),  # taken
    ({"password": "password1234"}, 400, "too common"),
    ({"username": "x" * 101}, 400, "at most 100 characters"),
    ({"username": "no\nra"}, 400, "control or invisible characters"),
    ({"role": "owner"}, 400, "role must be one of"),
    ({"role": "admin", "sites": "SITE"}, 400, "an admin sees every site already"),
    ({"sites": "99999"}, 400, "no site"),  # gone since the page was drawn
    ({"sites": "; drop"}, 400, "chosen from the list"),
])
def test_a_refused_new_user_leaves_no_user_and_no_membership_behind(app, sign_in, admin, moderator, site, form,
                                                                     status, message):
    client = sign_in(admin)
    with app.app_context():
        before = db.session.scalars(select(User.username)).all()
    if form.get("sites") == "SITE":
        form = {**form, "sites": str(site.id)}

    response = _new_user(client, **form)

    page = response.get_data(as_text=True)
    assert response.status_code == status and message in page.lower()
    assert "nine ravens" not in page  # the password is never typed back
    with app.app_context():
        assert db.session.scalars(select(User.username)).all() == before
        assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action.like("membership:%"))) is None


def test_a_refused_new_user_keeps_what_the_admin_typed_but_the_password(sign_in, admin, moderator, site):
    page = _new_user(sign_in(admin), username="mona", sites=str(site.id)).get_data(as_text=True)
    assert 'value="mona"' in page
    assert re.search(rf'value="{site.id}" checked', page)


def test_an_admin_changes_another_users_role_and_their_sessions_end(app, sign_in, admin, moderator):
    mona = sign_in(moderator)
    client = sign_in(admin)
    assert 'aria-label="Role of mona"' in client.get(PAGE).get_data(as_text=True)

    assert _post(client, f"{PAGE}/users/{moderator.id}/role", role="admin").status_code == 303

    assert "mona is now an admin" in client.get(PAGE).get_data(as_text=True)
    assert mona.get("/review").status_code == 302
    assert sign_in(moderator).get("/admin").status_code == 200
    again = _post(client, f"{PAGE}/users/{moderator.id}/role", role="admin")
    assert again.status_code == 409 and "is an admin already" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, moderator.id).role == "admin"


def test_an_admin_cannot_change_their_own_role(app, sign_in, admin):
    client = sign_in(admin)
    assert 'aria-label="Role of ada"' not in client.get(PAGE).get_data(as_text=True)
    response = _post(client, f"{PAGE}/users/{admin.id}/role", role="moderator")
    assert response.status_code == 400 and "your own role" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, admin.id).role == "admin"


def test_an_admin_adds_a_site_whose_key_works_at_once_and_is_shown_only_then(app, client, sign_in, admin):
    admin_client = sign_in(admin)

    response = _post(admin_client, f"{PAGE}/sites", name="  evening-star ", moderation_mode="post",
                     starter_rules="on")

    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    key = re.search(r"mk_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}", page).group(0)
    secret = re.search(r"whsec_[A-Za-z0-9_-]{20,}", page).group(0)
    posted = client.post("/api/v1/comments", headers={"Authorization": f"Bearer {key}"},
                         json={"id": "c-1", "story_id": "s-1", "author_id": "a-1", "text": "Hello there."})
    assert posted.status_code == 202
    later = admin_client.get(PAGE).get_data(as_text=True)
    assert "evening-star" in later and key.split("_", 2)[2] not in later and secret not in later
    with app.app_context():
        from moderation.domain.rule_sets import current_rules
        from moderation.models import Site

        made = db.session.scalar(select(Site).where(Site.name == "evening-star"))
        assert made.moderation_mode == "post"
        assert [r["name"] for r in current_rules(db.session, made.id)] == [
            "threats", "group-hate", "at-risk", "urging-self-harm", "other-language", "phone-numbers", "email-addresses",
            "street-addresses", "card-numbers"]
        created = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "site:created"))
        assert created.actor == "user:ada" and created.details["rules"] == "starter"


def test_a_site_without_starter_rules_has_none(app, sign_in, admin):
    assert _post(sign_in(admin), f"{PAGE}/sites", name="quiet-gazette", moderation_mode="pre").status_code == 200
    with app.app_context():
        from moderation.domain.rule_sets import current_rules
        from moderation.models import Site

        made = db.session.scalar(select(Site).where(Site.name == "quiet-gazette"))
        assert current_rules(db.session, made.id) == []


@pytest.mark.parametrize("form, status, message", [
    ({"name": "daily-planet"}, 409, "exists already"),
    ({"name": "   "}, 400, "must not be empty"),
    ({"name": "x" * 201}, 400, "at most 200 characters"),
    ({"name": "two\nlines"}, 400, "control or invisible characters"),
    ({"webhook_url": "ftp://news.example/hook"}, 400, "webhook url"),
    ({"moderation_mode": "sometimes"}, 400, "moderation mode"),
])
def test_a_refused_site_leaves_no_site_and_no_rules_behind(app, sign_in, admin, site, form, status, message):
    from moderation.models import RuleSet, Site

    client = sign_in(admin)
    with app.app_context():
        before = (db.session.scalars(select(Site.name)).all(), db.session.scalars(select(RuleSet.id)).all())

    response = _post(client, f"{PAGE}/sites", **{"name": "evening-star", "moderation_mode": "pre",
                                                  "starter_rules": "on", **form})

    assert response.status_code == status and message in response.get_data(as_text=True).lower()
    with app.app_context():
        assert (db.session.scalars(select(Site.name)).all(), db.session.scalars(select(RuleSet.id)).all()) == before


def test_a_name_that_differs_from_a_users_only_by_case_is_taken(app, sign_in, admin, moderator):
    response = _new_user(sign_in(admin), username="Mona")
    assert response.status_code == 409 and "&#39;mona&#39; exists already (names that read alike are one name)" in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["rnona", "\u1d0dona", "mona.", "mona_", "MONA@", "m0na", "\u0271ona",
                                      "mon\u0251", "\u0271o\u0272a"])  # a security review: hooked letters
def test_a_name_drawn_like_a_users_is_taken(sign_in, admin, moderator, username):
    """An adversarial walk made moderators "rnona", "ᴍona" (a small capital) and "mona." beside mona."""
    response = _new_user(sign_in(admin), username=username)
    assert response.status_code == 409 and "exists already (names that read alike are one name)" in response.get_data(as_text=True)


def test_a_capital_i_is_read_as_the_small_l_it_is_drawn_as(sign_in, admin):
    client = sign_in(admin)
    assert _new_user(client, username="alice").status_code == 303
    assert _new_user(client, username="aIice").status_code == 409
    assert _new_user(client, username="a1ice").status_code == 409  # a re-check: a digit one, and a dental click
    assert _new_user(client, username="a\u01c0ice").status_code == 409
    # The next re-check: mapping only the capital made "MIKE" ("mlke") another name than "mike".
    assert _new_user(client, username="mike").status_code == 303
    assert _new_user(client, username="MIKE").status_code == 409


def test_an_admin_changes_their_own_password_only_where_the_current_one_is_asked(app, sign_in, admin):
    client = sign_in(admin)
    assert 'href="/account">On your account page' in client.get(PAGE).get_data(as_text=True)
    response = _post(client, f"{PAGE}/users/{admin.id}/password", password="tall ships in the harbour")
    assert response.status_code == 400 and "on your account page" in response.get_data(as_text=True)
    sign_in(admin)  # the old password still works


def test_sites_whose_names_differ_only_by_the_dash_are_one_name():
    """A security review: "site‐a" (U+2010) and "site–a" (an en dash) sat beside "site-a" in every picker."""
    from moderation.domain.lookalikes import skeleton

    assert {skeleton(name) for name in ("site-a", "site\u2010a", "site\u2013a", "site\u2212a", "site\uff0da")} == {"slte-a"}
    assert skeleton("mo\u0256a") == skeleton("moda")
