"""Smoke test of the FROZEN app: proves nothing the app loads at run time was left out.

    .venv/bin/python packaging/smoke_test.py dist/qpv-desk            # every step whose feature exists
    .venv/bin/python packaging/smoke_test.py dist/qpv-desk --strict   # a missing feature is a failure
    .venv/bin/python packaging/smoke_test.py dist/qpv-desk --steps referential,gui
    .venv/bin/python packaging/smoke_test.py --list                   # the steps and what each needs

It runs the built executable (``dist/qpv-desk/qpv-desk``), never the venv's code, each
step with its own temporary ``QPV_DESK_HOME`` and ``QT_QPA_PLATFORM=offscreen``, from a
temporary working folder. The documents it exports are read back with python-docx and
openpyxl from the venv running this script. After every step the app's log
(``QPV_DESK_HOME/logs/qpv-desk.log``) must hold no ERROR, no traceback and no warning
about a file « introuvable ».

Steps (``--list`` prints them with their requirements):

==============  ===========================================  ================================
step            checks                                       needs
==============  ===========================================  ================================
bundle          required files present, no unused Qt module  —
version         ``qpv-desk --version`` = ``__version__``     —
referential     ``db init`` + ``referential import`` of the  —
                bundled referential + ``list objectives``
sample          ``db check`` + ``list meetings`` on a copy   sample DB (tools/build_sample_db.py)
                of the bundled sample database
minutes         ``export minutes --meeting ID`` → .docx      sample DB + ``export minutes``
                read back (title, decisions)                 (cli/export.py)
copil           ``export copil --year N`` → .xlsx read back  sample DB + ``export copil``
                (the year's actions listed)
gui             main window offscreen (``--demo``), quits    gui/app.py ``run_gui``; idle exit
                by itself (``QPV_DESK_EXIT_WHEN_IDLE=1``)    (else: runs 8 s, then terminated)
==============  ===========================================  ================================

Without ``--strict`` a step whose feature is not there yet is reported « SAUTÉ » and does
not fail the run; ``--strict`` (what CI uses once every feature has landed) fails it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = ROOT / "src" / "qpv_desk"
sys.path.insert(0, str(HERE))
from build import bundle_root, check_bundle, executable  # noqa: E402
from version import read_version  # noqa: E402

REFERENTIAL = "resources/referentials/verquin-3-ilots.toml"
SAMPLE = "sample_db/verquin-demo.sqlite"
GUI_TIMEOUT = 120  # seconds for the window to show and quit by itself
GUI_FALLBACK_RUN = 8  # seconds the window must survive when the idle exit does not exist
BAD_LOG_LINE = re.compile(r" (ERROR|CRITICAL) |Traceback|WARNING .*introuvable")


class StepFailed(Exception):
    pass


class Skipped(Exception):
    pass


@dataclass
class Run:
    """One step's sandbox: a temporary home, a working folder, and the frozen executable."""

    app_dir: Path
    folder: Path
    log: list[str] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return self.folder / "home"

    @property
    def bundle(self) -> Path:
        return bundle_root(self.app_dir)

    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QPV_DESK_", "QT_"))}
        env.update(QPV_DESK_HOME=str(self.home), QT_QPA_PLATFORM="offscreen", HOME=str(self.folder), **extra)
        return env

    def qpv(self, *args, timeout: float = 120, expect: int | None = 0, env: dict | None = None) -> subprocess.CompletedProcess:
        command = [str(executable(self.app_dir)), *map(str, args)]
        self.log.append("$ qpv-desk " + " ".join(map(str, args)))
        proc = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=timeout, cwd=self.folder, env=env or self.env())
        if expect is not None and proc.returncode != expect:
            raise StepFailed(f"« qpv-desk {' '.join(map(str, args))} » a rendu {proc.returncode} (attendu {expect})\n"
                             f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        return proc

    def sample_copy(self) -> Path:
        source = self.bundle / SAMPLE
        target = self.folder / "demo.sqlite"
        shutil.copyfile(source, target)
        return target

    def check_log(self) -> None:
        log = self.home / "logs" / "qpv-desk.log"
        if not log.is_file():
            return
        bad = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if BAD_LOG_LINE.search(line)]
        if bad:
            raise StepFailed("le journal de l'application signale des erreurs :\n  " + "\n  ".join(bad[:20]))


