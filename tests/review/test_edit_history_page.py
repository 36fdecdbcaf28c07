"""A moderator opening an edited comment sees the text before the edit in its history."""
from __future__ import annotations

from moderation import db
from moderation.domain.lifecycle import HELD, PUBLISHED, SCORER, change_status
from moderation.models import Comment


def published(app, client, site, external_id: str, text: str) -> int:
    """A comment posted through the API and published as the scorer would."""
    posted = client.post("/api/v1/comments", headers=site.headers, json={
        "id": external_id, "story_id": "s-1", "author_id": "a-1", "text": text})
    comment_id = posted.get_json()["id"]
    with app.app_context():
        change_status(db.session, db.session.get(Comment, comment_id), PUBLISHED, actor="system:scorer", by=SCORER)
        db.session.commit()
    return comment_id


def test_the_detail_page_shows_the_text_before_the_reader_edited_it(app, client, site, moderator, grant, sign_in):
    grant(moderator, site)
    comment_id = published(app, client, site, "c-1", "The <b>first</b> words.")
    client.patch(f"/api/v1/comments/{comment_id}", headers=site.headers, json={"text": "The second words."})

    html = sign_in(moderator).get(f"/review/{comment_id}").get_data(as_text=True)

    assert "The second words." in html
    assert "Edited the text; before (text revision 1, published):" in html
    assert "The &lt;b&gt;first&lt;/b&gt; words." in html  # escaped, like every reader's text
    assert "Back to scoring after the edit: published → pending" in html
    assert "Reports reached the threshold" not in html  # the edit is not mistaken for reports


def test_the_report_that_sent_a_comment_to_review_comes_before_the_hold_in_its_history(app, client, site, moderator,
                                                                                        grant, sign_in):
    grant(moderator, site)
    comment_id = published(app, client, site, "c-2", "Published words.")
    filed = 0
    while filed < 10:  # reports until one reaches the site's threshold
        filed += 1
        answer = client.post(f"/api/v1/comments/{comment_id}/reports", headers=site.headers,
                             json={"reason": "harassment", "reporter_id": f"r-{filed}"})
        if answer.get_json()["comment"]["status"] == "held":
            break

    html = sign_in(moderator).get(f"/review/{comment_id}").get_data(as_text=True)

    hold = html.index("Reports reached the threshold: published → held")
    # Every report, the last one included (it reached the threshold in the same request), comes first.
    assert html.count("Reported: harassment") == filed and html.rfind("Reported: harassment") < hold


def test_what_the_model_said_of_the_text_before_the_edit_is_in_the_history(app, client, site, moderator, grant,
                                                                           sign_in):
    """A standards editor's walk: a lawyer asked what the model said of the text a moderator rejected;
    after the reader's edit only the new text's scores were shown anywhere."""
    grant(moderator, site)
    posted = client.post("/api/v1/comments", headers=site.headers, json={
        "id": "c-law", "story_id": "s-1", "author_id": "a-1", "text": "The prosecutor is an incompetent fool."})
    comment_id = posted.get_json()["id"]
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        comment.scores = {"toxicity": 0.997, "insult": 0.996, "threat": 0.004}
        change_status(db.session, comment, HELD, actor="system:scorer", by=SCORER)
        db.session.commit()
    client.patch(f"/api/v1/comments/{comment_id}", headers=site.headers,
                 json={"text": "The prosecutor made an incompetent case, in my view."})

    html = sign_in(moderator).get(f"/review/{comment_id}").get_data(as_text=True)

    assert ("Edited the text; before (text revision 1, held; scored toxicity 1.00, insult 1.00, threat 0.00):"
            in html)
    with app.app_context():
        from moderation.domain.subject_access import subject_access
        from moderation.models import Site
        earlier = subject_access(db.session, db.session.get(Site, site.id), "a-1")["comments"][0]["earlier_texts"]
    assert earlier[0]["status"] == "held" and earlier[0]["scores"]["toxicity"] == 0.997
