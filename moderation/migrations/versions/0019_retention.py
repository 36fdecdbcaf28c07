"""retention and erasure: per-site text retention, erased comments, and a record of author erasures

sites.retention_days: how long a comment's text is kept after its final decision (NULL: forever).
comments.text_erased_at / text_sha256: when the text was erased, and its SHA-256 taken just before,
so a site can still match its own copy. author_erasures records each author erasure request.

Revision ID: 0019_retention
Revises: 0016_shadow
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0019_retention"
down_revision = "0017_rules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sites", sa.Column("retention_days", sa.Integer()))
    op.add_column("comments", sa.Column("text_erased_at", sa.DateTime(timezone=True)))
    op.add_column("comments", sa.Column("text_sha256", sa.String(64)))
    # The retention task's look-up: finally decided comments still holding their text.
    op.create_index("ix_comments_retention", "comments", ["site_id", "status_changed_at"],
                    postgresql_where=sa.text("text_erased_at IS NULL AND status IN ('approved', 'rejected', 'deleted')"))
    op.create_table(
        "author_erasures",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_hash", sa.String(64), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("counts", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
    )
    op.create_index("ix_author_erasures_site_author", "author_erasures", ["site_id", "author_hash"])


def downgrade() -> None:
    op.drop_index("ix_author_erasures_site_author", table_name="author_erasures")
    op.drop_table("author_erasures")
    op.drop_index("ix_comments_retention", table_name="comments")
    op.drop_column("comments", "text_sha256")
    op.drop_column("comments", "text_erased_at")
    op.drop_column("sites", "retention_days")
