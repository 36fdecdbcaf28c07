"""indexes that keep the review queue fast at 100,000 comments (bench/queue.py); a stored search vector

Each index below was added for a query that EXPLAIN ANALYZE showed reading the whole comments
table on every queue page view; the README's "Queue speed" table has the before and after.
Adding the generated column rewrites the comments table once (under an exclusive lock: seconds at
100,000 rows, run it in a quiet hour on a big installation).

Revision ID: 0012_queue_speed
Revises: 0011_precedent
"""
from alembic import op

revision = "0012_queue_speed"
down_revision = "0011_precedent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Full-text search parsed every candidate row's text again to recheck the index's matches
    # (a phrase like "city budget" rechecks thousands): 0.8 s. A stored vector is read, not parsed,
    # and replaces 0008's expression index.
    op.execute("ALTER TABLE comments ADD COLUMN search_vector tsvector "
               "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED")
    op.execute("CREATE INDEX ix_comments_search_vector ON comments USING gin (search_vector)")
    op.drop_index("ix_comments_text_search", table_name="comments")
    # One status in queue order, with site_id carried along: the Held, Pending, Approved and
    # Rejected tabs read a page straight off it (no rows of other statuses to skip), and their
    # counts, capped at 10,000 (domain/queue.py), are index-only scans across every site or within
    # the viewer's sites. Without it, the Approved and Rejected counts scanned the whole table.
    op.execute("CREATE INDEX ix_comments_status_queue_order ON comments (status, priority DESC, received_at, id) "
               "INCLUDE (site_id)")
    # The Reported tab, and the reported half of "To review": published comments with report
    # weight. Few rows (a few per cent), so a small partial index replaces a scan of all of them.
    op.execute("CREATE INDEX ix_comments_reported ON comments (site_id, report_weight) "
               "WHERE status = 'published' AND report_weight > 0")
    # A page filtered to one site: walks that site's entries in queue order (priority first, as
    # ix_comments_queue_order) instead of skipping over every other site's.
    op.execute("CREATE INDEX ix_comments_site_queue_order ON comments (site_id, priority DESC, received_at, id)")


def downgrade() -> None:
    op.drop_index("ix_comments_site_queue_order", table_name="comments")
    op.drop_index("ix_comments_reported", table_name="comments")
    op.drop_index("ix_comments_status_queue_order", table_name="comments")
    op.execute("CREATE INDEX ix_comments_text_search ON comments USING gin (to_tsvector('english'::regconfig, text))")
    op.drop_index("ix_comments_search_vector", table_name="comments")
    op.drop_column("comments", "search_vector")
