"""Files a document is written to: Word's lock files, free names (no python-docx here)."""

from __future__ import annotations

import re
from pathlib import Path

from ..domain.errors import StorageError


class FileLockedError(StorageError):
    """The target file is open in another program (Word keeps it locked)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(
            f"Le fichier « {self.path.name} » est ouvert dans un autre programme (Word ?) : "
            "fermez-le ou enregistrez sous un autre nom."
        )


def owner_files(path: Path) -> list[Path]:
    """The « ~$… » lock files Word leaves beside a document it has open."""
    name = path.name
    candidates = {f"~${name}", f"~${name[1:]}", f"~${name[2:]}"}
    return [path.with_name(c) for c in sorted(candidates) if len(c) > 2 + len(path.suffix)]


def is_locked(path: str | Path) -> bool:
    """Is the file open in Word (owner file present, or the file refuses to be opened for writing)?"""
    path = Path(path)
    if any(p.exists() for p in owner_files(path)):
        return True
    if path.exists():
        try:
            with path.open("r+b"):
                pass
        except PermissionError:
            return True
        except OSError:
            return False
    return False


def next_free_name(path: str | Path) -> Path:
    """« nom (2).docx », « nom (3).docx »… the first name that is neither taken nor locked."""
    path = Path(path)
    stem = re.sub(r" \(\d+\)$", "", path.stem)
    n = 2
    while True:
        candidate = path.with_name(f"{stem} ({n}){path.suffix}")
        if not candidate.exists() and not is_locked(candidate):
            return candidate
        n += 1


