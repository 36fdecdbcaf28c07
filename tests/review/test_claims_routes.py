"""Claims and live updates as the queue page's scripts see them: JSON, CSRF, scoping, and the card's words."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from review_helpers import decide_form

from moderation import db
from moderation.models import Comment

META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
LONG_AGO = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def alice(make_moderator, site):
    return make_moderator("alice", sites=[site])


@pytest.fixture
def bob(make_moderator, site):
    return make_moderator("bob", sites=[site])


def token(client) -> str:
    """The token the scripts read from the page's meta tag."""
    return META_TOKEN.search(client.get("/review").get_data(as_text=True)).group(1)


def post_json(client, path: str):
    return client.post(path, headers={"X-CSRFToken": token(client), "Accept": "application/json"})


def card(html: str, comment_id: int) -> str:
    # Up to the next card or the list's end: a card holds lists of its own.
    match = re.search(rf'<li class="card item" id="comment-{comment_id}"[^>]*>.*?(?=<li class="card item"|</ol>\s*(?:<nav|<script))',
                      html, re.S)
    assert match, f"no card for comment {comment_id}"
    return match.group(0)


def test_the_first_moderator_to_claim_holds_it_and_the_second_is_told_who(app, site, alice, bob, sign_in,
                                                                          make_comment):
    comment_id = make_comment(site.id)
    a, b = sign_in(alice), sign_in(bob)
    taken = post_json(a, f"/review/{comment_id}/claim")
    assert taken.status_code == 200 and taken.get_json()["claimed"] is True and taken.get_json()["holder"] == "alice"
    refused = post_json(b, f"/review/{comment_id}/claim")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["message"] == "alice is reviewing this comment (claim ends in 3 min)"
    assert refused.get_json()["claim"]["holder"] == "alice"
    # bob's release leaves alice's claim alone; hers frees the comment for him.
    assert post_json(b, f"/review/{comment_id}/release").get_json()["released"] is False
    assert post_json(a, f"/review/{comment_id}/release").get_json()["released"] is True
    assert post_json(b, f"/review/{comment_id}/claim").get_json()["claimed"] is True


def test_a_claim_without_the_csrf_token_is_refused(app, site, alice, sign_in, make_comment):
    comment_id = make_comment(site.id)
    a = sign_in(alice)
    assert a.post(f"/review/{comment_id}/claim").status_code == 400
    assert post_json(a, f"/review/{comment_id}/claim").status_code == 200


def test_claiming_another_sites_comment_is_not_found(app, site, outsider, make_moderator, sign_in, make_comment):
    comment_id = make_comment(site.id)
    otto = sign_in(make_moderator("otto", sites=[outsider]))
    response = post_json(otto, f"/review/{comment_id}/claim")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_opening_a_comment_claims_it_and_the_others_queue_says_so(app, site, alice, bob, sign_in, make_comment):
    comment_id = make_comment(site.id)
    a, b = sign_in(alice), sign_in(bob)
    assert "you are reviewing this" in a.get(f"/review/{comment_id}").get_data(as_text=True)
    theirs = card(b.get("/review").get_data(as_text=True), comment_id)
    assert 'data-claimed-by="alice"' in theirs and "being reviewed by alice" in theirs
    mine = card(a.get("/review").get_data(as_text=True), comment_id)
    assert "data-claimed-by" not in mine and "you are reviewing this" in mine


def test_a_comment_opened_from_another_site_is_read_but_not_claimed(app, site, alice, bob, sign_in, make_comment):
    """A security review: a page elsewhere opening /review/<id> in a moderator's browser held comments from the others."""
    comment_id = make_comment(site.id)
    a, b = sign_in(alice), sign_in(bob)
    page = a.get(f"/review/{comment_id}", headers={"Sec-Fetch-Site": "cross-site"})
    assert page.status_code == 200 and "you are reviewing this" not in page.get_data(as_text=True)
    assert "data-claimed-by" not in card(b.get("/review").get_data(as_text=True), comment_id)
    assert "you are reviewing this" in a.get(f"/review/{comment_id}", headers={"Sec-Fetch-Site": "same-origin"}).get_data(
        as_text=True)  # from our own pages it is claimed as before


