"""A statement stuck behind a lock held elsewhere fails after DATABASE_STATEMENT_TIMEOUT, so the
request answers 503 with Retry-After instead of holding its web thread until the lock goes."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text

from moderation.config import ConfigError


def test_a_request_behind_a_held_table_lock_answers_503_instead_of_waiting(services, app_with, site):
    client = app_with(DATABASE_STATEMENT_TIMEOUT=0.5).test_client()
    answers = []
    engine = create_engine(services.database_url)
    try:
        with engine.connect() as other:
            # Another transaction (a migration, a long admin job) holds the comments table.
            other.execute(text("LOCK TABLE comments IN ACCESS EXCLUSIVE MODE"))
            request = threading.Thread(
                target=lambda: answers.append(client.get("/api/v1/comments/1", headers=site.headers)))
            request.start()
            request.join(timeout=30)  # without the limit the request waits for as long as the lock is held
            still_waiting = request.is_alive()
            other.rollback()
        request.join(timeout=30)
    finally:
        engine.dispose()

    assert not still_waiting, "the request was still waiting for the lock after 30 s"
    (response,) = answers
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "unavailable"
    # A lock, not an outage: a chaos walk's readers were told the database was not reachable while
    # /readyz said it was fine.
    assert "did not answer in time" in response.get_json()["error"]["message"]
    assert "not reachable" not in response.get_json()["error"]["message"]


@pytest.mark.parametrize("limit", [5.5, 0, 1e9])
def test_any_setting_leaves_ordinary_requests_working(app_with, site, limit):
    """Without a lock the request is answered as usual, whatever the setting: 0 means no limit;
    one past PostgreSQL's largest (about 24 days) is held at that largest, where passing it on
    would make every connection fail. The short limit is a fraction of a second more than 5 s:
    with 0.5 s, a backend a busy machine held up for half a second turned a 404 into a 503."""
    response = app_with(DATABASE_STATEMENT_TIMEOUT=limit).test_client().get("/api/v1/comments/1", headers=site.headers)

    assert response.status_code == 404  # no such comment: the limit does not get in the way of normal work


@pytest.mark.parametrize("limit", [-1, float("nan"), float("inf")])
def test_a_limit_that_means_nothing_stops_the_app_at_start_naming_the_setting(app_with, limit):
    with pytest.raises(ConfigError, match="DATABASE_STATEMENT_TIMEOUT must be"):
        app_with(DATABASE_STATEMENT_TIMEOUT=limit)
