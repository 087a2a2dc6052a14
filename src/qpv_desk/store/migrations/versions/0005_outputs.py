"""Invitations (UID/SEQUENCE), programme snapshots, avis du conseil citoyen.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_invitation",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=200), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_invitation_meeting_id_meeting"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_invitation")),
        sa.UniqueConstraint("uid", name=op.f("uq_meeting_invitation_uid")),
    )
    op.create_table(
        "programme_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name=op.f("fk_programme_snapshot_meeting_id_meeting"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_snapshot")),
    )
    with op.batch_alter_table("programme_snapshot") as batch:
        batch.create_index(batch.f("ix_programme_snapshot_taken_at"), ["taken_at"], unique=False)
        batch.create_index(batch.f("ix_programme_snapshot_meeting_id"), ["meeting_id"], unique=False)
    op.create_table(
        "citizen_avis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_avis")),
        sa.UniqueConstraint("year", name=op.f("uq_citizen_avis_year")),
    )


def downgrade() -> None:
    op.drop_table("citizen_avis")
    with op.batch_alter_table("programme_snapshot") as batch:
        batch.drop_index(batch.f("ix_programme_snapshot_meeting_id"))
        batch.drop_index(batch.f("ix_programme_snapshot_taken_at"))
    op.drop_table("programme_snapshot")
    op.drop_table("meeting_invitation")
