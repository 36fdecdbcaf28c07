"""the registry's artifact and card bytes, for databases made before 0013 had them

0013_registry was edited after it was committed (7656562) to add artifact_bytes and card_bytes,
so a database migrated by a release of 28-29 November has model_versions without them, and the
current code failed at start ("column artifact_bytes ... does not exist"): nothing was scored.
Added where missing, nullable there: such a database's versions keep their files in its var dir,
which is where materialize() finds them (it writes files from the bytes only when they are missing).

Revision ID: 0023_mend_registry
Revises: 0022_held_reported
"""
from alembic import op

revision = "0023_mend_registry"
down_revision = "0022_held_reported"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE model_versions ADD COLUMN IF NOT EXISTS artifact_bytes bytea, "
               "ADD COLUMN IF NOT EXISTS card_bytes bytea")


def downgrade() -> None:
    pass  # the columns belong to 0013_registry; this only mends databases made before they were there
