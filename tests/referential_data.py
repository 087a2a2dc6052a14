"""The referential as the tests look it up: an objective's node by its code."""

from __future__ import annotations

from qpv_desk.services import objectives as O


def node_by_code(db, code: str) -> O.ObjectiveNode:
    """The node of the objective tree whose code is ``code`` (« 1.2.3 »), as the services give it."""
    return next(n for n in O.objective_tree(db).nodes if n.code == code)
