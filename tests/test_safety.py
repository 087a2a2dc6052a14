"""Safe locations, one writer, damaged files set aside, disk full and read-only media."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import textwrap

import pytest
from sqlalchemy import event

from lock_holder import start_holder
from qpv_desk.domain.errors import DatabaseRefused, StorageError
from qpv_desk.store import backup as B
from qpv_desk.store import safety as S
from qpv_desk.store.db import open_database, storage_message
from qpv_desk.store.models import Organisation

LINUX_MOUNTS = textwrap.dedent(r"""
    /dev/sda1 / ext4 rw,relatime 0 0
    /dev/sda2 /home ext4 rw,relatime 0 0
    //srv-mairie/commun /mnt/commun cifs rw,vers=3.0 0 0
    nas:/export/services /srv/services nfs4 rw 0 0
    user@host:/data /home/marie/distant fuse.sshfs rw 0 0
    /dev/sdb1 /media/marie/Cl\040USB vfat rw 0 0
    gvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw 0 0
""")


def problem(path, **kw):
    kw.setdefault("platform", "linux")
    kw.setdefault("mounts", S.parse_proc_mounts(LINUX_MOUNTS))
    kw.setdefault("environ", {})
    return S.location_problem(path, **kw)


# --------------------------------------------------------------------------- locations


@pytest.mark.parametrize("path", [
    "/mnt/commun/qpv.sqlite",
    "/srv/services/qpv/qpv.sqlite",
    "/home/marie/distant/qpv.sqlite",
    "/run/user/1000/gvfs/smb-share:server=srv,share=x/qpv.sqlite",
])
def test_network_mounts_are_refused_on_linux(path):
    assert "partage réseau" in problem(path)


@pytest.mark.parametrize("path", [
    "/home/marie/Documents/qpv.sqlite",
    "/media/marie/Cl USB/qpv.sqlite",  # a USB key is local
    "/mnt/commun-local/qpv.sqlite",  # a prefix of a name is not the mount
    "/tmp/qpv.sqlite",
])
def test_local_paths_are_accepted_on_linux(path):
    assert problem(path) is None


def test_mac_mount_output_is_understood():
    out = ("/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
           "//marie@srv-mairie/commun on /Volumes/commun (smbfs, nodev, nosuid, mounted by marie)\n"
           "srv:/export on /Volumes/nfs (nfs, asynchronous)\n")
    mounts = S.parse_mac_mount_output(out)
    assert problem("/Volumes/commun/qpv.sqlite", platform="darwin", mounts=mounts)
    assert problem("/Volumes/nfs/qpv.sqlite", platform="darwin", mounts=mounts)
    assert problem("/Users/marie/Documents/qpv.sqlite", platform="darwin", mounts=mounts) is None
    cloud = "/Users/marie/Library/Mobile Documents/com~apple~CloudDocs/qpv.sqlite"
    assert "iCloud" in problem(cloud, platform="darwin", mounts=mounts)
    assert problem("/Users/marie/Library/CloudStorage/OneDrive-Mairie/qpv.sqlite", platform="darwin", mounts=mounts)


@pytest.mark.parametrize("path,service", [
    ("/home/marie/Dropbox/qpv.sqlite", "Dropbox"),
    ("/home/marie/Nextcloud/Mairie/qpv.sqlite", "Nextcloud"),
    ("/home/marie/pCloud Drive/qpv.sqlite", "pCloud"),
    ("/home/marie/Google Drive/qpv.sqlite", "Google Drive"),
    ("/home/marie/Box Sync/qpv.sqlite", "Box"),
    ("/home/marie/OneDrive - Mairie de Verquin/Documents/qpv.sqlite", "OneDrive"),
])
def test_cloud_folders_are_refused(path, service):
    assert service in problem(path)


def test_windows_unc_mapped_drive_and_onedrive_env():
    def drive_type(root):
        return S.DRIVE_REMOTE if root.upper() == "Z:\\" else 3

    win = dict(platform="win32", mounts=[], drive_type=drive_type)
    assert "partage réseau" in problem(r"\\srv-mairie\commun\qpv.sqlite", **win)
    assert "lecteur réseau Z:" in problem(r"Z:\QPV\qpv.sqlite", **win)
    assert problem(r"C:\Users\marie\AppData\Local\QPV Desk\qpv.sqlite", **win) is None
    env = {"OneDriveCommercial": r"C:\Users\marie\Mairie"}
    assert "OneDrive" in problem(r"c:\users\marie\mairie\Documents\qpv.sqlite", environ=env, **win)
    assert problem(r"C:\Users\marie\Documents\qpv.sqlite", environ=env, **win) is None
    assert "OneDrive" in problem(r"C:\Users\marie\OneDrive\Documents\qpv.sqlite", **win)


def test_open_database_refuses_unsafe_location_and_names_postgresql(tmp_path, monkeypatch):
    folder = tmp_path / "Dropbox"
    path = folder / "qpv.sqlite"
    with pytest.raises(DatabaseRefused) as err:
        open_database(path, create=True)
    message = str(err.value)
    assert "Dropbox" in message and "PostgreSQL" in message and "disque local" in message
    assert not path.exists()  # nothing created
    open_database(path, create=True, allow_unsafe_location=True).close()  # the opt-out for tools
    monkeypatch.setenv("OneDrive", str(tmp_path / "sync"))
    with pytest.raises(DatabaseRefused, match="OneDrive"):
        open_database(tmp_path / "sync" / "qpv.sqlite", create=True)


# --------------------------------------------------------------------------- one writer

def test_second_process_is_refused_and_can_open_read_only(sqlite_db):
    path = sqlite_db.path
    with sqlite_db.session() as s:
        s.add(Organisation(name="Mairie"))
    sqlite_db.close()
    proc = start_holder(path)
    try:
        with pytest.raises(S.DatabaseLocked) as err:
            open_database(path)
        message = str(err.value)
        assert "déjà ouverte en écriture" in message and "lecture seule" in message
        assert err.value.holder is not None and err.value.holder.pid == proc.pid
        assert err.value.holder.user in message and "depuis le" in message
        with open_database(path, read_only=True) as ro:  # read-only access is offered and works
            with ro.reader() as s:
                assert [o.name for o in s.query(Organisation)] == ["Mairie"]
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "ferme"
        proc.wait(timeout=30)
    open_database(path).close()  # free again


def test_killed_holder_leaves_no_stale_lock(sqlite_db):
    path = sqlite_db.path
    sqlite_db.close()
    proc = start_holder(path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert S.lock_path_for(path).exists()  # the file may stay; the OS lock is gone
    with open_database(path) as db:
        with db.session() as s:
            s.add(Organisation(name="Après l'arrêt brutal"))


def test_lock_is_reentrant_in_one_process_and_released_on_close(sqlite_db):
    second = open_database(sqlite_db.path)  # same process: the same application instance
    second.close()
    holder = S.read_lock_holder(S.lock_path_for(sqlite_db.path))
    assert holder is not None and holder.pid == os.getpid()
    sqlite_db.close()
    assert S.read_lock_holder(S.lock_path_for(sqlite_db.path)) is None  # emptied at release
    proc = start_holder(sqlite_db.path)  # another process can now take it
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait(timeout=30)
    assert proc.returncode == 0


def test_read_only_folder_offers_read_only(sqlite_db, monkeypatch):
    path = sqlite_db.path
    sqlite_db.close()
    real_open = os.open

    def refuse(file, flags, *args):
        if str(file).endswith(".lock"):
            raise PermissionError(errno.EROFS, "Read-only file system", str(file))
        return real_open(file, flags, *args)

    monkeypatch.setattr(S.os, "open", refuse)
    with pytest.raises(S.DatabaseLocked, match="lecture seule"):
        open_database(path)
    monkeypatch.undo()
    with open_database(path, read_only=True) as ro:
        assert ro.read_only


def test_read_only_open_takes_no_lock(sqlite_db):
    path = sqlite_db.path
    sqlite_db.close()
    with open_database(path, read_only=True) as ro:
        assert ro.lock is None
        proc = start_holder(path)  # a writer elsewhere is still possible
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=30)


# --------------------------------------------------------------------------- damaged files


def damage(path):
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset:offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def test_damaged_file_is_refused_set_aside_untouched_and_backup_offered(sqlite_db):
    with sqlite_db.session() as s:
        s.add(Organisation(name="Mairie"))
    path = sqlite_db.path
    old = B.backup_database(path, reason="quotidienne")
    newer = B.backup_database(path, reason="fermeture")
    sqlite_db.close()
    damage(newer)  # the newest backup is itself damaged: the next one is offered
    damage(path)
    (path.with_name(path.name + "-wal")).write_bytes(b"wal")
    damaged_bytes = path.read_bytes()
    with pytest.raises(S.DamagedDatabase) as err:
        open_database(path)
    assert err.value.path == path and "endommag" in str(err.value)

    found = B.newest_sound_backup(path)
    assert found is not None and found[0] == old

    aside = S.set_aside_damaged(path)
    assert not path.exists() and aside.parent == path.parent
    assert ".endommagee-" in aside.name and aside.suffix == ".sqlite"
    assert aside.read_bytes() == damaged_bytes
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"wal"
    assert not path.with_name(path.name + "-wal").exists()

    B.restore_backup(path, found[0])
    with open_database(path) as db:
        with db.reader() as s:
            assert [o.name for o in s.query(Organisation)] == ["Mairie"]


def test_no_sound_backup(sqlite_db):
    assert B.newest_sound_backup(sqlite_db.path) is None


# --------------------------------------------------------------------------- disk full, read-only


def org_count(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*), group_concat(name) FROM organisation").fetchone()
    finally:
        conn.close()


def test_disk_full_leaves_base_unchanged_and_says_so_in_french(sqlite_db):
    with sqlite_db.session() as s:
        s.add(Organisation(name="Mairie"))
    before = org_count(sqlite_db.path)
    sqlite_db.engine.dispose()

    @event.listens_for(sqlite_db.engine, "connect")
    def tiny_disk(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    with pytest.raises(StorageError) as err:
        with sqlite_db.session() as s:
            s.add(Organisation(name="Petite"))
            for n in range(50):
                s.add(Organisation(name=f"Grosse {n}", notes="x" * 20_000))
    assert str(err.value).startswith("Le disque est plein : la modification n'a pas été enregistrée")
    assert org_count(sqlite_db.path) == before
    event.remove(sqlite_db.engine, "connect", tiny_disk)
    sqlite_db.engine.dispose()
    with sqlite_db.session() as s:  # once room is made, writing works again
        s.add(Organisation(name="Après"))
    assert org_count(sqlite_db.path)[0] == before[0] + 1


def test_read_only_medium_leaves_base_unchanged(sqlite_db):
    with sqlite_db.session() as s:
        s.add(Organisation(name="Mairie"))
    path = sqlite_db.path
    before = org_count(path)
    with open_database(path, read_only=True) as ro:
        with pytest.raises(StorageError, match="lecture seule"):
            with ro.session() as s:
                s.add(Organisation(name="Interdite"))
        with pytest.raises(StorageError, match="lecture seule"):
            with ro.session() as s:
                s.query(Organisation).one().name = "Renommée"
    assert org_count(path) == before


def test_storage_messages_for_os_errors():
    assert storage_message(OSError(errno.ENOSPC, "No space left on device")).startswith("Le disque est plein")
    assert "lecture seule" in storage_message(OSError(errno.EROFS, "Read-only file system"))
    assert "lecture seule" in storage_message(OSError(errno.EACCES, "Permission denied"))
    assert storage_message(ValueError("autre chose")) is None
    assert storage_message(sqlite3.OperationalError("no such table: x")) is None


def test_other_errors_are_not_disguised(sqlite_db):
    from sqlalchemy.exc import OperationalError

    with pytest.raises(OperationalError):
        with sqlite_db.session() as s:
            s.execute(__import__("sqlalchemy").text("SELECT * FROM table_absente"))
