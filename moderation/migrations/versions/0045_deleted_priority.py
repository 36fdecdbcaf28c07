"""comments: deleted comments ranked without their closed reports

A deleted comment's reports are closed, and since 6 December it is ranked without them, as
reports.rank ranks a comment with no open report: what its scores and rules gave it
(scored_priority, 0 if it was never scored). One deleted before then kept the share and the late
reports' lift its reports had given it, e.g. 2.91 on the All tab, above every held insult, with no
report left for anyone to read. Those are ranked so here. Only deleted comments whose priority
differs are written, in one statement (a few among the deleted, whose reports had lifted them).

One deleted before 0027 (3-4 December) had no scored priority to go back to: 0024 closed its
reports at the deletion, and 0027, finding no open report, copied its whole priority, share and
lift included, into scored_priority (a re-check: 2.5 kept where its scores gave 1.5). Its closed
reports' share is taken out here as 0027 took out open reports' (that release's caps: 3.0, and 4.0
for a reader at risk). It is known by its priority equal to its scored priority with reports closed
"removed" at the deletion: before this release no deletion took the share out, so one deleted
since 0027 still has it in its priority, and one whose reports closed before (an auto-reject) was
ranked without them then and is left alone.

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


_COPIED_BY_0027 = """
    UPDATE comments c SET scored_priority = GREATEST(0.0, c.scored_priority
        - CASE WHEN s.report_threshold > 0 THEN LEAST(o.weight / s.report_threshold, 3.0)
               ELSE LEAST(1.0 + o.weight, 3.0) END
        - CASE WHEN o.lifts THEN 4.0 ELSE 0.0 END)
    FROM sites s,
         (SELECT r.comment_id, SUM(r.weight) AS weight,
                 BOOL_OR(r.reason = 'self_harm' AND r.reporter_id IS NOT NULL AND r.weight > 0) AS lifts
            FROM reports r JOIN comments d ON d.id = r.comment_id
           WHERE d.status = 'deleted' AND r.outcome = 'removed'
             AND (r.resolved_at IS NULL OR d.status_changed_at IS NULL
                  OR r.resolved_at >= d.status_changed_at - interval '1 minute')
           GROUP BY r.comment_id) o
    WHERE o.comment_id = c.id AND s.id = c.site_id AND c.status = 'deleted' AND o.weight > 0
      AND c.scored_priority IS NOT NULL AND abs(c.priority - c.scored_priority) < 0.000001
"""


def upgrade() -> None:
    op.execute(_COPIED_BY_0027)
    op.execute(f"UPDATE comments SET priority = {_RANKED} WHERE status = 'deleted' AND priority <> {_RANKED}")


def downgrade() -> None:
    # The reports' share is not kept: an older release left a deleted comment's priority as it was.
    pass
