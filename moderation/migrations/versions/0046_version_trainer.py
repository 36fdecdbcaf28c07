"""model_versions.trainer_name: who trained a version where no account did (`moderation train`)

A candidate `moderation train` registered was listed "trained by —" on the models page and "-" in
`models list`: no user account trained it and no training run made it, so neither trained_by nor a
run's requester names anyone. The command names the shell account that ran it, as the audit log
does ("cli:root"). Versions it registered before are named from their registration in the audit log,
where the log still has it: their notes begin "moderation train, " (registry_commands.register_trained).

Revision ID: 0046_version_trainer
Revises: 0045_deleted_priority
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0046_version_trainer"
down_revision = "0045_deleted_priority"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("model_versions", sa.Column("trainer_name", sa.String(200)))
    op.execute("""
        UPDATE model_versions AS v SET trainer_name = a.actor
        FROM audit_log AS a
        WHERE a.action = 'model:registered' AND a.details ->> 'version' = v.version AND (a.actor LIKE 'cli:%' OR a.actor = 'cli')
          AND v.trained_by IS NULL AND v.notes LIKE 'moderation train, %'
    """)


def downgrade() -> None:
    op.drop_column("model_versions", "trainer_name")
