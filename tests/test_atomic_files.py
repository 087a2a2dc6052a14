"""One way to write a file whole (reports/files.write_atomically), used by every writer:
Word documents, the COPIL workbook, the right-of-access export, the .ics and .eml files.
A failure leaves the old file untouched and no temporary file; a file open in Word,
Excel or LibreOffice is refused before anything is written."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import select

from qpv_desk.domain.errors import StorageError
from qpv_desk.reports import files
from qpv_desk.reports.files import FileLockedError, write_atomically
from qpv_desk.services import invitations, privacy, programme_import, reporting
from qpv_desk.store.models import Meeting, Person


def test_whole_or_nothing(tmp_path):
    target = tmp_path / "liste.csv"
    target.write_bytes(b"ancien")
    os.chmod(target, 0o640)

    def half_then_fail(tmp):
        tmp.write_bytes(b"nouv")
        raise OSError(28, "No space left on device")

    with pytest.raises(StorageError) as err:
        write_atomically(target, half_then_fail)
    assert "liste.csv" in str(err.value) and "No space left" in str(err.value)
    assert target.read_bytes() == b"ancien" and sorted(p.name for p in tmp_path.iterdir()) == ["liste.csv"]

    assert write_atomically(target, lambda tmp: tmp.write_bytes(b"nouveau")) == target
    assert target.read_bytes() == b"nouveau"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["liste.csv"]


def test_missing_folder(tmp_path):
    with pytest.raises(StorageError) as err:
        write_atomically(tmp_path / "absent" / "a.txt", lambda tmp: tmp.write_bytes(b"x"))
    assert "n'existe pas" in str(err.value)
    made = write_atomically(tmp_path / "neuf" / "a.txt", lambda tmp: tmp.write_bytes(b"x"), make_folder=True)
    assert made.read_bytes() == b"x"


def test_a_rename_refused_is_a_locked_file(tmp_path, monkeypatch):
    target = tmp_path / "suivi.xlsx"
    target.write_bytes(b"ancien")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(FileLockedError):
        write_atomically(target, lambda tmp: tmp.write_bytes(b"nouveau"))
    assert target.read_bytes() == b"ancien" and sorted(p.name for p in tmp_path.iterdir()) == ["suivi.xlsx"]


def _open_elsewhere(path):
    path.write_bytes(b"ancien")
    path.with_name("~$" + path.name).write_bytes(b"owner")  # what Word / Excel / LibreOffice leave beside it


def test_every_writer_refuses_a_file_open_elsewhere(sample_db, tmp_path):
    with sample_db.reader() as s:
        meeting = s.scalar(select(Meeting.id).order_by(Meeting.id).limit(1))
        person = s.scalar(select(Person.id).order_by(Person.id).limit(1))
    writers = {
        "invitation.ics": lambda p: invitations.export_invitation(sample_db, meeting, p),
        "brouillon.eml": lambda p: invitations.write_bytes(p, b"Subject: x\r\n\r\n"),
        "donnees.xlsx": lambda p: privacy.export_person(sample_db, person, p),
        "suivi.xlsx": lambda p: reporting.write_copil_workbook(sample_db, None, p),
        "modele.xlsx": lambda p: programme_import.write_template(None, p),
    }
    for name, write in writers.items():
        target = tmp_path / name
        _open_elsewhere(target)
        with pytest.raises(FileLockedError):
            write(target)
        assert target.read_bytes() == b"ancien", name
    assert not list(tmp_path.glob(".qpv-*")) and not list(tmp_path.glob("*.part")) and not list(tmp_path.glob("*.tmp"))
