"""Every base has an identity; backups belong to it, not to the file name (issue 15, item 1)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import create_engine

from qpv_desk.domain.errors import DatabaseRefused
from qpv_desk.paths import stored_base_id
from qpv_desk.store import backup as B
from qpv_desk.store import migrate
from qpv_desk.store import safety as S
from qpv_desk.store.db import open_database
from qpv_desk.store.models import Organisation


def make_base(path, *names):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_database(path, create=True) as db:
        with db.session() as s:
            for name in names:
                s.add(Organisation(name=name))
    return path


def org_count(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM organisation").fetchone()[0]
    finally:
        conn.close()


def damage(path):
    data = bytearray(path.read_bytes())
    for offset in range(0, len(data), 1024):
        data[offset + 100:offset + 1024] = b"\xa5" * (924 if offset + 1024 <= len(data) else len(data) - offset - 100)
    path.write_bytes(bytes(data))


class FakeCtx:
    def __init__(self):
        self.seen = []

    def error(self, parent, msg, title=""):
        self.seen.append(("error", str(msg)))

    def info(self, parent, msg, title=""):
        self.seen.append(("info", str(msg)))

    def confirm(self, parent, msg, title=""):
        self.seen.append(("confirm", str(msg)))
        return True


@pytest.fixture
def two_bases(tmp_path):
    pc = make_base(tmp_path / "pc" / "qpv.sqlite", *(f"Structure {i}" for i in range(41)))
    usb = make_base(tmp_path / "usb" / "qpv.sqlite", "Seule")
    return pc, usb


def test_each_base_has_its_own_uuid_and_backups_folder(two_bases):
    pc, usb = two_bases
    id_pc, id_usb = stored_base_id(pc), stored_base_id(usb)
    assert len(id_pc) == 36 and len(id_usb) == 36 and id_pc != id_usb
    a = B.backup_database(pc, reason="manuelle")
    b = B.backup_database(usb, reason="manuelle")
    assert a.parent != b.parent and id_pc in a.parent.name and id_usb in b.parent.name
    assert [i.path for i in B.list_backups(pc)] == [a]
    assert [i.path for i in B.list_backups(usb)] == [b]


def test_recovery_of_a_damaged_base_never_offers_another_bases_backup(two_bases):
    from qpv_desk.gui.dialogs.backups import offer_recovery

    pc, usb = two_bases
    B.backup_database(usb, reason="manuelle")  # only the USB key's base has a backup
    damage(pc)
    damaged = pc.read_bytes()
    with pytest.raises(S.DamagedDatabase):
        open_database(pc)
    assert B.newest_sound_backup(pc) is None
    ctx = FakeCtx()
    assert offer_recovery(ctx, None, pc) is None
    assert ctx.seen[0][0] == "error" and "aucune sauvegarde" in ctx.seen[0][1] and "cette base" in ctx.seen[0][1]
    assert pc.read_bytes() == damaged  # untouched


def test_recovery_finds_the_damaged_bases_own_backup_by_its_identity(two_bases):
    from qpv_desk.gui.dialogs.backups import offer_recovery

    pc, usb = two_bases
    B.backup_database(pc, reason="quotidienne", now=dt.datetime.now() - dt.timedelta(days=1))
    B.backup_database(usb, reason="manuelle")  # newer, same file name, other base
    damage(pc)
    ctx = FakeCtx()
    assert offer_recovery(ctx, None, pc) == pc
    assert org_count(pc) == 41  # its own data, not the USB key's single organisation


@pytest.mark.slow
def test_rotation_never_deletes_another_bases_backups(two_bases):
    pc, usb = two_bases
    now = dt.datetime(2026, 11, 20, 12)
    theirs = [B.backup_database(usb, reason="quotidienne", now=now - dt.timedelta(days=400 + d)) for d in range(3)]
    for d in range(40):
        B.backup_database(pc, reason="quotidienne", now=now - dt.timedelta(days=d))
    assert all(p.exists() for p in theirs)
    # even a file of the other base dropped into this base's folder is neither listed nor rotated
    stray = B.list_backups(pc)[0].path.parent / theirs[0].name
    stray.write_bytes(theirs[0].read_bytes())
    B.rotate_backups(pc, now=now + dt.timedelta(days=800), retention_years=1)
    assert stray.exists() and all(p.exists() for p in theirs)
    assert stray not in [i.path for i in B.list_backups(pc)]


def test_restoring_another_bases_backup_is_refused_unless_forced(two_bases):
    pc, usb = two_bases
    theirs = B.backup_database(usb, reason="manuelle")
    with pytest.raises(DatabaseRefused, match="autre base"):
        B.restore_backup(pc, theirs)
    assert org_count(pc) == 41
    B.restore_backup(pc, theirs, force=True)
    assert org_count(pc) == 1


def test_existing_base_gets_an_identity_by_migration_and_keeps_its_migration_backup(tmp_path):
    path = tmp_path / "ancienne.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0002")
    engine.dispose()
    assert stored_base_id(path) == ""
    with open_database(path) as db:
        pass
    base_id = stored_base_id(path)
    assert len(base_id) == 36
    [info] = B.list_backups(path)
    assert info.reason == "migration" and base_id in info.path.parent.name
    # restoring that pre-identity backup keeps the base's identity
    B.restore_backup(path, info.path)
    with open_database(path) as db:
        pass
    assert stored_base_id(path) == base_id


def test_each_copy_of_the_sample_gets_its_own_identity(sample_path, tmp_path):
    import shutil

    other = tmp_path / "copie" / sample_path.name
    other.parent.mkdir()
    shutil.copyfile(sample_path, other)
    for path in (sample_path, other):
        open_database(path).close()
    assert stored_base_id(sample_path) and stored_base_id(other)
    assert stored_base_id(sample_path) != stored_base_id(other)
