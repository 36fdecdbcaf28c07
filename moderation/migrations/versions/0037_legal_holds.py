"""Legal holds: an author's, a story's or one comment's comments kept as evidence.

Counsel at a regional paper watched a reader's erasure request destroy two comments named in a
solicitor's letter, and retention erase 25 more, with no way to keep them for the claim (GDPR
article 17(3)(e) lets a controller keep data "for the establishment, exercise or defence of legal
claims").

Revision ID: 0037_legal_holds
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0037_legal_holds"
down_revision = "0036_imported_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("scope IN ('author', 'story', 'comment')", name="ck_legal_holds_scope"),
    )
    op.create_index("ix_legal_holds_site", "legal_holds", ["site_id", "scope", "target"])


def downgrade() -> None:
    op.drop_index("ix_legal_holds_site", table_name="legal_holds")
    op.drop_table("legal_holds")
