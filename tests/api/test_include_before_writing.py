"""A bad ?include= is refused before anything is written: it had been checked while answering, so a
POST, an edit or a report answered 400 and took effect (an integrator's walk)."""
from __future__ import annotations

from sqlalchemy import func, select

from moderation import db
from moderation.models import Comment, Report

GOOD = {"id": "inc-1", "story_id": "s", "author_id": "a", "text": "Hello, a civil comment."}


def test_a_bad_include_on_a_post_stores_nothing(app, client, site):
    response = client.post("/api/v1/comments?include=TEXT", json=GOOD, headers=site.headers)

    assert response.status_code == 400 and response.get_json()["error"]["field"] == "include"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_a_bad_include_on_an_edit_or_a_report_changes_nothing(app, client, site):
    comment_id = client.post("/api/v1/comments", json=GOOD, headers=site.headers).get_json()["id"]

    edit = client.patch(f"/api/v1/comments/{comment_id}?include=bogus", json={"text": "Another text altogether."},
                        headers=site.headers)
    report = client.post(f"/api/v1/comments/{comment_id}/reports?include=1",
                         json={"reason": "spam", "reporter_id": "r-1"}, headers=site.headers)

    assert (edit.status_code, report.status_code) == (400, 400)
    with app.app_context():
        assert db.session.get(Comment, comment_id).text == GOOD["text"]
        assert db.session.scalar(select(func.count()).select_from(Report)) == 0
