"""accounts and keys: session generations, last sign-in, and a rotated key's grace period

Revision ID: 0004_accounts
Revises: 0003_scoring
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_accounts"
down_revision = "0003_scoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("session_generation", sa.Integer(), server_default=sa.text("0"), nullable=False))
    op.add_column("users", sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("sites", sa.Column("previous_key_id", sa.String(length=32), nullable=True))
    op.add_column("sites", sa.Column("previous_key_hash", sa.String(length=200), nullable=True))
    op.add_column("sites", sa.Column("previous_key_expires_at", sa.DateTime(timezone=True), nullable=True))
    op.create_unique_constraint("sites_previous_key_id_key", "sites", ["previous_key_id"])


def downgrade() -> None:
    op.drop_constraint("sites_previous_key_id_key", "sites", type_="unique")
    op.drop_column("sites", "previous_key_expires_at")
    op.drop_column("sites", "previous_key_hash")
    op.drop_column("sites", "previous_key_id")
    op.drop_column("users", "last_login_at")
    op.drop_column("users", "session_generation")
