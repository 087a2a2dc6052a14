"""The main window, its settings, the welcome choices, the exception hook (pytest-qt, offscreen)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QLabel

from conftest import ROOT, VERQUIN_TOML
from gui_helpers import close_window, make_window
from qpv_desk import __version__, paths
from qpv_desk.gui import errors, welcome
from qpv_desk.gui.app import install_french
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.main_window import MainWindow, available_pages, load_page_class, load_page_classes
from qpv_desk.gui.pages import PAGES, PageInfo
from qpv_desk.gui.settings import RECENT_MAX, Settings
from qpv_desk.services import partners as P
from qpv_desk.services.referential import import_referential, read_referential
from qpv_desk.store.db import open_database


def build_db(path: Path) -> Path:
    db = open_database(path, create=True)
    import_referential(db, read_referential(VERQUIN_TOML))
    org = P.create_organisation(db, {"name": "Centre social", "kind": "association"})
    P.create_person(db, {"last_name": "Martin", "first_name": "Léa", "organisation_id": org})
    db.close()
    return path


@pytest.fixture
def db_path(tmp_path) -> Path:
    return build_db(tmp_path / "base.sqlite")


def test_window_opens_on_database_and_navigates(qtbot, db_path, messages):
    window = make_window(qtbot, db_path)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Partenaires" in titles and "Référentiel" in titles
    assert str(db_path) in window.db_label.text()
    assert db_path.name in window.windowTitle()
    window.nav.setCurrentRow(titles.index("Référentiel"))
    assert window.stack.currentWidget() is window.page("referential")
    assert window.current_page().key == "referential"
    # keyboard: Ctrl+<n> shows the n-th page
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.nav, Qt.Key(Qt.Key_1.value + titles.index("Partenaires")), Qt.ControlModifier)
    assert window.current_page().key == "partners"
    qtbot.keyClick(window.nav, Qt.Key_F, Qt.ControlModifier)
    assert window.page("partners").tabs.currentWidget().search.hasFocus()
    window.navigate("partners", {"tab": "contacts", "search": "martin"})
    page = window.page("partners")
    assert page.tabs.currentWidget() is page.contacts
    assert page.contacts.model.rowCount() == 1
    close_window(window)


def test_missing_page_modules_are_not_listed():
    classes = load_page_classes(["absente:Page", "partners:PartnersPage"])
    assert [c.key for c in classes] == ["partners"]
    missing = PageInfo("absente", "Absente", "", "absente:AbsentePage")
    assert [p.key for p in available_pages([missing, "partners:PartnersPage", "inconnue:Page"])] == ["partners"]


def test_a_broken_page_says_so_and_the_others_still_work(qtbot, db_path, messages, caplog):
    broken = PageInfo("cassee", "Cassée", "", "dashboard:PageAbsente")
    window = MainWindow(AppContext(), page_specs=[broken, "partners:PartnersPage"])
    qtbot.addWidget(window)
    assert window.open_target(db_path)
    window.show()
    with caplog.at_level(logging.ERROR, logger="qpv_desk.gui"):
        window.ensure_initial_page()
    assert window.page("cassee") is None and "dashboard:PageAbsente" in caplog.text
    labels = [label.text() for label in window.stack.currentWidget().findChildren(QLabel)]
    assert labels == ["Cette page n'a pas pu être chargée (détails dans le journal)."]
    window.nav.setCurrentRow(1)
    assert window.current_page().key == "partners"
    close_window(window)


def test_page_registry_says_what_the_page_classes_say():
    # the navigation is drawn from the registry before any page module is imported
    for info in PAGES:
        cls = load_page_class(info)
        assert cls is not None, info.spec
        assert (cls.key, cls.title, cls.icon) == (info.key, info.title, info.icon)
    assert len({p.key for p in PAGES}) == len(PAGES)


def test_pages_and_shortcuts_work_while_the_base_opens(qtbot, db_path, messages):
    """The application's start-up: the window shows at once with every page listed; a page
    picked with Ctrl+n while the base opens is the one shown once it is open; each page's
    module is imported when first shown, and every Ctrl+n works from then on."""
    from qpv_desk.gui.app import load_and_open

    window = MainWindow(AppContext(), defer_pages=True)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [p.title for p in PAGES]
    assert window.stack.currentWidget() is window.loading
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)  # she picks the third page meanwhile
    assert window.stack.currentWidget() is window.loading and window.current_page() is None
    classes, db, error, _ = load_and_open(str(db_path), False, window.initial_page())
    assert error is None and [c.key for c in classes] == [PAGES[0].key]  # the first page's module alone
    for cls in classes:
        window.add_page_class(cls)
    window.adopt_database(db)
    window.end_loading()
    assert window.current_page().key == PAGES[2].key
    assert window.stack.currentWidget() is window.current_page()
    for number, info in enumerate(PAGES, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key_0.value + number), Qt.ControlModifier)
        assert window.current_page().key == info.key
        assert window.stack.currentWidget() is window.current_page()
        assert window.nav.currentRow() == number - 1
    assert not [m for m in messages if m[0] == "error"]
    close_window(window)


@pytest.mark.parametrize("closed_early", [False, True])
def test_automatic_backups_begin_after_the_first_page(qtbot, db_path, messages, monkeypatch, closed_early):
    from qpv_desk.gui import main_window
    from qpv_desk.gui.app import load_and_open

    monkeypatch.setattr(main_window, "STARTUP_BACKUPS_DELAY_MS", 10_000 if closed_early else 50)
    window = MainWindow(AppContext(), defer_pages=True)
    qtbot.addWidget(window)
    window.show()
    classes, db, _error, _ = load_and_open(str(db_path), False, window.initial_page())
    window.adopt_database(db)
    assert window.backups is None  # not while the first page is being filled
    window.end_loading()
    assert window.current_page().key == PAGES[0].key and window.backups is None
    if closed_early:  # closed before they began: they begin, and the base is backed up on closing
        window.close()
        assert window.backups is not None
    else:
        qtbot.waitUntil(lambda: window.backups is not None, timeout=10_000)
        window.backups.wait()
    close_window(window)


def test_start_up_imports_the_first_page_only_and_fills_it(db_path, isolated_home):
    """The first page filled from the Core tables, before the ORM and the other pages load."""
    script = """
        import sys
        from qpv_desk.gui import app
        from qpv_desk.gui.main_window import MainWindow
        from qpv_desk.gui.pages import PAGES
        reported = app._report

        def report(application, what, **kwargs):
            if what == "ready":
                window = next(w for w in application.topLevelWidgets() if isinstance(w, MainWindow))
                page = window.current_page()
                loaded = sorted(p.key for p in PAGES if "qpv_desk.gui.pages." + p.module in sys.modules)
                print("page", page.key, "filled", page.data is not None and page.year.count() > 0)
                print("listed", window.nav.count(), "loaded", ",".join(loaded))
                print("orm", sorted(m for m in ("sqlalchemy.orm", "qpv_desk.store.models") if m in sys.modules))
            reported(application, what, **kwargs)

        app._report = report
        sys.exit(app.run_gui(db=%r))
    """ % str(db_path)
    result = _run(script, {"QPV_DESK_EXIT_WHEN_IDLE": "1", "QPV_DESK_HOME": str(isolated_home)})
    assert result.returncode == 0, result.stderr
    assert "page dashboard filled True" in result.stdout, result.stdout
    assert f"listed {len(PAGES)} loaded dashboard" in result.stdout, result.stdout
    # the dashboard reads the Core tables: the ORM (≈ 0.2 s to load) comes after the first page
    assert "orm []" in result.stdout, result.stdout


def test_settings_persist_across_windows(qtbot, db_path, messages):
    first = make_window(qtbot, db_path)
    first.show_page("referential")
    first.resize(790, 700)  # the offscreen screen is 800 px wide
    close_window(first)
    second = make_window(qtbot)
    assert second.current_page().key == "referential"
    assert (second.width(), second.height()) == (790, 700)
    assert Settings().recent_databases()[0] == str(db_path)
    assert Settings().path.parent == paths.user_data_dir()
    close_window(second)


def test_recent_databases_menu(qtbot, tmp_path, messages):
    bases = [build_db(tmp_path / f"b{i}.sqlite") for i in range(2)]
    window = make_window(qtbot, bases[0])
    assert window.open_target(bases[1])
    texts = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert texts[:2] == [str(bases[1]), str(bases[0])]
    next(a for a in window.recent_menu.actions() if a.text() == str(bases[0])).trigger()
    assert window.ctx.db.path == bases[0].resolve()
    settings = Settings()
    for i in range(RECENT_MAX + 3):
        settings.add_recent(f"/nulle/part/{i}.sqlite")
    assert len(settings.recent_databases()) == RECENT_MAX
    close_window(window)


def test_refused_file_shows_message_and_keeps_database(qtbot, db_path, tmp_path, messages):
    window = make_window(qtbot, db_path)
    junk = tmp_path / "notes.sqlite"
    junk.write_text("pas une base")
    assert not window.open_target(junk)
    assert messages and messages[-1][0] == "error" and "n'est pas une base QPV Desk" in messages[-1][1]
    assert window.ctx.db.path == db_path.resolve()
    close_window(window)


def test_read_only_disables_editing(qtbot, db_path, messages):
    window = make_window(qtbot, db_path, read_only=True)
    assert "lecture seule" in window.db_label.text()
    page = window.page("partners")
    window.show_page("partners")
    assert not page.organisations.new_button.isEnabled()
    window.show_page("referential")
    assert not window.page("referential").import_button.isEnabled()
    close_window(window)


def test_save_copy_and_about(qtbot, db_path, tmp_path, monkeypatch, messages):
    window = make_window(qtbot, db_path)
    destination = tmp_path / "copie.sqlite"
    monkeypatch.setattr(welcome, "ask_copy_path", lambda parent, suggested: destination)
    window.action_copy.trigger()
    qtbot.waitUntil(destination.exists, timeout=60_000)
    window.ctx.wait_for_background()
    with open_database(destination) as copy:
        assert P.list_persons(copy)[0].last_name == "Martin"
    window.about()
    text = window.about_box.text()
    assert __version__ in text and str(paths.user_log_dir()) in text and str(db_path) in text
    window.about_box.close()
    close_window(window)


def test_new_database_from_menu(qtbot, db_path, tmp_path, monkeypatch, messages):
    window = make_window(qtbot, db_path)
    target = tmp_path / "neuve.sqlite"
    monkeypatch.setattr(welcome, "ask_new_database_path", lambda parent: target)
    window.action_new.trigger()
    qtbot.waitUntil(lambda: window.ctx.db is not None and window.ctx.db.path == target.resolve(), timeout=60_000)
    assert P.list_persons(window.ctx.db) == []
    assert any(b.code == "COPIL" for b in P.list_bodies(window.ctx.db))
    close_window(window)


# --------------------------------------------------------------------------- welcome


def test_welcome_create_from_bundled_referential(qtbot, tmp_path, monkeypatch, messages):
    dialog = welcome.WelcomeDialog(AppContext())
    qtbot.addWidget(dialog)
    assert "Verquin" in dialog.referential_combo.itemText(0)
    target = tmp_path / "nouvelle.sqlite"
    monkeypatch.setattr(welcome, "ask_new_database_path", lambda parent: target)
    qtbot.mouseClick(dialog.create_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.Accepted, timeout=60_000)
    assert dialog.target == str(target)
    with open_database(target) as db:
        assert len(P.list_bodies(db)) == 3


def test_welcome_create_refuses_existing_file(qtbot, db_path, monkeypatch, messages):
    dialog = welcome.WelcomeDialog(AppContext())
    qtbot.addWidget(dialog)
    monkeypatch.setattr(welcome, "ask_new_database_path", lambda parent: db_path)
    qtbot.mouseClick(dialog.create_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(messages), timeout=60_000)
    assert "existe déjà" in messages[-1][1]
    assert dialog.target is None


def test_welcome_sample_and_open(qtbot, db_path, monkeypatch, messages):
    monkeypatch.setattr(paths, "sample_database", lambda: db_path)
    dialog = welcome.WelcomeDialog(AppContext())
    qtbot.addWidget(dialog)
    assert dialog.sample_button.isEnabled()
    qtbot.mouseClick(dialog.sample_button, Qt.LeftButton)
    copy = Path(dialog.target)
    assert copy.parent == paths.user_data_dir() / "exemple" and copy.exists()
    dialog2 = welcome.WelcomeDialog(AppContext())
    qtbot.addWidget(dialog2)
    monkeypatch.setattr(welcome, "ask_open_path", lambda parent: str(db_path))
    qtbot.mouseClick(dialog2.open_button, Qt.LeftButton)
    assert dialog2.result() == QDialog.Accepted and dialog2.target == str(db_path)


# --------------------------------------------------------------------------- application plumbing


def test_french_translations_installed(qapp):
    assert install_french(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") in ("&Oui", "Oui")


def test_exception_hook_logs_and_shows(monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(errors, "show_unexpected", lambda exc, formatted: shown.append((exc, formatted)))
    try:
        raise RuntimeError("panne simulée")
    except RuntimeError:
        exc_info = sys.exc_info()
    with caplog.at_level(logging.ERROR, logger="qpv_desk.gui"):
        errors.excepthook(*exc_info)
    assert shown and isinstance(shown[0][0], RuntimeError) and "panne simulée" in shown[0][1]
    assert "panne simulée" in caplog.text


def _run(script: str, env_extra: dict, timeout=120) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **env_extra)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)


def test_app_starts_without_heavy_modules(db_path, isolated_home):
    script = """
        import sys
        from qpv_desk.gui.app import run_gui
        code = run_gui(db=sys.argv[-1] if False else %r)
        heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'docx'))
        print('heavy', heavy)
        sys.exit(code)
    """ % str(db_path)
    result = _run(script, {"QPV_DESK_EXIT_WHEN_IDLE": "1", "QPV_DESK_HOME": str(isolated_home)})
    assert result.returncode == 0, result.stderr
    assert "idle " in result.stdout
    assert "heavy []" in result.stdout, result.stdout


def test_cli_without_command_starts_the_gui(db_path, isolated_home):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QPV_DESK_EXIT_WHEN_IDLE="1", QPV_DESK_HOME=str(isolated_home))
    result = subprocess.run([sys.executable, "-m", "qpv_desk", "--db", str(db_path)], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("idle ")
    assert Settings().recent_databases()[0] == str(db_path)


def test_demo_opens_a_temporary_copy(db_path, isolated_home):
    # In a subprocess: an application that ran its event loop and quit cannot host later tests.
    script = """
        import sys
        from pathlib import Path
        from qpv_desk import paths
        from qpv_desk.gui import app
        from qpv_desk.gui.main_window import MainWindow
        paths.sample_database = lambda: Path(%r)
        opened = []
        original = MainWindow.adopt_database
        MainWindow.adopt_database = lambda self, db: (opened.append(db.path), original(self, db))
        code = app.run_gui(demo=True)
        print("opened", opened[0], opened[0].exists())
        sys.exit(code)
    """ % str(db_path)
    before = db_path.read_bytes()
    result = _run(script, {"QPV_DESK_EXIT_WHEN_IDLE": "1", "QPV_DESK_HOME": str(isolated_home)})
    assert result.returncode == 0, result.stderr
    assert "idle " in result.stdout and "ready " in result.stdout
    opened = next(line for line in result.stdout.splitlines() if line.startswith("opened")).split()
    assert opened[1] != str(db_path) and opened[1].endswith(db_path.name)
    assert opened[2] == "False"  # the temporary copy is removed on exit
    assert db_path.read_bytes() == before


def test_missing_database_given_on_command_line(tmp_path, isolated_home):
    script = """
        import sys
        from qpv_desk.gui import app
        from qpv_desk.gui.context import AppContext
        AppContext.error = staticmethod(lambda parent, msg, title="": print("erreur", msg))
        sys.exit(app.run_gui(db=%r))
    """ % str(tmp_path / "absente.sqlite")
    result = _run(script, {"QPV_DESK_EXIT_WHEN_IDLE": "1", "QPV_DESK_HOME": str(isolated_home)})
    assert result.returncode == 2, result.stderr
    assert "n'existe pas" in result.stdout
