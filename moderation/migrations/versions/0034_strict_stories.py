"""A story can be strict: its comments are held at half the site's hold thresholds.

An editor's walk wanted a crime story held more strictly than the football derby; the only tools
per story were closing it and pre-moderating every comment.

Revision ID: 0034_strict_stories
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034_strict_stories"
down_revision = "0033_bulk_lane"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stories", sa.Column("strict", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.drop_column("stories", "strict")
