"""a comment's webhook deliveries are found by comment, for its history on the detail page

The detail page lists every event sent about a comment (domain/history.py); without this index
that is a scan of the whole outbox, which grows by a row per status change.

Revision ID: 0009_undo
Revises: 0008_members
"""
from alembic import op

revision = "0009_undo"
down_revision = "0008_members"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_webhook_deliveries_comment", "webhook_deliveries", ["comment_id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_comment", table_name="webhook_deliveries")
