"""Move a base between her SQLite file and the agglomeration's PostgreSQL server.

``copy_database`` copies SQLite → PostgreSQL, PostgreSQL → SQLite or SQLite → SQLite:
the target gets the current schema through the same migrations as any base, then every row
with its id, version and history; the copy is read back and compared table by table (row
count and content checksum) before it is declared done. A target that already holds data
is refused unless ``replace`` is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import DatabaseRefused, EmptyDatabase, StorageError
from ..store import transfer
from ..store.db import open_database, open_for_reading, resolve_target

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class CopyResult:
    source: str
    target: str
    tables: int
    rows: int


def _has_data(db) -> int:
    with db.engine.connect() as conn:
        return sum(transfer.row_counts(conn).values())


def _refuse_if_not_empty(target: str | Path) -> None:
    """Look at the target without writing to it (a refused copy leaves it as it was)."""
    try:
        probe = open_for_reading(target)
    except EmptyDatabase:  # a server base or a file without the schema yet: nothing to lose
        return
    try:
        rows_there = _has_data(probe)
    finally:
        probe.close()
    if rows_there:
        raise DatabaseRefused(
            f"La base cible {probe.display} contient déjà des données ({rows_there} lignes) : "
            "rien n'a été copié. Choisissez une base vide, ou demandez de la remplacer (--replace)."
        )


def copy_database(source: str | Path, target: str | Path, *, replace: bool = False,
                  progress: Progress | None = None) -> CopyResult:
    """Copy the whole base ``source`` into ``target`` and verify the copy.

    Raises :class:`DatabaseRefused` when the target is the source or already holds data
    (without ``replace``), :class:`StorageError` when the copy read back differs.
    """
    src_target, dst_target = resolve_target(source), resolve_target(target)
    if src_target.url == dst_target.url:
        raise DatabaseRefused("La source et la cible de la copie sont la même base : rien n'a été copié.")
    created = dst_target.is_sqlite and (not dst_target.path.exists() or dst_target.path.stat().st_size == 0)
    if not created and not replace:
        _refuse_if_not_empty(target)
    src = open_for_reading(source)
    try:
        dst = open_database(target, create=True)
        try:
            with src.engine.connect() as s_conn:
                if s_conn.dialect.name == "postgresql":
                    s_conn = s_conn.execution_options(isolation_level="REPEATABLE READ")
                with s_conn.begin():  # one snapshot of the source for the copy and its checksums
                    with dst.engine.begin() as d_conn:
                        transfer.wipe(d_conn)  # rows the migrations seed, or the replaced base
                        transfer.copy_tables(s_conn, d_conn, progress)
                        transfer.reset_sequences(d_conn)
                    expected = transfer.summaries(s_conn)
            with dst.engine.connect() as d_conn:
                found = transfer.summaries(d_conn)
            differing = [e.name for e, f in zip(expected, found) if e != f]
            if differing:
                raise StorageError(
                    f"La copie vers {dst.display} diffère de la source (tables : {', '.join(differing)}) : "
                    "ne l'utilisez pas."
                )
            result = CopyResult(src.display, dst.display, len(expected), sum(t.rows for t in expected))
        finally:
            dst.close()
    except BaseException:
        if created and dst_target.path.exists():
            _remove_sqlite(dst_target.path)
        raise
    finally:
        src.close()
    return result


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
