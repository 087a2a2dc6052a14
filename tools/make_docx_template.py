"""Build ``resources/templates/qpv-desk.docx``, the styled template of every Word document.

It starts from python-docx's blank document and defines the styles the writers use
(Title, Heading 1–3, Normal, List Bullet/Number, Small, the table style « QPV Tableau »),
A4 pages, a header with the ``[Commune]`` placeholder and a footer « Page X sur Y ».
A commune may then open the file in Word and restyle it (logo in the header, fonts,
colours): the writers only refer to styles by name.

Usage: python tools/make_docx_template.py [-o PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from qpv_desk.reports.docx_common import TEMPLATE_NAME, build_template  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "resources" / "templates" / TEMPLATE_NAME)
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    doc = build_template()
    doc.core_properties.title = "Modèle QPV Desk"
    doc.save(str(args.output))
    print(f"Modèle écrit : {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
