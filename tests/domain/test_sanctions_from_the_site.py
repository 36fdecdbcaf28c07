"""A site bans, suspends or pre-moderates a reader from its own tools: POST /api/v1/sanctions.

Before it, a reader banned in a site's community tools went on commenting here until a moderator
found them and banned them again on the author page.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from fake_model import FakeModel
from moderation import db
from moderation.domain.scoring import score_pending
from moderation.models import AuditEntry, AuthorSanction, WebhookDelivery

CIVIL = "Thanks for the careful reporting on the bridge."


def sanction(client, site, **body):
    return client.post("/api/v1/sanctions", headers=site.headers, json=body)


def lift(client, site, **body):
    return client.post("/api/v1/sanctions/lift", headers=site.headers, json=body)


def post_and_score(app, client, site, author_id: str, external_id: str, text: str = CIVIL) -> dict:
    response = client.post("/api/v1/comments", headers=site.headers, json={
        "id": external_id, "story_id": "s", "author_id": author_id, "text": text})
    assert response.status_code == 202, response.get_json()
    with app.app_context():
        score_pending(db.session, FakeModel, [response.get_json()["id"]], batch_size=10)
    return client.get(f"/api/v1/comments/{response.get_json()['id']}", headers=site.headers).get_json()


def events(app, site_id: int, type_: str) -> list[dict]:
    with app.app_context():
        return [d.event for d in db.session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.site_id == site_id).order_by(WebhookDelivery.id))
            if d.event["type"] == type_]


def test_a_reader_the_site_bans_has_their_next_comment_rejected_and_the_site_can_lift_it(app, client, make_site):
    site = make_site("banning-herald", webhook_url="http://127.0.0.1:9/hooks")
    assert post_and_score(app, client, site, "troll", "c-1")["status"] == "published"

    banned = sanction(client, site, author_id="troll", kind="ban", reason="banned in our community tools")
    assert banned.status_code == 201, banned.get_json()
    record = banned.get_json()
    assert record["sanction"]["kind"] == "ban" and record["sanction"]["by"] == "site"
    assert record["comments"]["by_status"]["published"] == 1  # comments already decided are left alone
    assert post_and_score(app, client, site, "troll", "c-2")["status"] == "rejected"
    assert post_and_score(app, client, site, "someone-else", "c-3")["status"] == "published"
    [event] = events(app, site.id, "author.sanctioned")
    assert (event["author_id"], event["sanction"]["by"]) == ("troll", "site")

    lifted = lift(client, site, author_id="troll", reason="appeal upheld")
    assert lifted.status_code == 200 and lifted.get_json()["sanction"] is None
    assert lifted.get_json()["sanctions"][0]["lift_reason"] == "appeal upheld"
    assert post_and_score(app, client, site, "troll", "c-4")["status"] == "published"
    [lifted_event] = events(app, site.id, "author.sanction_lifted")
    assert (lifted_event["sanction"]["by"], lifted_event["sanction"]["lifted_by"]) == ("site", "site")
    with app.app_context():
        actors = db.session.scalars(select(AuditEntry.actor).where(AuditEntry.action.like("author:%"))).all()
    assert actors == [f"site:{site.id}", f"site:{site.id}"]


def test_a_moderator_lifting_the_sites_ban_is_told_as_the_moderators_and_the_history_names_the_site(
        app, client, make_site, moderator):
    """A DSA walk: a moderator lifting the site's ban on appeal was sent as the site's own lift (a site
    dropping its echoes never heard of it), and the comment's history said "a moderator" banned him."""
    from moderation.domain.history import comment_history
    from moderation.domain.sanctions import lift_sanction
    from moderation.models import Comment, Site, User

    site = make_site("appeals-herald", webhook_url="http://127.0.0.1:9/hooks")
    sanction(client, site, author_id="troll", kind="ban", reason="repeated spam (terms 4.2)")
    rejected = post_and_score(app, client, site, "troll", "c-1")
    with app.app_context():
        lift_sanction(db.session, db.session.get(Site, site.id), "troll", db.session.get(User, moderator.id),
                      reason="appeal A-9 upheld")
        db.session.commit()
        comment = db.session.get(Comment, rejected["id"])
        rows = [(e.who, e.what) for e in comment_history(db.session, comment, []) if e.source == "sanction"]
    assert rows == [("the site (API)", "Author sanctioned: ban"), (moderator.username, "Sanction lifted: ban")]
    [event] = events(app, site.id, "author.sanction_lifted")
    assert (event["sanction"]["by"], event["sanction"]["lifted_by"]) == ("site", "moderator")


