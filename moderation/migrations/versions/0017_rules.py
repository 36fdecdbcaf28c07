"""site rules (word lists, links, personal information, spam, new authors) and per-story settings

rule_sets keeps every version of a site's rules (the newest is in force); comments.rule_hits
records which rules fired when a comment was scored; stories holds a story's own settings
(comments closed, pre-moderated).

Revision ID: 0017_rules
Revises: 0016_shadow
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0017_rules"
down_revision = "0016_shadow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("comments", sa.Column("rule_hits", JSONB()))
    op.create_table(
        "rule_sets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rules", JSONB(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        # Two admins saving at once: one gets the next version, the other a conflict, never a shared number.
        sa.UniqueConstraint("site_id", "version", name="uq_rule_sets_site_version"),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("story_id", sa.String(200), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("premoderated", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("site_id", "story_id", name="uq_stories_site_story"),
    )


def downgrade() -> None:
    op.drop_table("stories")
    op.drop_table("rule_sets")
    op.drop_column("comments", "rule_hits")
