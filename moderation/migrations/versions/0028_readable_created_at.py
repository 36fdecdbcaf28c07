"""comments.created_at: none that Python cannot read back

Until created_at was checked on the way in (years 1970 to 2099 as written), a site could send
"9999-12-31T23:59:59-14:00", which PostgreSQL stores as year 10000 in UTC and psycopg cannot read.
Scoring sets such a comment aside, but every other query that loads it failed with a 500 for as
long as it stayed in the site's recent comments: switching the site's moderation mode, the rules'
preview, erasing its author (a walk, 2026-12-04). The time the reader wrote it is lost either way;
it becomes NULL, as for a comment sent without one, and `received_at` still orders it. psycopg
reads a time in the session's time zone, and a server's may be 14 hours either side of UTC:
"9999-12-31T23:59:59Z" is year 10000 in Berlin. So a day's margin at each end of Python's years 1
to 9999 is cleared too.

Revision ID: 0028_readable_created_at
Revises: 0027_scored_priority
"""
from alembic import op

revision = "0028_readable_created_at"
down_revision = "0027_scored_priority"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        UPDATE comments SET created_at = NULL
        WHERE created_at >= TIMESTAMPTZ '9999-12-30 00:00:00+00' OR created_at < TIMESTAMPTZ '0001-01-03 00:00:00+00'
    """)


def downgrade() -> None:
    pass  # the unreadable times are not kept
