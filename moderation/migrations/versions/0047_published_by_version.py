"""comments.published_by_version: the version whose word published a comment, and its indexes

A rollback's count of what a version published and the Published tab filtered by version read the
version that scored each comment (model_version). A held comment scored again after a promotion and
published on the version in force's scores keeps the version that held it there, so a rollback said
a version had published 9 where it had made 37 public (a tester's sports site), and its list left
the rest out. Reading the releases from the audit log instead was reverted: the version-filtered
Published tab went from 333 ms to about 1 s at a million entries, and a released comment counted
under both versions. From this release each publishing on a model's word (scoring, or an admin's
release at the thresholds or after a rescore) writes the version on the comment.

Here a published comment takes the version that scored it, and one whose last publishing (its last
`status:pending->published` or `status:held->published`; an undo puts back the status the decision
set aside) was a rescore's release (the entry names its `rescore_run`) the version that release
names. Only published comments are read by it. Then the indexes the Published tab's version filter
and the rollback's count read: the published comments by this version, in the queue's order, and the
others by the version that scored them (every tab's count by version reads both, as one OR).

One UPDATE of the published comments, two index builds and an ANALYZE: 42-45 s at 200,000 comments
(116,000 published) on the 2-core test machine under a load of 11 (bench/version_filter.py). The
UPDATE writes a new copy of each published row: the table takes that much more room, which VACUUM
then gives to new comments. Run the upgrade in a quiet hour on a large database, as 0040's note says.

Revision ID: 0047_published_by_version
Revises: 0046_version_trainer
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0047_published_by_version"
down_revision = "0046_version_trainer"
branch_labels = None
depends_on = None

_PUBLISHING = ("'status:pending->published', 'status:held->published'")


def upgrade() -> None:
    op.add_column("comments", sa.Column("published_by_version", sa.String(length=100), nullable=True))
    op.execute("UPDATE comments SET published_by_version = model_version "
               "WHERE status = 'published' AND model_version IS NOT NULL")
    # The releases are few: found by their action's index (0040), then each comment's publishings by
    # its comment_id's.
    op.execute(f"""
        UPDATE comments AS c SET published_by_version = last.details ->> 'model_version'
        FROM (SELECT DISTINCT ON (a.comment_id) a.comment_id, a.details FROM audit_log AS a
              WHERE a.action IN ({_PUBLISHING})
                AND a.comment_id IN (SELECT comment_id FROM audit_log
                                     WHERE action = 'status:held->published' AND details ? 'rescore_run')
              ORDER BY a.comment_id, a.id DESC) AS last
        WHERE c.id = last.comment_id AND c.status = 'published' AND last.details ? 'rescore_run'
          AND last.details ->> 'model_version' IS NOT NULL""")
    op.execute("CREATE INDEX ix_comments_published_by_version ON comments "
               "(published_by_version, priority DESC, received_at, id) WHERE status = 'published'")
    op.execute("CREATE INDEX ix_comments_scored_by_version ON comments (model_version) WHERE status <> 'published'")
    # The planner reads the new column's values from the statistics: without them it took a version's
    # 69,000 published comments for 143 and sorted a bitmap scan's rows (56 ms, not 0.2) until
    # autovacuum came round.
    op.execute("ANALYZE comments")


def downgrade() -> None:
    op.drop_index("ix_comments_scored_by_version", table_name="comments")
    op.drop_index("ix_comments_published_by_version", table_name="comments")
    op.drop_column("comments", "published_by_version")