# --- requirements: None when met, else the reason the step cannot run yet -----------------------------

def need_sample(run: Run) -> str | None:
    """base d'exemple embarquée (tools/build_sample_db.py)"""
    if not (run.bundle / SAMPLE).is_file():
        return f"pas de base d'exemple dans le paquet ({SAMPLE} : tools/build_sample_db.py)"
    return None


def need_export(kind: str):
    def probe(run: Run) -> str | None:
        proc = run.qpv("export", kind, "--help", expect=None)
        if proc.returncode != 0:
            return f"la commande « qpv-desk export {kind} » n'existe pas encore"
        return None

    probe.__doc__ = f"qpv-desk export {kind}"
    return probe


def need_gui(run: Run) -> str | None:
    """gui/app.py run_gui (QPV_DESK_EXIT_WHEN_IDLE)"""
    app = SRC / "gui" / "app.py"
    if not app.is_file() or "def run_gui" not in app.read_text(encoding="utf-8"):
        return "pas encore de fenêtre principale (gui/app.py, run_gui)"
    return None


def has_idle_exit() -> bool:
    app = SRC / "gui" / "app.py"
    return app.is_file() and "QPV_DESK_EXIT_WHEN_IDLE" in app.read_text(encoding="utf-8")


# --- steps --------------------------------------------------------------------------------------------

def step_bundle(run: Run) -> str:
    problems = check_bundle(run.app_dir)
    if problems:
        raise StepFailed("\n".join(problems))
    return "fichiers d'exécution présents, aucun module Qt inutile"


def step_version(run: Run) -> str:
    out = run.qpv("--version").stdout.strip()
    expected = f"QPV Desk {read_version()}"
    if out != expected:
        raise StepFailed(f"« qpv-desk --version » affiche {out!r}, attendu {expected!r}")
    return out


def step_referential(run: Run) -> str:
    db = run.folder / "neuve.sqlite"
    referential = run.bundle / REFERENTIAL
    run.qpv("db", "init", "--db", db)
    run.qpv("referential", "import", referential, "--db", db)
    lines = run.qpv("list", "objectives", "--db", db).stdout.splitlines()
    expected = len(tomllib.loads(referential.read_text(encoding="utf-8")).get("objectives", []))
    if expected == 0 or len(lines) != expected + 1:
        raise StepFailed(f"« list objectives » : {len(lines)} lignes, attendu {expected} objectifs + l'en-tête")
    check = run.qpv("db", "check", "--db", db).stdout
    return f"{expected} objectifs importés ; {check.strip().splitlines()[-1] if check.strip() else 'db check OK'}"


def step_sample(run: Run) -> str:
    db = run.sample_copy()
    run.qpv("db", "check", "--db", db)
    meetings = run.qpv("list", "meetings", "--db", db).stdout.splitlines()
    actions = run.qpv("list", "actions", "--db", db).stdout.splitlines()
    if len(meetings) < 2 or len(actions) < 2:
        raise StepFailed(f"base d'exemple vide ? {len(meetings) - 1} réunions, {len(actions) - 1} actions")
    return f"{len(meetings) - 1} réunions, {len(actions) - 1} actions"


