"""author sanctions; report outcomes and why a report weighs what it does

Moderators sanction authors per site (pre-moderate, suspend, ban) and the scorer enforces them,
so sanctions need a table. Reports learn their outcome when the comment is decided, which is
both what the reader is told and the reporter's track record that discounts later reports.
Comments get an index by (site, author) for the author's counts.

Revision ID: 0007_authors
Revises: 0006_requests
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_authors"
down_revision = "0006_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "author_sanctions",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_author_sanctions_author", "author_sanctions", ["site_id", "author_id"])
    op.add_column("reports", sa.Column("weight_reason", sa.Text(), nullable=True))
    op.add_column("reports", sa.Column("outcome", sa.String(20), nullable=True))
    op.add_column("reports", sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_reports_reporter", "reports", ["reporter_id"])
    op.create_index("ix_comments_author", "comments", ["site_id", "author_id"])


def downgrade() -> None:
    op.drop_index("ix_comments_author", table_name="comments")
    op.drop_index("ix_reports_reporter", table_name="reports")
    op.drop_column("reports", "resolved_at")
    op.drop_column("reports", "outcome")
    op.drop_column("reports", "weight_reason")
    op.drop_index("ix_author_sanctions_author", table_name="author_sanctions")
    op.drop_table("author_sanctions")
