"""One document model for the documents of a meeting: a list of typed blocks.

A service gathers the data, :mod:`qpv_desk.reports.meeting_docs` turns it into a
:class:`Document` (built once), and two renderers write it: Word
(:mod:`qpv_desk.reports.docx_render`) and HTML for Qt's print preview and PDF
(:mod:`qpv_desk.reports.html_render`). Both render the same blocks, so they carry the
same text. A validated compte rendu is kept in the base as this model in JSON
(:func:`to_json` / :func:`from_json`) and every later export renders that frozen copy.

Plain Python: no Qt, no python-docx, no database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Run:
    """A piece of text with its emphasis. ``alert``: bold red (an overdue date)."""

    text: str
    bold: bool = False
    italic: bool = False
    alert: bool = False


@dataclass(frozen=True)
class Heading:
    """Level 0 is the document's title; ``mark`` is shown after it in red (« (PROJET) »)."""

    text: str
    level: int = 1
    mark: str = ""


@dataclass(frozen=True)
class Paragraph:
    """``style``: "Normal" or "Small"; ``align``: "left" or "right"; ``indent``: set off from the margin."""

    runs: tuple[Run, ...]
    style: str = "Normal"
    align: str = "left"
    indent: bool = False
    space_before: float = 0.0  # points


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or a real numbered list (Word numbering, wrapped lines under the text)."""

    items: tuple[tuple[Run, ...], ...]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    """A table; each cell is a tuple of runs (a run's text may hold line breaks).

    ``header`` is repeated on every page when ``repeat_header``; ``total`` makes the last
    row bold (a total line); ``row_height_cm`` gives rows room for a signature.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    widths_cm: tuple[float, ...]
    repeat_header: bool = True
    row_height_cm: float | None = None
    total: bool = False
    align: tuple[str, ...] = ()  # per column: "left" (default) or "right"


@dataclass(frozen=True)
class Signature:
    """Signatories side by side at the foot of a letter: ((name, function), …)."""

    signatories: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | ListBlock | Table | Signature | PageBreak


@dataclass(frozen=True)
class Letterhead:
    """The commune's logo (image bytes) and address, printed at the top of every page."""

    address: str = ""
    logo: bytes | None = None
    logo_name: str = ""


@dataclass(frozen=True)
class Document:
    """``header``: the running header's label (« Commune de Verquin »); ``header_lines``:
    extra lines on every page (the sign-in sheet names the meeting); ``draft``: PROJET
    on every page."""

    title: str
    header: str
    blocks: tuple[Block, ...]
    draft: bool = False
    header_lines: tuple[str, ...] = ()
    kind: str = ""
    meta: dict = field(default_factory=dict, compare=False, hash=False)


# --------------------------------------------------------------------------- helpers


def runs(*parts) -> tuple[Run, ...]:
    """``runs("Objet : ", bold=…)`` is clumsy: here a str is a plain run, a Run stays a Run."""
    return tuple(p if isinstance(p, Run) else Run(str(p)) for p in parts if p)


def para(*parts, **options) -> Paragraph:
    return Paragraph(runs(*parts), **options)


def label_value(label: str, value: str) -> Paragraph:
    return Paragraph((Run(f"{label} : ", bold=True), Run(value)))


def block_lines(block) -> list[str]:
    """The text lines a reader sees for a block (used to compare the two renderings)."""
    if isinstance(block, Heading):
        return [f"{block.text} {block.mark}".strip()]
    if isinstance(block, Paragraph):
        return ["".join(r.text for r in block.runs)]
    if isinstance(block, ListBlock):
        return ["".join(r.text for r in item) for item in block.items]
    if isinstance(block, Table):
        out = list(block.header)
        for row in block.rows:
            out.extend("".join(r.text for r in cell) for cell in row)
        return out
    if isinstance(block, Signature):
        return [f"{name}\n{function}".strip() for name, function in block.signatories]
    return []


def plain_text(document: Document) -> list[str]:
    out = []
    for block in document.blocks:
        out.extend(block_lines(block))
    return out


# --------------------------------------------------------------------------- JSON (frozen records)

_TYPES = {cls.__name__: cls for cls in (Run, Heading, Paragraph, ListBlock, Table, Signature, PageBreak)}


def _encode(value):
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if type(value).__name__ in _TYPES and hasattr(value, "__dataclass_fields__"):
        return {"type": type(value).__name__, **{f.name: _encode(getattr(value, f.name)) for f in fields(value)}}
    return value


def _decode(value):
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict) and value.get("type") in _TYPES:
        cls = _TYPES[value["type"]]
        return cls(**{k: _decode(v) for k, v in value.items() if k != "type"})
    return value


def to_json(document: Document) -> str:
    return json.dumps({
        "format": FORMAT_VERSION, "title": document.title, "header": document.header, "draft": document.draft,
        "header_lines": list(document.header_lines), "kind": document.kind, "meta": document.meta,
        "blocks": [_encode(b) for b in document.blocks],
    }, ensure_ascii=False)


def from_json(text: str) -> Document:
    data = json.loads(text)
    return Document(
        title=data["title"], header=data["header"], draft=data.get("draft", False),
        header_lines=tuple(data.get("header_lines", ())), kind=data.get("kind", ""), meta=data.get("meta") or {},
        blocks=tuple(_decode(b) for b in data["blocks"]),
    )
