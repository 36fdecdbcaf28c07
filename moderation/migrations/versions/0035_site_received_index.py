"""A site's last comments by arrival read from an index: the rules page's preview, its list of
recent stories (on every load of the page) and the hold of published comments the saved rules fire
on each read a site's last few thousand comments by `received_at`, and PostgreSQL sorted every
comment of the site to find them: 15 ms at 13,000 comments (bench/queue_pages.py's biggest site),
so seconds for a site of millions on each load of the rules page.

Revision ID: 0035_site_received_index
"""
from __future__ import annotations

from alembic import op

revision = "0035_site_received_index"
down_revision = "0034_strict_stories"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_comments_site_received", "comments", ["site_id", "received_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_comments_site_received", table_name="comments")
