"""A report records the comment's status when it was filed, so only a report that found something earns trust.

A trust and safety walk farmed a "trusted" reader for free: three reports on insults the model had
already held, upheld when a moderator rejected them, and that reader's lone report then hid any
civil comment. NULL for reports filed before: they count as they always did.

Revision ID: 0035_report_found
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0035_report_found"
down_revision = "0034_strict_stories"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reports", sa.Column("filed_on_status", sa.String(20), nullable=True))


def downgrade() -> None:
    op.drop_column("reports", "filed_on_status")