def test_the_same_ban_sent_again_changes_nothing_and_sends_nothing(app, client, make_site):
    """A CMS retrying its request, or syncing every ban it holds, must not pile up rows and events."""
    site = make_site("retrying-herald", webhook_url="http://127.0.0.1:9/hooks")
    first = sanction(client, site, author_id="troll", kind="ban", reason="spam")
    again = sanction(client, site, author_id="troll", kind="ban", reason="spam")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["sanction"]["id"] == first.get_json()["sanction"]["id"]
    assert len(events(app, site.id, "author.sanctioned")) == 1
    # A stronger measure is a change: it supersedes the weaker one.
    premoderated = sanction(client, site, author_id="reader", kind="premoderate", reason="new account")
    stronger = sanction(client, site, author_id="reader", kind="ban", reason="spam")
    assert (premoderated.status_code, stronger.status_code) == (201, 201)
    assert [s["kind"] for s in stronger.get_json()["sanctions"]] == ["ban", "premoderate"]


def test_a_suspension_lasts_its_days_and_an_author_with_no_comments_yet_can_be_suspended(client, site):
    answer = sanction(client, site, author_id="newcomer", kind="suspend", reason="ban evasion", days=7)
    assert answer.status_code == 201
    made = answer.get_json()["sanction"]
    length = datetime.fromisoformat(made["expires_at"]) - datetime.fromisoformat(made["created_at"])
    assert length == timedelta(days=7)
    assert client.get("/api/v1/authors/newcomer", headers=site.headers).get_json()["sanction"]["kind"] == "suspend"


@pytest.mark.parametrize("body, field", [
    ({"author_id": "troll", "kind": "ban", "reason": "spam", "days": 7}, "days"),  # a ban is for good: not silently
    ({"author_id": "troll", "kind": "suspend", "reason": "spam"}, "days"),
    ({"author_id": "troll", "kind": "suspend", "reason": "spam", "days": 0}, "days"),
    ({"author_id": "troll", "kind": "suspend", "reason": "spam", "days": True}, "days"),
    ({"author_id": "troll", "kind": "mute", "reason": "spam"}, "kind"),
    ({"author_id": "troll", "kind": "ban"}, "reason"),
    ({"author_id": "troll", "kind": "ban", "reason": "   "}, "reason"),
    ({"author_id": "troll", "kind": "ban", "reason": 5}, "reason"),
    ({"author_id": "troll", "kind": "ban", "reason": "a\u0000b"}, "reason"),  # was a 500 (a security review)
    ({"author_id": "troll", "kind": "ban", "reason": "a\ud800b"}, "reason"),
    ({"author_id": "   ", "kind": "ban", "reason": "spam"}, "author_id"),
    ({"author_id": "x/../victim", "kind": "ban", "reason": "spam"}, "author_id"),
    ({"kind": "ban", "reason": "spam"}, "author_id"),
    ({"author_id": "troll", "kind": "ban", "reason": "spam", "until": "2027-01-01"}, "until"),
])
def test_a_bad_sanction_is_a_400_naming_the_field_and_changes_nothing(app, client, site, body, field):
    answer = sanction(client, site, **body)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["error"]["field"] == field
    with app.app_context():
        assert db.session.scalar(select(AuthorSanction.id).limit(1)) is None


def test_malformed_bodies_are_400s(client, site):
    for path in ("/api/v1/sanctions", "/api/v1/sanctions/lift"):
        for body in (b"", b"[1]", b"{"):
            answer = client.post(path, headers={**site.headers, "Content-Type": "application/json"}, data=body)
            assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "malformed_json"


def test_lifting_where_nothing_is_in_force_is_a_404_and_another_sites_ban_is_out_of_reach(app, client, site, outsider):
    assert lift(client, site, author_id="troll").status_code == 404
    assert sanction(client, outsider, author_id="troll", kind="ban", reason="theirs").status_code == 201
    assert lift(client, site, author_id="troll").status_code == 404  # the other site's ban stays
    assert client.get("/api/v1/authors/troll", headers=site.headers).status_code == 404
    assert post_and_score(app, client, site, "troll", "c-1")["status"] == "published"
    refused = lift(client, site, author_id="troll", until="now")
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "until"
    for reason in ("a\u0000b", "\udfff"):
        refused = lift(client, site, author_id="troll", reason=reason)
        assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "reason"



