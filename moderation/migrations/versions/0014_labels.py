"""labels from the service's own work: provenance on labelled_examples, a per-site text export switch

Existing rows keep their labels; their kind is read from the old source column ("moderator" rows
were decisions). Their decision fields stay empty: nothing recorded which decision they came from.

Revision ID: 0014_labels
Revises: 0013_registry
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_labels"
down_revision = "0013_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sites", sa.Column("allow_text_export", sa.Boolean(), server_default=sa.text("false"),
                                     nullable=False))
    op.add_column("labelled_examples", sa.Column("kind", sa.String(20), nullable=True))
    op.execute("UPDATE labelled_examples SET kind = CASE WHEN source = 'suggestscore' THEN 'suggestscore' "
               "ELSE 'decision' END")
    op.alter_column("labelled_examples", "kind", nullable=False)
    op.add_column("labelled_examples", sa.Column("labelled_by", sa.Integer(), nullable=True))
    op.create_foreign_key("labelled_examples_labelled_by_fkey", "labelled_examples", "users",
                          ["labelled_by"], ["id"], ondelete="SET NULL")
    op.add_column("labelled_examples", sa.Column("actor", sa.String(200), nullable=True))
    op.add_column("labelled_examples", sa.Column("reason", sa.Text(), nullable=True))
    op.add_column("labelled_examples", sa.Column("decision", sa.String(20), nullable=True))
    op.add_column("labelled_examples", sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("labelled_examples", sa.Column("report_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key("labelled_examples_report_id_fkey", "labelled_examples", "reports",
                          ["report_id"], ["id"], ondelete="SET NULL")
    # `dataset export --site --since` and `train --site` read one site's labels by date.
    op.create_index("ix_labelled_examples_site_created", "labelled_examples", ["site_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_labelled_examples_site_created", table_name="labelled_examples")
    op.drop_constraint("labelled_examples_report_id_fkey", "labelled_examples", type_="foreignkey")
    op.drop_constraint("labelled_examples_labelled_by_fkey", "labelled_examples", type_="foreignkey")
    for column in ("report_id", "decided_at", "decision", "reason", "actor", "labelled_by", "kind"):
        op.drop_column("labelled_examples", column)
    op.drop_column("sites", "allow_text_export")
