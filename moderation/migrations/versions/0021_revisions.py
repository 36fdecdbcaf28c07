"""comment revisions (a reader's edits) and the "review after the edit is scored" mark

comment_revisions keeps each text a comment had before a reader edited it, with the author name
and the status it had then; the comment row always holds the current text. comments gains
review_after_edit: set when a decided comment is edited, so the scorer holds the new text for a
moderator instead of publishing it on the model's word alone.

Revision ID: 0021_revisions
Revises: 0020_storms
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0021_revisions"
down_revision = "0020_storms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comment_revisions",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("comment_id", sa.BigInteger(), sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_name", sa.String(200)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("scores", JSONB()),
        sa.Column("replaced_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        # Two edits racing on one comment must not both become revision n.
        sa.UniqueConstraint("comment_id", "revision", name="uq_comment_revisions_comment_revision"),
    )
    op.add_column("comments", sa.Column("review_after_edit", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    # GET /api/v1/comments?story_id=... pages through one story's comments in id order.
    op.create_index("ix_comments_story_id", "comments", ["site_id", "story_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_comments_story_id", table_name="comments")
    op.drop_column("comments", "review_after_edit")
    op.drop_table("comment_revisions")
