"""An import sends archived comments with the decisions the site's earlier system made.

A platform engineer importing 30,000 archived comments found every one scored anew: 7,379 sent to
review (2,057 approved years ago), 2,054 the old system had rejected published with an event each,
29,987 webhook events in all, the old decisions kept nowhere, and the author's same words written
200 days apart held as "5 times in 1 min"."""
from __future__ import annotations

from sqlalchemy import func, select

from moderation import db
from moderation.domain.lifecycle import in_review_queue
from moderation.domain.rule_sets import save_rules
from moderation.domain.rules import validate_rules
from moderation.domain.scoring import score_pending
from moderation.models import Comment, LabelledExample, Site, WebhookDelivery
from word_model import WordModel

URL = "/api/v1/comments:batch"


def item(n: int, **changes: object) -> dict:
    return {"id": f"old-{n}", "story_id": "s-old", "author_id": f"reader-{n % 3}", "text": f"Archived comment {n}.",
            "created_at": "2019-03-01T10:00:00Z", **changes}


def score_all(app) -> dict[int, str]:
    with app.app_context():
        ids = list(db.session.scalars(select(Comment.id).where(Comment.status == "pending")))
        return score_pending(db.session, lambda: WordModel(), ids, batch_size=50)


def test_imported_comments_take_their_decisions_unseen_by_review_and_untold_to_the_site(app, client, make_site):
    site = make_site("archive-herald", webhook_url="http://127.0.0.1:9/hooks")
    body = {"comments": [item(1, imported_decision="approved", text="You idiot, but a fair point."),
                         item(2, imported_decision="rejected", text="A civil remark the old desk rejected."),
                         item(3)]}
    answer = client.post(URL, json=body, headers=site.headers)
    assert [r["status"] for r in answer.get_json()["results"]] == [202, 202, 202]

    scored = score_all(app)

    with app.app_context():
        rows = {c.external_id: c for c in db.session.scalars(select(Comment))}
        assert (rows["old-1"].status, rows["old-2"].status, rows["old-3"].status) == ("approved", "rejected", "published")
        assert rows["old-1"].scores == {"toxicity": 0.9}  # scored all the same: thresholds can be tuned on them
        events = {d.comment_id for d in db.session.scalars(select(WebhookDelivery))}
        assert events == {rows["old-3"].id}  # the site made those two decisions: no event tells it of them
        assert not in_review_queue(rows["old-1"])  # held by the model, were it scored as new
        labels = db.session.execute(select(LabelledExample.comment_id, LabelledExample.kind, LabelledExample.labels)).all()
        assert sorted((c, k, l["toxicity"]) for c, k, l in labels) == [(rows["old-1"].id, "import", 0),
                                                                        (rows["old-2"].id, "import", 1)]
    assert scored[rows["old-2"].id] == "rejected"
    # Edited since, it is the reader's new text: scored and routed, not given the old decision again.
    client.patch(f"/api/v1/comments/{rows['old-1'].id}", json={"text": "You idiot."}, headers=site.headers)
    assert score_all(app) == {rows["old-1"].id: "held"}
    api = client.get(f"/api/v1/comments/{rows['old-2'].id}", headers=site.headers).get_json()
    assert api["decision"]["action"] == "rejected" and api["decision"]["moderator"] is None
    assert api["decision"]["reason"] == "decided before the import" and api["visible"] is False


def test_a_decision_is_an_imports_alone_and_must_be_one_the_service_knows(app, client, site):
    single = client.post("/api/v1/comments", json=item(1, imported_decision="approved"), headers=site.headers)
    assert single.status_code == 400 and single.get_json()["error"]["field"] == "imported_decision"
    batch = client.post(URL, json={"comments": [item(2, imported_decision="spam"), item(3)]}, headers=site.headers)
    results = batch.get_json()["results"]
    assert [r["status"] for r in results] == [400, 202]
    assert results[0]["error"]["field"] == "imported_decision"
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 1


def test_an_import_sent_again_is_the_same_comments_and_another_decision_is_a_conflict(app, client, site):
    comments = [item(n, imported_decision="approved") for n in range(3)]
    assert client.post(URL, json={"comments": comments}, headers=site.headers).get_json()["created"] == 3
    again = client.post(URL, json={"comments": [*comments, item(0, imported_decision="rejected")]},
                        headers=site.headers).get_json()
    assert [r["status"] for r in again["results"]] == [200, 200, 200, 409]
    assert "its imported_decision" in again["results"][3]["error"]["message"]  # not "its text" (a re-check)
    assert set(score_all(app).values()) == {"approved"}  # a batch of imported decisions alone


def test_an_authors_history_is_no_flood_and_no_new_authors_first_words(app, client, site):
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), validate_rules([
            {"name": "repeat-flood", "kind": "flood", "count": 3, "minutes": 1, "scope": "author"},
            {"name": "newcomers", "kind": "new_author", "count": 3, "until": "approved"}]), actor="user:t")
        db.session.commit()
    old = [{"id": f"r-{n}", "story_id": "s-old", "author_id": "regular", "text": "Great article, thanks for writing it.",
            "created_at": f"20{18 + n}-01-01T09:00:00Z"} for n in range(5)]
    client.post(URL, json={"comments": old}, headers=site.headers)
    assert set(score_all(app).values()) == {"published"}
    # A new reader posting now is still a new author, and the same words three times a minute a flood.
    for n in range(3):
        client.post("/api/v1/comments", json={"id": f"new-{n}", "story_id": "s-new", "author_id": "newcomer",
                                              "text": "Same words again."}, headers=site.headers)
    with app.app_context():
        assert score_all(app)
        held = {c.external_id: [h["rule"] for h in c.rule_hits or []] for c in db.session.scalars(
            select(Comment).where(Comment.author_id == "newcomer"))}
    assert held["new-0"] == ["newcomers"] and held["new-2"] == ["repeat-flood", "newcomers"]