def _query(db: Path, sql: str, *params):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def step_minutes(run: Run) -> str:
    from docx import Document

    db = run.sample_copy()
    rows = _query(db, """
        SELECT m.id, m.title FROM meeting m LEFT JOIN decision d ON d.meeting_id = m.id
        WHERE m.status IN ('tenue', 'cr_valide') GROUP BY m.id ORDER BY count(d.id) DESC, m.id LIMIT 1""")
    if not rows:
        raise StepFailed("aucune réunion tenue dans la base d'exemple")
    meeting_id, title = rows[0]
    # A decision on an action is a row of the decisions table (the action's code); the others are text.
    decisions = [code or text for text, code in _query(
        db, "SELECT d.text, a.code FROM decision d LEFT JOIN action a ON a.id = d.action_id "
            "WHERE d.meeting_id = ? ORDER BY d.id", meeting_id)]
    out = run.folder / "compte-rendu.docx"
    run.qpv("export", "minutes", "--meeting", meeting_id, "--db", db, "-o", out)
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    for section in doc.sections:
        texts.extend(p.text for p in section.header.paragraphs)
    text = _flat("\n".join(texts))
    missing = [t for t in [title, *decisions] if _flat(t)[:60] not in text]
    if missing:
        raise StepFailed(f"le compte rendu de la réunion {meeting_id} ne contient pas : {missing[:3]}")
    return f"réunion {meeting_id} « {title} » : {len(decisions)} décisions relues dans {out.name}"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def step_copil(run: Run) -> str:
    from openpyxl import load_workbook

    db = run.sample_copy()
    rows = _query(db, """
        SELECT p.year, count(a.id) FROM programme_year p JOIN action a ON a.programme_year_id = p.id
        GROUP BY p.year ORDER BY count(a.id) DESC, p.year DESC LIMIT 1""")
    if not rows:
        raise StepFailed("aucune action programmée dans la base d'exemple")
    year, count = rows[0]
    titles = {_flat(t) for (t,) in _query(db, """
        SELECT a.title FROM action a JOIN programme_year p ON p.id = a.programme_year_id WHERE p.year = ?""", year)}
    out = run.folder / f"copil-{year}.xlsx"
    run.qpv("export", "copil", "--year", year, "--db", db, "-o", out)
    wb = load_workbook(out, read_only=True)
    try:
        sheets = wb.sheetnames
        cells = {_flat(str(v)) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None}
    finally:
        wb.close()
    found = titles & cells
    if not found or len(sheets) < 2:
        raise StepFailed(f"classeur COPIL {year} : feuilles {sheets}, {len(found)} / {len(titles)} actions retrouvées")
    return f"{year} : {len(sheets)} feuilles, {len(found)} / {len(titles)} actions retrouvées"


