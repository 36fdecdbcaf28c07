"""webhook deliveries remember when their next attempt is due

The sweep resends deliveries whose task was lost; without this it could not tell a lost task
from a retry waiting out its backoff, and would defeat the backoff.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("webhook_deliveries", sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("webhook_deliveries", "next_attempt_at")
