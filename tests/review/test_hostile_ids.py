"""Numbers in URLs and forms that are not ids we could hold (superscripts, past BIGINT) are a 4xx, not a 500."""
from __future__ import annotations

import pytest
from review_helpers import csrf_token


@pytest.fixture(autouse=True)
def _the_moderator_works_the_site(grant, moderator, site):
    """Moderators see only their sites' comments; mona works this one."""
    grant(moderator, site)

HUGE = str(10**23)
PAST_BIGINT = str(2**63)


@pytest.mark.parametrize("query", ["page=²", f"page={HUGE}", f"site={HUGE}", f"site={2**31}", "site=²"])
def test_the_queue_ignores_numbers_no_page_or_site_could_have(sign_in, moderator, query):
    client = sign_in(moderator)

    assert client.get(f"/review?{query}").status_code in (200, 400)


@pytest.mark.parametrize("comment_id", [PAST_BIGINT, HUGE])
def test_a_comment_id_past_bigint_is_not_found(sign_in, moderator, comment_id):
    client = sign_in(moderator)

    assert client.get(f"/review/{comment_id}").status_code == 404


def test_a_decision_with_a_superscript_version_is_a_bad_request(sign_in, moderator, site, make_comment):
    comment_id = make_comment(site.id)
    client = sign_in(moderator)
    token = csrf_token(client.get(f"/review/{comment_id}").get_data(as_text=True))

    response = client.post(f"/review/{comment_id}/decide",
                           data={"csrf_token": token, "version": "²", "action": "approve"})

    assert response.status_code == 400


@pytest.mark.parametrize("site_id", [HUGE, str(2**31), PAST_BIGINT])
def test_an_admin_site_id_no_site_could_have_is_not_found(sign_in, admin, site_id):
    client = sign_in(admin)

    assert client.get(f"/admin/sites/{site_id}").status_code == 404


def test_a_decision_note_with_nul_is_a_bad_request_and_decides_nothing(sign_in, moderator, site, make_comment):
    comment_id = make_comment(site.id)
    client = sign_in(moderator)
    html = client.get(f"/review/{comment_id}").get_data(as_text=True)

    response = client.post(f"/review/{comment_id}/decide",
                           data={"csrf_token": csrf_token(html), "version": "1", "action": "reject",
                                 "reason_note": "bad\x00note"})

    assert response.status_code == 400
    assert "held" in client.get(f"/review/{comment_id}").get_data(as_text=True)


def test_a_username_with_nul_is_a_bad_request(client, moderator):
    page = client.get("/login").get_data(as_text=True)

    response = client.post("/login", data={"username": "mo\x00na", "password": "x", "csrf_token": csrf_token(page)})

    assert response.status_code == 400


@pytest.mark.parametrize("grace", ["²h", "٣d"])
def test_a_grace_period_in_non_ascii_digits_is_refused_not_a_500(sign_in, admin, site, grace):
    client = sign_in(admin)
    token = csrf_token(client.get("/admin/accounts").get_data(as_text=True))

    key = client.post(f"/admin/accounts/sites/{site.id}/rotate", data={"csrf_token": token, "grace": grace})
    secret = client.post(f"/admin/sites/{site.id}/webhook-secret", data={"csrf_token": token, "grace": grace})

    assert (key.status_code, secret.status_code) == (400, 400)


def test_suspension_days_in_non_ascii_digits_are_refused_not_a_500(sign_in, moderator, site, make_comment):
    make_comment(site.id, author_id="reader-x")
    client = sign_in(moderator)
    token = csrf_token(client.get("/review").get_data(as_text=True))

    response = client.post(f"/review/authors/{site.id}/sanction", follow_redirects=True,
                           data={"csrf_token": token, "author_id": "reader-x", "kind": "suspend", "days": "²",
                                 "reason": "testing"})

    assert response.status_code == 400
    assert "Not sanctioned" in response.get_data(as_text=True)


def test_a_filter_that_cannot_be_read_beside_parameters_named_as_flasks_own_is_a_400_not_a_500(sign_in, moderator, admin):
    """A re-check found the API's listing answering 500 to "endpoint" in its query; the pages' way back did the same."""
    for client, address in ((sign_in(moderator), "/review?since=yesterday&endpoint=x&_method=POST&tab=held"),
                            (sign_in(admin), "/admin/audit?comment=abc&endpoint=x&_anchor=y&who=ada")):
        page = client.get(address)
        assert page.status_code == 400
        assert "endpoint=x" in page.get_data(as_text=True)  # the way back keeps it, as sent


@pytest.mark.parametrize("site_id", ["²", str(2**31), HUGE, "9" * 5000])
def test_admin_forms_refuse_a_site_id_no_site_could_have(sign_in, admin, site_id):
    """A security review's form fuzzer: each was a 500 (int("²"), PostgreSQL's range error, int() of 5,000 digits)."""
    client = sign_in(admin)
    token = csrf_token(client.get("/admin/models").get_data(as_text=True))

    promote = client.post("/admin/models/promote", data={"csrf_token": token, "version": "x", "site_id": site_id})
    rollback = client.post("/admin/models/rollback", data={"csrf_token": token, "site_id": site_id})
    user = client.post("/admin/accounts/users", data={"csrf_token": token, "username": "fz", "password": "x" * 20,
                                                      "role": "moderator", "sites": site_id})
    training = client.post("/admin/training", data={"csrf_token": token, "site_id": site_id})

    assert (promote.status_code, rollback.status_code, user.status_code) == (400, 400, 400)
    assert training.status_code == 303 and client.get("/admin/training/status").get_json()["run"] is None
    assert client.get(f"/admin/training/status?run={site_id}").status_code in (200, 404)


def test_a_decision_whose_way_back_holds_a_line_break_goes_back_to_the_queue(sign_in, moderator, site, make_comment):
    """A security review: a CR/LF in `next` made the redirect's header raise, a 500 after the decision was made."""
    comment_id = make_comment(site.id)
    client = sign_in(moderator)
    token = csrf_token(client.get(f"/review/{comment_id}").get_data(as_text=True))

    response = client.post(f"/review/{comment_id}/decide", data={"csrf_token": token, "version": "1", "action": "approve",
                                                                 "next": "/review\r\nX-Injected: 1"})

    assert response.status_code == 303 and response.headers["Location"].startswith("/review")
    assert "X-Injected" not in response.headers
