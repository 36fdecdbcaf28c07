"""comments.changed_xid: the transaction that last changed what a site sees, for the changes feed

A site polling for outcomes could only read its pending and held comments again and again: `after`
finds new ids, and a decision on yesterday's comment changes no id. `GET /api/v1/comments/changes`
lists comments in the order their changes committed, by the id of the transaction that made each
one (domain/change_feed.py says why that order loses nothing). A trigger stamps it, not the code:
status changes, scored batches, erasures and a restore's version bump write comments by four
routes, and any of them that forgot would be a change no site hears of.

Rows from before take xid 1 (a constant default is a catalog entry, not a rewrite of the table):
a feed read from the start lists them first, in id order. The epoch sequence is never advanced by
the code; a restore moves every sequence past the old values (backup.after_restore), which
changes the epoch and tells a cursor handed out before the restore to start again.

Revision ID: 0030_change_feed
Revises: 0029_scoring_keys
"""
import sqlalchemy as sa
from alembic import op

revision = "0030_change_feed"
down_revision = "0029_scoring_keys"
branch_labels = None
depends_on = None


class _Xid8(sa.types.UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw: object) -> str:
        return "xid8"


def upgrade() -> None:
    op.add_column("comments", sa.Column("changed_xid", _Xid8(), nullable=False, server_default=sa.text("'1'")))
    op.alter_column("comments", "changed_xid", server_default=sa.text("pg_current_xact_id()"))
    op.create_index("ix_comments_changes", "comments", ["site_id", "changed_xid", "id"])
    op.execute("""
        CREATE FUNCTION comments_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.version IS DISTINCT FROM OLD.version
               OR NEW.text_erased_at IS DISTINCT FROM OLD.text_erased_at THEN
                NEW.changed_xid := pg_current_xact_id();
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER comments_stamp_change BEFORE UPDATE OF version, text_erased_at ON comments "
               "FOR EACH ROW EXECUTE FUNCTION comments_stamp_change()")
    op.execute("CREATE SEQUENCE change_feed_epoch")


def downgrade() -> None:
    op.execute("DROP SEQUENCE change_feed_epoch")
    op.execute("DROP TRIGGER comments_stamp_change ON comments")
    op.execute("DROP FUNCTION comments_stamp_change()")
    op.drop_index("ix_comments_changes", table_name="comments")
    op.drop_column("comments", "changed_xid")

