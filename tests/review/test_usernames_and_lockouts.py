"""Names that look alike are one name, a locked-out user an admin gives a new password can sign in
with it at once, and a user signed out by someone else's change is told why."""
import re

import pytest
from review_helpers import csrf_token

PAGE = "/admin/accounts"
PASSWORD = "nine ravens over the quay"


def _post(client, path, **form):
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **form})


def _add(client, username):
    return _post(client, f"{PAGE}/users", username=username, role="moderator", password=PASSWORD)


def _sign_in(client, username, password):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


@pytest.mark.parametrize("name", ["m\u0430ria", "p\u0430ypal-admin"])  # a Cyrillic а among Latin letters
def test_a_name_mixing_alphabets_is_refused(sign_in, admin, name):
    response = _add(sign_in(admin), name)
    assert response.status_code == 400 and "mixes alphabets (Cyrillic and Latin)" in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["мария", "山田たろう", "José", "ops_2"])
def test_a_name_in_one_writing_system_is_taken(sign_in, admin, name):
    assert _add(sign_in(admin), name).status_code == 303


def test_a_name_typed_with_a_combining_accent_is_the_same_name(app, client, sign_in, admin):
    admin_client = sign_in(admin)
    assert _add(admin_client, "s\u00e4m\u00e9").status_code == 303  # ä and é as one character each
    assert _add(admin_client, "sa\u0308me\u0301").status_code == 409  # each as a letter and an accent
    assert _sign_in(client, "sa\u0308me\u0301", PASSWORD).status_code == 302


def test_a_capital_first_letter_from_a_phone_keyboard_still_signs_in(client, moderator):
    assert _sign_in(client, "Mona", moderator.password).status_code == 302


def test_an_admin_sees_a_lockout_and_a_new_password_lifts_it(client, sign_in, admin, moderator):
    for attempt in range(10):
        assert _sign_in(client, "mona", f"wrong guess {attempt}").status_code == 401
    assert _sign_in(client, "mona", moderator.password).status_code == 429
    admin_client = sign_in(admin)
    assert re.search(r"locked out \d+ min", admin_client.get(PAGE).get_data(as_text=True))

    response = _post(admin_client, f"{PAGE}/users/{moderator.id}/password", password="tall ships in the harbour")

    assert response.status_code == 303
    assert "locked out" not in admin_client.get(PAGE).get_data(as_text=True)
    assert _sign_in(client, "mona", "tall ships in the harbour").status_code == 302


def test_a_refused_reset_names_whose_password_it_was(sign_in, admin, moderator):
    response = _post(sign_in(admin), f"{PAGE}/users/{moderator.id}/password", password="password1234")
    assert response.status_code == 400 and "New password for mona: password is too common" in response.get_data(as_text=True)


@pytest.mark.parametrize("change", ["role", "disable"])
def test_a_user_signed_out_by_an_admins_change_is_told_why_once(sign_in, admin, moderator, change):
    mona = sign_in(moderator)
    admin_client = sign_in(admin)
    if change == "role":
        _post(admin_client, f"{PAGE}/users/{moderator.id}/role", role="admin")
    else:
        _post(admin_client, f"{PAGE}/users/{moderator.id}/disable")

    response = mona.get("/review")

    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "You were signed out: your password, role or account was changed" in mona.get("/login").get_data(as_text=True)
    mona.get("/review")
    assert "You were signed out" not in mona.get("/login").get_data(as_text=True)


def test_signing_out_oneself_does_not_say_someone_changed_something(sign_in, moderator):
    mona = sign_in(moderator)
    token = csrf_token(mona.get("/review").get_data(as_text=True))
    mona.post("/logout", data={"csrf_token": token})
    mona.get("/review")
    assert "You were signed out:" not in mona.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("path, target", [("/admin/accounts/users", "/admin/accounts#add-user"),
                                          ("/admin/accounts/sites", "/admin/accounts#add-site")])
def test_the_address_a_refused_form_leaves_leads_back_to_it(sign_in, admin, path, target):
    response = sign_in(admin).get(path)
    assert response.status_code == 303 and response.headers["Location"] == target


def test_the_address_a_refused_password_change_leaves_leads_back_to_the_account_page(sign_in, moderator):
    response = sign_in(moderator).get("/account/password")
    assert response.status_code == 303 and response.headers["Location"] == "/account"


