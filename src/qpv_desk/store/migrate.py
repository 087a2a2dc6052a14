"""Alembic, run in-process. The scripts live in ``store/migrations`` inside the package.

Knowing the head revision only needs the ``revision``/``down_revision`` lines of the
scripts, read here without importing Alembic (which pulls in Mako and takes a
noticeable part of the start-up time); Alembic itself is imported only to upgrade.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy.engine import Engine

from ..domain.text import plural

MIGRATIONS = Path(__file__).with_name("migrations")

_ASSIGN = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(None|['\"]([^'\"]+)['\"])", re.M)


@cache
def _graph() -> dict[str, str | None]:
    """revision → down_revision, from the version scripts."""
    graph: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        if script.name.startswith("_"):
            continue
        found = {m.group(1): m.group(3) for m in _ASSIGN.finditer(script.read_text(encoding="utf-8"))}
        if "revision" in found and found["revision"]:
            graph[found["revision"]] = found.get("down_revision")
    return graph


def config():
    from alembic.config import Config  # start-up: Alembic loads only to migrate (see above)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    graph = _graph()
    heads = set(graph) - {down for down in graph.values() if down}
    if len(heads) != 1:  # a broken release: refuse to guess
        raise RuntimeError(f"Les migrations ont plusieurs têtes : {sorted(heads)}")
    return heads.pop()


def is_known(revision: str) -> bool:
    return revision in _graph()


def upgrade(engine: Engine, revision: str = "head", *, base_id: str | None = None) -> None:
    """Upgrade the schema. ``base_id``: the identity migration 0003 gives a base that has
    none yet (a fresh UUID otherwise)."""
    from alembic import command  # start-up: Alembic loads only to migrate (see above)

    cfg = config()
    cfg.attributes["base_id"] = base_id
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Batch mode rebuilds a table to change a constraint: SQLite's documented
            # procedure turns foreign keys off (outside any transaction) meanwhile, then
            # checks them before committing.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"Migration refusée : {plural(len(broken), 'référence cassée', 'références cassées')} "
                                           f"({broken[0]})")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
