"""Identité de la base, et instances propres à chaque contrat.

1. Un UUID gardé dans ``setting`` (clé ``base_id``).

Les sauvegardes appartiennent à cette identité, pas au nom du fichier : deux bases
nommées pareil (une sur le poste, une sur une clé USB) ne partagent plus leurs
sauvegardes. Une base existante reçoit son identité à cette mise à jour.

2. Le code d'une instance (COPIL, GT…) est unique dans son contrat, non plus dans toute
la base : deux contrats (une agglomération, plusieurs communes) ont chacun leur COPIL.

3. Table ``imported_value`` : ce que le dernier import de référentiel a écrit dans
chaque champ, pour qu'un nouvel import ne défasse jamais sans demander ce qui a été
modifié dans l'application depuis.

Revision ID: 0003
Revises: 0002
"""
import uuid

import sqlalchemy as sa
from alembic import context, op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BASE_ID_KEY = "base_id"


def upgrade() -> None:
    op.create_table(
        "imported_value",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("entity", "entity_id", "field", name=op.f("pk_imported_value")),
    )
    with op.batch_alter_table("body") as batch:
        batch.drop_constraint("uq_body_code", type_="unique")
        batch.create_unique_constraint("uq_body_contract_id_code", ["contract_id", "code"])
    try:
        wanted = context.config.attributes.get("base_id")
    except Exception:  # noqa: BLE001 - run outside QPV Desk's migrate.upgrade
        wanted = None
    setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.Text))
    conn = op.get_bind()
    present = conn.execute(sa.select(setting.c.value).where(setting.c.key == BASE_ID_KEY)).scalar()
    if not present:
        op.bulk_insert(setting, [{"key": BASE_ID_KEY, "value": str(wanted or uuid.uuid4())}])


def downgrade() -> None:
    op.drop_table("imported_value")
    op.execute(sa.text("DELETE FROM setting WHERE key = 'base_id'"))
    with op.batch_alter_table("body") as batch:
        batch.drop_constraint("uq_body_contract_id_code", type_="unique")
        batch.create_unique_constraint("uq_body_code", ["code"])
