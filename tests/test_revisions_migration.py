"""Migration 0021_revisions upgrades a database that has comments, downgrades, and matches the models."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from migration_databases import fresh_database
from sqlalchemy import create_engine, text

from moderation.migrate import alembic_config, upgrade
from moderation.models import Base

DATABASE = "migration_0021_revisions"
BEFORE = "0020_storms"  # the revision 0021_revisions follows
OURS = ("comment_revisions", "review_after_edit", "ix_comments_story_id")


def test_0018_keeps_existing_comments_downgrades_and_matches_the_models(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, BEFORE)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sites (name, key_id, key_hash, webhook_secret) VALUES ('s', 'k', 'h', 'w')"))
        connection.execute(text("INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash) "
                                "VALUES (1, 'c-1', 's-1', 'a-1', 'An old comment.', 'x')"))
    upgrade(url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT text, review_after_edit FROM comments")).one()
        assert tuple(row) == ("An old comment.", False)  # no comment waits for a review it never needed
        assert connection.execute(text("SELECT count(*) FROM comment_revisions")).scalar() == 0
        diffs = [d for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                 if any(name in repr(d) for name in OURS)]
        assert diffs == []
    command.downgrade(alembic_config(url), BEFORE)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT to_regclass('comment_revisions')")).scalar() is None
        assert connection.execute(text("SELECT text FROM comments")).scalar() == "An old comment."
    upgrade(url)
    engine.dispose()
