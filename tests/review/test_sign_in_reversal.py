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


def test_the_same_accounts_later_corrections_are_not_reversed_with_the_attackers_decisions(
        app, moderator, admin, site, make_comment, grant, sign_in):
    """A re-check: the real moderator, signed in again, undid and decided again two of the attacker's
    decisions; "Reverse all" still counted them and put her corrections back to held."""
    grant(moderator, site)
    corrected, left = make_comment(site.id), make_comment(site.id)
    attacker = _signed_in(app, moderator, "AttackerBrowser/6.6")
    for comment_id in (corrected, left):
        assert decide_form(attacker, comment_id, action="approve").status_code == 303
    mona = _signed_in(app, moderator, "NewsroomBrowser/1.0")
    undo_page = mona.get(f"/review/{corrected}").get_data(as_text=True)
    version = re.search(r'action="/review/\d+/undo">.*?name="version" value="(\d+)"', undo_page, re.S).group(1)
    assert mona.post(f"/review/{corrected}/undo", data={"csrf_token": csrf_token(undo_page), "version": version,
                                                         "next": f"/review/{corrected}"}).status_code == 303
    assert decide_form(mona, corrected, action="reject", reason_choice="Spam or advertising").status_code == 303
    tag = _tag_of(app, "AttackerBrowser/6.6")

    admin_client = sign_in(admin)
    log = admin_client.get(f"/admin/audit?who={tag}").get_data(as_text=True)
    assert "1 decision this sign-in made still stands" in log
    admin_client.post(f"/admin/audit/sign-ins/{tag}/reverse", data={"csrf_token": csrf_token(log), "reason": "stolen"})
    with app.app_context():
        assert db.session.get(Comment, corrected).status == "rejected"  # hers, kept
        assert db.session.get(Comment, left).status == "held"


def test_past_a_thousand_standing_decisions_the_first_thousand_are_reversed_and_the_rest_said(
        app, moderator, admin, site, make_comment, grant, sign_in, monkeypatch):
    """A re-check: 1,100 standing decisions were refused outright with "reverse the rest after",
    which nothing allowed."""
    from moderation.domain import session_reversal

    monkeypatch.setattr(session_reversal, "MAX_BULK", 2)
    monkeypatch.setattr("moderation.admin.sign_in_reversal.MAX_BULK", 2)
    monkeypatch.setattr("moderation.admin.routes.MAX_BULK", 2)
    grant(moderator, site)
    ids = [make_comment(site.id) for _ in range(3)]
    attacker = _signed_in(app, moderator, "AttackerBrowser/6.6")
    for comment_id in ids:
        assert decide_form(attacker, comment_id, action="approve").status_code == 303
    tag = _tag_of(app, "AttackerBrowser/6.6")
    admin_client = sign_in(admin)
    log = admin_client.get(f"/admin/audit?who={tag}").get_data(as_text=True)
    assert "Reverse the first 2 of 3" in log and "Reverse the first 2 of the 3 decisions" in log
    done = admin_client.post(f"/admin/audit/sign-ins/{tag}/reverse", data={"csrf_token": csrf_token(log), "reason": "x"})
    assert "1 more of this sign-in&#39;s decisions still stand" in admin_client.get(done.headers["Location"]).get_data(as_text=True)
    again = admin_client.get(f"/admin/audit?who={tag}").get_data(as_text=True)
    assert "1 decision this sign-in made still stands" in again
