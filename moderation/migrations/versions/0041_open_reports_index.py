"""reports: a partial index on the open ones (created_at, comment_id WHERE outcome IS NULL)

Every queue page counts the readers' reports that have waited past the desk's window
(REPORT_WAIT_MINUTES), and the sweep lifts their comments in the queue (domain/report_wait.py).
Open reports are a few among all ever filed; without the index both read the whole table, which a
site answering readers for years grows to millions of rows. Built in a moment on most databases,
the table taking no writes meanwhile.

Revision ID: 0041_open_reports_index
Revises: 0040_audit_action_index
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0041_open_reports_index"
down_revision = "0040_audit_action_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_open", "reports", ["created_at", "comment_id"], unique=False,
                    postgresql_where=sa.text("outcome IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_reports_open", table_name="reports", postgresql_where=sa.text("outcome IS NULL"))
