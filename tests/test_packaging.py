"""Packaging rules checked without building (the frozen build itself is checked by
``packaging/smoke_test.py``, run by ``.ci/run`` after the tests)."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "qpv-desk.spec"
ISS = PACKAGING / "qpv-desk.iss"


def _load(name: str):
    """A module of packaging/ (not a package), loaded by path."""
    if str(PACKAGING) not in sys.path:
        sys.path.insert(0, str(PACKAGING))
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def contents():
    return _load("contents")


@pytest.fixture(scope="module")
def build():
    return _load("build")


def iss_sections() -> dict[str, list[str]]:
    """The Inno Setup script as {section: [lines]}, comments and preprocessor lines left out."""
    sections: dict[str, list[str]] = {}
    current = None
    for raw in ISS.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1).lower()
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    return sections


def iss_setup() -> dict[str, str]:
    return {k.strip().lower(): v.strip() for k, _, v in (line.partition("=") for line in iss_sections()["setup"])}


# --------------------------------------------------------------------------- the PyInstaller spec

def test_spec_is_python_and_builds_one_folder():
    text = SPEC.read_text(encoding="utf-8")
    tree = ast.parse(text)
    calls = {node.func.id: node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert "COLLECT" in calls, "un seul dossier : COLLECT rassemble l'exécutable et les bibliothèques"
    assert "exclude_binaries=True" in text
    assert "onefile" not in text.lower()
    assert "qpv_desk_main.py" in text and (PACKAGING / "qpv_desk_main.py").is_file()
    assert "qpv_desk.cli import run" in (PACKAGING / "qpv_desk_main.py").read_text(encoding="utf-8")
    # the spec names what it ships (details and rules in contents.py)
    for needle in ("src/qpv_desk/store/migrations", "script.py.mako", "resources/referentials", "resources/templates",
                   "resources/icons", "qtbase_fr.qm", "sample_db/verquin-demo.sqlite", "defusedxml", "EXCLUDES"):
        assert needle in text, needle


def test_entry_script_survives_the_windowed_executable_without_console(tmp_path):
    """qpv-desk-gui.exe has no console: sys.stdout/stderr are None; the entry script copes."""
    import subprocess

    wrapper = (
        "import runpy, sys\n"
        "sys.stdout = sys.stderr = None\n"
        f"sys.argv = ['qpv-desk', 'referential', 'import', {str(tmp_path / 'absent.toml')!r}, '--db', "
        f"{str(tmp_path / 'x.sqlite')!r}]\n"
        f"runpy.run_path({str(PACKAGING / 'qpv_desk_main.py')!r}, run_name='__main__')\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr  # a user error (missing file), reported without crashing
    assert "Traceback" not in proc.stderr


def test_runtime_data_covers_every_file_loaded_at_run_time(contents):
    pairs = contents.runtime_datas(ROOT)
    shipped = {(Path(source).resolve(), dest) for source, dest in pairs}
    migrations = ROOT / "src" / "qpv_desk" / "store" / "migrations"
    expected = [
        (migrations / "env.py", "qpv_desk/store/migrations"),
        (migrations / "script.py.mako", "qpv_desk/store/migrations"),
        (ROOT / "resources" / "referentials" / "verquin-3-ilots.toml", "resources/referentials"),
        (ROOT / "resources" / "icons" / "qpv-desk.ico", "resources/icons"),
        (ROOT / "sample_db" / "verquin-demo.sqlite", "sample_db"),
    ]
    # Alembic loads the revisions from disk by path: every one ships as a source file
    expected += [(path, "qpv_desk/store/migrations/versions") for path in sorted((migrations / "versions").glob("*.py"))]
    # every file of resources/ (referentials, templates, icons, and any folder added later)
    for path in sorted((ROOT / "resources").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            expected.append((path, path.parent.relative_to(ROOT).as_posix()))
    missing = [f"{p.relative_to(ROOT)} → {d}" for p, d in expected if (p.resolve(), d) not in shipped]
    assert not missing, missing
    assert len(expected) >= 8
    assert not [s for s, _ in pairs if "__pycache__" in s or s.endswith(".pyc")]


def test_migrations_land_where_migrate_py_looks_for_them_in_the_frozen_app(contents):
    from qpv_desk.store import migrate

    # frozen: migrate.__file__ == sys._MEIPASS/qpv_desk/store/migrate.pyc
    relative = Path(migrate.__file__).resolve().relative_to(ROOT / "src")
    frozen_folder = (relative.parent / "migrations").as_posix()
    assert any(dest == frozen_folder for _, dest, _ in contents.RUNTIME_DATA)
    assert migrate.MIGRATIONS.name == "migrations"


def test_a_missing_runtime_file_stops_the_build(contents, tmp_path):
    (tmp_path / "resources").mkdir()
    with pytest.raises(contents.MissingData, match="introuvable"):
        contents.runtime_datas(tmp_path)


def test_qt_french_translations_are_shipped(contents):
    from PySide6.QtCore import QLibraryInfo

    translations = Path(QLibraryInfo.path(QLibraryInfo.TranslationsPath))
    pairs = contents.qt_translation_datas(translations)
    assert (str(translations / "qtbase_fr.qm"), contents.QT_TRANSLATIONS_DEST) in pairs
    # where PyInstaller puts Qt for PySide6 (and where QLibraryInfo looks in the frozen app)
    expected = "PySide6/translations" if sys.platform == "win32" else "PySide6/Qt/translations"
    assert contents.QT_TRANSLATIONS_DEST == expected
    for folder in ("PySide6/Qt/translations", "PySide6/translations"):  # Linux/macOS and Windows layouts
        assert contents.qt_file_wanted(f"{folder}/qtbase_fr.qm")
        assert not contents.qt_file_wanted(f"{folder}/qtbase_de.qm")
        assert not contents.qt_file_wanted(f"{folder}/qtdeclarative_fr.qm")
    with pytest.raises(contents.MissingData):
        contents.qt_translation_datas(Path(__file__).parent)


def test_defusedxml_is_a_hidden_import(contents):
    assert "defusedxml" in contents.HIDDEN_IMPORTS
    assert "defusedxml" not in contents.EXCLUDES


def test_the_app_imports_only_the_qt_modules_that_ship(contents):
    used = set()
    for path in (ROOT / "src" / "qpv_desk").rglob("*.py"):
        used.update(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert used, "aucun import de PySide6 trouvé"
    assert used <= set(contents.QT_USED), f"modules Qt utilisés mais exclus du paquet : {used - set(contents.QT_USED)}"
    for module in contents.QT_USED:
        assert f"PySide6.{module}" not in contents.EXCLUDES


@pytest.mark.parametrize("module", ["QtNetwork", "QtQml", "QtQuick", "Qt3DCore", "QtWebEngineCore", "QtMultimedia",
                                    "QtCharts", "QtSql", "QtPdf", "QtOpenGL"])
def test_unused_qt_modules_are_excluded(contents, module):
    assert f"PySide6.{module}" in contents.EXCLUDES


@pytest.mark.parametrize("dest, wanted", [
    ("PySide6/Qt/lib/libQt6Core.so.6", True),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ("PySide6/Qt/lib/libQt6PrintSupport.so.6", True),
    ("PySide6/Qt6Gui.dll", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    # Windows layout of PySide6 wheels: Qt DLLs, plugins/ and translations/ directly in PySide6/
    ("PySide6/Qt6Widgets.dll", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/plugins/platforms/qoffscreen.dll", True),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
    ("PySide6/plugins/imageformats/qico.dll", True),
    ("PySide6/plugins/imageformats/qpdf.dll", False),
    ("PySide6/plugins/tls/qopensslbackend.dll", False),
    ("PySide6/plugins/platforminputcontexts/qtvirtualkeyboardplugin.dll", False),
    ("PySide6/Qt6Network.dll", False),
    ("PySide6/Qt6Quick.dll", False),
    ("PySide6/opengl32sw.dll", False),
    ("PySide6/qml/QtQuick/qmldir", False),
    ("PySide6/Qt/plugins/imageformats/qico.dll", True),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
    ("PySide6/Qt/plugins/styles/qmodernwindowsstyle.dll", True),
    ("PySide6/Qt/plugins/printsupport/windowsprintersupport.dll", True),
    ("PySide6/Qt/lib/libQt6Network.so.6", False),
    ("PySide6/Qt6Qml.dll", False),
    ("PySide6/Qt/lib/libQt6Quick.so.6", False),
    ("PySide6/Qt6Pdf.dll", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/imageformats/qpdf.dll", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/sqldrivers/qsqlite.dll", False),
    ("PySide6/Qt/plugins/tls/qschannelbackend.dll", False),
    ("PySide6/Qt/plugins/networkinformation/qnetworklistmanager.dll", False),
    ("PySide6/Qt/qml/QtQuick/Controls/qmldir", False),
    ("sqlalchemy/engine/_row_cy.so", True),
])
def test_qt_files_kept_and_dropped(contents, dest, wanted):
    assert contents.qt_file_wanted(dest) is wanted
    assert contents.qt_file_wanted(dest.replace("/", "\\")) is wanted


def test_babel_keeps_french_locale_data_only(contents):
    assert contents.babel_file_wanted("babel/locale-data/fr.dat")
    assert contents.babel_file_wanted("babel/locale-data/fr_FR.dat")
    assert contents.babel_file_wanted("babel/locale-data/root.dat")
    assert contents.babel_file_wanted("babel/global.dat")
    assert not contents.babel_file_wanted("babel/locale-data/de_DE.dat")
    assert not contents.babel_file_wanted("babel/locale-data/frr.dat")


def test_check_bundle_reports_missing_files_and_unused_qt(build, tmp_path):
    app = tmp_path / "qpv-desk"
    internal = app / "_internal"
    internal.mkdir(parents=True)
    build.executable(app).write_bytes(b"")
    assert any("fichier manquant" in p and "env.py" in p for p in build.check_bundle(app))
    (internal / "PySide6/Qt/lib").mkdir(parents=True)
    (internal / "PySide6/Qt/lib/libQt6Network.so.6").write_bytes(b"")
    assert any("module Qt inutile" in p and "Network" in p for p in build.check_bundle(app))


# --------------------------------------------------------------------------- version, single-sourced

def test_version_has_a_single_source(build):
    from qpv_desk import __version__

    version = _load("version")
    assert version.read_version() == __version__
    assert version.version_tuple("1.2.0rc1") == (1, 2, 0, 0)
    assert version.version_tuple("0.10.3") == (0, 10, 3, 0)
    # pyproject reads it from the package; the spec and the .iss hard-code no version
    assert 'version = { attr = "qpv_desk.__version__" }' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert __version__ not in SPEC.read_text(encoding="utf-8")
    assert "read_version()" in SPEC.read_text(encoding="utf-8")
    assert iss_setup()["appversion"] == "{#AppVersion}"
    assert not re.search(r"#define\s+AppVersion", ISS.read_text(encoding="utf-8-sig"))
    command = build.iscc_command("ISCC.exe", __version__)
    assert f"/DAppVersion={__version__}" in command and command[-1].endswith("qpv-desk.iss")


# --------------------------------------------------------------------------- the Inno Setup script

def test_installer_is_per_user_in_local_appdata():
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf"), "UTF-8 avec BOM, sinon Inno Setup lit les accents en ANSI"
    setup = iss_setup()
    assert setup["privilegesrequired"] == "lowest"
    assert "privilegesrequiredoverridesallowed" not in setup
    assert setup["defaultdirname"] == r"{localappdata}\Programs\QPV Desk"
    icon = setup["setupiconfile"].replace("\\", "/")
    assert (PACKAGING / icon).resolve() == (ROOT / "resources" / "icons" / "qpv-desk.ico").resolve()
    assert (ROOT / "resources" / "icons" / "qpv-desk.ico").is_file()
    assert any(r"compiler:Languages\French.isl" in line for line in iss_sections()["languages"])


def test_installer_puts_the_windowed_app_in_the_start_menu():
    sections = iss_sections()
    text = ISS.read_text(encoding="utf-8-sig")
    exe = re.search(r'#define AppExe "([^"]+)"', text).group(1)
    assert exe == "qpv-desk-gui.exe"
    assert 'name="qpv-desk-gui"' in SPEC.read_text(encoding="utf-8") and "console=False" in SPEC.read_text(encoding="utf-8")
    start_menu = [line for line in sections["icons"] if re.search(r'Name: "\{(autoprograms|group|userprograms)\}', line)]
    assert start_menu and all("{#AppExe}" in line for line in start_menu)
    assert any("qpv-desk.ico" in line for line in start_menu)
    assert any(r'Source: "{#SourceDir}\*"' in line and "recursesubdirs" in line for line in sections["files"])
    assert re.search(r'#define SourceDir "\.\.\\dist\\qpv-desk"', text)


def test_uninstaller_leaves_the_users_database_and_backups():
    sections = iss_sections()
    for section in ("uninstalldelete", "installdelete"):
        for line in sections.get(section, []):
            assert "{app}" in line, f"[{section}] ne doit toucher que le dossier du programme : {line}"
            assert "QPV Desk" not in line.replace("{app}", "")
    assert "uninstalldelete" not in sections
    # the data folder is not the install folder (so removing {app} cannot remove it)
    from qpv_desk import paths

    assert paths.APP_DIR_NAME == "QPV Desk"
    assert iss_setup()["defaultdirname"].startswith(r"{localappdata}\Programs")


# --------------------------------------------------------------------------- CI and the smoke test

def test_ci_builds_and_smoke_tests_after_the_test_suite():
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    test_line = next(i for i, line in enumerate(lines) if "-m pytest" in line)
    build_line = next(i for i, line in enumerate(lines) if "packaging/build.py" in line)
    smoke_line = next(i for i, line in enumerate(lines) if "packaging/smoke_test.py" in line)
    assert test_line < build_line < smoke_line
    assert any('.[packaging]' in line for line in lines[test_line + 1:build_line + 1])


def test_smoke_test_lists_its_steps_and_their_requirements():
    smoke = _load("smoke_test")
    assert list(smoke.STEPS) == ["bundle", "version", "referential", "sample", "minutes", "copil", "gui"]
    assert smoke.need_sample in smoke.STEPS["minutes"].needs and smoke.need_sample in smoke.STEPS["copil"].needs
    assert smoke.STEPS["referential"].needs == ()
    assert smoke.main(["--list"]) == 0
    assert smoke.main([str(ROOT / "nowhere")]) == 2


def test_windows_icon_holds_every_size():
    """Start menu, taskbar and Explorer each need their own size of the icon to stay sharp."""
    import struct

    data = (ROOT / "resources" / "icons" / "qpv-desk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack("<B", data[6 + 16 * i:7 + 16 * i])[0] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes
