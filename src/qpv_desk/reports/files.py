"""Files a document is written to: Word's lock files, free names, and the one way to
write a file whole (:func:`write_atomically`; no python-docx here)."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..domain.errors import StorageError


class FileLockedError(StorageError):
    """The target file is open in another program (Word keeps it locked)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(
            f"Le fichier « {self.path.name} » est ouvert dans un autre programme (Word, Excel, LibreOffice ?) : "
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




def _file_mode(path: Path) -> int:
    """The mode a new file gets from the user's umask (an existing file keeps its own)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomically(path: str | Path, write: Callable[[Path], object], *, make_folder: bool = False) -> Path:
    """Write ``path`` whole or not at all — the one way the application writes a file.

    ``write(tmp)`` fills a temporary file beside the target (same folder: the rename is
    atomic), which then replaces the target with the usual permissions (mkstemp makes it
    0600). A target open in Word, Excel or LibreOffice raises :class:`FileLockedError`;
    a missing folder (unless ``make_folder``), a full disk, a read-only medium raise
    :class:`StorageError` in French. Nothing is left behind on failure.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if is_locked(path):
        raise FileLockedError(path)
    try:
        if make_folder:
            folder.mkdir(parents=True, exist_ok=True)
        elif not folder.is_dir():
            raise StorageError(f"Le dossier « {folder} » n'existe pas.")
        fd, tmp = tempfile.mkstemp(prefix=".qpv-", suffix=path.suffix, dir=folder)
        os.close(fd)
    except OSError as exc:
        raise StorageError(f"Impossible d'écrire dans le dossier « {folder} » : {exc.strerror or exc}.") from None
    try:
        write(Path(tmp))
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except PermissionError as exc:
        raise FileLockedError(path) from exc
    except OSError as exc:
        raise StorageError(f"Impossible d'écrire « {path.name} » : {exc.strerror or exc}.") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
