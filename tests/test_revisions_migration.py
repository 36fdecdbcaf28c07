"""Migration 0021_revisions upgrades a database that has comments, downgrades, and matches the models."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, make_url, text

from moderation.migrate import alembic_config, upgrade
from moderation.models import Base

DATABASE = "migration_0021_revisions"
BEFORE = "0020_storms"  # the revision 0021_revisions follows
OURS = ("comment_revisions", "review_after_edit", "ix_comments_story_id")


def _fresh_database(url: str) -> str:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE}"))
        connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    return make_url(url).set(database=DATABASE).render_as_string(hide_password=False)


def test_0018_keeps_existing_comments_downgrades_and_matches_the_models(services):
    url = _fresh_database(services.database_url)
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
