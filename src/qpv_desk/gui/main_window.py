"""The main window: navigation list, stacked pages, menus, status bar.

Pages come from :data:`qpv_desk.gui.pages.PAGES`: the navigation and the Ctrl+n shortcuts
are in place from the start, a page's module is imported and the page built the first time
it is shown (fast start-up), and refreshed when shown after the data or the database
changed. A page whose module is not there (yet) is simply not listed.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME, __version__, paths
from ..domain.errors import DatabaseMissing, UserError
from ..domain.text import plural
from .context import AppContext
from .pages import PAGES, PageInfo
from .pages.base import Page
from .settings import GEOMETRY, LAST_PAGE, WINDOW_STATE, Settings
from .widgets.banner import banner

log = logging.getLogger("qpv_desk.gui")

#: The window's size on first start: fits a 1366×768 screen minus the Windows taskbar.
DEFAULT_SIZE = QSize(1280, 680)
#: At start-up, the automatic backups begin this long after the first page is shown.
STARTUP_BACKUPS_DELAY_MS = 2000


def _welcome():
    """The file-choice helpers (imported when first needed: not on the start-up path)."""
    from . import welcome  # start-up: its widgets cost a few ms

    return welcome


def app_icon() -> QIcon:
    icon = QIcon()
    for name in ("qpv-desk.svg", "qpv-desk.png"):
        path = paths.resource("icons", name)
        if path.exists():
            icon.addFile(str(path))
    return icon


def page_icon(widget: QWidget, name: str) -> QIcon:
    """A page's icon: a ``QStyle.StandardPixmap`` name, a file in resources/icons, or a theme name."""
    if not name:
        return QIcon()
    from PySide6.QtWidgets import QStyle  # start-up: its enums are costly to create

    pixmap = getattr(QStyle.StandardPixmap, name, None)
    if pixmap is not None:
        return widget.style().standardIcon(pixmap)
    for candidate in (paths.resource("icons", name), paths.resource("icons", f"{name}.svg"),
                      paths.resource("icons", f"{name}.png")):
        if candidate.is_file():
            return QIcon(str(candidate))
    return QIcon.fromTheme(name)


def _spec(entry: PageInfo | str) -> str:
    return entry.spec if isinstance(entry, PageInfo) else entry


def available_pages(specs: list[PageInfo | str] | None = None) -> list[PageInfo]:
    """The registered pages (or those named, as ``PageInfo`` or ``"module:Class"``) whose module
    is there, without importing it."""
    out = []
    for entry in PAGES if specs is None else specs:
        info = entry if isinstance(entry, PageInfo) else next((p for p in PAGES if p.spec == entry), None)
        if info is None:
            log.info("Page %s non inscrite dans PAGES : non listée", entry)
            continue
        try:
            present = importlib.util.find_spec(f"qpv_desk.gui.pages.{info.module}") is not None
        except (ImportError, ValueError):  # cannot tell without importing: listed (says so if it fails)
            present = True
        if not present:
            log.info("Page %s absente : non listée", info.spec)
            continue
        out.append(info)
    return out


