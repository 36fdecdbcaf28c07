"""change_feed_epoch starts at a random value: one database's feed cursor is not another's

0030 started it at 1 on every database, and a restore moved it by a fixed gap: a staging and a
production install, or two restores of one dump, had the same epoch, and a poller pointed at the
other took its cursor, whose transaction ids belong to another PostgreSQL, and skipped every change
(an integrator's walk). A restore now draws a new one too (backup.after_restore).

Revision ID: 0031_feed_epoch_per_database
Revises: 0030_change_feed
"""
from alembic import op

revision = "0031_feed_epoch_per_database"
down_revision = "0030_change_feed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 2^52 values: two databases drawing the same is about as likely as a 64-bit hash colliding twice.
    op.execute("SELECT setval('change_feed_epoch', 1 + floor(random() * 4503599627370496)::bigint)")


def downgrade() -> None:
    op.execute("SELECT setval('change_feed_epoch', 1, false)")
