"""A site asks about an author, and about what came of its readers' reports."""
from __future__ import annotations

from moderation import db
from moderation.domain.decisions import decide
from moderation.domain.sanctions import sanction_author
from moderation.models import Comment, Site, SiteMember, User

GOOD = {"story_id": "s-1", "text": "A thoughtful comment."}


def submit(client, site, external_id: str, author_id: str = "a-1") -> int:
    response = client.post("/api/v1/comments", json={**GOOD, "id": external_id, "author_id": author_id},
                           headers=site.headers)
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def reject(app, comment_id: int, user_id: int) -> None:
    """A moderator of the comment's site rejects it."""
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        version = comment.version
        db.session.merge(SiteMember(user_id=user_id, site_id=comment.site_id))
        db.session.commit()
        decide(db.session, comment_id, user=db.session.get(User, user_id), action="reject", reason="Spam",
               expected_version=version)


def test_an_author_shows_comments_by_status_reports_against_and_sanctions(app, client, site, moderator):
    first, second = submit(client, site, "c-1", "a/1"), submit(client, site, "c-2", "a/1")
    client.post(f"/api/v1/comments/{first}/reports", json={"reason": "spam", "reporter_id": "r1"}, headers=site.headers)
    reject(app, first, moderator.id)
    with app.app_context():
        sanction_author(db.session, db.session.get(Site, site.id), "a/1", "suspend", "spam links",
                        db.session.get(User, moderator.id), days=2)
    body = client.get("/api/v1/authors/a/1", headers=site.headers).get_json()
    assert body["author_id"] == "a/1"
    assert body["comments"]["total"] == 2
    assert body["comments"]["by_status"]["rejected"] == 1 and body["comments"]["by_status"]["pending"] == 1
    assert body["reports_against"] == {"total": 1, "upheld": 1, "dismissed": 0, "removed": 0, "open": 0}
    assert body["sanction"]["kind"] == "suspend" and body["sanction"]["active"] is True
    assert [s["reason"] for s in body["sanctions"]] == ["spam links"]
    assert "mona" not in str(body)  # moderators' names stay on our side
    assert second
    # The reporter, who wrote nothing: a record all the same, with what came of their reports.
    reporter = client.get("/api/v1/authors/r1", headers=site.headers)
    assert reporter.status_code == 200, reporter.get_json()
    assert reporter.get_json()["reports_filed"] == {"total": 1, "upheld": 1, "dismissed": 0, "removed": 0, "open": 0}
    assert reporter.get_json()["comments"]["total"] == 0


def test_another_sites_author_and_an_unknown_author_are_404(client, site, outsider):
    submit(client, outsider, "c-1", "their-reader")
    for author in ("their-reader", "nobody"):
        response = client.get(f"/api/v1/authors/{author}", headers=site.headers)
        assert response.status_code == 404 and response.get_json()["error"]["field"] == "author_id"
    assert client.get("/api/v1/authors/their-reader").status_code == 401


def test_a_comments_reports_show_their_outcome(app, client, site, moderator):
    comment_id = submit(client, site, "c-1")
    posted = client.post(f"/api/v1/comments/{comment_id}/reports", json={"reason": "spam", "reporter_id": "r1"},
                         headers=site.headers).get_json()["report"]
    assert posted["outcome"] is None and posted["resolved_at"] is None
    reject(app, comment_id, moderator.id)
    body = client.get(f"/api/v1/comments/{comment_id}/reports", headers=site.headers).get_json()
    assert body["comment_id"] == comment_id
    assert [(r["id"], r["reporter_id"], r["outcome"]) for r in body["reports"]] == [(posted["id"], "r1", "upheld")]
    assert body["reports"][0]["resolved_at"]


def test_a_comment_deleted_before_a_decision_closes_its_reports_without_counting_against_the_reporter(
        client, site):
    """An erased author's page said "1 open" of a comment no moderator could review any more."""
    deleted, erased, other = submit(client, site, "c-1", "a-1"), submit(client, site, "c-2", "a-2"), submit(client, site, "c-3")
    for comment_id in (deleted, erased):
        client.post(f"/api/v1/comments/{comment_id}/reports", json={"reason": "spam", "reporter_id": "r1"},
                    headers=site.headers)
    assert client.delete(f"/api/v1/comments/{deleted}", headers=site.headers).status_code == 200
    assert client.delete("/api/v1/authors/a-2", headers=site.headers).status_code == 200

    for comment_id in (deleted, erased):
        [report] = client.get(f"/api/v1/comments/{comment_id}/reports", headers=site.headers).get_json()["reports"]
        assert report["outcome"] == "removed" and report["resolved_at"]
    assert client.get("/api/v1/authors/a-1", headers=site.headers).get_json()["reports_against"] == {
        "total": 1, "upheld": 0, "dismissed": 0, "removed": 1, "open": 0}
    later = client.post(f"/api/v1/comments/{other}/reports", json={"reason": "spam", "reporter_id": "r1"},
                        headers=site.headers).get_json()["report"]
    assert later["weight"] == 1.0  # the site's deletions say nothing of how well r1 reports


def test_another_sites_comment_reports_are_404(client, site, outsider):
    comment_id = submit(client, outsider, "c-1")
    assert client.get(f"/api/v1/comments/{comment_id}/reports", headers=site.headers).status_code == 404
    assert client.get("/api/v1/comments/999999/reports", headers=site.headers).status_code == 404


def test_the_documented_author_and_report_fields_are_the_ones_served(app, client, site, moderator):
    comment_id = submit(client, site, "c-1")
    report = client.post(f"/api/v1/comments/{comment_id}/reports", json={"reason": "spam"},
                         headers=site.headers).get_json()["report"]
    author = client.get("/api/v1/authors/a-1", headers=site.headers).get_json()
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert set(report) == set(schemas["Report"]["properties"])
    assert schemas["ReportResult"]["properties"]["report"] == {"$ref": "#/components/schemas/Report"}
    assert set(author) == set(schemas["Author"]["properties"])
    with app.app_context():
        sanction_author(db.session, db.session.get(Site, site.id), "a-1", "ban", "spam",
                        db.session.get(User, moderator.id))
    sanction = client.get("/api/v1/authors/a-1", headers=site.headers).get_json()["sanction"]
    assert set(sanction) == set(schemas["Sanction"]["properties"])
