"""Reports by the site's own comment id, and anonymous reports that can never hide a comment alone."""
from __future__ import annotations

from test_comment_lookup_and_reports import move, report, status_of, submit


def report_by_site_id(client, site, site_comment_id: str, **body):
    return client.post(f"/api/v1/comments/by-site-id/{site_comment_id}/reports", json=body, headers=site.headers)


def test_a_site_reports_a_comment_by_its_own_id(app, client, site):
    comment_id = submit(client, site, id="story-9/comment-3")
    move(app, comment_id, "published")

    response = report_by_site_id(client, site, "story-9/comment-3", reason="hate", reporter_id="r-1")

    assert response.status_code == 201
    body = response.get_json()
    # One reader's report sends it to review without hiding it (domain/reports.py).
    assert body["report"]["comment_id"] == comment_id and body["comment"]["status"] == "published"
    again = report_by_site_id(client, site, "story-9/comment-3", reason="hate", reporter_id="r-1")
    assert again.status_code == 200 and again.get_json()["report"]["id"] == body["report"]["id"]


def test_a_report_by_an_unknown_or_another_sites_id_is_a_404(client, site, outsider):
    submit(client, site, id="c-1")
    assert report_by_site_id(client, outsider, "c-1", reason="spam").status_code == 404
    assert report_by_site_id(client, site, "no-such", reason="spam").get_json()["error"]["code"] == "not_found"


def test_two_anonymous_other_reports_no_longer_hide_a_civil_comment(app, client, site):
    comment_id = submit(client, site)
    move(app, comment_id, "published")

    weights = [report(client, site, comment_id, reason="other").get_json()["report"]["weight"] for _ in range(2)]

    assert weights == [0.5, 0.5]  # half a named report each
    assert status_of(client, site, comment_id) == "published"


def test_no_number_of_anonymous_reports_hides_a_comment_alone(app, client, site):
    comment_id = submit(client, site)
    move(app, comment_id, "published")

    bodies = [report(client, site, comment_id, reason="hate").get_json() for _ in range(6)]

    # The site's threshold is 2: anonymous reports together stop at half of it.
    assert [b["report"]["weight"] for b in bodies] == [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert bodies[-1]["comment"]["status"] == "published"
    named = report(client, site, comment_id, reason="uncivil", reporter_id="reader-1").get_json()
    # Over the threshold with the named one, so in review; one named reader and free anonymous
    # reports do not hide it: that takes a second named reader.
    assert named["comment"]["report_weight"] == 2.0 and named["comment"]["status"] == "published"
    second = report(client, site, comment_id, reason="uncivil", reporter_id="reader-2").get_json()
    assert second["comment"]["status"] == "held"


def test_the_anonymous_weights_are_settings_but_never_above_half_or_the_threshold(app_with, site):
    client = app_with(ANONYMOUS_REPORT_FACTOR=1.0, ANONYMOUS_REPORT_THRESHOLD_SHARE=5.0).test_client()
    comment_id = submit(client, site)
    move(client.application, comment_id, "published")

    bodies = [report(client, site, comment_id, reason="hate").get_json() for _ in range(3)]

    assert bodies[0]["report"]["weight"] == 1.0  # clamped to half of hate's 2
    assert bodies[-1]["comment"]["report_weight"] < 2.0
    assert bodies[-1]["comment"]["status"] == "published"


def test_a_get_on_the_reports_by_site_id_path_lists_the_comments_reports_not_a_comment_lookup(client, site):
    """It answered 405, the one verb on a comment a site could not use its own id for (an integrator's walk)."""
    comment_id = submit(client, site, id="c-1")
    move(client.application, comment_id, "published")
    report(client, site, comment_id, reason="spam")
    response = client.get("/api/v1/comments/by-site-id/c-1/reports", headers=site.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["comment_id"] == comment_id and [r["reason"] for r in body["reports"]] == ["spam"]
    assert client.get("/api/v1/comments/by-site-id/nope/reports", headers=site.headers).status_code == 404
    # Slashes in a site's own id still work everywhere else.
    submit(client, site, id="story-9/comment-3")
    assert client.get("/api/v1/comments/by-site-id/story-9/comment-3", headers=site.headers).status_code == 200


def test_story_and_comment_ids_that_start_with_a_slash_can_be_read_back(client, site):
    """A re-check: "/lead-c" on story "/lead-story" was taken at POST, then every path to it was a 404."""
    posted = client.post("/api/v1/comments", headers=site.headers,
                         json={"id": "/lead-c", "story_id": "/lead-story", "author_id": "a", "text": "Fine words."})
    assert posted.status_code == 202
    story = client.get("/api/v1/stories/%2Flead-story", headers=site.headers)
    assert story.status_code == 200 and story.get_json()["story_id"] == "/lead-story"
    found = client.get("/api/v1/comments/by-site-id/%2Flead-c", headers=site.headers)
    assert found.status_code == 200 and found.get_json()["id"] == posted.get_json()["id"]
    reported = client.post("/api/v1/comments/by-site-id/%2Flead-c/reports", headers=site.headers,
                           json={"reason": "spam", "reporter_id": "r-1"})
    assert reported.status_code in (200, 201), reported.get_data(as_text=True)
    assert client.delete("/api/v1/comments/by-site-id/%2Flead-c", headers=site.headers).status_code == 200


def test_a_comment_id_ending_in_reports_is_refused_since_its_path_would_name_its_reports(client, site):
    """A re-check: "a/reports" was stored, then its path by site id answered 405, and "/reports" 404."""
    for bad in ("a/reports", "/reports"):
        refused = client.post("/api/v1/comments", headers=site.headers,
                              json={"id": bad, "story_id": "s", "author_id": "a", "text": "Fine words."})
        assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "id", bad
    assert client.post("/api/v1/comments", headers=site.headers, json={
        "id": "reports/a", "story_id": "s", "author_id": "a", "text": "Fine words."}).status_code == 202
