"""« Fichier › Sauvegardes… », the recovery offer for a damaged base, and automatic backups.

- :class:`BackupsDialog` lists the backups of the open SQLite base (date, size, what
  triggered it), takes one now, and restores one after backing up the current file.
- :func:`offer_recovery` is called when opening fails because the file is damaged: it
  offers the newest sound backup (with its date), sets the damaged file aside untouched
  and restores the backup in its place.
- :func:`offer_read_only` is called when the base is open for writing elsewhere.
- :func:`open_with_recovery` opens a base through ``services.database.open_or_offer`` and
  presents the offer it returns (data, not an exception to interpret).
- :class:`AutomaticBackups` takes the daily backup while a base is open and the backup
  on closing a base that was changed.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import UserError
from ...paths import backups_dir_for
from ...services import database as D
from ...services.changes import Change
from ..models import Column, RowTableModel
from ..widgets.tables import setup_table

log = logging.getLogger("qpv_desk.gui.backups")


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} o"
    for unit in ("Ko", "Mo", "Go"):
        size /= 1024
        if size < 1024 or unit == "Go":
            return f"{size:.1f} {unit}".replace(".", ",")
    return str(size)


def _when(value: dt.datetime) -> str:
    return value.strftime("%d/%m/%Y à %H:%M:%S")


COLUMNS = [
    Column("Date", "when", display=_when),
    Column("Taille", "size", display=human_size, align="right"),
    Column("Origine", "reason_label"),
    Column("Fichier", lambda b: b.path.name),
]


class BackupsDialog(QDialog):
    """The backups of the open base; restore one, or back up now."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Sauvegardes")
        self.resize(760, 420)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.model = RowTableModel(COLUMNS, self)
        self.view = QTableView(self)
        setup_table(self.view, self.model, resize="contents", alternating=False)
        self.view.doubleClicked.connect(lambda _i: self.restore_selected())

        self.backup_button = QPushButton("Sauvegarder maintenant", self)
        self.restore_button = QPushButton("Restaurer la sauvegarde choisie…", self)
        self.folder_button = QPushButton("Ouvrir le dossier", self)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(self.open_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addWidget(self.folder_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    # ----------------------------------------------------------------- state

    @property
    def path(self) -> Path | None:
        db = self.ctx.db
        return db.path if db is not None and db.is_sqlite else None

    def refresh(self) -> None:
        db = self.ctx.db
        if db is None:
            self.intro.setText("Aucune base n'est ouverte.")
            self.model.set_rows([])
        elif not db.is_sqlite:
            self.intro.setText(D.PG_BACKUP_MESSAGE)
            self.model.set_rows([])
        else:
            self.model.set_rows(D.list_backups(db.path))
            self.intro.setText(
                f"Sauvegardes de {db.path.name}, dans {backups_dir_for(db.path)}. Une sauvegarde est faite chaque "
                "jour, à la fermeture après des modifications, avant chaque mise à jour du schéma et chaque "
                "import ; on garde celles des 7 derniers jours, des 4 dernières semaines et des 12 derniers mois."
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        sqlite = self.path is not None
        self.backup_button.setEnabled(sqlite)
        self.folder_button.setEnabled(sqlite)
        self.restore_button.setEnabled(sqlite and not self.ctx.read_only and self.selected() is not None)

    def selected(self):
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row(), index.parent()):
            return None
        return self.model.row_at(index)

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)

    # ----------------------------------------------------------------- actions

    def backup_now(self) -> None:
        path = self.path
        if path is None:
            return

        def work(progress):
            progress(0, 0, "Sauvegarde en cours…")
            return D.backup_base(path, reason="manuelle")

        def done(made: Path) -> None:
            self.refresh()
            self.ctx.info(self, f"Sauvegarde enregistrée : {made.name}.")

        self.ctx.run_in_background(self, "Sauvegarde de la base…", work, on_done=done)

    def restore_selected(self) -> None:
        chosen = self.selected()
        path = self.path
        if chosen is None or path is None or self.ctx.read_only:
            return
        question = (
            f"Restaurer la sauvegarde du {_when(chosen.when)} ({chosen.reason_label}) ?\n\n"
            "Le contenu actuel de la base sera remplacé. Il est d'abord sauvegardé (« avant restauration ») : "
            "vous pourrez revenir en arrière depuis cette même liste."
        )
        if not self.ctx.confirm(self, question, "Restaurer une sauvegarde"):
            return
        db = self.ctx.db

        def work(progress):
            progress(0, 0, "Restauration en cours…")
            return D.restore_base(path, chosen.path, db=db)

        def done(restored) -> None:
            self.refresh()
            self.ctx.notify(Change.ALL)  # the file was replaced, not written through a unit of work
            self.ctx.info(self, f"La base a été restaurée depuis la sauvegarde du {_when(chosen.when)}."
                          + (f"\nLa version remplacée est gardée dans {restored.kept.name}." if restored.kept else ""))

        self.ctx.run_in_background(self, "Restauration de la sauvegarde…", work, on_done=done)

    def open_folder(self) -> None:
        if self.path is not None:
            folder = backups_dir_for(self.path)
            folder.mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


# --------------------------------------------------------------------------- at open


def _direct(fn, *args, **kwargs):
    return fn(*args, **kwargs)


def offer_recovery(ctx, parent: QWidget | None, offer, *, run=_direct) -> Path | None:
    """Present the recovery offer for a damaged base (a ``RecoveryOffer``, or the damaged file's path).

    On acceptance the damaged file is set aside (untouched, beside it) and the newest
    sound backup restored in its place; returns the path for the caller to open. Returns
    ``None`` when there is no sound backup or the user declines (then nothing was touched).
    ``run(fn, *args)`` runs the service calls (the main window runs them off the GUI thread).
    """
    if not hasattr(offer, "backup"):
        offer = run(D.recovery_offer, Path(offer))
    path = offer.path
    if offer.backup is None:
        ctx.error(parent, f"La base {path.name} est endommagée et aucune sauvegarde saine de cette base n'a été trouvée "
                          "(les sauvegardes d'une autre base du même nom ne sont jamais proposées). "
                          "Le fichier n'a pas été modifié ; conservez-le et contactez votre service informatique.")
        return None
    question = (
        f"La base {path.name} est endommagée.\n\n"
        f"La sauvegarde saine la plus récente date du {_when(offer.backup_when)}. Les modifications faites depuis "
        "seront perdues.\n\nMettre le fichier endommagé de côté (il est conservé tel quel, à côté) et repartir de "
        "cette sauvegarde ?"
    )
    if not ctx.confirm(parent, question, "Base endommagée"):
        return None
    try:
        aside = run(D.recover_from_backup, offer)
    except UserError as exc:
        ctx.error(parent, exc)
        return None
    ctx.info(parent, f"La base a été restaurée depuis la sauvegarde du {_when(offer.backup_when)}.\n"
                     f"Le fichier endommagé est conservé sous le nom {aside.name}.")
    return path


def offer_read_only(ctx, parent: QWidget | None, offer) -> bool:
    """The base is open for writing elsewhere: ask whether to open it read-only."""
    problem = getattr(offer, "problem", offer)
    return ctx.confirm(parent, f"{problem}\n\nOuvrir la base en lecture seule ?", "Base déjà ouverte")


def open_with_recovery(ctx, parent: QWidget | None, target, *, read_only: bool = False, run=_direct):
    """Open a base, presenting the offers the service returns: recovery of a damaged file,
    read-only access to a base open for writing elsewhere.

    Returns the open ``Database``, or ``None`` when the user declined an offer. Any other
    refusal (:class:`UserError`) is raised for the caller to show. ``run(fn, *args, **kwargs)``
    runs the service calls (the main window runs them off the GUI thread).
    """
    opening = run(D.open_or_offer, target, read_only=read_only)
    if opening.db is not None:
        return opening.db
    offer = opening.offer
    if isinstance(offer, D.RecoveryOffer):
        if offer_recovery(ctx, parent, offer, run=run) is None:
            return None
        return run(D.open_base, offer.path, read_only=read_only)
    if isinstance(offer, D.ReadOnlyOffer):
        if read_only or not offer_read_only(ctx, parent, offer):
            return None
        return run(D.open_base, target, read_only=True)
    raise AssertionError(f"offre inconnue : {offer!r}")


# --------------------------------------------------------------------------- automatic backups


class AutomaticBackups(QObject):
    """Daily backup while a SQLite base is open, backup on closing it after changes.

    Create one beside the main window; call :meth:`close_current` when the application
    quits (the backup of a base replaced by another one is taken automatically).
    """

    CHECK_EVERY_MS = 60 * 60 * 1000

    def __init__(self, ctx, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._db = None
        self.timer = QTimer(self)
        self.timer.setInterval(self.CHECK_EVERY_MS)
        self.timer.timeout.connect(self.daily)
        ctx.database_changed.connect(self._database_changed)
        if ctx.db is not None:
            self._database_changed(ctx.db)

    def _database_changed(self, db) -> None:
        self.close_current()
        self._db = db
        if db is not None and db.is_sqlite and not db.read_only:
            self.daily()
            self.timer.start()
        else:
            self.timer.stop()

    def _safely(self, fn, *args):
        try:
            return fn(*args)
        except (UserError, OSError) as exc:  # a backup that fails never stops the work; it is logged
            self._failed(exc)
            return None

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, (UserError, OSError)):
            log.warning("Sauvegarde automatique impossible : %s", exc)
        else:
            self.ctx.report(None, exc)

    def daily(self):
        """Start the daily backup (at most one a day) through the background executor: a large
        base takes a moment to copy and check, and the référente should not wait for it."""
        db = self._db
        if db is None or not db.is_sqlite or db.read_only:
            return None
        self.wait()
        self._job = self.ctx.run_in_background(None, "Sauvegarde quotidienne…", D.daily_backup, db, quiet=True,
                                               on_error=self._failed)
        return self._job

    def wait(self, timeout: float | None = 120) -> None:
        """Wait for a daily backup in progress (before closing the base or quitting)."""
        job = getattr(self, "_job", None)
        if job is not None and not job.done:
            job.wait(int((timeout or 120) * 1000))

    def close_current(self):
        """Back up the current base if it was changed (call before closing it)."""
        self.wait()
        db, self._db = self._db, None
        self.timer.stop()
        if db is None or not db.is_sqlite or db.read_only:
            return None
        return self._safely(D.backup_on_close, db)
