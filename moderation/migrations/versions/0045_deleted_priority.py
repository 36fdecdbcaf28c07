"""comments: deleted comments ranked without their closed reports

A deleted comment's reports are closed, and since 6 December it is ranked without them, as
reports.rank ranks a comment with no open report: what its scores and rules gave it
(scored_priority, 0 if it was never scored). One deleted before then kept the share and the late
reports' lift its reports had given it, e.g. 2.91 on the All tab, above every held insult, with no
report left for anyone to read. Those are ranked so here. Only deleted comments whose priority
differs are written, in one statement (a few among the deleted, whose reports had lifted them).

Revision ID: 0045_deleted_priority
Revises: 0044_rescore_progress
"""
from __future__ import annotations

from alembic import op

revision = "0045_deleted_priority"
down_revision = "0044_rescore_progress"
branch_labels = None
depends_on = None

# policy.with_reports with no report: the scored part, to six places.
_RANKED = "round(CAST(COALESCE(scored_priority, 0) AS numeric), 6)"


def upgrade() -> None:
    op.execute(f"UPDATE comments SET priority = {_RANKED} WHERE status = 'deleted' AND priority <> {_RANKED}")


def downgrade() -> None:
    # The reports' share is not kept: an older release left a deleted comment's priority as it was.
    pass
