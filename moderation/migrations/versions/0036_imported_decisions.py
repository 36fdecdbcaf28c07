"""A comment sent in an import may carry the decision the site's old system made on it.

A platform engineer importing 30,000 archived comments found every one scored anew: 7,379 sent
to review (2,057 of them approved years ago), 2,054 the old system had rejected published, and
none of the old decisions kept to tune thresholds or train on. NULL for every other comment.

Revision ID: 0036_imported_decisions
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0036_imported_decisions"
down_revision = "0035_report_found"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("comments", sa.Column("imported_decision", sa.String(20), nullable=True))
    op.create_check_constraint("ck_comments_imported_decision", "comments",
                               "imported_decision IS NULL OR imported_decision IN ('approved', 'rejected')")


def downgrade() -> None:
    op.drop_constraint("ck_comments_imported_decision", "comments", type_="check")
    op.drop_column("comments", "imported_decision")
