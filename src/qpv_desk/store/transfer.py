"""Copy a whole base between SQLite and PostgreSQL, and prove the copy identical.

The base's identity (``setting.base_id``) is not copied: the copy gets its own when it
is first opened. The copy goes table by table in foreign-key order through SQLAlchemy Core, so it is the
same code for every pair of dialects: ids, versions and the change history are kept as
they are. A column that points at its own table (an objective's parent) is filled in a
second pass, so rows may come in any order. On PostgreSQL the sequences are then moved past
the highest id (otherwise the first new row would collide with a copied one). Finally each
table is read back on both sides and compared by row count and by a checksum of its
content in primary-key order.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, func, select, text, update
from sqlalchemy.engine import Connection

from ..paths import BASE_ID_KEY, SERVER_COPY_KEY
from .tables import metadata

BATCH = 1000

Progress = Callable[[str, int, int], None]  # (table, index of the table, number of tables)


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    checksum: str


def _own_rows(table: Table):
    """The rows a copy carries: all but the base's identity (a copy is a base of its own,
    given its own identity when it is first opened, so backups never mix the two) and the
    mark of a server's backup copy (a copy of that copy is a base she may change)."""
    if table.name == "setting":
        return [table.c.key.not_in((BASE_ID_KEY, SERVER_COPY_KEY))]
    return []


def tables() -> list[Table]:
    """The application's tables, parents before children (Alembic's own table excluded)."""
    return list(metadata.sorted_tables)


def row_counts(conn: Connection) -> dict[str, int]:
    return {t.name: conn.execute(select(func.count()).select_from(t).where(*_own_rows(t))).scalar_one()
            for t in tables()}


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def wipe(conn: Connection) -> None:
    """Delete every row of the application's tables (children first)."""
    for table in reversed(tables()):
        for column in _self_references(table):
            conn.execute(update(table).values({column: None}))
        conn.execute(table.delete())


def copy_tables(source: Connection, target: Connection, progress: Progress | None = None) -> None:
    """Insert every row of ``source`` into the (empty) ``target``, ids included."""
    all_tables = tables()
    if target.dialect.name == "postgresql":  # keep the copied history's authors (see migration 0007)
        target.execute(text("SET LOCAL qpv.copy = 'on'"))
    for index, table in enumerate(all_tables):
        if progress:
            progress(table.name, index, len(all_tables))
        deferred = _self_references(table)
        # The second pass must not let an ``onupdate`` (updated_at…) stamp today's time.
        stamped = [c.name for c in table.columns if c.onupdate is not None]
        pk = list(table.primary_key.columns)
        links: list[dict] = []
        result = source.execution_options(yield_per=BATCH).execute(
            select(table).where(*_own_rows(table)).order_by(*pk))
        for batch in result.mappings().partitions(BATCH):
            rows = [dict(row) for row in batch]
            if deferred:
                for row in rows:
                    values = {c: row[c] for c in deferred if row[c] is not None}
                    if values:
                        values.update({c: row[c] for c in stamped})
                        links.append({**{f"pk_{c.name}": row[c.name] for c in pk}, **values})
                    for c in deferred:
                        row[c] = None
            target.execute(table.insert(), rows)
        for values in links:
            where = [c == values[f"pk_{c.name}"] for c in pk]
            target.execute(update(table).where(*where).values({k: v for k, v in values.items() if not k.startswith("pk_")}))
    if progress:
        progress("", len(all_tables), len(all_tables))


def reset_sequences(conn: Connection) -> None:
    """PostgreSQL: move each table's id sequence past its highest id."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        quoted = conn.dialect.identifier_preparer.quote(table.name)
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": quoted, "c": pk[0].name}).scalar()
        if sequence:
            conn.execute(
                text(f"SELECT setval(:s, COALESCE((SELECT MAX({pk[0].name}) FROM {quoted}), 0) + 1, false)"),
                {"s": sequence},
            )


def allocate_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """``count`` fresh ids for new rows of ``table``, in increasing order. PostgreSQL: taken
    from the table's own sequence (another client inserting meanwhile never gets one of
    them); SQLite: after the highest id (the unit of work holds the writer lock)."""
    if count <= 0:
        return []
    pk = table.autoincrement_column
    if conn.dialect.name == "postgresql":
        quoted = conn.dialect.identifier_preparer.quote(table.name)
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": quoted, "c": pk.name}).scalar()
        if sequence:
            return sorted(conn.execute(text("SELECT nextval(:s) FROM generate_series(1, :n)"),
                                       {"s": sequence, "n": count}).scalars())
    highest = conn.execute(select(func.max(pk))).scalar() or 0
    return list(range(highest + 1, highest + 1 + count))


def _canonical(value) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def table_summary(conn: Connection, table: Table) -> TableCopy:
    """Row count and SHA-256 of the table's content in primary-key order."""
    digest = hashlib.sha256()
    count = 0
    columns = sorted(table.columns, key=lambda c: c.name)
    result = conn.execution_options(yield_per=BATCH).execute(
        select(*columns).where(*_own_rows(table)).order_by(*table.primary_key.columns)
    )
    for row in result:
        count += 1
        digest.update("\x1f".join(_canonical(v) for v in row).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1e")
    return TableCopy(table.name, count, digest.hexdigest())


def summaries(conn: Connection) -> tuple[TableCopy, ...]:
    return tuple(table_summary(conn, t) for t in tables())
