"""comments that cannot be scored are set aside; claiming takes each site's oldest in turn

One row that failed every batch it was in (a created_at psycopg cannot read, a text the model
chokes on) kept every site's comments pending. Such a row is now set aside with its error, for
an admin to retry or reject, and claiming skips it. The partial index serves claiming each
site's oldest pending comments, so one site's flood cannot fill every batch.

Revision ID: 0003_scoring
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_scoring"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("comments", sa.Column("scoring_failed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("comments", sa.Column("scoring_error", sa.Text(), nullable=True))
    op.add_column("comments", sa.Column("scoring_attempts", sa.Integer(), server_default=sa.text("0"), nullable=False))
    op.create_index(
        "ix_comments_claimable", "comments", ["site_id", "received_at"],
        postgresql_where=sa.text("status = 'pending' AND scoring_failed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_comments_claimable", table_name="comments")
    op.drop_column("comments", "scoring_attempts")
    op.drop_column("comments", "scoring_error")
    op.drop_column("comments", "scoring_failed_at")
