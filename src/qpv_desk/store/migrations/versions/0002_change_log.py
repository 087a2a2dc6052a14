"""Historique des modifications (qui a changé quoi, quand).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
        sa.Column("user", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=10), nullable=False),
        sa.Column("changes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log") as batch:
        batch.create_index("ix_change_log_entity", ["entity", "entity_id"], unique=False)
        batch.create_index(batch.f("ix_change_log_at"), ["at"], unique=False)


def downgrade() -> None:
    op.drop_table("change_log")
