"""Mode agglomération : quartiers confiés à chaque référent(e), avis de modification en direct.

- ``referent_quartier`` : les quartiers dont chaque identifiant PostgreSQL est référent(e)
  (les droits eux-mêmes sont posés par « qpv-desk db roles », qui s'appuie sur cette table) ;
- sur PostgreSQL seulement : chaque écriture d'une table de l'application envoie un avis
  ``NOTIFY qpv_changes`` (table, opération, identifiant de connexion, heure), que les postes
  ouverts écoutent pour se rafraîchir ; l'historique reçoit l'identifiant de connexion réel.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION qpv_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('qpv_changes', json_build_object(
        'table', TG_TABLE_NAME, 'op', TG_OP, 'by', session_user,
        'at', to_char(clock_timestamp(), 'YYYY-MM-DD"T"HH24:MI:SS'))::text);
    RETURN NULL;
END $$;
"""

LOGIN_FUNCTION = """
CREATE OR REPLACE FUNCTION qpv_change_log_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- « db copy » keeps the history as it was, but only the base's owner (or a superuser)
    -- may ask for that: a référent(e) cannot sign a change with someone else's name.
    IF current_setting('qpv.copy', true) = 'on' AND EXISTS (
        SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND (r.rolsuper OR r.rolname = (
            SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'change_log')))
    THEN
        RETURN NEW;
    END IF;
    NEW."user" := left(session_user::text, 100);
    RETURN NEW;
END $$;
"""


def _app_tables(bind) -> list[str]:
    names = sa.inspect(bind).get_table_names()
    return sorted(n for n in names if n != "alembic_version")


def upgrade() -> None:
    op.create_table(
        "referent_quartier",
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.Column("quartier_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["quartier_id"], ["quartier.id"], name=op.f("fk_referent_quartier_quartier_id_quartier"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("login", "quartier_id", name=op.f("pk_referent_quartier")),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(NOTIFY_FUNCTION)
    op.execute(LOGIN_FUNCTION)
    for table in _app_tables(bind):
        op.execute(f'DROP TRIGGER IF EXISTS qpv_notify ON "{table}"')
        op.execute(f'CREATE TRIGGER qpv_notify AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                   "FOR EACH STATEMENT EXECUTE FUNCTION qpv_notify_change()")
    op.execute('CREATE TRIGGER qpv_login BEFORE INSERT ON change_log FOR EACH ROW EXECUTE FUNCTION qpv_change_log_login()')


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS qpv_login ON change_log")
        for table in _app_tables(bind):
            op.execute(f'DROP TRIGGER IF EXISTS qpv_notify ON "{table}"')
        op.execute("DROP FUNCTION IF EXISTS qpv_notify_change()")
        op.execute("DROP FUNCTION IF EXISTS qpv_change_log_login()")
    op.drop_table("referent_quartier")
