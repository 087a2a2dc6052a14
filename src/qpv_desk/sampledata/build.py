"""Build the demonstration database or the agglomeration-scale benchmark dataset (one file).

Run by ``tools/build_sample_db.py``; the application never imports this package.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, update

from ..paths import resource
from ..services.referential import import_referential, read_referential
from ..store import models as M
from ..store.db import open_database
from .agglomeration import Agglomeration
from .common import BUILDER, DEFAULT_SEED, IMPORT_STAMP, SCALES, BuildResult, Rows
from .demo import Demo, import_demo_perimeter


def build_sample_database(path: str | Path, *, scale: str = "demo", seed: int = DEFAULT_SEED,
                          progress: Callable[[str], None] | None = None) -> BuildResult:
    """Build a fresh database at ``path`` (replaced if it exists). Deterministic for a given seed."""
    if scale not in SCALES:
        raise ValueError(f"Échelle inconnue : {scale!r} (attendu : {', '.join(SCALES)}).")
    say = progress or (lambda _m: None)
    start = time.perf_counter()
    path = Path(path).resolve()
    work = path.with_name(path.name + ".construction")
    for p in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
        p.unlink(missing_ok=True)
    try:
        counts = _build(work, scale, random.Random(seed), say)
    except BaseException:
        for p in (work, Path(f"{work}-wal"), Path(f"{work}-shm"), Path(f"{work}.lock")):
            p.unlink(missing_ok=True)
        raise
    os.replace(work, path)
    return BuildResult(path, scale, time.perf_counter() - start, counts)


def _build(work: Path, scale: str, rng: random.Random, say) -> dict[str, int]:
    db = open_database(work, create=True)
    try:
        say("Import du référentiel de Verquin")
        import_referential(db, read_referential(resource("referentials", "verquin-3-ilots.toml")), backup=False)
        with db.session() as s:
            s.execute(update(M.ChangeLog).values(at=IMPORT_STAMP, user=BUILDER))
            s.execute(update(M.Organisation).values(created_at=IMPORT_STAMP, updated_at=IMPORT_STAMP))
        with db.session() as s:
            builder = Demo if scale == "demo" else Agglomeration
            builder(s, rng).build(say)
        if scale == "demo":
            say("Périmètre du quartier")
            import_demo_perimeter(db)
        with db.reader() as s:
            counts = {m.__table__.name: s.scalar(select(func.count()).select_from(m)) for m in Rows.ORDER}
    finally:
        db.close()
    say("Compactage du fichier")
    conn = sqlite3.connect(work, isolation_level=None)
    try:
        # No identity in a sample: every copy gets its own when it is first opened.
        conn.execute("DELETE FROM setting WHERE key = 'base_id'")
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")
    finally:
        conn.close()
    for p in (Path(f"{work}-wal"), Path(f"{work}-shm"), Path(f"{work}.lock")):  # .lock: the app's writer lock
        p.unlink(missing_ok=True)
    return counts
