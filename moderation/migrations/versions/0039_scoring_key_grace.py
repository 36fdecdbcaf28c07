"""sites.previous_scoring_key_*: a replaced scoring key works on for a grace period

Replacing a site's scoring key ended the old one at once. Coral, like other Perspective clients,
fails open on any error, so every comment between the replacement and the moment Coral's admin
pasted the new key was published unscored (a Coral developer migrating three sites). The old key
now keeps working under its own key id until the grace period ends, as an API key's does
(previous_key_*, 0004_accounts). Nothing to fill: no site has a rotated-out scoring key yet.

Revision ID: 0039_scoring_key_grace
Revises: 0038_rule_hit_kinds
"""
import sqlalchemy as sa
from alembic import op

revision = "0039_scoring_key_grace"
down_revision = "0038_rule_hit_kinds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sites", sa.Column("previous_scoring_key_id", sa.String(32), nullable=True))
    op.add_column("sites", sa.Column("previous_scoring_key_hash", sa.String(200), nullable=True))
    op.add_column("sites", sa.Column("previous_scoring_key_expires_at", sa.DateTime(timezone=True), nullable=True))
    op.create_unique_constraint("sites_previous_scoring_key_id_key", "sites", ["previous_scoring_key_id"])


def downgrade() -> None:
    # A key in its grace ends with its columns: the site's client must be sending the current one.
    op.drop_constraint("sites_previous_scoring_key_id_key", "sites", type_="unique")
    op.drop_column("sites", "previous_scoring_key_expires_at")
    op.drop_column("sites", "previous_scoring_key_hash")
    op.drop_column("sites", "previous_scoring_key_id")
