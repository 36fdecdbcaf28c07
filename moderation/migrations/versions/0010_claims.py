"""moderators claim the comment they are looking at, for a few minutes

Two moderators opening the same comment used to find out only when the second decision was
refused. A claim (a lease, renewed while the moderator stays on the comment) lets the others see
who is on it and skip it. One row per claimed comment; an expired row is as good as none.

Revision ID: 0010_claims
Revises: 0009_undo
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_claims"
down_revision = "0009_undo"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_claims",
        sa.Column("comment_id", sa.BigInteger(), sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("review_claims")