def load_page_class(entry: PageInfo | str) -> type[Page] | None:
    """Import one page's module and return its class; ``None`` (logged) if it is missing or broken."""
    spec = _spec(entry)
    module_name, _, class_name = spec.partition(":")
    try:
        module = importlib.import_module(f"qpv_desk.gui.pages.{module_name}")
        return getattr(module, class_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("qpv_desk.gui.pages"):
            log.info("Page %s absente : non listée", spec)
            return None
        log.exception("Page %s : import impossible", spec)
    except Exception:  # noqa: BLE001 - a broken page must not stop the application
        log.exception("Page %s : import impossible", spec)
    return None


def load_page_classes(specs: list[PageInfo | str] | None = None) -> list[type[Page]]:
    """Import each page's module; a missing module is skipped (not listed), a broken one logged."""
    classes = (load_page_class(entry) for entry in (PAGES if specs is None else specs))
    return [cls for cls in classes if cls is not None]


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, settings: Settings | None = None, *,
                 page_specs: list[PageInfo | str] | None = None, defer_pages: bool = False):
        """``page_specs``: only these pages (default: all of :data:`PAGES`). ``defer_pages``: the
        window shows « Ouverture de la base… » instead of a page until :meth:`end_loading` (the
        application start-up imports the first page's module and opens the database off the GUI
        thread meanwhile); a page chosen in the navigation meanwhile is shown then."""
        super().__init__()
        self.ctx = ctx
        self.settings = settings or Settings()
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setMinimumSize(760, 540)
        self._entries: list[PageInfo] = []
        self._classes: dict[int, type[Page]] = {}
        self._waiting = defer_pages
        self._icons_shown = False
        self._pages: dict[int, Page] = {}
        self._stale: set[int] = set()
        self._placeholders: dict[int, QWidget] = {}
        self._page_shortcuts: list[QShortcut] = []

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        self.nav.setFixedWidth(200)
        self.nav.setFrameShape(QListWidget.NoFrame)
        self.nav.setStyleSheet(
            "QListWidget#navigation { background: palette(window); padding-top: 8px; }"
            "QListWidget#navigation::item { padding: 8px 6px; border-radius: 4px; }"
            "QListWidget#navigation::item:selected { background: #1f4e99; color: white; }"
        )
        self.stack = QStackedWidget()
        self.loading = QLabel("Ouverture de la base…")
        self.loading.setAlignment(Qt.AlignCenter)
        self.loading.setStyleSheet("color: palette(mid); font-size: 14pt;")
        self.stack.addWidget(self.loading)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        self.banner = banner("baseBanner")  # why the open base is read-only, when not obvious (a server's copy)
        right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        row.addLayout(right, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.show_page_at)

        self.backups = None  # AutomaticBackups, created with the first database (keeps start-up light)
        self._build_menus()
        self.db_label = QLabel()
        self.statusBar().addPermanentWidget(self.db_label, 1)
        ctx.database_changed.connect(self._on_database_changed)
        ctx.remote_changed.connect(self._on_remote_change)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.navigate.connect(self.navigate)
        self._update_status()
        self._restore()
        self._list_pages(available_pages(page_specs))

    def _list_pages(self, entries: list[PageInfo]) -> None:
        """The navigation and its Ctrl+n shortcuts, from the registry alone (no page module imported)."""
        self._entries = list(entries)
        for number, info in enumerate(self._entries, start=1):
            item = QListWidgetItem(info.title)
            shortcut = f"Ctrl+{number}" if number <= 9 else ""
            item.setToolTip(f"{info.title} ({shortcut})" if shortcut else info.title)
            item.setData(Qt.UserRole, info.key)
            self.nav.addItem(item)
        for row in range(len(self._entries)):
            holder = QWidget()
            self._placeholders[row] = holder
            self.stack.addWidget(holder)
        for number in range(1, min(len(self._entries), 9) + 1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda row=number - 1: self.nav.setCurrentRow(row))
            self._page_shortcuts.append(shortcut)
        last = self.settings.get(LAST_PAGE)
        keys = self.page_keys
        self._initial_row = keys.index(last) if last in keys else 0
        if not self._entries:
            self.loading.setText("Aucune page disponible.")
        if not self._waiting:
            self.show_icons()
        elif self._entries:  # shown once the base is open, unless she picks another meanwhile
            self.nav.setCurrentRow(self._initial_row)

    def show_icons(self) -> None:
        """The pages' icons in the navigation (at start-up, once the window is shown)."""
        if self._icons_shown:
            return
        self._icons_shown = True
        for row, info in enumerate(self._entries):
            self.nav.item(row).setIcon(page_icon(self, info.icon))

    def initial_page(self) -> PageInfo | None:
        """The page shown first: the last one used, else the first listed."""
        return self._entries[self._initial_row] if self._entries else None

    def add_page_class(self, cls: type[Page]) -> None:
        """A page class imported elsewhere (the start-up job): not imported again when shown."""
        for row, info in enumerate(self._entries):
            if info.key == cls.key:
                self._classes[row] = cls

    def end_loading(self) -> None:
        """Start-up is over (base open or refused): show the page chosen meanwhile, or the remembered one."""
        self._waiting = False
        self.show_icons()
        row = self.nav.currentRow()
        if row >= 0:
            self.show_page_at(row)
        else:
            self.ensure_initial_page()
        if self.ctx.db is not None and self.backups is None:
            QTimer.singleShot(STARTUP_BACKUPS_DELAY_MS, self._start_backups_if_open)

    # ----------------------------------------------------------------- menus

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Fichier")
        self.action_new = QAction("&Nouvelle base…", self, shortcut=QKeySequence("Ctrl+N"))
        self.action_new.triggered.connect(self.new_database)
        self.action_open = QAction("&Ouvrir…", self, shortcut=QKeySequence("Ctrl+O"))
        self.action_open.triggered.connect(self.open_database_dialog)
        self.recent_menu = file_menu.addMenu("Bases &récentes")
        self.action_copy = QAction("&Enregistrer une copie…", self)
        self.action_copy.triggered.connect(self.save_copy)
        self.action_quit = QAction("&Quitter", self, shortcut=QKeySequence("Ctrl+Q"))
        self.action_quit.triggered.connect(self.close)
        file_menu.insertAction(self.recent_menu.menuAction(), self.action_new)
        file_menu.insertAction(self.recent_menu.menuAction(), self.action_open)
        file_menu.addSeparator()
        file_menu.addAction(self.action_copy)
        self.action_to_server = QAction("Copier vers un &serveur PostgreSQL…", self)
        self.action_to_server.setToolTip("Installe une copie vérifiée de cette base sur le serveur partagé de l'agglomération")
        self.action_to_server.triggered.connect(self.copy_to_server)
        file_menu.addAction(self.action_to_server)
        self.action_merge = QAction("&Fusionner la base d'une commune…", self)
        self.action_merge.setToolTip("Fait entrer dans cette base celle d'une autre commune du même contrat de ville")
        self.action_merge.triggered.connect(self.merge_commune)
        file_menu.addAction(self.action_merge)
        self.action_backups = QAction("&Sauvegardes…", self)
        self.action_backups.triggered.connect(self.show_backups)
        file_menu.addAction(self.action_backups)
        self.action_privacy = QAction("&Données personnelles (RGPD)…", self)
        self.action_privacy.triggered.connect(self.show_privacy)
        file_menu.addAction(self.action_privacy)
        self.action_letterhead = QAction("&Papier à en-tête et signataires…", self)
        self.action_letterhead.triggered.connect(self.show_documents_settings)
        file_menu.addAction(self.action_letterhead)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        help_menu = bar.addMenu("&Aide")
        self.action_about = QAction("À &propos de QPV Desk", self)
        self.action_about.triggered.connect(self.about)
        help_menu.addAction(self.action_about)
        self._rebuild_recent_menu()
        find = QShortcut(QKeySequence.Find, self)
        find.activated.connect(self.focus_search)

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_databases()
        for target in recent:
            action = self.recent_menu.addAction(target)
            action.triggered.connect(lambda _=False, t=target: self.open_target(t))
        if not recent:
            empty = self.recent_menu.addAction("(aucune)")
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Effacer la liste")
            clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        for target in self.settings.recent_databases():
            self.settings.remove_recent(target)
        self._rebuild_recent_menu()

    # ----------------------------------------------------------------- pages

    @property
    def page_keys(self) -> list[str]:
        return [info.key for info in self._entries]

    def page(self, key: str) -> Page | None:
        """The page with that key (built if needed), or ``None`` if not listed (or not loadable)."""
        for row, info in enumerate(self._entries):
            if info.key == key:
                return self._ensure_page(row)
        return None

    def current_page(self) -> Page | None:
        return self._pages.get(self.nav.currentRow())

    def _ensure_page(self, row: int) -> Page | None:
        """The page at ``row``, its module imported and the page built the first time."""
        page = self._pages.get(row)
        if page is None:
            cls = self._classes.get(row) or load_page_class(self._entries[row])
            if cls is None:  # broken module (logged): say so where the page would be
                self._placeholders[row].setObjectName("brokenPage")
                if not self._placeholders[row].layout():
                    label = QLabel("Cette page n'a pas pu être chargée (détails dans le journal).")
                    label.setAlignment(Qt.AlignCenter)
                    QHBoxLayout(self._placeholders[row]).addWidget(label)
                return None
            self._classes[row] = cls
            page = cls(self.ctx)
            holder = self._placeholders.pop(row)
            index = self.stack.indexOf(holder)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(holder)
            holder.deleteLater()
            self._pages[row] = page
            self._stale.add(row)
        return page

    def show_page_at(self, row: int) -> None:
        if not 0 <= row < len(self._entries) or self._waiting:
            return  # while the base opens, the choice is kept: end_loading shows it
        page = self._ensure_page(row)
        if page is None:
            self.stack.setCurrentWidget(self._placeholders[row])
            return
        self.stack.setCurrentWidget(page)
        if row in self._stale:
            self._stale.discard(row)
            page.refresh()
        self.settings.set(LAST_PAGE, self._entries[row].key)

    def show_page(self, key: str) -> Page | None:
        for row, info in enumerate(self._entries):
            if info.key == key:
                if self.nav.currentRow() != row:
                    self.nav.setCurrentRow(row)
                else:
                    self.show_page_at(row)
                return self._pages.get(row)
        return None

    def navigate(self, key: str, filters: dict) -> None:
        page = self.show_page(key)
        if page is not None and filters:
            page.apply_filters(filters)

    def focus_search(self) -> None:
        page = self.current_page()
        if page is None:
            return
        if hasattr(page, "focus_search"):
            page.focus_search()
            return
        for edit in page.findChildren(QLineEdit):
            if edit.isVisible() and edit.isEnabled():
                edit.setFocus(Qt.ShortcutFocusReason)
                edit.selectAll()
                return

    def _on_database_changed(self, _db) -> None:
        self._stale = set(self._pages)
        self._update_status()
        row = self.nav.currentRow()
        if row in self._pages:
            self._stale.discard(row)
            self._pages[row].refresh()

    def _on_remote_change(self, change) -> None:
        """Someone else wrote on the shared server: the pages were refreshed; say who and when."""
        from ..services.history import ENTITY_LABELS  # start-up: SQLAlchemy (services)

        what = ENTITY_LABELS.get(change.table, change.table.replace("_", " ").capitalize())
        self.last_remote_message = f"{what} : {change.label}"
        row = self.nav.currentRow()
        page = self._pages.get(row)
        if page is not None:
            if page.has_unsaved_edits():  # what she typed stays; the page reloads once she has saved
                self._stale.add(row)
                self.last_remote_message += " (page à recharger après votre enregistrement)"
            else:
                self._stale.discard(row)
                page.refresh()
        self.statusBar().showMessage(self.last_remote_message, 15_000)

    def _on_data_changed(self, _what: str) -> None:
        current = self.nav.currentRow()
        self._stale |= {row for row in self._pages if row != current}

    # ----------------------------------------------------------------- database

    def _update_status(self) -> None:
        db = self.ctx.db
        has_db = db is not None
        copy = self.ctx.server_copy if has_db else None
        self.banner.setText(copy.banner if copy is not None else "")
        self.banner.setVisible(copy is not None)
        if not has_db:
            self.db_label.setText("Aucune base ouverte")
            self.loading.setText("Aucune base ouverte : Fichier ▸ Ouvrir… ou Nouvelle base…")
            self.setWindowTitle(APP_NAME)
        else:
            text = f"Base : {db.display}"
            if self.ctx.read_only:
                text += " — lecture seule"
            rights = self.ctx.rights
            if rights is not None and rights.role:
                text += f" — rôle {rights.role}"
            if self.ctx.server_copy is not None:
                text += " — copie du serveur"
            self.db_label.setText(text)
            name = db.path.name if db.path is not None else db.display
            self.setWindowTitle(f"{name} — {APP_NAME}" + (" (lecture seule)" if self.ctx.read_only else ""))
        self.action_copy.setEnabled(has_db)
        self.action_to_server.setEnabled(has_db and db.is_sqlite)
        self.action_backups.setEnabled(has_db and db.is_sqlite and not self.ctx.read_only)
        self.action_merge.setEnabled(has_db and self.ctx.may_edit_referential)
        self.action_privacy.setEnabled(has_db and not self.ctx.read_only)
        self.action_letterhead.setEnabled(has_db and not self.ctx.read_only)

    def open_target(self, target: str | Path, *, read_only: bool = False) -> bool:
        """Open a database (file or URL), replacing the current one. Errors are shown, nothing changes.

        The opening (integrity check, migrations) runs through the background executor: the
        window keeps painting with a busy indicator while it lasts. A damaged file is set aside
        and the newest sound backup offered; a base open for writing elsewhere is offered
        read-only (``services.database.open_or_offer`` returns the offer as data)."""
        from .dialogs.backups import open_with_recovery  # start-up: SQLAlchemy (the dialog's services)

        if not self._pages_can_close():
            return False

        def run(fn, *args, **kwargs):  # integrity check, migrations, restoring: never on the GUI thread
            return self.ctx.call_in_background(self, "Ouverture de la base…", fn, *args, **kwargs)

        previous = self.db_label.text()
        self.db_label.setText(f"Ouverture de {target}…")
        try:
            try:
                db = open_with_recovery(self.ctx, self, target, read_only=read_only, run=run)
            finally:
                self.db_label.setText(previous)
            if db is None:
                return False
        except UserError as exc:
            self.ctx.error(self, exc)
            if isinstance(exc, DatabaseMissing):
                self.settings.remove_recent(str(target))
                self._rebuild_recent_menu()
            return False
        self.adopt_database(db)
        return True

    def adopt_database(self, db) -> None:
        """Make ``db`` (already open) the current database; the previous one is closed."""
        if not self._waiting:  # at start-up: a moment after the first page is shown (end_loading)
            self._start_backups()
        old = self.ctx.db
        self.ctx.set_database(db)
        if old is not None and old is not db:
            old.close()
        self.settings.add_recent(db.display if db.path is None else str(db.path))
        self._rebuild_recent_menu()
        log.info("Base ouverte : %s", db.display)

    def _start_backups(self) -> None:
        """The automatic backups (daily, and on closing a changed base), from now on."""
        if self.backups is None:
            from .dialogs.backups import AutomaticBackups  # start-up: SQLAlchemy (the dialog's services)

            self.backups = AutomaticBackups(self.ctx, self)

    def _start_backups_if_open(self) -> None:
        if self.ctx.db is not None:
            self._start_backups()

    def _pages_can_close(self) -> bool:
        return all(page.can_close() for page in self._pages.values())

    def open_database_dialog(self) -> None:
        path = _welcome().ask_open_path(self)
        if path:
            self.open_target(path)

    def new_database(self) -> None:
        welcome = _welcome()
        referentials = welcome.bundled_referentials()
        referential = referentials[0] if referentials else welcome.ask_referential_path(self)
        if referentials and not self.ctx.confirm(
            self, f"La nouvelle base sera créée avec le référentiel fourni « {referential.name} ». Continuer ?\n\n"
                  "(Un autre référentiel pourra être importé ensuite depuis la page Référentiel.)"
        ):
            return
        if referential is None:
            return
        welcome.start_creation(self.ctx, self, referential, lambda path: self.open_target(path))

    def save_copy(self) -> None:
        from ..services.database import copy_base  # start-up: SQLAlchemy (services.database)

        db = self.ctx.db
        if db is None:
            return
        if db.path is None:  # a shared server: a consistent SQLite copy she can keep and open offline
            destination = _welcome().ask_copy_path(self, paths.user_data_dir() / "copie-du-serveur.sqlite")
            if destination is not None:
                self._copy_with_progress(db.display, str(destination))
            return
        destination = _welcome().ask_copy_path(self, db.path.with_name(f"{db.path.stem}-copie.sqlite"))
        if destination is None:
            return
        if destination.resolve() == db.path.resolve():
            self.ctx.error(self, "La copie ne peut pas remplacer la base ouverte : choisissez un autre nom.")
            return

        def work(progress=None):
            return copy_base(db.path, destination)

        self.ctx.run_in_background(self, "Copie de la base…", work,
                                   on_done=lambda p: self.statusBar().showMessage(f"Copie enregistrée : {p}", 8000))

    def copy_to_server(self) -> None:
        """Fichier ▸ Copier vers un serveur PostgreSQL…: the address, then a verified copy."""
        db = self.ctx.db
        if db is None or db.path is None:
            return
        url, ok = QInputDialog.getText(
            self, "Copier vers un serveur", "Adresse de la base sur le serveur (donnée par le service informatique) :",
            QLineEdit.EchoMode.Normal, "postgresql://identifiant@serveur:5432/qpv_agglo")
        if ok and url.strip():
            self._copy_with_progress(str(db.path), url.strip())

    def _copy_with_progress(self, source: str, target: str) -> None:
        from ..services.transfer import copy_database  # start-up: SQLAlchemy (services)

        def work(progress=None):
            def each_table(table: str, index: int, total: int) -> None:
                if progress is not None:
                    progress(index, total, f"Table {table}…" if table else "Vérification de la copie…")
            return copy_database(source, target, progress=each_table)

        def done(result) -> None:
            self.ctx.info(self, f"Copie vérifiée : {result.rows} lignes dans {result.tables} tables, "
                                f"de {result.source} vers {result.target}.")

        self.ctx.run_in_background(self, "Copie de la base…", work, on_done=done)

    def merge_commune(self) -> None:
        """Fichier ▸ Fusionner la base d'une commune…: her file, the clashes, then the merge."""
        from .dialogs.merge import MergeDialog  # start-up: SQLAlchemy (the dialog's services)
        from ..services.merge import merge_base, plan_merge  # start-up: SQLAlchemy (services)

        db = self.ctx.db
        if db is None or not self.ctx.may_edit_referential:
            return
        chosen = _welcome().ask_merge_source_path(self)
        if chosen is None:
            return
        try:
            plan = self.ctx.call_in_background(self, "Lecture de la base de la commune…", plan_merge, db, chosen)
        except UserError as exc:
            self.ctx.error(self, exc)
            return
        resolutions = MergeDialog.ask(self, plan)
        if resolutions is None:
            return

        def done(result) -> None:
            self.ctx.info(self, f"Fusion vérifiée : {result.commune} ({', '.join(result.quartiers)}), "
                                f"{plural(result.inserted, 'ligne ajoutée', 'lignes ajoutées')} ; "
                                f"{plural(result.same, 'fiche réunie', 'fiches réunies')} avec celles de la base, "
                                f"{plural(result.distinct, 'fiche ajoutée', 'fiches ajoutées')} comme distinctes.")

        self.ctx.run_in_background(self, "Fusion de la base de la commune…", merge_base, db, chosen, resolutions,
                                   on_done=done)

    def show_backups(self) -> None:
        from .dialogs.backups import BackupsDialog  # start-up: SQLAlchemy (the dialog's services)

        if self.ctx.db is None or not self.ctx.db.is_sqlite:
            self.ctx.info(self, "Les sauvegardes automatiques concernent les bases SQLite (fichier). "
                                "Une base PostgreSQL partagée est sauvegardée par son administrateur (pg_dump).")
            return
        self.backups_dialog = BackupsDialog(self.ctx, self)
        self.backups_dialog.exec()

    def show_privacy(self) -> None:
        from .dialogs.privacy import PrivacyDialog  # start-up: SQLAlchemy (the dialog's services)

        if self.ctx.db is None:
            return
        self.privacy_dialog = PrivacyDialog(self.ctx, self)
        self.privacy_dialog.exec()

    def show_documents_settings(self) -> None:
        from .dialogs.documents_settings import DocumentsSettingsDialog  # start-up: SQLAlchemy (the dialog's services)

        if self.ctx.db is None:
            return
        self.documents_settings_dialog = DocumentsSettingsDialog(self.ctx, self)
        self.documents_settings_dialog.exec()

    def about(self) -> None:
        db = self.ctx.db
        text = (
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Pilotage local du contrat de ville : partenaires, instances, réunions, programmation "
            "et suivi des objectifs.</p>"
            f"<p><b>Base ouverte :</b> {db.display if db else 'aucune'}</p>"
            f"<p><b>Journal :</b> {paths.user_log_dir()}</p>"
            f"<p><b>Données utilisateur :</b> {paths.user_data_dir()}</p>"
        )
        self.about_box = QMessageBox(QMessageBox.Information, f"À propos de {APP_NAME}", text, QMessageBox.Ok, self)
        self.about_box.setIconPixmap(app_icon().pixmap(64, 64))
        self.about_box.open()

    # ----------------------------------------------------------------- state

    def _restore(self) -> None:
        geometry = self.settings.get(GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_SIZE)
        state = self.settings.get(WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)

    def ensure_initial_page(self) -> None:
        """Show the remembered page (the last one used), if no page is shown yet."""
        if self.nav.currentRow() < 0 and self._entries:
            self.nav.setCurrentRow(self._initial_row)

    def save_state(self) -> None:
        self.settings.set(GEOMETRY, self.saveGeometry())
        self.settings.set(WINDOW_STATE, self.saveState())
        row = self.nav.currentRow()
        if 0 <= row < len(self._entries):
            self.settings.set(LAST_PAGE, self._entries[row].key)
        for page in self._pages.values():
            if hasattr(page, "save_settings"):
                page.save_settings(self.settings)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._pages_can_close():
            event.ignore()
            return
        self.save_state()
        self.ctx.wait_for_background(10_000)
        if self.backups is None:  # closed right after start-up
            self._start_backups()
        if self.backups is not None:
            self.backups.close_current()
        event.accept()
