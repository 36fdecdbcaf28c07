"""reports are counted per reporter over the last minute

The per-reporter rate limit on reports counts a reporter's recent reports on each filing; without
an index that count scans the whole reports table.

Revision ID: 0006_requests
Revises: 0005_webhooks
"""
from alembic import op

revision = "0006_requests"
down_revision = "0005_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_reporter_recent", "reports", ["reporter_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_reports_reporter_recent", table_name="reports")
