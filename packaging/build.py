"""Build the one-folder app (``dist/qpv-desk/``) and, on Windows, the installer.

    python packaging/build.py               # PyInstaller → dist/qpv-desk/, then checks it
    python packaging/build.py --installer   # … then Inno Setup → dist/installer/QPV-Desk-<version>-setup.exe
    python packaging/build.py --check       # only check an existing dist/qpv-desk/

PyInstaller runs on ``packaging/qpv-desk.spec`` with its work files in
``build/pyinstaller/``. The version comes from ``src/qpv_desk/__init__.py`` (see
``version.py``) and is given to Inno Setup as ``ISCC /DAppVersion=<version>``.

``check_bundle`` verifies that every file the app loads at run time is in the bundle and
that no Qt module the app does not use slipped in.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from contents import QT_TRANSLATIONS, QT_TRANSLATIONS_DEST, MissingData, runtime_datas  # noqa: E402
from version import read_version  # noqa: E402

SPEC = HERE / "qpv-desk.spec"
ISS = HERE / "qpv-desk.iss"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_DIR = DIST / "qpv-desk"
INSTALLER_DIR = DIST / "installer"
WINDOWS = sys.platform == "win32"

# Files the frozen app must find under sys._MEIPASS (paths relative to it).
REQUIRED_FILES = [  # a sanity list; check_bundle also checks every file of contents.RUNTIME_DATA
    "qpv_desk/store/migrations/env.py",
    "qpv_desk/store/migrations/script.py.mako",
    "qpv_desk/store/migrations/versions/0001_schema_initial.py",
    "resources/referentials/verquin-3-ilots.toml",
    "resources/icons/qpv-desk.ico",
    "resources/icons/qpv-desk.png",
    "sample_db/verquin-demo.sqlite",
    f"{QT_TRANSLATIONS_DEST}/qtbase_fr.qm",
]
# Qt shared libraries, Python extension modules or plugin folders that must NOT be shipped.
FORBIDDEN_QT = re.compile(
    r"(Qt6?|PySide6[/\\]Qt)(Network|Qml|Quick|Pdf|OpenGL|Multimedia|WebEngine|WebSockets|WebChannel|"
    r"3D|Charts|DataVisualization|Graphs|Sql|Test|Designer|UiTools|Help|Location|Positioning|"
    r"Bluetooth|Nfc|Sensors|Serial|RemoteObjects|Scxml|StateMachine|TextToSpeech|SpatialAudio|"
    r"VirtualKeyboard|Wayland|Concurrent|Xml|SvgWidgets)"
    r"|plugins[/\\](sqldrivers|tls|networkinformation|qmltooling|multimedia|platformthemes|"
    r"wayland|egldeviceintegrations|generic|position|sensors|texttospeech)"
)


def bundle_root(app_dir: Path = APP_DIR) -> Path:
    """The folder that is ``sys._MEIPASS`` in the frozen app (``_internal`` since PyInstaller 6)."""
    internal = app_dir / "_internal"
    return internal if internal.is_dir() else app_dir


def executable(app_dir: Path = APP_DIR, name: str = "qpv-desk") -> Path:
    return app_dir / (name + ".exe" if WINDOWS else name)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def check_bundle(app_dir: Path = APP_DIR) -> list[str]:
    """Problems found in a built one-folder app (empty list: all good)."""
    problems = []
    if not executable(app_dir).is_file():
        return [f"exécutable absent : {executable(app_dir)}"]
    root = bundle_root(app_dir)
    for rel in REQUIRED_FILES:
        if not (root / rel).is_file():
            problems.append(f"fichier manquant dans le paquet : {rel}")
    try:  # every run-time data file of the checkout (contents.RUNTIME_DATA) must have landed
        expected = runtime_datas(ROOT)
    except MissingData as exc:
        expected = []
        problems.append(str(exc))
    expected += [(name, QT_TRANSLATIONS_DEST) for name in QT_TRANSLATIONS]
    for source, dest in expected:
        rel = f"{dest}/{Path(source).name}"
        if not (root / rel).is_file():
            problems.append(f"fichier manquant dans le paquet : {rel}")
    if not any(root.glob("defusedxml/*")) and not _in_pyz(app_dir, "defusedxml"):
        problems.append("defusedxml absent du paquet (les imports de classeurs ne seraient plus protégés)")
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if FORBIDDEN_QT.search(rel):
            problems.append(f"module Qt inutile dans le paquet : {rel}")
    translations = list((root / QT_TRANSLATIONS_DEST).glob("*.qm"))
    others = [p.name for p in translations if p.name not in ("qt_fr.qm", "qtbase_fr.qm")]
    if others:
        problems.append(f"traductions Qt inutiles : {', '.join(sorted(others)[:5])}…")
    return problems


def _in_pyz(app_dir: Path, module: str) -> bool:
    """Whether ``module`` is in the PYZ archive (PyInstaller's work folder keeps its table of contents)."""
    toc = WORK / "qpv-desk" / "PYZ-00.toc"
    return toc.is_file() and f"'{module}'" in toc.read_text(encoding="utf-8", errors="replace")


def ensure_sample_database() -> None:
    sample = ROOT / "sample_db" / "verquin-demo.sqlite"
    builder = ROOT / "tools" / "build_sample_db.py"
    if not sample.is_file() and builder.is_file():
        print(f"Base d'exemple absente : construction avec {builder.relative_to(ROOT)}…", flush=True)
        subprocess.run([sys.executable, str(builder), "-o", str(sample)], check=True, cwd=ROOT)


def build_app(clean: bool = False) -> Path:
    ensure_sample_database()
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    print(f"Application construite en {time.perf_counter() - start:.0f} s : {APP_DIR}", flush=True)
    return APP_DIR


def find_iscc() -> Path | None:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"),
                 os.path.join(os.environ.get("LOCALAPPDATA", ""), "Programs")):
        if base:
            candidate = Path(base) / "Inno Setup 6" / "ISCC.exe"
            if candidate.is_file():
                return candidate
    return None


