"""sites.scoring_key_*: a key that reaches the Perspective endpoint and nothing else

A site moving Coral (or any Perspective client) here pasted its one API key into the client's
settings, where the client's admins and its request logs (`?key=`) see it; that key could also
list, erase and decide its readers' comments. The scoring key ("mks_…") is taken by /v1alpha1
only, and refused by /api/v1 in words that say so.

Revision ID: 0029_scoring_keys
Revises: 0028_readable_created_at
"""
import sqlalchemy as sa
from alembic import op

revision = "0029_scoring_keys"
down_revision = "0028_readable_created_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sites", sa.Column("scoring_key_id", sa.String(32), nullable=True))
    op.add_column("sites", sa.Column("scoring_key_hash", sa.String(200), nullable=True))
    op.create_unique_constraint("sites_scoring_key_id_key", "sites", ["scoring_key_id"])


def downgrade() -> None:
    op.drop_constraint("sites_scoring_key_id_key", "sites", type_="unique")
    op.drop_column("sites", "scoring_key_hash")
    op.drop_column("sites", "scoring_key_id")
