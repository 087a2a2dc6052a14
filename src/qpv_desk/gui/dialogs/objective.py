"""Add or rename an objective (form ``ui/objective_dialog.ui``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...services import objectives
from ...services.objectives import ObjectiveNode
from ..context import AppContext
from ..forms.objective_dialog_ui import Ui_ObjectiveDialog
from .base import ServiceDialog, text_of


class ObjectiveDialog(ServiceDialog):
    """Either a new objective (``parent``/``after`` give its place) or an existing one to rename.

    ``saved(int)`` gives the objective id.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, node: ObjectiveNode | None = None,
                 parent_node: ObjectiveNode | None = None, after: ObjectiveNode | None = None,
                 level_name: str = "Objectif"):
        super().__init__(ctx, parent)
        self.node, self.parent_node, self.after = node, parent_node, after
        self.ui = Ui_ObjectiveDialog()
        self.ui.setupUi(self)
        self.watch_fields(self.ui.form, {"code": self.ui.code, "title": self.ui.title,
                                         "description": self.ui.description}, self.ui.errorSummary, self.ui.buttonBox)
        if node is None:
            self.setWindowTitle(f"Nouveau : {level_name}")
            where = f"sous « {parent_node.code} {parent_node.title} »" if parent_node else "au premier niveau"
            # the level's name is hers (Enjeu, Orientation…): a sentence with no « ajouté(e) » to agree
            self.ui.placement.setText(f"Nouvel élément « {level_name} », {where}.")
        else:
            self.setWindowTitle(f"Renommer {node.level.lower()} {node.code}")
            self.ui.placement.setText(f"{node.level} {node.code}" + (" — retiré(e)" if node.retired else ""))
            self.ui.code.setText(node.code)
            self.ui.code.setPlaceholderText("")
            self.ui.title.setText(node.title)
            self.ui.description.setPlainText(node.description or "")

    def save(self) -> int:
        code = self.ui.code.text()
        title = self.ui.title.text()
        description = text_of(self.ui.description)
        if self.node is None:
            return objectives.add_objective(
                self.ctx.db, title, parent_id=self.parent_node.id if self.parent_node else None,
                after_id=self.after.id if self.after else None, code=code or None, description=description,
                contract_id=None if self.parent_node else None,
            )
        objectives.update_objective(self.ctx.db, self.node.id, {"title": title, "code": code, "description": description},
                                    expected_version=self.node.version)
        return self.node.id
