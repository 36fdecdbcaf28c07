"""storm mode: per-site triggers and the story_storms table

A story whose comment rate or held share spikes past its site's setting is pre-moderated until
calm (domain/storms.py). The triggers default to 0 (off). The index on (site_id, story_id,
received_at) serves the per-batch count of a story's comments of the last minute; the one on
scored_at back-pressure's scoring rate (domain/backpressure.py).

Revision ID: 0020_storms
Revises: 0016_shadow
"""
from alembic import op
import sqlalchemy as sa

revision = "0020_storms"
down_revision = "0019_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sites", sa.Column("storm_comments_per_minute", sa.Integer(), nullable=False, server_default=sa.text("0")))
    op.add_column("sites", sa.Column("storm_held_share", sa.Float(), nullable=False, server_default=sa.text("0")))
    op.add_column("sites", sa.Column("storm_calm_minutes", sa.Integer(), nullable=False, server_default=sa.text("10")))
    op.create_table(
        "story_storms",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("story_id", sa.String(200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("last_stormy_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("uq_story_storms_open", "story_storms", ["site_id", "story_id"], unique=True,
                    postgresql_where=sa.text("ended_at IS NULL"))
    op.create_index("ix_story_storms_site_started", "story_storms", ["site_id", "started_at"])
    op.create_index("ix_comments_story_received", "comments", ["site_id", "story_id", "received_at"])
    # Back-pressure's Retry-After counts the comments scored in the last seconds.
    op.create_index("ix_comments_scored_at", "comments", ["scored_at"])


def downgrade() -> None:
    op.drop_index("ix_comments_scored_at", table_name="comments")
    op.drop_index("ix_comments_story_received", table_name="comments")
    op.drop_index("ix_story_storms_site_started", table_name="story_storms")
    op.drop_index("uq_story_storms_open", table_name="story_storms")
    op.drop_table("story_storms")
    op.drop_column("sites", "storm_calm_minutes")
    op.drop_column("sites", "storm_held_share")
    op.drop_column("sites", "storm_comments_per_minute")
