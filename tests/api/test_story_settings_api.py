"""A site closes a story's comments, or pre-moderates them, from its own CMS: PATCH /api/v1/stories/<id>.

Before, only an admin on /admin could: a newsroom that closes comments two days after publishing
had someone click through the rules page for every story.
"""
from __future__ import annotations

from sqlalchemy import select
from test_comment_lookup_and_reports import submit

from moderation import db
from moderation.models import AuditEntry


def patch(client, site, story_id: str, body):
    return client.patch(f"/api/v1/stories/{story_id}", headers=site.headers, json=body)


def test_a_closed_story_refuses_new_comments_and_opens_again(app, client, site, outsider):
    submit(client, site, id="before", story_id="news/2026/fire")
    answer = patch(client, site, "news%2F2026%2Ffire", {"closed": True})
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["story_id"], body["closed"], body["premoderated"]) == ("news/2026/fire", True, False)
    assert body["comments"]["total"] == 1

    refused = client.post("/api/v1/comments", headers=site.headers,
                          json={"id": "after", "story_id": "news/2026/fire", "author_id": "a", "text": "Late."})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "story_closed"
    # Another site's story of the same id is its own.
    submit(client, outsider, id="theirs", story_id="news/2026/fire")

    assert patch(client, site, "news%2F2026%2Ffire", {"closed": False}).get_json()["closed"] is False
    submit(client, site, id="after", story_id="news/2026/fire")
    with app.app_context():
        changes = [e.details["new"] for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "story:settings_changed").order_by(AuditEntry.id))]
        actors = {e.actor for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "story:settings_changed"))}
    assert changes == [{"closed": True, "premoderated": False, "strict": False},
                       {"closed": False, "premoderated": False, "strict": False}]
    assert actors == {f"site:{site.id}"}


def test_a_setting_left_out_keeps_its_value(client, site):
    patch(client, site, "s-1", {"premoderated": True})
    assert patch(client, site, "s-1", {"closed": True}).get_json()["premoderated"] is True
    held = client.post("/api/v1/comments", headers=site.headers,
                       json={"id": "c", "story_id": "s-2", "author_id": "a", "text": "Hello."})
    assert held.status_code == 202  # s-2 is untouched: open


def test_bad_settings_are_400s_naming_the_field_and_change_nothing(client, site):
    for body, field in (({"close": True}, "close"), ({}, "closed"), ({"closed": "yes"}, "closed"),
                        ({"closed": 1}, "closed"), ({"premoderated": None}, "premoderated"),
                        ({"closed": True, "open": False}, "open")):
        answer = patch(client, site, "s-1", body)
        assert answer.status_code == 400, body
        assert answer.get_json()["error"]["field"] == field, body
    assert patch(client, site, "s-1", [True]).status_code == 400  # not an object
    too_long = patch(client, site, "x" * 201, {"closed": True})
    assert too_long.status_code == 400 and too_long.get_json()["error"]["field"] == "story_id"
    assert client.get("/api/v1/stories/s-1", headers=site.headers).get_json()["closed"] is False


def test_a_story_id_no_comment_could_have_is_refused_and_a_change_to_nothing_makes_no_row(app, client, site):
    """A security review: PATCH stored "a/../b", an invisible id and U+FFFD, which POST refuses, and a
    PATCH to the defaults made an unaudited row each time (1,000 in 15 s)."""
    from moderation.models import Story

    for path in ("a%2F..%2Fb", "%2E%2E", "%E2%80%8B", "%C0%AF", "%20%20"):
        refused = patch(client, site, path, {"closed": True})
        assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "story_id", path
    for n in range(5):
        assert patch(client, site, f"junk-{n}", {"closed": False, "premoderated": False}).status_code == 200
    with app.app_context():
        assert db.session.query(Story).count() == 0
        assert db.session.query(AuditEntry).filter(AuditEntry.action == "story:settings_changed").count() == 0


def test_on_a_closed_story_an_edit_that_only_removes_words_is_refused_as_the_openapi_says(client, site):
    """The OpenAPI said only "edits that bring new words" were refused; every change is, as
    docs/moderation.md says, so a site reading the document expected a reader could cut words (an API contract walk)."""
    comment = submit(client, site, id="cl-1", story_id="s-closed", text="The council vote was close and fair.")
    patch(client, site, "s-closed", {"closed": True})
    cut = client.patch(f"/api/v1/comments/{comment}", headers=site.headers, json={"text": "The council vote was fair."})
    assert cut.status_code == 409 and cut.get_json()["error"]["code"] == "story_closed"
    same = client.patch(f"/api/v1/comments/{comment}", headers=site.headers,
                        json={"text": "The council vote was close and fair."})
    assert same.status_code == 200
    closed = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Story"]["properties"]["closed"]
    assert "new words" not in closed["description"] and "only removes words" in closed["description"]
