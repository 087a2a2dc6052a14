"""Alembic, run in-process. The scripts live in ``store/migrations`` inside the package."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(config())


def head_revision() -> str:
    heads = _scripts().get_heads()
    if len(heads) != 1:  # a broken release: refuse to guess
        raise RuntimeError(f"Les migrations ont plusieurs têtes : {heads}")
    return heads[0]


def is_known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except Exception:
        return False


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
