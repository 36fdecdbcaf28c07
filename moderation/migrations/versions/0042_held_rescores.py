"""held_rescore_runs and held_rescore_results: a site's held comments scored by the version in force

A promotion changes only what is scored after it: held comments kept the old version's scores, and
nothing offered to publish those the new version would. One run per site keeps the new scores apart
from the comments (which stay the old version's decision until published on them), a new run
replacing the last, so no result is carried from one run into another.

Revision ID: 0042_held_rescores
Revises: 0041_open_reports_index
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0042_held_rescores"
down_revision = "0041_open_reports_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_rescore_runs",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.String(100), nullable=True),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed", sa.Text(), nullable=True),
        sa.Column("scored", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.UniqueConstraint("site_id", name="uq_held_rescore_runs_site"),
    )
    op.create_table(
        "held_rescore_results",
        sa.Column("run_id", sa.BigInteger(), sa.ForeignKey("held_rescore_runs.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("comment_id", sa.BigInteger(), sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("scores", postgresql.JSONB(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("held_rescore_results")
    op.drop_table("held_rescore_runs")
