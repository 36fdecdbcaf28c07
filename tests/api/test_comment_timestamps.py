"""created_at must be a time a comment can have been written: PostgreSQL stores years Python cannot read."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from moderation import db
from moderation.models import Comment

GOOD = {"id": "c-1", "story_id": "s-1", "author_id": "a-1", "text": "A thoughtful comment."}


def post(client, site, created_at):
    return client.post("/api/v1/comments", json={**GOOD, "created_at": created_at}, headers=site.headers)


@pytest.mark.parametrize("created_at", [
    "9999-12-31T23:59:59-14:00",  # year 10000 in UTC
    "0001-01-01T00:00:00+14:00",  # year 0 in UTC
    "1969-12-31T23:59:59Z",
    "2100-01-01T00:00:00Z",
])
def test_a_created_at_outside_the_years_1970_to_2099_is_refused_and_nothing_stored(app, client, site, created_at):
    response = post(client, site, created_at)

    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["field"] == "created_at" and "1970" in error["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


@pytest.mark.parametrize("created_at", ["1970-01-01T00:00:00+14:00", "2026-11-28T09:30:00+14:00",
                                        "2001-02-03T04:05:06", "2099-12-31T23:59:59-14:00"])
def test_a_plausible_created_at_is_accepted(client, site, created_at):
    assert post(client, site, created_at).status_code == 202


def test_a_comment_stored_with_an_unreadable_created_at_can_still_be_read(app, client, site):
    """Rows stored before the check: the API answers without the field it cannot read (it never returns it)."""
    with app.app_context():
        comment_id = db.session.execute(text(
            "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, created_at, status)"
            " VALUES (:site, 'old-poison', 's', 'a', 'A text', 'x', '9999-12-31T23:59:59-14:00', 'pending') RETURNING id"),
            {"site": site.id}).scalar_one()
        db.session.commit()

    for url in (f"/api/v1/comments/{comment_id}", "/api/v1/comments/by-site-id/old-poison"):
        response = client.get(url, headers=site.headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["id"] == comment_id and response.get_json()["status"] == "pending"


@pytest.mark.parametrize("created_at", ["2026-11-28", "2026-W48-5", "20261128T093000Z", "2026-11-28T09:30",
                                        "2026-11-28T09:30:00+05:30:15", "2026-02-30T09:30:00Z", " 2026-11-28T09:30:00Z",
                                        "２０２６-11-28T09:30:00Z"])
def test_a_created_at_that_is_not_an_rfc_3339_date_time_is_refused(app, client, site, created_at):
    """Python's fromisoformat took a bare date or a week date as some midnight, unsaid."""
    response = post(client, site, created_at)

    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"]["field"] == "created_at"
    assert "real date" not in response.get_json()["error"]["message"] or "02-30" in created_at
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


@pytest.mark.parametrize("created_at", ["2026-11-28t09:30:00z", "2026-11-28 09:30:00.123456789+02:00"])
def test_rfc_3339_s_lower_case_letters_space_and_long_fractions_are_taken(client, site, created_at):
    assert post(client, site, created_at).status_code == 202
