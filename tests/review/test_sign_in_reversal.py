"""Reversing what one sign-in decided, from the audit log (domain/session_reversal.py)."""
from __future__ import annotations

import re

from review_helpers import csrf_token, decide_form

from moderation import db
from moderation.models import AuditEntry, Comment


def _signed_in(app, user, agent: str):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    page = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"username": user.username, "password": user.password,
                                       "csrf_token": csrf_token(page)}).status_code == 302
    return client


def _tag_of(app, agent: str) -> str:
    with app.app_context():
        entries = db.session.query(AuditEntry).filter(AuditEntry.action == "auth:signed_in").all()
        return next(e.details["session_tag"] for e in entries if e.details["browser"] == agent)


def test_an_admin_reverses_every_standing_decision_of_a_phished_sign_in_at_once(
        app, moderator, admin, site, make_comment, grant, sign_in, make_site, make_site_admin):
    """An incident walk: the attacker approved 20 abusive comments and rejected 20 civil ones in three
    minutes; the admin reversed the 40 one comment page at a time, and the ban's author was found by hand."""
    grant(moderator, site)
    abusive = [make_comment(site.id) for _ in range(2)]
    civil, own = make_comment(site.id), make_comment(site.id)
    mona = _signed_in(app, moderator, "NewsroomBrowser/1.0")
    attacker = _signed_in(app, moderator, "AttackerBrowser/6.6")
    for comment_id in abusive:
        assert decide_form(attacker, comment_id, action="approve").status_code == 303
    assert decide_form(attacker, civil, action="reject", reason_choice="Spam or advertising").status_code == 303
    author_page = attacker.get(f"/review/authors/{site.id}/reader-7").get_data(as_text=True)
    assert attacker.post(f"/review/authors/{site.id}/sanction", data={
        "csrf_token": csrf_token(author_page), "author_id": "reader-7", "kind": "ban", "reason": "x"}).status_code == 303
    assert decide_form(mona, own, action="approve").status_code == 303
    tag = _tag_of(app, "AttackerBrowser/6.6")

    admin_client = sign_in(admin)
    log = admin_client.get(f"/admin/audit?who={tag}").get_data(as_text=True)
    assert "3 decisions this sign-in made still stand" in log and "Reverse all 3" in log
    assert re.search(r'href="/review/authors/\d+/reader-7">reader-7</a>', log)
    token = csrf_token(log)
    refused = admin_client.post(f"/admin/audit/sign-ins/{tag}/reverse", data={"csrf_token": token})
    assert refused.status_code == 303
    assert "Nothing reversed: a reason is required" in admin_client.get(refused.headers["Location"]).get_data(as_text=True)

    done = admin_client.post(f"/admin/audit/sign-ins/{tag}/reverse",
                             data={"csrf_token": token, "reason": "made from a stolen password"})
    assert done.status_code == 303 and "/review/bulk/" in done.headers["Location"]
    result = admin_client.get(done.headers["Location"]).get_data(as_text=True)
    assert "3 decisions reversed" in result and "Back to the audit log" in result and "reader-7" in result
    with app.app_context():
        assert {db.session.get(Comment, i).status for i in [*abusive, civil]} == {"held"}
        assert db.session.get(Comment, own).status == "approved"  # the moderator's own sign-in's decision stands
    again = admin_client.get(f"/admin/audit?who={tag}").get_data(as_text=True)
    assert "No decision this sign-in made still stands." in again

    # A moderator cannot; another site's site admin finds nothing of this site's to reverse.
    own_token = csrf_token(mona.get("/review").get_data(as_text=True))
    assert mona.post(f"/admin/audit/sign-ins/{tag}/reverse",
                     data={"csrf_token": own_token, "reason": "x"}).status_code == 403
    other = make_site_admin("eve", sites=[make_site("evening-post").id])
    other_client = sign_in(other)
    assert "still stand" not in other_client.get(f"/admin/audit?who={tag}").get_data(as_text=True)