def test_a_sites_measure_never_weakens_a_moderators_nor_lifts_it(app, client, site, moderator):
    """A security review: a CMS syncing its own pre-moderation superseded a moderator's ban for death
    threats, and the site's lift lifted it too."""
    from moderation.domain.sanctions import sanction_author
    from moderation.models import Site, User

    with app.app_context():
        sanction_author(db.session, db.session.get(Site, site.id), "sync-1", "ban", "death threats",
                        db.session.get(User, moderator.id))
    for body in ({"kind": "premoderate"}, {"kind": "suspend", "days": 7}):
        refused = sanction(client, site, author_id="sync-1", reason="site: new account", **body)
        assert refused.status_code == 409, refused.get_json()
        assert "a moderator's ban of 'sync-1' is in force" in refused.get_json()["error"]["message"]
    assert sanction(client, site, author_id="sync-1", kind="ban", reason="site: spam").status_code == 200
    refused = lift(client, site, author_id="sync-1")
    assert refused.status_code == 409 and "a moderator lifts theirs" in refused.get_json()["error"]["message"]
    record = client.get("/api/v1/authors/sync-1", headers=site.headers).get_json()
    assert (record["sanction"]["kind"], record["sanction"]["by"], len(record["sanctions"])) == ("ban", "moderator", 1)


def test_the_same_suspension_sent_again_soon_is_the_same_one(app, client, make_site):
    """A security review: 50 identical suspensions at once made 50 rows and 50 events, the end moving each time."""
    site = make_site("suspending-herald", webhook_url="http://127.0.0.1:9/hooks")
    body = {"author_id": "conc-3", "kind": "suspend", "days": 7, "reason": "same"}
    first, again = sanction(client, site, **body), sanction(client, site, **body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["sanction"] == first.get_json()["sanction"]
    assert len(events(app, site.id, "author.sanctioned")) == 1
    longer = sanction(client, site, **{**body, "days": 14})  # a different measure: it supersedes
    assert longer.status_code == 201 and len(longer.get_json()["sanctions"]) == 2


def test_a_comment_stored_while_the_ban_committed_is_hidden_before_the_ban_answers(app, client, site, monkeypatch):
    """A security review: 86 of a banned raider's comments, posted while the ban call ran, kept no flag
    (each INSERT read the sanctions in its own snapshot) and stayed shown until scored."""
    from sqlalchemy import update

    from moderation.domain import sanctions
    from moderation.models import Comment

    first_commit = sanctions.commit_and_send
    stored: list[int] = []

    def commit_then_a_late_comment(session, deliveries):
        first_commit(session, deliveries)
        if not stored:  # as a concurrent POST would have stored it: flags read before the ban committed
            answer = client.post("/api/v1/comments", headers=site.headers, json={
                "id": "late-1", "story_id": "s", "author_id": "raider", "text": CIVIL})
            stored.append(answer.get_json()["id"])
            with app.app_context():
                db.session.execute(update(Comment).where(Comment.id == stored[0]).values(flagged=[]))
                db.session.commit()

    monkeypatch.setattr(sanctions, "commit_and_send", commit_then_a_late_comment)
    assert sanction(client, site, author_id="raider", kind="ban", reason="raid").status_code == 201
    comment = client.get(f"/api/v1/comments/{stored[0]}", headers=site.headers).get_json()
    assert comment["status"] == "pending" and "author_banned" in comment["flagged"] and comment["visible"] is False


def test_a_suspension_over_a_lasting_pre_moderation_says_the_pre_moderation_comes_back(app, client, make_site):
    """A Node integrator's walk: the site was told of a suspension, never that the pre-moderation it
    had put in force stayed beneath it and applies again when the suspension ends."""
    site = make_site("layered-gazette", webhook_url="https://hooks.layered-gazette.example/m")
    assert sanction(client, site, author_id="sx-1", kind="premoderate", reason="new account").status_code == 201
    assert sanction(client, site, author_id="sx-1", kind="suspend", days=7, reason="insults").status_code == 201
    premoderated, suspended = events(app, site.id, "author.sanctioned")
    assert "then" not in premoderated
    assert suspended["sanction"]["kind"] == "suspend" and suspended["then"] == "premoderate"
