"""Regenerate migration 0001 (the initial schema) from the models, for development only.

Tables listed in LATER_TABLES are created by later, hand-written revisions and are
left out of 0001. Once a release has shipped, 0001 is frozen and this tool retired.
"""

import tempfile
from pathlib import Path

from alembic import command
from alembic.autogenerate import produce_migrations, render_python_code
from sqlalchemy import create_engine

from qpv_desk.store import migrate
from qpv_desk.store.models import Base

LATER_TABLES = {"change_log"}
TARGET = migrate.MIGRATIONS / "versions" / "0001_schema_initial.py"


def include(obj, name, type_, reflected, compare_to):
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.name not in LATER_TABLES


def main():
    from alembic.migration import MigrationContext

    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include, "render_as_batch": True, "target_metadata": Base.metadata})
        script = produce_migrations(ctx, Base.metadata)
        body = render_python_code(script.upgrade_ops, render_as_batch=True)
        down = render_python_code(script.downgrade_ops, render_as_batch=True)
    TARGET.write_text(
        '"""Schéma initial de QPV Desk.\n\nRevision ID: 0001\nRevises:\n"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        'revision = "0001"\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n\n\n'
        f"def upgrade() -> None:\n{body}\n\n\ndef downgrade() -> None:\n{down}\n",
        encoding="utf-8",
    )
    print("écrit", TARGET)


if __name__ == "__main__":
    main()
