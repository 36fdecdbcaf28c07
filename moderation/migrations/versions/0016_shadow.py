"""shadow scores (a candidate model scoring live comments apart) and drift reports

shadow_scores holds what a shadow model said about a comment the live model scored, and the
status it would have given, beside the live status; the comment itself is never touched.
drift_reports holds each daily comparison of live scores with the model card's validation scores.

Revision ID: 0016_shadow
Revises: 0015_training_runs
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0016_shadow"
down_revision = "0015_training_runs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shadow_scores",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("comment_id", sa.BigInteger(), sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("scores", JSONB(), nullable=False),
        sa.Column("would_be_status", sa.String(20), nullable=False),
        sa.Column("live_status", sa.String(20), nullable=False),
        sa.Column("live_version", sa.String(100)),
        sa.Column("scored_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        # A redelivered batch must not count a comment twice in the agreement figures.
        sa.UniqueConstraint("comment_id", "version", name="uq_shadow_scores_comment_version"),
    )
    # The shadow page reads one version's rows by day.
    op.create_index("ix_shadow_scores_version_scored_at", "shadow_scores", ["version", "scored_at"])
    op.create_table(
        "drift_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.Column("held_rate", sa.Float()),
        sa.Column("validation_held_rate", sa.Float()),
        sa.Column("psi", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("max_psi", sa.Float()),
        sa.Column("live_histograms", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("validation_histograms", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("warning", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("note", sa.Text()),
    )
    op.create_index("ix_drift_reports_created_at", "drift_reports", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_drift_reports_created_at", table_name="drift_reports")
    op.drop_table("drift_reports")
    op.drop_index("ix_shadow_scores_version_scored_at", table_name="shadow_scores")
    op.drop_table("shadow_scores")
