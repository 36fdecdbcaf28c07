"""Migration 0028_readable_created_at leaves no comment time that psycopg cannot read back."""
from __future__ import annotations

from migration_databases import fresh_database
from sqlalchemy import create_engine, text

from moderation.migrate import upgrade

DATABASE = "migration_0028_readable_created_at"


def test_0028_clears_only_the_times_python_cannot_read(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, "0027_scored_priority")
    engine = create_engine(url)
    times = {"year 10000 in UTC": "9999-12-31T23:59:59-14:00", "BC": "0044-03-15 12:00:00+00 BC",
             "year 10000 in Berlin": "9999-12-31T23:59:59Z",  # a re-check: a server's zone east of UTC
             "ordinary": "2026-11-28T09:00:00Z", "far but readable": "2150-01-01T00:00:00Z", "none": None}
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sites (name, key_id, key_hash, webhook_secret) VALUES ('s', 'k', 'h', 'w')"))
        for name, created in times.items():
            connection.execute(text(
                "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, created_at) "
                "VALUES (1, :name, 's-1', 'a-1', 'Text.', 'x', CAST(:created AS timestamptz))"),
                {"name": name, "created": created})
    upgrade(url)
    with engine.connect() as connection:
        # Read as the app reads them: every row loads now.
        kept = {name: created and created.isoformat() for name, created in
                connection.execute(text("SELECT external_id, created_at FROM comments"))}
    engine.dispose()
    assert kept == {"year 10000 in UTC": None, "BC": None, "year 10000 in Berlin": None,
                    "ordinary": "2026-11-28T09:00:00+00:00",
                    "far but readable": "2150-01-01T00:00:00+00:00", "none": None}
