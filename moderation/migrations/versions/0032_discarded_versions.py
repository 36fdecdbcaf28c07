"""A candidate version can be discarded: its row stays, its artifact's bytes go.

Every retrain added about 8.6 MB to the database and to every dump, for good (an admin's walk).

Revision ID: 0032_discarded_versions
"""
from __future__ import annotations

from alembic import op

revision = "0032_discarded_versions"
down_revision = "0031_feed_epoch_per_database"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("ck_model_versions_status", "model_versions", type_="check")
    op.create_check_constraint("ck_model_versions_status", "model_versions",
                               "status IN ('candidate', 'shadow', 'active', 'retired', 'discarded')")


def downgrade() -> None:
    # A discarded version has no artifact to be a candidate with again; as retired it is never loaded.
    op.execute("UPDATE model_versions SET status = 'retired' WHERE status = 'discarded'")
    op.drop_constraint("ck_model_versions_status", "model_versions", type_="check")
    op.create_check_constraint("ck_model_versions_status", "model_versions",
                               "status IN ('candidate', 'shadow', 'active', 'retired')")
