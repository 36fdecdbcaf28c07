"""reports on deleted comments close as "removed"

A comment deleted before any moderator decided it kept its reports open for good: the author's
page said "1 open" of a comment no one could review. Deletions now close them
(domain/report_outcomes.py); this closes those left open by earlier releases, at the deletion.

Revision ID: 0024_removed_reports
Revises: 0023_mend_registry
"""
from alembic import op

revision = "0024_removed_reports"
down_revision = "0023_mend_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE reports SET outcome = 'removed', resolved_at = comments.status_changed_at "
               "FROM comments WHERE comments.id = reports.comment_id AND comments.status = 'deleted' "
               "AND reports.outcome IS NULL")


def downgrade() -> None:
    op.execute("UPDATE reports SET outcome = NULL, resolved_at = NULL WHERE outcome = 'removed'")
