"""/account: every signed-in user sees who they are and which sites they work, and changes their own password."""
import re

import pytest
from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.models import AuditEntry

NEW = "seven lanterns by the ferry"


def _change(client, **form):
    token = csrf_token(client.get("/account").get_data(as_text=True))
    return client.post("/account/password", data={"csrf_token": token, **form})


def test_a_moderator_sees_their_sites_from_a_link_in_the_top_bar(sign_in, moderator, site, outsider, grant):
    grant(moderator, site)
    client = sign_in(moderator)
    assert 'href="/account"' in client.get("/review").get_data(as_text=True)
    page = client.get("/account").get_data(as_text=True)
    assert "mona" in page and "daily-planet" in page and "other-gazette" not in page


def test_an_admin_is_told_they_see_every_site(sign_in, admin, site):
    assert "every site" in sign_in(admin).get("/account").get_data(as_text=True)


def test_changing_ones_password_keeps_this_browser_and_signs_out_the_others(app, client, sign_in, moderator):
    elsewhere = sign_in(moderator)
    here = sign_in(moderator)

    response = _change(here, current_password=moderator.password, password=NEW, confirm_password=NEW)

    assert response.status_code == 303
    assert "Your password is changed" in here.get("/account").get_data(as_text=True)
    assert here.get("/review").status_code == 200
    assert elsewhere.get("/review").status_code == 302
    token = csrf_token(client.get("/login").get_data(as_text=True))
    old = client.post("/login", data={"username": "mona", "password": moderator.password, "csrf_token": token})
    assert old.status_code == 401
    assert client.post("/login", data={"username": "mona", "password": NEW, "csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.actor).where(AuditEntry.action == "user:password_changed")) == "user:mona"


@pytest.mark.parametrize("form, message", [
    ({"current_password": "", "password": NEW, "confirm_password": NEW}, "type your current password"),
    ({"current_password": "not-it-at-all", "password": NEW, "confirm_password": NEW}, "that is not your current password"),
    ({"current_password": "CURRENT", "password": NEW, "confirm_password": NEW + "!"}, "its repetition differ"),
    ({"current_password": "CURRENT", "password": "password1234", "confirm_password": "password1234"}, "too common"),
    ({"current_password": "CURRENT", "password": "CURRENT", "confirm_password": "CURRENT"}, "the one you have"),
])
def test_a_refused_change_says_why_and_the_old_password_still_works(client, sign_in, moderator, form, message):
    form = {k: v.replace("CURRENT", moderator.password) for k, v in form.items()}
    here = sign_in(moderator)

    response = _change(here, **form)

    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html.lower()
    # The field in question takes the focus and is described by the reason, which a screen reader hears
    # (an accessibility review: the focus stayed on the page, the field said only "invalid").
    invalid = re.search(r"<input[^>]*aria-invalid=\"true\"[^>]*>", html).group(0)
    assert 'aria-describedby="form-error' in invalid and "autofocus" in invalid
    assert 'id="form-error" role="alert" data-announce="alert"' in html
    assert here.get("/review").status_code == 200
    sign_in(moderator)  # asserts the old password still signs in


def test_guessing_the_current_password_from_a_borrowed_session_is_locked_out(sign_in, moderator):
    here = sign_in(moderator)
    statuses = [_change(here, current_password=f"guess number {i}", password=NEW, confirm_password=NEW).status_code
                for i in range(12)]
    assert statuses[0] == 400 and statuses[-1] == 429
    right = _change(here, current_password=moderator.password, password=NEW, confirm_password=NEW)
    assert right.status_code == 429 and "Too many attempts" in right.get_data(as_text=True)
