"""indexes for the operations page, the Prometheus snapshot and event retention

A soak test of an hour at 27 comments a second found /admin/operations taking 1.6-3 s at 98,000
comments and growing with the data: counting comments received in the last day read the whole
comments table (no index on received_at), and counting webhook events of the last day read the
whole webhook_deliveries table, which keeps 30 days (no index on created_at). The hourly retention
job deleted delivered events through a full read of that table too (no index on delivered_at).

Plain CREATE INDEX, as every migration here: it blocks writes to the table while it builds
(seconds at 100,000 rows; run the upgrade in a quiet hour on a big installation).

Revision ID: 0026_operations_indexes
Revises: 0025_accent_blind_search
"""
import sqlalchemy as sa
from alembic import op

revision = "0026_operations_indexes"
down_revision = "0025_accent_blind_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_comments_received_at", "comments", ["received_at"])
    op.create_index("ix_webhook_deliveries_created_at", "webhook_deliveries", ["created_at"])
    op.create_index("ix_webhook_deliveries_delivered_at", "webhook_deliveries", ["delivered_at"],
                    postgresql_where=sa.text("delivered_at IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_delivered_at", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_created_at", table_name="webhook_deliveries")
    op.drop_index("ix_comments_received_at", table_name="comments")
