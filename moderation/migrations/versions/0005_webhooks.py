"""webhook secret rotation, moderator names opt-in, and an index for dead letters

A rotated webhook secret keeps the previous one valid until it expires; sites see moderators'
login names only when they opt in; failed deliveries (dead letters) are listed by site.

Revision ID: 0005_webhooks
Revises: 0004_accounts
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_webhooks"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sites", sa.Column("previous_webhook_secret", sa.String(length=100), nullable=True))
    op.add_column("sites", sa.Column("previous_webhook_secret_expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("sites", sa.Column("share_moderator_names", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    op.create_index("ix_webhooks_dead", "webhook_deliveries", ["site_id", "created_at"],
                    postgresql_where=sa.text("failed = true"))


def downgrade() -> None:
    op.drop_index("ix_webhooks_dead", table_name="webhook_deliveries")
    op.drop_column("sites", "share_moderator_names")
    op.drop_column("sites", "previous_webhook_secret_expires_at")
    op.drop_column("sites", "previous_webhook_secret")
