"""audit_log: an index on (action, id) for the rare actions the admin pages and `moderation up` look up

Promotions and rollbacks (the Models page's *By*, a version's card), what a release told
(`moderation up`'s hints) and moderators' notes are found by their action among every comment's
status changes. Unindexed, each lookup read the whole log: 0.4-1.5 s at 3 million entries, which a
site at 3,000 comments an hour writes in about two months (bench/audit_log.py). Building the index
takes a few seconds per million entries, during which the log takes no writes: run the upgrade in a
quiet hour on a large database, as 0027's and 0038's notes say.

Revision ID: 0040_audit_action_index
Revises: 0039_scoring_key_grace
"""
from __future__ import annotations

from alembic import op

revision = "0040_audit_action_index"
down_revision = "0039_scoring_key_grace"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_action", "audit_log", ["action", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_action", table_name="audit_log")
