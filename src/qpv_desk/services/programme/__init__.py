"""Programmation: the actions of a year, their financing plan, status history, indicators, bilan.

One module per noun; this package re-exports their public API (callers write
``from qpv_desk.services import programme as P`` then ``P.create_action(...)``):

- :mod:`.actions` — one action: read, create, change (the bilan too), delete;
- :mod:`.listing` — the programme list of a year (filters, search);
- :mod:`.validation` — an action's fields and lists, shared with the programme import;
- :mod:`.funding` — funders and the financing plan's warnings;
- :mod:`.status` — the dated status history;
- :mod:`.indicators` — indicators one at a time;
- :mod:`.renewal` — « Reconduire en N+1 »;
- :mod:`.years`, :mod:`.settings`, :mod:`.choices` — programme years, database settings,
  choosers;
- :mod:`.data` — the frozen dataclasses handed out, and money/date helpers.

The import of a programme from a spreadsheet is :mod:`qpv_desk.services.programme_import`.

One function per user action, each a unit of work; plain frozen dataclasses out; typed
French errors (:class:`ValidationError` naming every bad field at once,
:class:`NotFoundError`, :class:`ConflictError`).

Input conventions (``values`` mappings):

- amounts (keys ending in ``_cents``, and ``requested``/``granted``/``paid`` of a
  funding line) are integer **cents** when given as ``int``, **euros** when given as
  text (« 1 234,50 ») or ``Decimal`` — see :func:`qpv_desk.domain.validation.amount_cents`;
- ``objectives``: a sequence of ``(objective_id, is_principal)`` — exactly one principal;
- ``funding``: a sequence of mappings ``{"funder_id", "requested", "granted", "paid"}``
  (``granted`` may be ``None``: not decided yet); it replaces the whole plan;
- ``indicators``: a sequence of mappings ``{"label", "unit", "target", "result"}``
  (replaces every indicator).

Reading the programme (:func:`list_actions`) costs a constant number of SQL statements
whatever the number of actions (tests count them).
"""

from __future__ import annotations

from ..contract import ObjectiveChoice, descendants, objective_choices, programme_years
from .actions import create_action, delete_action, get_action, update_action, update_bilan
from .choices import meeting_choices
from .data import (
    ActionDetail,
    ActionRow,
    Amounts,
    FundingLineRow,
    FunderRow,
    IndicatorRow,
    MeetingChoice,
    ObjectiveLink,
    ProgrammeList,
    ProgrammeTotals,
    StatusChangeRow,
    programme_totals,
)
from .funding import add_funder, financing_warnings, funders, plan_warnings, set_funder_active
from .indicators import add_indicator, delete_indicator, update_indicator
from .listing import filter_rows, list_actions, row_matches
from .renewal import renew_action
from .settings import SETTINGS, get_setting, max_funder_share, set_setting
from .status import change_status, delete_status_change
from .years import current_contract_id

__all__ = [
    # actions
    "get_action", "create_action", "update_action", "update_bilan", "delete_action",
    # the programme list
    "list_actions", "row_matches", "filter_rows",
    # financing
    "funders", "add_funder", "set_funder_active", "financing_warnings", "plan_warnings",
    # status, indicators, renewal
    "change_status", "delete_status_change", "add_indicator", "update_indicator", "delete_indicator",
    "renew_action",
    # years, settings, choosers
    "current_contract_id", "programme_years", "SETTINGS", "get_setting", "set_setting", "max_funder_share",
    "objective_choices", "descendants", "meeting_choices",
    # data out
    "FunderRow", "ObjectiveChoice", "Amounts", "ActionRow", "ProgrammeTotals", "ProgrammeList", "FundingLineRow",
    "StatusChangeRow", "IndicatorRow", "ObjectiveLink", "ActionDetail", "MeetingChoice",
    "programme_totals",
]
