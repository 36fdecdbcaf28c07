"""an index for the Reported tab's held comments with reports

The Reported tab counts held comments that readers reported as well as published ones past the
threshold (domain/queue.py). Without an index its count read every held comment to look at its
report weight: the admin's queue went from about 60 to 120 ms at 100,000 comments
(bench/queue_pages.py). A partial index like 0012's ix_comments_reported: a few per cent of rows.

Revision ID: 0022_held_reported
Revises: 0021_revisions
"""
from alembic import op

revision = "0022_held_reported"
down_revision = "0021_revisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_comments_held_reported ON comments (site_id, report_weight) "
               "WHERE status = 'held' AND report_weight > 0")


def downgrade() -> None:
    op.drop_index("ix_comments_held_reported", table_name="comments")
