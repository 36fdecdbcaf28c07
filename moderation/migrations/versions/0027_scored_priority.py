"""comments.scored_priority: what a comment's scores and rules give its queue priority

The queue priority is that plus its open reports' share and the lift for a reader at risk
(domain/reports.py, `rank`). Before, only the sum was kept, and a report's filing, resolution or
undo, a saved rule's hold and a new report threshold each added or took away what they changed;
a saved rule had to recover the scored part by subtraction. Existing rows get it by that
subtraction once, here, with the constants of the release that wrote them (a report share of at
most 3.0, a lift of 4.0); rows at priority 0 are left NULL, which counts as 0. One UPDATE of the
comments with a priority: minutes at millions of rows, run it in a quiet hour.

Revision ID: 0027_scored_priority
Revises: 0026_operations_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = "0027_scored_priority"
down_revision = "0026_operations_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("comments", sa.Column("scored_priority", sa.Float(), nullable=True))
    op.execute("""
        UPDATE comments c SET scored_priority = GREATEST(0.0, c.priority
            - CASE WHEN s.report_threshold > 0 THEN LEAST(o.weight / s.report_threshold, 3.0)
                   WHEN o.weight > 0 THEN LEAST(1.0 + o.weight, 3.0) ELSE 0.0 END
            - CASE WHEN o.lifts THEN 4.0 ELSE 0.0 END)
        FROM sites s,
             (SELECT comment_id, SUM(weight) AS weight,
                     BOOL_OR(reason = 'self_harm' AND reporter_id IS NOT NULL AND weight > 0) AS lifts
                FROM reports WHERE outcome IS NULL GROUP BY comment_id) o
        WHERE o.comment_id = c.id AND s.id = c.site_id AND c.priority <> 0
    """)
    op.execute("UPDATE comments SET scored_priority = priority WHERE scored_priority IS NULL AND priority <> 0")


def downgrade() -> None:
    op.drop_column("comments", "scored_priority")
