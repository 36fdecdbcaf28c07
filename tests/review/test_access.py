"""Who may open which page: sign-in, roles, CSRF."""
import re

import pytest
from review_helpers import csrf_token

MODERATOR_PAGES = ["/review", "/review/1"]
ADMIN_PAGES = ["/admin", "/admin/audit", "/admin/sites/1"]


@pytest.mark.parametrize("path", MODERATOR_PAGES + ADMIN_PAGES)
def test_it_redirects_anonymous_visitors_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_home_page_leads_to_the_review_queue(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/review"


def test_a_moderator_signs_in_and_lands_on_the_page_they_asked_for(client, moderator, site):
    page = client.get("/login?next=/review%3Fsite%3D1").get_data(as_text=True)
    response = client.post("/login", data={"username": moderator.username, "password": moderator.password,
                                           "next": "/review?site=1", "csrf_token": csrf_token(page)})
    assert response.status_code == 302 and response.headers["Location"] == "/review?site=1"
    assert "HttpOnly" in response.headers["Set-Cookie"] and "SameSite=Lax" in response.headers["Set-Cookie"]
    assert client.get("/review").status_code == 200


def test_it_refuses_a_wrong_password(client, moderator):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"username": moderator.username, "password": "not-the-password",
                                           "csrf_token": csrf_token(page)})
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    # In the form, tied to both fields and read out at once, the focus on the password to type again.
    assert '<p class="field-error" id="signin-error" role="alert">Wrong username or password.</p>' in html
    assert 'autocomplete="current-password" required aria-invalid="true" aria-describedby="signin-error" autofocus>' in html
    assert 'spellcheck="false" required aria-invalid="true" aria-describedby="signin-error">' in html
    assert client.get("/review").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                    "/review\r\nX-Injected: 1", "/review\x7f"])  # a CR/LF was a 500 (a security review)
def test_it_does_not_follow_a_next_url_off_the_site(client, moderator, target):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"username": moderator.username, "password": moderator.password,
                                           "next": target, "csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/review"


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_moderator_cannot_open_admin_pages(sign_in, moderator, site, path):
    client = sign_in(moderator)
    assert client.get(path).status_code == 403


def test_a_moderator_cannot_change_site_settings(sign_in, moderator, site):
    client = sign_in(moderator)
    token = csrf_token(client.get("/review").get_data(as_text=True))
    response = client.post(f"/admin/sites/{site.id}", data={"csrf_token": token, "moderation_mode": "post",
                                                            "report_threshold": "1"})
    assert response.status_code == 403


def test_an_admin_can_also_work_the_review_queue(sign_in, admin):
    client = sign_in(admin)
    assert client.get("/review").status_code == 200
    assert client.get("/admin").status_code == 200


def test_it_refuses_a_form_without_csrf_token(app, client, moderator, make_comment, site):
    assert app.config["WTF_CSRF_ENABLED"] is True
    comment_id = make_comment(site.id)
    no_token = {"username": moderator.username, "password": moderator.password}
    assert client.post("/login", data=no_token).status_code == 400
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"username": moderator.username, "password": moderator.password,
                                "csrf_token": csrf_token(page)})
    response = client.post(f"/review/{comment_id}/decide", data={"version": "1", "action": "approve"})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert client.post("/logout").status_code == 400


def test_signing_out_ends_the_session(sign_in, moderator):
    client = sign_in(moderator)
    token = csrf_token(client.get("/review").get_data(as_text=True))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/review").status_code == 302


def test_a_deactivated_user_is_signed_out_on_the_next_request(app, sign_in, moderator):
    from moderation import db
    from moderation.models import User

    client = sign_in(moderator)
    with app.app_context():
        db.session.get(User, moderator.id).active = False
        db.session.commit()
    assert client.get("/review").status_code == 302


def test_an_anonymous_form_post_is_sent_to_login_without_coming_back_to_the_post(client, site, make_comment):
    comment_id = make_comment(site.id)
    page = client.get("/login").get_data(as_text=True)
    response = client.post(f"/review/{comment_id}/decide", data={"csrf_token": csrf_token(page), "version": "1",
                                                                 "action": "approve"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def _signed_in_as(app, user, agent: str):
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": agent, "REMOTE_ADDR": "203.0.113.9"})
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"username": user.username, "password": user.password,
                                           "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    return client


def test_each_sign_in_is_audited_and_what_its_session_did_is_told_apart_from_another_sessions(
        app, moderator, admin, site, make_comment, grant, sign_in):
    """An incident walk: a phished moderator's attacker signed in from another browser and decided
    comments in the same minute as the moderator; no sign-in was recorded and every entry said
    `user:mona`, so nothing told the attacker's decisions from hers."""
    from review_helpers import decide_form
    from sqlalchemy import select

    from moderation import db
    from moderation.models import AuditEntry

    grant(moderator, site)
    ours, theirs = make_comment(site.id), make_comment(site.id)
    own = _signed_in_as(app, moderator, "NewsroomBrowser/1.0")
    attacker = _signed_in_as(app, moderator, "AttackerBrowser/6.6")
    assert decide_form(own, ours, action="approve").status_code == 303
    assert decide_form(attacker, theirs, action="approve").status_code == 303
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        sign_ins = [e for e in entries if e.action == "auth:signed_in"]
        assert [(e.actor, e.details["browser"], e.details["address"], e.details["known_browser"]) for e in sign_ins] == [
            ("user:mona", "NewsroomBrowser/1.0", "203.0.113.9", False),
            ("user:mona", "AttackerBrowser/6.6", "203.0.113.9", False)]
        tags = [e.details["session_tag"] for e in sign_ins]
        decided = {e.comment_id: e.details["session_tag"] for e in entries if e.action.startswith("status:")}
        assert tags[0] != tags[1] and decided == {ours: tags[0], theirs: tags[1]}
    # The audit log lists what one sign-in did when its tag is the Who, and says when to the second.
    log = sign_in(admin).get(f"/admin/audit?who={tags[1]}").get_data(as_text=True)
    assert f"#{theirs}<" in log and f"#{ours}<" not in log and "AttackerBrowser/6.6" in log
    assert f'href="/admin/audit?who={tags[1]}"' in log
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</time>", log)


def test_the_reversal_form_says_its_reason_goes_to_the_site(app, sign_in, admin, moderator, site, make_comment, grant):
    """A team lead's walk: the reason's placeholder said "told to the audit log", and a lead wrote a new
    moderator's coaching there; the site gets it in the event's `reversed_by` and may show the reader."""
    from review_helpers import decide_form

    grant(moderator, site)
    comment_id = make_comment(site.id)
    assert decide_form(sign_in(moderator), comment_id, action="approve").status_code == 303
    page = sign_in(admin).get(f"/review/{comment_id}").get_data(as_text=True)
    assert "the site is told, and may tell the reader" in page and "told to the audit log" not in page
