"""review search finds words however they are accented or composed

A moderator searching "cafe" missed "café", "strasse" missed "Straße", and a comment typed with
combining accents (NFD, as some phones send it) was found by neither spelling (a multilingual
newsroom's walk). Comments are now searched through `moderation_search`, English stemming after
PostgreSQL's `unaccent` (accents, ligatures and combining marks folded: "Ärger" is found by
"arger"). The search vector is generated again: this rewrites the comments table once, under an
exclusive lock (seconds at 100,000 rows; run it in a quiet hour on a big installation).

`unaccent` ships with PostgreSQL (contrib, in the official image and the embedded server) and is
trusted, as are pg_trgm and btree_gist, which 0011_precedent created: a database that took 0011
can take this.

Revision ID: 0025_accent_blind_search
Revises: 0024_removed_reports
"""
from alembic import op

revision = "0025_accent_blind_search"
down_revision = "0024_removed_reports"
branch_labels = None
depends_on = None


def _vector(config: str) -> None:
    op.drop_index("ix_comments_search_vector", table_name="comments")
    op.drop_column("comments", "search_vector")
    op.execute("ALTER TABLE comments ADD COLUMN search_vector tsvector "
               f"GENERATED ALWAYS AS (to_tsvector('{config}'::regconfig, text)) STORED")
    op.execute("CREATE INDEX ix_comments_search_vector ON comments USING gin (search_vector)")


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE TEXT SEARCH CONFIGURATION moderation_search (COPY = english)")
    op.execute("ALTER TEXT SEARCH CONFIGURATION moderation_search "
               "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem")
    _vector("moderation_search")


def downgrade() -> None:
    _vector("english")
    op.execute("DROP TEXT SEARCH CONFIGURATION moderation_search")
