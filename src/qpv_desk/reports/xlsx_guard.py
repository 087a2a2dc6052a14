"""Checks on a spreadsheet received from outside, BEFORE openpyxl parses it.

An ``.xlsx`` is a zip of XML files. A hostile one can be a zip bomb (a few hundred
kilobytes that inflate to gigabytes), an XML bomb (entity expansion), a macro-enabled
or password-protected file, or not a spreadsheet at all. The zip directory is read
with :mod:`zipfile` only (no decompression) and checked against limits (the whole, each part, the compression ratio), then each
part is inflated in chunks, without keeping them, to check that it does not inflate
past what the directory declares; XML bombs are
defused by openpyxl itself because ``defusedxml`` is installed (asserted here).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from ..domain.errors import UserError

if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - a broken installation
    raise ImportError("defusedxml doit être installé : sans lui, openpyxl ne protège pas des bombes XML.")

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 5_000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
# openpyxl holds a whole part in memory when one XML element (a cell's text) fills it,
# at several times its size: one part, whatever its compression ratio, is bounded.
MAX_PART_UNCOMPRESSED = 32 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1 * 1024 * 1024  # tiny entries may compress very well without danger

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnsafeSpreadsheet(UserError):
    """A spreadsheet refused before being opened (too big, zip bomb, macros, encrypted…)."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} Mo"


def check_xlsx(path: str | Path) -> None:
    """Refuse a file that is not a plain, reasonably sized ``.xlsx``, with a French message."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise UnsafeSpreadsheet(f"Le fichier « {name} » est introuvable.") from None
    except OSError as exc:
        raise UnsafeSpreadsheet(f"Le fichier « {name} » ne peut pas être lu : {exc.strerror or exc}.") from None
    if size > MAX_FILE_BYTES:
        raise UnsafeSpreadsheet(
            f"Le fichier « {name} » est trop volumineux ({_mb(size)} ; {_mb(MAX_FILE_BYTES)} au plus)."
        )
    if head == _OLE_MAGIC:
        raise UnsafeSpreadsheet(
            f"Le fichier « {name} » est protégé par un mot de passe ou au format Excel 97-2003 (.xls) : "
            "enregistrez-le au format .xlsx, sans mot de passe, puis recommencez."
        )
    if not head.startswith(b"PK"):
        raise UnsafeSpreadsheet(f"Le fichier « {name} » n'est pas un classeur Excel (.xlsx).")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnsafeSpreadsheet(f"Le fichier « {name} » est endommagé ou n'est pas un classeur Excel (.xlsx).") from None
    if len(infos) > MAX_ENTRIES:
        raise UnsafeSpreadsheet(f"Le fichier « {name} » contient trop d'éléments ({len(infos)}) : il est refusé.")
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UnsafeSpreadsheet(f"Le fichier « {name} » n'est pas un classeur Excel (.xlsx).")
    if any(n.lower().endswith("vbaproject.bin") for n in names) or path.suffix.lower() in (".xlsm", ".xltm"):
        raise UnsafeSpreadsheet(
            f"Le fichier « {name} » contient des macros : enregistrez-le au format .xlsx (sans macros) puis recommencez."
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnsafeSpreadsheet(f"Le fichier « {name} » est chiffré : il ne peut pas être lu.")
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise UnsafeSpreadsheet(
                f"Le fichier « {name} » se décompresse en plus de {_mb(MAX_TOTAL_UNCOMPRESSED)} : "
                "il est refusé (fichier anormal ou « bombe zip »)."
            )
        if info.file_size > MAX_PART_UNCOMPRESSED:
            raise UnsafeSpreadsheet(
                f"Le fichier « {name} » contient une partie ({info.filename}) qui se décompresse en "
                f"{_mb(info.file_size)} ({_mb(MAX_PART_UNCOMPRESSED)} au plus) : il est refusé (cellule ou feuille "
                "anormalement grande)."
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeSpreadsheet(
                f"Le fichier « {name} » a un taux de compression anormal "
                f"({info.file_size // max(info.compress_size, 1)} pour 1) : il est refusé (possible « bombe zip »)."
            )
    _check_real_sizes(path, name, infos)


def _check_real_sizes(path: Path, name: str, infos) -> None:
    """Inflate each part in chunks (nothing kept) to catch a directory that lies about sizes."""
    chunk = 1024 * 1024
    try:
        with zipfile.ZipFile(path) as zf:
            for info in infos:
                if info.is_dir():
                    continue
                seen = 0
                with zf.open(info) as fh:
                    while True:
                        data = fh.read(chunk)
                        if not data:
                            break
                        seen += len(data)
                        if seen > info.file_size or seen > MAX_PART_UNCOMPRESSED:
                            raise UnsafeSpreadsheet(
                                f"Le fichier « {name} » contient une partie ({info.filename}) plus grande que "
                                "ce qu'il annonce : il est refusé (fichier anormal ou « bombe zip »)."
                            )
    except UnsafeSpreadsheet:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise UnsafeSpreadsheet(f"Le fichier « {name} » est endommagé ou n'est pas un classeur Excel (.xlsx).") from None
    except Exception:  # zlib.error and others: a damaged stream
        raise UnsafeSpreadsheet(f"Le fichier « {name} » est endommagé ou n'est pas un classeur Excel (.xlsx).") from None
