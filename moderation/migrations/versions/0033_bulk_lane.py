"""A comment that arrived in a batch waits in its site's bulk lane, and so does the event of its
scoring: a site's import no longer holds its readers' own comments back behind the whole backlog.

Scoring took each site's oldest pending comments first, so a reader's comment posted during the
site's 10,000-comment import waited for all of it (11 s at the p99 on a 2-core machine; minutes for
an archive), and its event waited behind the import's events (53 s at the median for an endpoint
taking 50 ms). Claiming and a site's webhook turns now take from its two lanes in turn; the
claimable index leads with the lane so each lane's oldest are read without the other's.

Revision ID: 0033_bulk_lane
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033_bulk_lane"
down_revision = "0032_discarded_versions"
branch_labels = None
depends_on = None

CLAIMABLE = sa.text("status = 'pending' AND scoring_failed_at IS NULL")


def upgrade() -> None:
    # A constant default: PostgreSQL 11 and later add the column without rewriting the table.
    op.add_column("comments", sa.Column("bulk", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("webhook_deliveries", sa.Column("bulk", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.drop_index("ix_comments_claimable", table_name="comments")
    op.create_index("ix_comments_claimable", "comments", ["site_id", "bulk", "received_at"], postgresql_where=CLAIMABLE)


def downgrade() -> None:
    op.drop_index("ix_comments_claimable", table_name="comments")
    op.create_index("ix_comments_claimable", "comments", ["site_id", "received_at"], postgresql_where=CLAIMABLE)
    op.drop_column("webhook_deliveries", "bulk")
    op.drop_column("comments", "bulk")
