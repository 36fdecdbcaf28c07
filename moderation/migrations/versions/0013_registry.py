"""the model registry: trained versions and which one each site scores with

model_versions holds every registered artifact (content-addressed under the var dir, checked by
hash when loaded) with its card and status; model_assignments one row per site that overrides the
global default, plus the global row (site_id NULL, kept unique by NULLS NOT DISTINCT, PostgreSQL 15).

Revision ID: 0013_registry
Revises: 0012_queue_speed
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0013_registry"
down_revision = "0012_queue_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.String(100), nullable=False, unique=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("artifact", sa.String(300), nullable=False),
        # The files' bytes too: every process writes the files it lacks from here (another machine,
        # a container with its own var dir), and checks them against sha256 before loading.
        sa.Column("artifact_bytes", sa.LargeBinary, nullable=False),
        sa.Column("card_bytes", sa.LargeBinary, nullable=False),
        sa.Column("card", JSONB, nullable=False),
        sa.Column("metrics", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("status", sa.String(20), nullable=False, server_default="candidate"),
        sa.Column("trained_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("training_data", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("notes", sa.Text),
        sa.CheckConstraint("status IN ('candidate', 'shadow', 'active', 'retired')", name="ck_model_versions_status"),
    )
    # At most one shadow: the scorer runs one candidate beside the active models, never several.
    op.execute("CREATE UNIQUE INDEX uq_model_versions_one_shadow ON model_versions (status) WHERE status = 'shadow'")
    op.create_table(
        "model_assignments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE")),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("model_versions.id"), nullable=False),
        sa.Column("previous_version_id", sa.Integer, sa.ForeignKey("model_versions.id")),
        sa.Column("assigned_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.execute("ALTER TABLE model_assignments ADD CONSTRAINT uq_model_assignments_site UNIQUE NULLS NOT DISTINCT (site_id)")


def downgrade() -> None:
    op.drop_table("model_assignments")
    op.drop_table("model_versions")
