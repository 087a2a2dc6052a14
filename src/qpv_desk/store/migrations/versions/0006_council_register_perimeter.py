"""Registre du conseil citoyen (collège, mode d'entrée, suppléance, arrêté, tirages) et
périmètre des quartiers.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
# NOTE for the merge: written on a branch where the head was 0002; re-chain to "0005".
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quartier") as batch:
        batch.add_column(sa.Column("perimeter_geojson", sa.Text(), nullable=True))
        batch.add_column(sa.Column("perimeter_area_ha", sa.Numeric(precision=14, scale=4), nullable=True))
        batch.add_column(sa.Column("perimeter_length_km", sa.Numeric(precision=14, scale=4), nullable=True))
        batch.add_column(sa.Column("perimeter_source", sa.String(length=300), nullable=True))
    with op.batch_alter_table("body") as batch:
        batch.add_column(sa.Column("arrete_reference", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("arrete_date", sa.Date(), nullable=True))
    with op.batch_alter_table("membership") as batch:
        batch.add_column(sa.Column("college", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("entry_mode", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("substitute_of_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch.create_check_constraint(
            op.f("ck_membership_college_valid"), "college IS NULL OR college IN ('habitants', 'acteurs_locaux')")
        batch.create_check_constraint(
            op.f("ck_membership_entry_mode_valid"), "entry_mode IS NULL OR entry_mode IN ('tirage', 'volontaire', 'designe')")
        batch.create_foreign_key(batch.f("fk_membership_substitute_of_id_membership"), "membership",
                                 ["substitute_of_id"], ["id"], ondelete="SET NULL")
        batch.create_foreign_key(batch.f("fk_membership_replaces_id_membership"), "membership",
                                 ["replaces_id"], ["id"], ondelete="SET NULL")
        batch.create_index(batch.f("ix_membership_substitute_of_id"), ["substitute_of_id"], unique=False)
        batch.create_index(batch.f("ix_membership_replaces_id"), ["replaces_id"], unique=False)
    op.create_table(
        "council_draw",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
        sa.Column("user", sa.String(length=100), nullable=False),
        sa.Column("seed", sa.String(length=100), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.String(length=300), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("candidates", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.CheckConstraint("seats >= 1", name=op.f("ck_council_draw_seats_positive")),
        sa.ForeignKeyConstraint(["body_id"], ["body.id"], name=op.f("fk_council_draw_body_id_body")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_draw")),
    )
    with op.batch_alter_table("council_draw") as batch:
        batch.create_index(batch.f("ix_council_draw_body_id"), ["body_id"], unique=False)


def downgrade() -> None:
    op.drop_table("council_draw")
    with op.batch_alter_table("membership") as batch:
        batch.drop_index(batch.f("ix_membership_replaces_id"))
        batch.drop_index(batch.f("ix_membership_substitute_of_id"))
        batch.drop_constraint(batch.f("fk_membership_replaces_id_membership"), type_="foreignkey")
        batch.drop_constraint(batch.f("fk_membership_substitute_of_id_membership"), type_="foreignkey")
        batch.drop_constraint(op.f("ck_membership_entry_mode_valid"), type_="check")
        batch.drop_constraint(op.f("ck_membership_college_valid"), type_="check")
        batch.drop_column("replaces_id")
        batch.drop_column("substitute_of_id")
        batch.drop_column("entry_mode")
        batch.drop_column("college")
    with op.batch_alter_table("body") as batch:
        batch.drop_column("arrete_date")
        batch.drop_column("arrete_reference")
    with op.batch_alter_table("quartier") as batch:
        batch.drop_column("perimeter_source")
        batch.drop_column("perimeter_length_km")
        batch.drop_column("perimeter_area_ha")
        batch.drop_column("perimeter_geojson")
