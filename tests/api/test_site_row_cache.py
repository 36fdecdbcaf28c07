"""The API keeps a site's row for a moment instead of reading it on every request (site_rows.py)."""
from __future__ import annotations

import itertools
import time
import types

from sqlalchemy import event, text

from moderation import db
from moderation.domain import site_rows
from moderation.models import Site

ids = itertools.count()


def post(client, site) -> dict:
    response = client.post("/api/v1/comments", headers=site.headers,
                           json={"id": f"c-{next(ids)}", "story_id": "s-1", "author_id": "a", "text": "Fine words."})
    assert response.status_code == 202
    return response.get_json()


def test_a_second_request_does_not_read_the_sites_row_again(app, client, site):
    post(client, site)
    reads = []
    engine = app.extensions["db_engine"]
    listener = lambda conn, cursor, statement, *a: reads.append(statement) if "FROM sites" in statement else None  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        post(client, site)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert reads == []


def test_a_change_made_here_shows_at_once_and_one_made_elsewhere_within_the_ttl(app, client, site, monkeypatch):
    assert post(client, site)["visible"] is False  # pre-moderation hides a pending comment
    with app.app_context():
        db.session.get(Site, site.id).moderation_mode = "post"
        db.session.commit()
    assert post(client, site)["visible"] is True  # this process's flush forgot its copy

    with app.app_context():  # as another process would: behind this one's back
        db.session.execute(text("UPDATE sites SET moderation_mode = 'pre' WHERE id = :id"), {"id": site.id})
        db.session.commit()
    assert post(client, site)["visible"] is True  # still the copy
    later = time.monotonic() + site_rows.ROW_TTL + 0.1
    monkeypatch.setattr(site_rows, "time", types.SimpleNamespace(monotonic=lambda: later))
    assert post(client, site)["visible"] is False


def test_a_deactivated_site_is_refused_at_once(app, client, site):
    post(client, site)
    with app.app_context():
        db.session.get(Site, site.id).active = False
        db.session.commit()
    response = client.post("/api/v1/comments", headers=site.headers,
                           json={"id": "late", "story_id": "s-1", "author_id": "a", "text": "Hello?"})
    assert response.status_code == 401


def test_a_key_revoked_by_another_process_is_refused_once_the_row_is_read_again(app, client, site, monkeypatch):
    post(client, site)
    with app.app_context():  # another process revokes: this one's copy of the row still has the hash
        db.session.execute(text("UPDATE sites SET key_hash = '' WHERE id = :id"), {"id": site.id})
        db.session.commit()
    post(client, site)
    later = time.monotonic() + site_rows.ROW_TTL + 0.1
    monkeypatch.setattr(site_rows, "time", types.SimpleNamespace(monotonic=lambda: later))
    response = client.post("/api/v1/comments", headers=site.headers,
                           json={"id": "after-revoke", "story_id": "s-1", "author_id": "a", "text": "Hi."})
    assert response.status_code == 401
