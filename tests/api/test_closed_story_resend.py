"""A comment stored before its story closed, sent again (a retry after a timeout), is answered as stored."""
from moderation import db
from moderation.domain.stories import set_story
from moderation.models import Site

BODY = {"id": "c-1", "story_id": "election", "author_id": "a", "text": "Fine piece."}


def _close(app, site) -> None:
    with app.app_context():
        set_story(db.session, db.session.get(Site, site.id), "election", closed=True, premoderated=False, actor="user:t")
        db.session.commit()


def test_a_resent_comment_is_answered_as_stored_after_its_story_closed(app, client, site):
    first = client.post("/api/v1/comments", headers=site.headers, json=BODY)
    assert first.status_code == 202
    _close(app, site)

    again = client.post("/api/v1/comments", headers=site.headers, json=BODY)
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    new = client.post("/api/v1/comments", headers=site.headers, json={**BODY, "id": "c-2"})
    assert new.status_code == 409 and new.get_json()["error"]["code"] == "story_closed"
    changed = client.post("/api/v1/comments", headers=site.headers, json={**BODY, "text": "Another text."})
    assert changed.status_code == 409 and changed.get_json()["error"]["field"] == "id"  # not "closed"


def test_a_resent_batch_is_answered_as_stored_after_its_story_closed(app, client, site):
    assert client.post("/api/v1/comments:batch", headers=site.headers, json={"comments": [BODY]}).status_code == 200
    _close(app, site)

    response = client.post("/api/v1/comments:batch", headers=site.headers,
                           json={"comments": [BODY, {**BODY, "id": "c-2"}]})
    body = response.get_json()
    assert [r["status"] for r in body["results"]] == [200, 409]
    assert body["results"][1]["error"]["code"] == "story_closed"
    assert (body["created"], body["existing"], body["failed"]) == (0, 1, 1)
