"""Documents de réunion : comptes rendus validés figés, en-tête, signataires, date de réponse.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("reply_by", sa.Date(), nullable=True))
        batch.add_column(sa.Column("convocation_date", sa.Date(), nullable=True))
    with op.batch_alter_table("body") as batch:
        batch.add_column(sa.Column("signatories", sa.Text(), nullable=True))
    op.create_table(
        "meeting_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("validated_on", sa.Date(), nullable=False),
        sa.Column("validated_by", sa.String(length=200), nullable=False),
        sa.Column("chair", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_record_meeting_id_meeting"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_record")),
        sa.UniqueConstraint("meeting_id", "kind", name=op.f("uq_meeting_record_meeting_id_kind")),
    )
    with op.batch_alter_table("meeting_record") as batch:
        batch.create_index(batch.f("ix_meeting_record_meeting_id"), ["meeting_id"], unique=False)
    op.create_table(
        "letterhead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_name", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letterhead")),
    )


def downgrade() -> None:
    op.drop_table("letterhead")
    op.drop_table("meeting_record")
    with op.batch_alter_table("body") as batch:
        batch.drop_column("signatories")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("convocation_date")
        batch.drop_column("reply_by")
