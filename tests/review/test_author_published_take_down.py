"""An author's published comments, taken down from their page after a sanction (an election night's
lead banned reader-troll-1 and their published "strung up from a lamppost" stayed up)."""
from __future__ import annotations

import re

from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.models import AuditEntry, Comment, Report, WebhookDelivery

THREAT = "The returning officer should be strung up from a lamppost."


def _troll(make_comment, site_id: int) -> dict[str, int]:
    return {"threat": make_comment(site_id, THREAT, author_id="troll", status="published", flagged=[],
                                   reports=[{"reason": "harassment", "reporter_id": "r1"}]),
            "rant": make_comment(site_id, "The count is rigged.", author_id="troll", status="published", flagged=[]),
            "held": make_comment(site_id, author_id="troll"),
            "approved": make_comment(site_id, "Fair enough.", author_id="troll", status="approved"),
            "other": make_comment(site_id, "Someone else's.", author_id="calm", status="published")}


def test_a_ban_says_what_is_still_published_and_the_page_offers_it_for_taking_down(
        app, sign_in, moderator, make_site, grant, make_comment):
    site = make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")
    grant(moderator, site)
    ids = _troll(make_comment, site.id)
    client = sign_in(moderator)
    page = client.get(f"/review/authors/{site.id}/troll").get_data(as_text=True)

    banned = client.post(f"/review/authors/{site.id}/sanction", data={
        "csrf_token": csrf_token(page), "author_id": "troll", "kind": "ban", "reason": "threats"},
        follow_redirects=True).get_data(as_text=True)

    assert 'troll: banned. 2 of their comments are still published: <a href="#published">take them down below</a>.' \
        ' 1 approved by a moderator is shown too: <a href="#approved">listed below</a>, each undone or reversed on ' \
        'its own page.' in banned
    # A colleague's approval is listed for its own page's undo or reversal, not offered to the take-down.
    approved = banned[banned.index('id="approved"'):banned.index("</section>", banned.index('id="approved"'))]
    assert f'href="/review/{ids["approved"]}">#{ids["approved"]}</a>' in approved and 'name="ids"' not in approved
    section = banned[banned.index('id="published"'):banned.index("</section>", banned.index('id="published"'))]
    assert "Published comments <small>(2, shown on the site)</small>" in section
    assert re.findall(r'name="ids" value="(\d+)" form="bulk-published"', section) == [
        str(ids["threat"]), str(ids["rant"])]  # not the held, approved or another author's; none ticked
    assert "checked" not in section and "1 open report" in section
    assert 'value="approve"' not in section  # a take-down only
    assert 'data-confirm="Take every selected comment down from the site?' in section

    form = {"csrf_token": csrf_token(banned), "next": f"/review/authors/{site.id}/troll", "action": "reject",
            "reason_choice": "Threat or incitement to violence", "ids": [str(ids["threat"]), str(ids["rant"])],
            **{f"version-{i}": "1" for i in (ids["threat"], ids["rant"])}}
    result = client.post("/review/bulk", data=form, follow_redirects=True).get_data(as_text=True)

    assert "Undo all 2" in result
    with app.app_context():
        taken = [db.session.get(Comment, ids[name]) for name in ("threat", "rant")]
        assert [(c.status, c.decision_reason) for c in taken] == [("rejected", "Threat or incitement to violence")] * 2
        assert db.session.get(Comment, ids["approved"]).status == "approved"
        assert db.session.scalar(select(Report.outcome).where(Report.comment_id == ids["threat"])) == "upheld"
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.comment_id == ids["threat"])).all()
        assert "status:published->rejected" in actions
        events = {(d.comment_id, d.event["type"]) for d in db.session.scalars(select(WebhookDelivery))}
        assert {(ids["threat"], "comment.status_changed"), (ids["rant"], "comment.status_changed"),
                (ids["threat"], "report.resolved")} <= events
    after = client.get(f"/review/authors/{site.id}/troll").get_data(as_text=True)
    assert 'id="published"' not in after and 'id="approved"' in after  # nothing left up to take down


def test_a_sanction_says_nothing_of_published_comments_when_none_are(app, sign_in, moderator, site, grant,
                                                                     make_comment):
    grant(moderator, site)
    make_comment(site.id, author_id="troll")
    client = sign_in(moderator)
    page = client.get(f"/review/authors/{site.id}/troll").get_data(as_text=True)
    banned = client.post(f"/review/authors/{site.id}/sanction", data={
        "csrf_token": csrf_token(page), "author_id": "troll", "kind": "ban", "reason": "threats"},
        follow_redirects=True).get_data(as_text=True)
    assert "troll: banned." in banned and "still published" not in banned and 'id="published"' not in banned