def test_a_decision_on_anothers_claim_is_refused_with_who_and_how_long(app, site, alice, bob, sign_in, make_comment):
    comment_id = make_comment(site.id)
    a, b = sign_in(alice), sign_in(bob)
    a.get(f"/review/{comment_id}")
    with app.app_context():  # bob's form as it was before alice opened the comment
        version = db.session.get(Comment, comment_id).version
    response = b.post(f"/review/{comment_id}/decide", data={"csrf_token": token(b), "version": str(version),
                                                            "action": "approve", "next": "/review"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#comment-{comment_id}")
    assert f"Comment #{comment_id}: alice is reviewing this comment (claim ends in 3 min)." in b.get("/review").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "held"
    # alice, who holds it, decides; the claim ends with the decision.
    assert decide_form(a, comment_id, action="approve").status_code == 303
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "approved"


def test_a_shorter_lease_setting_is_what_the_others_are_told(app_with, site, alice, bob, sign_in, make_comment):
    comment_id = make_comment(site.id)
    short = app_with(CLAIM_LEASE_SECONDS=30)
    a, b = sign_in(alice, short.test_client()), sign_in(bob, short.test_client())
    post_json(a, f"/review/{comment_id}/claim")
    message = post_json(b, f"/review/{comment_id}/claim").get_json()["error"]["message"]
    assert message == "alice is reviewing this comment (claim ends in under a minute)"


def updates(client, **args: str):
    return client.get("/review/updates", query_string={"loaded_at": LONG_AGO, **args})


def test_updates_report_counts_taken_and_decided_cards_and_new_arrivals(app, site, alice, bob, admin, sign_in,
                                                                        make_comment):
    on_page = [make_comment(site.id) for _ in range(3)]
    b = sign_in(bob)
    loaded_at = datetime.now(timezone.utc)
    a = sign_in(alice)
    a.get(f"/review/{on_page[0]}")                                    # alice takes the first
    decide_form(sign_in(admin), on_page[1], action="reject", reason_choice="Spam or advertising")  # the admin decides the second
    make_comment(site.id, status_changed_at=loaded_at + timedelta(seconds=1))  # and a new one arrives
    body = updates(b, ids=",".join(map(str, on_page)), loaded_at=loaded_at.isoformat()).get_json()
    assert body["counts"]["review"] == 3 and body["counts"]["rejected"] == 1
    assert body["new"] == 1
    first, second, third = (body["cards"][str(i)] for i in on_page)
    assert first["claimed_by"] == "alice" and first["claimed_by_me"] is False and first["status"] == "held"
    assert second["status"] == "rejected" and second["decided_by"] == "ada" and second["claimed_by"] is None
    assert second["decidable"] is False and second["decision_reason"] == "Spam or advertising"
    assert datetime.fromisoformat(second["decided_at"]) >= loaded_at
    assert third == {"status": "held", "version": 1, "decided_by": None, "decidable": True, "claimed_by": None,
                     "claimed_by_me": False, "decided_at": None, "decision_reason": None}
    # alice's own claim is hers.
    assert updates(a, ids=str(on_page[0])).get_json()["cards"][str(on_page[0])]["claimed_by_me"] is True


def test_updates_keep_to_the_tab_filters_and_the_moderators_sites(app, site, outsider, bob, make_moderator, sign_in,
                                                                  make_comment):
    ours = make_comment(site.id, "The bridge is a disgrace")
    make_comment(site.id, "The budget is a disgrace")
    theirs = make_comment(outsider.id)
    b = sign_in(bob)
    body = updates(b, ids=f"{ours},{theirs}", q="bridge").get_json()
    assert body["counts"]["review"] == 1 and list(body["cards"]) == [str(ours)]
    assert updates(b, ids="", tab="approved").get_json()["new"] == 0
    assert updates(b, ids="").get_json()["new"] == 2  # since long ago, both of bob's site's comments arrived
    otto = sign_in(make_moderator("otto", sites=[outsider]))
    body = updates(otto, ids=f"{ours},{theirs}").get_json()
    assert list(body["cards"]) == [str(theirs)] and body["counts"]["review"] == 1


@pytest.mark.parametrize("args, field", [
    ({"ids": "1,two"}, "ids"),
    ({"ids": "1,²"}, "ids"),
    ({"ids": "99999999999999999999"}, "ids"),
    ({"ids": ",".join(["1"] * 201)}, "ids"),
    ({"ids": "1", "loaded_at": "yesterday"}, "loaded_at"),
    ({"ids": "1", "loaded_at": "2026-11-28T10:00:00"}, "loaded_at"),  # no time zone
    ({"ids": "1", "since": "yesterday"}, "since"),  # the queue's own "received from" filter
    ({"ids": "1", "tab": "everything"}, "tab"),
    ({"ids": "1", "score_min": "2"}, "score_min"),
])
def test_unreadable_update_requests_are_a_json_400_naming_the_field(app, bob, sign_in, args, field):
    response = updates(sign_in(bob), **args)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field
