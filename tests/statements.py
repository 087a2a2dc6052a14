"""Count the SQL statements a call sends (a screen's load must not grow with the rows)."""

from __future__ import annotations

import contextlib

from sqlalchemy import event


@contextlib.contextmanager
def counting(db):
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def count(db, fn, *args, **kwargs) -> int:
    with counting(db) as statements:
        fn(*args, **kwargs)
    return len(statements)
