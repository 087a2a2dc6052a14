"""Demonstration data: the Verquin demo database and the agglomeration-scale benchmark dataset.

- :mod:`.common`: the rules both scales share (names, dates, bulk rows, status chains, financing);
- :mod:`.demo`: Verquin's content; :mod:`.agglomeration`: 25 quartiers, 5 000 actions;
- :mod:`.build`: :func:`build_sample_database`, run by ``tools/build_sample_db.py``.

Off the application's import path: nothing under ``qpv_desk`` imports this package
(an import-linter contract in ``pyproject.toml`` checks it).
"""

from .build import build_sample_database
from .common import DEFAULT_SEED, DEMO_TODAY, SCALES, BuildResult

__all__ = ["DEFAULT_SEED", "DEMO_TODAY", "SCALES", "BuildResult", "build_sample_database"]
