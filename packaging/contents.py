"""What goes into the frozen app, and what stays out: used by ``qpv-desk.spec`` and the tests.

Plain Python (no PyInstaller import), so ``tests/test_packaging.py`` checks these rules
without building anything.

Run-time data (``RUNTIME_DATA``), destinations relative to ``sys._MEIPASS``
(``dist/qpv-desk/_internal``):

* ``src/qpv_desk/store/migrations`` → ``qpv_desk/store/migrations``: ``store/migrate.py``
  uses ``Path(__file__).with_name("migrations")`` and, in the frozen app, ``__file__`` of a
  module of the PYZ archive is ``sys._MEIPASS/qpv_desk/store/migrate.pyc``. Alembic loads
  ``env.py``, ``script.py.mako`` and ``versions/*.py`` by path: they ship as SOURCE files.
* ``resources/referentials``, ``resources/templates``, ``resources/icons`` → ``resources/…``:
  ``paths.resources_dir()`` is ``sys._MEIPASS/resources`` (any other ``resources/`` folder
  added later is shipped too).
* ``sample_db/verquin-demo.sqlite`` → ``sample_db/``: ``paths.sample_database()``.
* Qt's French translations ``qtbase_fr.qm`` (and ``qt_fr.qm``) → ``PySide6/Qt/translations``
  (``PySide6/translations`` on Windows),
  where ``QLibraryInfo.path(TranslationsPath)`` points in the frozen app.
* ``defusedxml`` is a hidden import: openpyxl only uses it if it can import it.

Qt: only QtCore, QtGui, QtWidgets, QtPrintSupport and QtSvg are used (``QT_USED``; a test
checks the sources import nothing else). The Python modules of the others are excluded,
and their libraries, plugins and translations filtered out (``qt_file_wanted``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (source relative to the checkout, destination relative to sys._MEIPASS, who reads it)
RUNTIME_DATA = [
    ("src/qpv_desk/store/migrations", "qpv_desk/store/migrations",
     "store/migrate.py: Alembic reads env.py, script.py.mako and versions/*.py by path"),
    ("resources/referentials", "resources/referentials", "referential import (verquin-3-ilots.toml)"),
    ("resources/templates", "resources/templates", "Word/Excel templates of the reports (qpv-desk.docx)"),
    ("resources/icons", "resources/icons", "window, page and installer icons (qpv-desk.ico/.png/.svg)"),
    ("sample_db/verquin-demo.sqlite", "sample_db", "paths.sample_database(): qpv-desk --demo"),
]
# Qt's own French strings (standard dialogs and buttons), loaded by gui/app.py with QTranslator.
QT_TRANSLATIONS = ["qtbase_fr.qm", "qt_fr.qm"]
# Where PyInstaller puts Qt in the bundle, as PySide6 wheels do: PySide6/ on Windows
# (Qt6Core.dll, plugins/, translations/), PySide6/Qt/ elsewhere (lib/, plugins/, translations/).
QT_REL_DIR = "PySide6" if sys.platform == "win32" else "PySide6/Qt"
QT_TRANSLATIONS_DEST = f"{QT_REL_DIR}/translations"

# Modules imported by name (importlib, strings) or only by files shipped as data.
HIDDEN_IMPORTS = [
    "defusedxml", "defusedxml.ElementTree", "defusedxml.cElementTree", "defusedxml.minidom",
    "defusedxml.expatreader", "defusedxml.sax", "defusedxml.common",
    # the migration scripts (data) import these; Alembic looks dialect implementations up by name
    "alembic.op", "alembic.context", "alembic.ddl.sqlite", "alembic.ddl.postgresql",
    "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.postgresql", "mako.template",
    # zoneinfo finds Europe/Paris in tzdata by importlib.resources (invitations .ics)
    "tzdata", "zoneinfo",
    # quartier perimeters (services/perimeter.py imports them inside functions)
    "pyproj", "pyproj.datadir", "shapefile", "shapely", "shapely.geometry", "shapely.validation",
    "PIL.Image", "PIL.ImageDraw", "PIL.ImageFont",
]
# A shared PostgreSQL server (agglomeration mode) needs psycopg: shipped when it is installed
# in the build venv (pip install -e ".[packaging,postgresql]").
OPTIONAL_IMPORTS = {"psycopg": ["psycopg", "sqlalchemy.dialects.postgresql.psycopg"]}

QT_USED = ["QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtSvg"]
QT_UNUSED = [
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
    "QtBluetooth", "QtCanvasPainter", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus",
    "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia",
    "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf",
    "QtPdfWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest",
    "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort",
    "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools",
    "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets",
    "QtWebView", "QtXml",
]
EXCLUDES = [f"PySide6.{m}" for m in QT_UNUSED] + [
    "tkinter", "_tkinter", "PyQt5", "PyQt6", "PySide2",
    # test and build tools that may sit in the same venv
    "pytest", "_pytest", "pytestqt", "xdist", "pluggy", "PyInstaller", "setuptools", "pip",
    # optional extras of openpyxl/SQLAlchemy the app does not use (lxml IS used: python-docx needs it;
    # numpy IS used: shapely needs it to check a perimeter's geometry)
    "IPython", "matplotlib", "pandas",
]

# Qt shared libraries kept: those of QT_USED, + DBus and the xcb glue QtGui needs on Linux.
QT_LIBS_KEPT = {"Core", "Gui", "Widgets", "PrintSupport", "Svg", "DBus", "XcbQpa"}
# plugin folder -> pattern of the plugin names kept (None: the whole folder); other folders dropped
QT_PLUGINS_KEPT = {
    "platforms": r"q(offscreen|minimal|xcb|windows|cocoa)\b",  # offscreen for CI, the desktop one per OS
    "imageformats": r"q(ico|svg|jpeg|gif)\b",                 # PNG and BMP are built into QtGui
    "iconengines": None,                                     # SVG icons
    "printsupport": None,                                    # print preview and PDF
    "styles": None,                                          # native look on Windows (modernwindowsstyle)
    "platforminputcontexts": r"(compose|ibus)platforminputcontextplugin",  # dead keys (â, ê…) on Linux
    "xcbglintegrations": None,
    "accessiblebridge": None,
}
_QT_TRANSLATION_KEPT = re.compile(r"/(qt|qtbase)_fr\.qm$")
_QT_LIB = re.compile(r"(?:^|/)(?:lib)?Qt6([A-Za-z0-9]+)(?:\.so[.0-9]*|\.dll|\.dylib)$")
_QT_PLUGIN = re.compile(r"^PySide6/(?:Qt/)?plugins/([^/]+(?:/darwin)?)/(?:lib)?([^/]+?)(?:\.so|\.dll|\.dylib)$")
_SKIP = re.compile(r"(^|/)(__pycache__|\.pytest_cache)(/|$)|\.py[co]$|~$|(^|/)\.")


class MissingData(Exception):
    """A file the app needs at run time is absent from the checkout: the bundle would be incomplete."""


def data_files(source: str, dest: str, root: Path = ROOT) -> list[tuple[str, str]]:
    """(file, destination folder) pairs for a file or a whole folder, without caches."""
    src = root / source
    if src.is_file():
        return [(str(src), dest)]
    if not src.is_dir():
        raise MissingData(f"« {source} » est introuvable — le paquet serait incomplet.")
    pairs = []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src).as_posix()
        if path.is_file() and not _SKIP.search(rel):
            pairs.append((str(path), Path(dest, rel).parent.as_posix()))
    return pairs


def runtime_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """Every run-time data file of the checkout, as PyInstaller ``datas`` pairs."""
    datas = []
    for source, dest, _why in RUNTIME_DATA:
        datas += data_files(source, dest, root)
    listed = {Path(source).name for source, _, _ in RUNTIME_DATA if source.startswith("resources/")}
    for folder in sorted((root / "resources").iterdir()):  # a resources/ folder added later ships too
        if folder.is_dir() and folder.name not in listed and not _SKIP.search(folder.name):
            datas += data_files(f"resources/{folder.name}", f"resources/{folder.name}", root)
    return datas


def qt_translation_datas(translations_dir: Path) -> list[tuple[str, str]]:
    missing = [name for name in QT_TRANSLATIONS if not (translations_dir / name).is_file()]
    if missing:
        raise MissingData(f"traductions Qt introuvables dans {translations_dir} : {', '.join(missing)}")
    return [(str(translations_dir / name), QT_TRANSLATIONS_DEST) for name in QT_TRANSLATIONS]


def qt_file_wanted(dest: str) -> bool:
    """Whether a collected file (destination path in the bundle) belongs to the Qt we ship."""
    dest = dest.replace("\\", "/")
    if dest.startswith("PySide6/") and "/translations/" in dest:
        return bool(_QT_TRANSLATION_KEPT.search(dest))
    if re.match(r"PySide6/(Qt/)?(qml|metatypes)/", dest):
        return False
    plugin = _QT_PLUGIN.match(dest)
    if plugin:
        folder, name = plugin.groups()
        if folder not in QT_PLUGINS_KEPT:
            return False
        pattern = QT_PLUGINS_KEPT[folder]
        return pattern is None or re.search(pattern, name) is not None
    if re.match(r"PySide6/(Qt/)?plugins/", dest):
        return False
    if re.search(r"(^|/)opengl32sw\.dll$", dest, re.I):  # software OpenGL (Windows): no OpenGL here
        return False
    lib = _QT_LIB.search(dest)
    if lib:
        return lib.group(1) in QT_LIBS_KEPT
    return True


def babel_file_wanted(dest: str) -> bool:
    """Babel's locale data: French (with the root and English fallbacks), not 1,000 locales (30 MB)."""
    dest = dest.replace("\\", "/")
    if not dest.startswith("babel/locale-data/"):
        return True
    return re.fullmatch(r"babel/locale-data/(root|fr|fr_[A-Za-z_]+|en)\.dat", dest) is not None
