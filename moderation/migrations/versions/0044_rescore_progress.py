"""held_rescore_runs.progressed_at: when a run last moved, which its staleness is measured from

A run neither finished nor failed was stale 30 minutes after it was asked for: a run still scoring a
big site's held comments page by page was declared stale, and the thresholds page offered another
beside it. The run now stamps progressed_at when it starts and at every page, and is stale 30
minutes after that (a run whose worker was killed still is). A run already in the table is taken as
last moving when it started, or when it was asked for if it never started: as stale as it was.

Revision ID: 0044_rescore_progress
Revises: 0043_model_bands
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0044_rescore_progress"
down_revision = "0043_model_bands"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("held_rescore_runs", sa.Column("progressed_at", sa.DateTime(timezone=True),
                                                 server_default=sa.func.now(), nullable=False))
    op.execute("UPDATE held_rescore_runs SET progressed_at = COALESCE(started_at, requested_at)")


def downgrade() -> None:
    op.drop_column("held_rescore_runs", "progressed_at")
