"""Référentiel › « Périmètre »: the chosen quartier's official perimeter on a small map
drawn offline (:class:`~qpv_desk.gui.widgets.quartier_map.QuartierMap`), its area and
length, and the import of a GeoJSON or shapefile she downloaded."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...services import perimeter as perimeter_service
from ..widgets.bar_chart import french_number
from ..widgets.quartier_map import QuartierMap

GEO_FILTER = "Périmètres (*.geojson *.json *.shp);;GeoJSON (*.geojson *.json);;Shapefile (*.shp)"


def ask_perimeter_file(parent: QWidget | None) -> Path | None:
    """The geographic file to import (patched in tests)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Importer le périmètre du quartier", str(Path.home()), GEO_FILTER)
    return Path(path) if path else None


class PerimeterTab(QWidget):
    def __init__(self, page):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.quartier = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.map = QuartierMap()
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.import_button = QPushButton("Importer le périmètre…")
        self.import_button.setToolTip("Fichier GeoJSON ou shapefile (Lambert-93 ou WGS84) contenant le code du quartier")
        self.import_button.clicked.connect(self.import_file)
        buttons = QHBoxLayout()
        buttons.addWidget(self.figures, 1)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.map, 1)
        layout.addLayout(buttons)

    def show_quartier(self, quartier) -> None:
        self.quartier = quartier
        info = None
        if quartier is not None and self.ctx.db is not None:
            info = perimeter_service.quartier_perimeter(self.ctx.db, quartier.id)
        self.heading.setText(f"<b>{quartier.name}</b> ({quartier.code})" if quartier else
                             "Aucun quartier : importez un référentiel.")
        self.map.set_geojson(info.geojson if info else None)
        if info:
            self.figures.setText(f"Surface : {french_number(float(info.area_ha), 'ha')} — longueur du périmètre : "
                                 f"{french_number(float(info.length_km), 'km')} — source : {info.source or '?'}")
        else:
            self.figures.setText("Aucun périmètre importé : téléchargez le fichier des périmètres des quartiers "
                                 "(GeoJSON ou shapefile) puis importez-le.")
        self.import_button.setEnabled(quartier is not None and self.ctx.db is not None and self.ctx.may_edit_referential)

    def import_file(self) -> None:
        q = self.quartier
        if q is None:
            return
        path = ask_perimeter_file(self)
        if path is None:
            return
        db = self.ctx.db

        def work(progress=None):
            return perimeter_service.import_perimeter(db, path, q.code, expected_version=q.version)

        self.ctx.run_in_background(self, "Import du périmètre…", work, on_done=self._imported)

    def _imported(self, info) -> None:
        self.page.refresh()  # the quartier's new version (the import changed it), unless she is typing
        self.show_quartier(self.quartier)
        self.page.status(f"Périmètre du quartier {info.code} importé : {french_number(float(info.area_ha), 'ha')}.")
