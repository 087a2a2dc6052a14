"""The suite's own conventions (issue 11): the slowest tests carry the ``slow`` mark, which only
selects — CI and the README's command still run every test."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT


def test_slow_tests_are_marked_and_still_run_by_default():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert any(m.startswith("slow:") for m in config["markers"])
    marked = [p.name for p in (ROOT / "tests").glob("test_*.py")
              for _ in re.findall(r"^@pytest\.mark\.slow$", p.read_text(encoding="utf-8"), re.M)]
    assert len(marked) >= 10, marked
    assert "-m" not in config.get("addopts", "").split()  # nothing deselected by default
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"-m pytest\s*$", ci, re.M) and "not slow" not in ci