def step_gui(run: Run) -> str:
    if need_sample(run) is None:
        target = ["--demo"]
    else:  # no sample database yet: a fresh database from the bundled referential
        db = run.folder / "gui.sqlite"
        run.qpv("referential", "import", run.bundle / REFERENTIAL, "--db", db, "--create")
        target = ["--db", db]
    if has_idle_exit():
        start = time.perf_counter()
        proc = run.qpv(*target, timeout=GUI_TIMEOUT, env=run.env(QPV_DESK_EXIT_WHEN_IDLE="1"))
        marks = dict(re.findall(r"^(idle|ready) ([0-9.]+)$", proc.stdout, re.M))
        # idle: window shown; ready (when the app reports it): database open and first page filled
        wanted = ["idle"] + (["ready"] if '"ready"' in (SRC / "gui" / "app.py").read_text(encoding="utf-8") else [])
        missing = [w for w in wanted if w not in marks]
        if missing:
            raise StepFailed(f"la fenêtre n'a pas signalé « {', '.join(missing)} » :\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        if "Traceback" in proc.stderr:
            raise StepFailed(proc.stderr[-3000:])
        shown = ", ".join(f"{w} {float(marks[w]):.2f} s" for w in wanted)
        return f"fenêtre {shown}, fermée proprement ({time.perf_counter() - start:.1f} s en tout)"
    command = [str(executable(run.app_dir)), *map(str, target)]
    with subprocess.Popen(command, cwd=run.folder, env=run.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace") as proc:
        try:
            out, err = proc.communicate(timeout=GUI_FALLBACK_RUN)
            raise StepFailed(f"l'application s'est arrêtée d'elle-même (code {proc.returncode}) :\n{out[-2000:]}{err[-2000:]}")
        except subprocess.TimeoutExpired:
            proc.terminate()
            out, err = proc.communicate(timeout=30)
    if "Traceback" in err:
        raise StepFailed(err[-3000:])
    return f"fenêtre ouverte {GUI_FALLBACK_RUN} s sans erreur puis arrêtée (pas encore de QPV_DESK_EXIT_WHEN_IDLE)"


@dataclass(frozen=True)
class Step:
    run: object
    needs: tuple = ()
    doc: str = ""


STEPS: dict[str, Step] = {
    "bundle": Step(step_bundle, (), "fichiers d'exécution présents, aucun module Qt inutile"),
    "version": Step(step_version, (), "qpv-desk --version"),
    "referential": Step(step_referential, (), "db init, import du référentiel embarqué, list objectives"),
    "sample": Step(step_sample, (need_sample,), "db check et listes sur une copie de la base d'exemple"),
    "minutes": Step(step_minutes, (need_sample, need_export("minutes")), "compte rendu Word relu"),
    "copil": Step(step_copil, (need_sample, need_export("copil")), "classeur COPIL relu"),
    "gui": Step(step_gui, (need_gui,), "fenêtre principale hors écran, arrêt propre"),
}


def run_steps(app_dir: Path, names: list[str], strict: bool, keep: bool = False) -> int:
    passed = failures = skips = 0
    base = Path(tempfile.mkdtemp(prefix="qpv-smoke-"))
    try:
        for name in names:
            step = STEPS[name]
            folder = base / name
            folder.mkdir()
            run = Run(app_dir, folder)
            start = time.perf_counter()
            try:
                for need in step.needs:
                    reason = need(run)
                    if reason:
                        raise Skipped(reason)
                detail = step.run(run)
                run.check_log()
                passed += 1
                print(f"OK     {name:<12} {time.perf_counter() - start:5.1f} s  {detail}", flush=True)
            except Skipped as exc:
                if strict:
                    failures += 1
                    print(f"ÉCHEC  {name:<12} fonctionnalité absente : {exc}", flush=True)
                else:
                    skips += 1
                    print(f"SAUTÉ  {name:<12} {exc}", flush=True)
            except (StepFailed, subprocess.TimeoutExpired, OSError) as exc:
                failures += 1
                print(f"ÉCHEC  {name:<12} {time.perf_counter() - start:5.1f} s  {exc}", flush=True)
                for line in run.log[-5:]:
                    print(f"         {line}", flush=True)
    finally:
        if keep:
            print(f"Dossiers de travail conservés : {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    print(f"Test de fumée : {passed}/{len(names)} étapes réussies, {skips} sautées, {failures} en échec.", flush=True)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Test de fumée de l'application gelée (PyInstaller).")
    parser.add_argument("app_dir", nargs="?", type=Path, default=ROOT / "dist" / "qpv-desk",
                        help="dossier de l'application construite (défaut : dist/qpv-desk)")
    parser.add_argument("--steps", help=f"étapes à lancer, séparées par des virgules (défaut : toutes : {','.join(STEPS)})")
    parser.add_argument("--strict", action="store_true", help="une étape dont la fonctionnalité manque est un échec")
    parser.add_argument("--keep", action="store_true", help="conserve les dossiers de travail (journaux, documents)")
    parser.add_argument("--list", action="store_true", help="liste les étapes et leurs prérequis")
    args = parser.parse_args(argv)
    if args.list:
        for name, step in STEPS.items():
            needs = ", ".join(n.__doc__.strip().splitlines()[0] if n.__doc__ else n.__name__ for n in step.needs) or "—"
            print(f"{name:<12} {step.doc}  [prérequis : {needs}]")
        return 0
    names = [n.strip() for n in args.steps.split(",")] if args.steps else list(STEPS)
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        parser.error(f"étapes inconnues : {', '.join(unknown)} (connues : {', '.join(STEPS)})")
    if not executable(args.app_dir.resolve()).is_file():
        print(f"Application introuvable : {executable(args.app_dir)} (lancez d'abord packaging/build.py)", file=sys.stderr)
        return 2
    return run_steps(args.app_dir.resolve(), names, args.strict, args.keep)


if __name__ == "__main__":
    sys.exit(main())
