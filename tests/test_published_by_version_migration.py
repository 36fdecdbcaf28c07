"""Migration 0047_published_by_version: a comment published before the upgrade is the version's that
published it, one released by scoring held comments again the releasing version's (its audit entry
names the run and the version), so a rollback's count and the Published tab by version include it."""
from __future__ import annotations

import json

from migration_databases import fresh_database
from sqlalchemy import create_engine, text

from moderation.migrate import upgrade

DATABASE = "migration_0047_published_by_version"
OLD_HEAD = "0046_version_trainer"
RELEASE = {"reason": "released after v2, the version in force, scored it again", "model_version": "v2",
           "scored_again_from": "v1", "rescore_run": 7}


def _comment(connection, name: str, status: str, version: str | None, *entries: tuple[str, dict]) -> None:
    comment_id = connection.execute(text(
        "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, status, model_version) "
        "VALUES (1, :name, 's-1', 'a-1', 't', 'x', :status, :version) RETURNING id"),
        {"name": name, "status": status, "version": version}).scalar_one()
    for action, details in entries:
        connection.execute(text("INSERT INTO audit_log (actor, action, comment_id, details) "
                                "VALUES ('system:scorer', :action, :id, CAST(:details AS jsonb))"),
                           {"action": action, "id": comment_id, "details": json.dumps(details)})


def test_published_comments_take_the_version_whose_word_published_them(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, OLD_HEAD)
    engine = create_engine(url)
    held_by_v1 = ("status:pending->held", {"model_version": "v1"})
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sites (name, key_id, key_hash, webhook_secret) "
                                "VALUES ('news', 'k', 'h', 'w')"))
        _comment(connection, "scored", "published", "v1", ("status:pending->published", {"model_version": "v1"}))
        _comment(connection, "scored-long-ago", "published", "v0")  # from before the entries named versions
        _comment(connection, "released", "published", "v1", held_by_v1, ("status:held->published", RELEASE))
        # Released, then rejected by a moderator and undone: published on v2's word again.
        _comment(connection, "undone", "published", "v1", held_by_v1, ("status:held->published", RELEASE),
                 ("status:published->rejected", {}), ("status:rejected->published", {}))
        # Released, then edited and scored again by v3, which published the new text.
        _comment(connection, "edited", "published", "v3", held_by_v1, ("status:held->published", RELEASE),
                 ("status:published->pending", {}), ("status:pending->published", {"model_version": "v3"}))
        # Published at the thresholds in force on the scores that held it: that version's word.
        _comment(connection, "at-thresholds", "published", "v1", held_by_v1,
                 ("status:held->published", {"model_version": "v1", "thresholds": {"toxicity": 0.9}}))
        _comment(connection, "released-then-taken-down", "rejected", "v1", held_by_v1,
                 ("status:held->published", RELEASE), ("status:published->rejected", {}))
        _comment(connection, "approved", "approved", "v1", held_by_v1, ("status:held->approved", {}))
        _comment(connection, "held", "held", "v1", held_by_v1)
    engine.dispose()

    upgrade(url)

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT external_id, published_by_version FROM comments")).all())
        connection.execute(text("SET enable_seqscan = off"))  # nine rows: read by the index only when made to
        plan = "\n".join(connection.execute(text(
            "EXPLAIN SELECT id FROM comments WHERE status = 'published' AND published_by_version = 'v2' "
            "ORDER BY priority DESC, received_at, id LIMIT 26")).scalars())
    engine.dispose()
    assert rows == {"scored": "v1", "scored-long-ago": "v0", "released": "v2", "undone": "v2", "edited": "v3",
                    "at-thresholds": "v1", "released-then-taken-down": None, "approved": None, "held": None}
    assert "ix_comments_published_by_version" in plan