def test_a_site_whose_moderators_are_all_gone_says_so(app, sign_in, admin, moderator, site, grant):
    grant(moderator, site)
    client = sign_in(admin)
    assert "No active moderator works this site" not in client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    _post(client, f"{PAGE}/users/{moderator.id}/disable")
    page = client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert "No active moderator works this site" in page and "mona <small>(disabled)</small>" in page


def test_the_accounts_page_lists_the_sites_each_moderator_works_and_asks_before_disabling(sign_in, admin, moderator,
                                                                                           site, grant):
    grant(moderator, site)
    page = sign_in(admin).get(PAGE).get_data(as_text=True)
    assert "daily-planet" in page.split('aria-label="Role of mona"')[1].split("</tr>")[0]
    assert 'data-confirm="Disable mona? They are signed out at once and cannot sign in."' in page
    assert 'aria-label="Disable mona"' in page


@pytest.mark.parametrize("lookalike", ["\u0455\u0430\u0455\u04bb\u0430",  # all Cyrillic letters drawn as s, a, s, h, a
                                       "\uff53\uff41\uff53\uff48\uff41",  # fullwidth
                                       "sash\u0430\u0307", "sasha\u2800", "sasha\ufe0f", "SASHA"])
def test_a_name_that_reads_like_anothers_is_refused(sign_in, admin, lookalike):
    client = sign_in(admin)
    assert _add(client, "sasha").status_code == 303
    response = _add(client, lookalike)
    assert response.status_code in (400, 409), lookalike
    assert "exists already" in response.get_data(as_text=True) or "mixes alphabets" in response.get_data(as_text=True)


def test_a_name_spelled_another_way_counts_towards_the_same_lockout(client, sign_in, admin):
    assert _add(sign_in(admin), "jos\u00e9").status_code == 303
    for attempt in range(10):
        assert _sign_in(client, "jos\u00e9", f"wrong guess {attempt}").status_code == 401
    assert _sign_in(client, "jose\u0301", PASSWORD).status_code == 429  # the accent typed apart


@pytest.mark.parametrize("path", ["/admin/accounts/users/1/role", "/admin/accounts/users/1/password"])
def test_the_address_a_refused_row_action_leaves_leads_back_to_the_page(sign_in, admin, path):
    response = sign_in(admin).get(path)
    assert response.status_code == 303 and response.headers["Location"] == "/admin/accounts"


def test_a_site_named_like_another_is_refused(sign_in, admin, site):
    response = _post(sign_in(admin), f"{PAGE}/sites", name="Daily-Planet", moderation_mode="pre")
    assert response.status_code == 409 and "exists already" in response.get_data(as_text=True)


def test_a_moderator_is_added_to_a_site_by_their_name_in_any_case_but_not_when_disabled(app, sign_in, admin,
                                                                                         moderator, site):
    client = sign_in(admin)
    token = csrf_token(client.get(f"/admin/sites/{site.id}").get_data(as_text=True))
    client.post(f"/admin/sites/{site.id}/members", data={"csrf_token": token, "username": "MONA"})
    assert "mona now moderates daily-planet" in client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    _post(client, f"{PAGE}/users/{moderator.id}/disable")
    with app.app_context():
        from moderation import db
        from moderation.domain.membership import revoke

        revoke(db.session, "mona", site.id, actor="test")
        db.session.commit()
    token = csrf_token(client.get(f"/admin/sites/{site.id}").get_data(as_text=True))
    client.post(f"/admin/sites/{site.id}/members", data={"csrf_token": token, "username": "mona"})
    assert "is disabled: an admin enables them" in client.get(f"/admin/sites/{site.id}").get_data(as_text=True)


@pytest.mark.parametrize("name, ok", [
    ("<b>ada</b>", False), ("🙂mod", False), ("mona lisa", False), ("a" * 65, False), ("-mona", False),
    ("ada.lovelace@example.org", True), ("sämé", True), ("李雷", True), ("mod_2-b", True), ("a" * 64, True),
])
def test_a_new_username_is_letters_digits_and_a_few_signs(app, name, ok):
    """A head of community made "<b>ada</b>", "🙂 mod" and a 300-character name, shown in every list."""
    from moderation import db
    from moderation.domain.errors import ValidationFailed
    from moderation.domain.users import create_user

    with app.app_context():
        if ok:
            assert create_user(db.session, name, "a long enough password 42", "moderator").username == name
        else:
            with pytest.raises(ValidationFailed, match="at most 64 letters, digits and"):
                create_user(db.session, name, "a long enough password 42", "moderator")
