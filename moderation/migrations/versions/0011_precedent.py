"""a review card's context: the thread around a comment and similar decided comments (precedent)

Thread: the earlier replies to the same parent (or, for a top-level comment, the earlier top-level
comments on the story) are read newest first from these two partial indexes, a few entries per card.
Precedent: trigram nearest neighbours among decided comments of the same site. btree_gist lets the
GiST index lead with site_id, so `WHERE site_id = :s ORDER BY text <-> :q LIMIT 3` walks one site's
entries only; partial on decisions, it holds the few decided rows, not the whole backlog.
Both extensions are "trusted" since PostgreSQL 13: the database owner may create them.

Revision ID: 0011_precedent
Revises: 0010_claims
"""
from alembic import op

revision = "0011_precedent"
down_revision = "0010_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute("CREATE INDEX ix_comments_thread ON comments (site_id, parent_id, received_at, id)"
               " WHERE parent_id IS NOT NULL")
    op.execute("CREATE INDEX ix_comments_story_top ON comments (site_id, story_id, received_at, id)"
               " WHERE parent_id IS NULL")
    op.execute("CREATE INDEX ix_comments_precedent ON comments USING gist (site_id, text gist_trgm_ops)"
               " WHERE decision IS NOT NULL")


def downgrade() -> None:
    op.drop_index("ix_comments_precedent", table_name="comments")
    op.drop_index("ix_comments_story_top", table_name="comments")
    op.drop_index("ix_comments_thread", table_name="comments")
    # The extensions stay: other objects may have come to depend on them.
