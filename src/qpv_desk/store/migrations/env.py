"""Alembic environment: always given a connection by :mod:`qpv_desk.store.migrate`."""

from alembic import context
from sqlalchemy import create_engine

from qpv_desk.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only for `alembic` on the command line
    connection = create_engine(config.get_main_option("sqlalchemy.url")).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: Alembic copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
