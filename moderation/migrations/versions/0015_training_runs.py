"""training runs started from /admin/training or `moderation training run`: state, progress and log

One row per run; the page polls it. At most one run is queued or running at a time (a partial
unique index on a constant, so a second start is refused by the database even when two admins
click at once): training takes both cores for minutes, and two at once would only be slower.

Revision ID: 0015_training_runs
Revises: 0014_labels
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_training_runs"
down_revision = "0014_labels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE")),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("requested_by_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("state", sa.String(20), nullable=False, server_default="queued"),
        sa.Column("progress", sa.Float, nullable=False, server_default=sa.text("0")),
        sa.Column("stage", sa.Text),
        sa.Column("log", sa.Text, nullable=False, server_default=""),
        sa.Column("error", sa.Text),
        sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("artifact", sa.Text),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("model_versions.id", ondelete="SET NULL")),
        sa.CheckConstraint("state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')",
                           name="ck_training_runs_state"),
        sa.CheckConstraint("progress >= 0 AND progress <= 1", name="ck_training_runs_progress"),
    )
    op.execute("CREATE UNIQUE INDEX uq_training_runs_one_active ON training_runs ((true)) "
               "WHERE state IN ('queued', 'running')")
    op.create_index("ix_training_runs_created", "training_runs", ["created_at"])


def downgrade() -> None:
    op.drop_table("training_runs")
