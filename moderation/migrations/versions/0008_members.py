"""moderators are members of sites and see only their sites' comments; comment text is searchable

Every moderator used to see every site's comments. A news group's moderators work for one
paper, so membership scopes the queue, the detail page and decisions (domain/membership.py).
The GIN index serves the review page's full-text search; the other its sort and keyset paging.

Revision ID: 0008_members
Revises: 0007_authors
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_members"
# Chained after 0003_scoring (already on main) so this branch has one head; re-chain freely when merging.
down_revision = "0007_authors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_members",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_site_members_site_id", "site_members", ["site_id"])
    # Full-text search over comment text on /review, matching domain/queue_filters.py's expression.
    op.execute("CREATE INDEX ix_comments_text_search ON comments USING gin (to_tsvector('english'::regconfig, text))")
    # The queue's sort and keyset: a page reads 50 index entries instead of sorting every matching row.
    op.execute("CREATE INDEX ix_comments_queue_order ON comments (priority DESC, received_at, id)")


def downgrade() -> None:
    op.drop_index("ix_comments_queue_order", table_name="comments")
    op.drop_index("ix_comments_text_search", table_name="comments")
    op.drop_index("ix_site_members_site_id", table_name="site_members")
    op.drop_table("site_members")
