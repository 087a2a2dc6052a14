"""What the programme import template shows: plain frozen dataclasses, no database, no Qt.

:func:`qpv_desk.services.programme_import.template` fills them (the import's columns and
the funders of the base); :func:`qpv_desk.reports.import_template.render_import_template`
turns them into a workbook. Defined here (and not in the writer) so that the service can
build them without loading openpyxl.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateColumn:
    """One column of the « Programmation » sheet, documented on a line of the « Notice »."""

    label: str  # the header, exactly as the import recognises it
    help: str  # what the Notice says it holds
    example: str = ""
    required: bool = False
    wide: bool = False  # a long text: the column is given more room


@dataclass(frozen=True)
class ImportTemplate:
    title: str  # the workbook's title, the Notice's heading, the printed page header
    columns: tuple[TemplateColumn, ...]
    instructions: tuple[str, ...]  # the Notice's paragraphs, above the table of columns
