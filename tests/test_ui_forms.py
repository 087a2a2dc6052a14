"""The generated forms (``gui/forms/*_ui.py``) are those ``pyside6-uic`` makes of ``ui/*.ui``:
a Designer file changed without ``python tools/compile_ui.py`` fails the suite."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

from conftest import ROOT

COMPILE_UI = ROOT / "tools" / "compile_ui.py"


def _compile_ui():
    spec = importlib.util.spec_from_file_location("compile_ui", COMPILE_UI)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_forms_are_up_to_date():
    forms = sorted((ROOT / "ui").glob("*.ui"))
    assert forms, "aucun formulaire Designer dans ui/"
    for form in forms:
        assert (ROOT / "src" / "qpv_desk" / "gui" / "forms" / f"{form.stem}_ui.py").exists(), form.name
    result = subprocess.run([sys.executable, str(COMPILE_UI), "--check"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_the_check_names_a_form_changed_without_regenerating(tmp_path, monkeypatch, capsys):
    compile_ui = _compile_ui()
    ui, out = tmp_path / "ui", tmp_path / "forms"
    shutil.copytree(ROOT / "ui", ui)
    shutil.copytree(ROOT / "src" / "qpv_desk" / "gui" / "forms", out)
    monkeypatch.setattr(compile_ui, "UI_DIR", ui)
    monkeypatch.setattr(compile_ui, "OUT_DIR", out)
    assert compile_ui.main(["--check"]) == 0
    form = sorted(ui.glob("*.ui"))[0]
    text = form.read_text(encoding="utf-8")
    assert "<string>" in text
    form.write_text(text.replace("<string>", "<string>Modifié ", 1), encoding="utf-8")
    assert compile_ui.main(["--check"]) == 1
    assert f"{form.stem}_ui.py" in capsys.readouterr().err
    (out / f"{form.stem}_ui.py").unlink()  # a form never generated is stale too
    form.write_text(text, encoding="utf-8")
    assert compile_ui.main(["--check"]) == 1