def iscc_command(iscc: Path | str, version: str) -> list[str]:
    """The Inno Setup command line: the version is passed as ``/DAppVersion=`` (the script requires it)."""
    return [str(iscc), f"/DAppVersion={version}", f"/O{INSTALLER_DIR}", str(ISS)]


def build_installer(version: str) -> Path:
    iscc = find_iscc()
    if iscc is None:
        raise SystemExit("Inno Setup 6 (ISCC.exe) est introuvable : installez-le depuis https://jrsoftware.org/isdl.php "
                         "ou ajoutez son dossier au PATH.")
    subprocess.run(iscc_command(iscc, version), check=True, cwd=ROOT)
    setup = INSTALLER_DIR / f"QPV-Desk-{version}-setup.exe"
    print(f"Installateur : {setup}", flush=True)
    return setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Construit QPV Desk en dossier autonome (PyInstaller) et son installateur.")
    parser.add_argument("--installer", action="store_true", help="construit aussi l'installateur Windows (Inno Setup 6)")
    parser.add_argument("--clean", action="store_true", help="vide le cache de PyInstaller avant de construire")
    parser.add_argument("--check", action="store_true", help="vérifie seulement le dossier dist/qpv-desk existant")
    args = parser.parse_args(argv)
    version = read_version()
    print(f"QPV Desk {version}", flush=True)
    if not args.check:
        build_app(clean=args.clean)
    problems = check_bundle()
    for problem in problems:
        print(f"ERREUR : {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"Paquet vérifié : {folder_size(APP_DIR) / 1e6:.1f} Mo dans {APP_DIR}", flush=True)
    if args.installer:
        if not WINDOWS:
            print("L'installateur se construit sous Windows (Inno Setup 6).", file=sys.stderr)
            return 2
        build_installer(version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
