"""Keeping a SQLite file safe: where it lives, who writes to it, what to do when it is damaged.

- :func:`check_location` refuses a SQLite file on a network share, a mapped network
  drive or a cloud-synced folder (SQLite's locking is not reliable there, and a sync
  client may copy the file in the middle of a write): the shared PostgreSQL mode is
  the way to share a base between several computers.
- :func:`acquire_writer_lock` makes sure one application instance writes to a file:
  an OS lock (``fcntl.flock`` / ``msvcrt.locking``) on ``<fichier>.lock`` beside the
  base, released by the OS when the process dies, so a crash never leaves a stale lock.
  Inside one process the lock is re-entrant (the app and its tools share it).
- :func:`set_aside_damaged` serves the recovery offer (with :func:`.backup.newest_sound_backup`).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import getpass
import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..domain.errors import DamagedDatabase, DatabaseLocked, DatabaseRefused, StorageError  # noqa: F401 - re-exported
from ..paths import user_data_dir

# --------------------------------------------------------------------------- errors


# DatabaseLocked and DamagedDatabase live in domain.errors (the GUI and the CLI catch them).


# --------------------------------------------------------------------------- locations

SHARE_ADVICE = (
    "Placez la base sur un disque local de ce poste. Pour travailler à plusieurs sur la "
    "même base, utilisez le mode partagé PostgreSQL (adresse postgresql://…), installé "
    "par le service informatique."
)

NETWORK_FILESYSTEMS = {
    "nfs", "nfs4", "cifs", "smbfs", "smb3", "smb2", "sshfs", "fuse.sshfs", "afs", "ncpfs",
    "coda", "glusterfs", "fuse.glusterfs", "ceph", "fuse.ceph", "fuse.cephfs", "davfs",
    "fuse.davfs2", "webdav", "fuse.rclone", "fuse.s3fs", "fuse.gvfsd-fuse", "fuse.gvfs-fuse-daemon",
    "fuse.onedriver", "fuse.google-drive-ocamlfuse", "fuse.dropbox", "afpfs", "afpfs-ng", "fuse.afpfs",
    "ocfs2", "gfs2", "lustre", "9p.net", "acfs", "vboxsf", "prl_fs", "vmhgfs", "fuse.vmhgfs-fuse",
    "nfs3", "url", "mtp", "fuse.jmtpfs", "webdavfs", "autofs",
}

# Folder names (compared case-insensitively) that belong to a file-syncing client.
CLOUD_FOLDERS = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "mon drive": "Google Drive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "com~apple~clouddocs": "iCloud Drive",
    "cloudstorage": "un service de stockage en ligne",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "pcloud": "pCloud",
    "pcloud drive": "pCloud",
    "pclouddrive": "pCloud",
    "box sync": "Box",
    "box drive": "Box",
    "seafile": "Seafile",
    "mega": "MEGA",
    "megasync": "MEGA",
    "tresorit": "Tresorit",
    "sync": None,  # only with the check below (Sync.com's folder is « Sync »); never alone
}

CLOUD_ENV_VARS = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")

DRIVE_REMOTE = 4


@dataclass(frozen=True)
class Mount:
    point: str
    fstype: str
    source: str = ""


def _unescape_mount(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_proc_mounts(text: str) -> list[Mount]:
    """Lines of ``/proc/mounts`` (``source point fstype options …``)."""
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append(Mount(_unescape_mount(parts[1]), parts[2].lower(), _unescape_mount(parts[0])))
    return mounts


_MAC_MOUNT = re.compile(r"^(?P<source>.+?) on (?P<point>.+) \((?P<fstype>[^,)]+)")


def parse_mac_mount_output(text: str) -> list[Mount]:
    """Lines of macOS' ``mount`` (``//user@srv/share on /Volumes/share (smbfs, nodev, …)``)."""
    mounts = []
    for line in text.splitlines():
        m = _MAC_MOUNT.match(line.strip())
        if m:
            mounts.append(Mount(m.group("point"), m.group("fstype").strip().lower(), m.group("source")))
    return mounts


def system_mounts() -> list[Mount]:
    """The mount table of this computer (empty when it cannot be read)."""
    try:
        if sys.platform.startswith("linux"):
            return parse_proc_mounts(Path("/proc/mounts").read_text(encoding="utf-8", errors="replace"))
        if sys.platform == "darwin":
            out = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5).stdout
            return parse_mac_mount_output(out)
    except (OSError, subprocess.SubprocessError):
        pass
    return []


def mount_of(path: PurePath, mounts: Iterable[Mount]) -> Mount | None:
    """The mount holding ``path``: the longest mount point that is a prefix of it."""
    best = None
    text = str(path)
    for mount in mounts:
        point = mount.point.rstrip("/") or "/"
        if text == point or point == "/" or text.startswith(point + "/"):
            if best is None or len(point) > len(best.point.rstrip("/") or "/"):
                best = mount
    return best


def _windows_drive_type(root: str) -> int:
    return ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))


_LOCAL_DEVICE = re.compile(r"^[\\/]{2}[?.][\\/][A-Za-z]:([\\/]|$)")  # \\?\C:\… and \\.\C:\…


def _is_unc(text: str) -> bool:
    if _LOCAL_DEVICE.match(text):
        return False  # a long-path (« \\?\C:\… ») or device form of a local drive
    return text.startswith("\\\\") or (text.startswith("//") and not text.startswith("///"))


def _strip_device_prefix(text: str) -> str:
    return text[4:] if _LOCAL_DEVICE.match(text) else text


# SharePoint libraries synced by the OneDrive client land in folders named
# « <site> - <bibliothèque> » (« Documents - Partage », « Communication - Documents partagés »).
_LIBRARY_WORDS = r"(documents?|documents partag[ée]s|shared documents|partag[ée]s?|partage|biblioth[èe]que[^\\/]*)"
_SHAREPOINT_LIBRARY = re.compile(rf"^.+ - {_LIBRARY_WORDS}$", re.I)
_HOME_PARENTS = {"users", "home", "utilisateurs"}


def _cloud_service(parts: Iterable[str]) -> str | None:
    parts = list(parts)
    for i, part in enumerate(parts):
        low = part.lower().strip()
        if low.startswith("sharepoint"):  # « SharePoint - Mairie », « SharePoint »
            return "SharePoint (OneDrive)"
        if _SHAREPOINT_LIBRARY.match(low):
            return "SharePoint (OneDrive)"
        if low.replace(" ", "").startswith("synologydrive"):  # « SynologyDrive », « Synology Drive »
            return "Synology Drive"
        if low in ("sync.com", "sync") and (low == "sync.com" or (i >= 2 and parts[i - 2].lower() in _HOME_PARENTS)):
            return "Sync.com"  # its folder is « Sync » right in the user's home
        if low.startswith("onedrive"):  # « OneDrive », « OneDrive - Mairie de … », « OneDrive-Mairie »
            return "OneDrive"
        if low.startswith("dropbox"):  # « Dropbox », « Dropbox (Mairie) »
            return "Dropbox"
        if low.startswith("nextcloud") or low.startswith("owncloud"):
            return "Nextcloud" if low.startswith("nextcloud") else "ownCloud"
        if low.startswith("googledrive-") or low.startswith("google drive"):
            return "Google Drive"
        service = CLOUD_FOLDERS.get(low)
        if service:
            return service
    return None


def location_problem(
    path: str | os.PathLike,
    *,
    platform: str | None = None,
    mounts: Iterable[Mount] | None = None,
    environ: Mapping[str, str] | None = None,
    drive_type: Callable[[str], int] | None = None,
) -> str | None:
    """Why a SQLite file must not live at ``path`` (French sentence), or ``None`` if the place is safe.

    ``platform``, ``mounts``, ``environ`` and ``drive_type`` default to this computer's;
    tests pass fakes.
    """
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    text = os.fspath(path)
    windows = platform.startswith("win")
    if windows:
        text = _strip_device_prefix(text)  # « \\?\C:\… » is the local drive C:
    pure = PurePath(text) if not windows else __import__("pathlib").PureWindowsPath(text)
    name = pure.name

    if _is_unc(text):
        return f"La base {name} se trouve sur un partage réseau ({text}) : SQLite n'y est pas fiable."

    for var in CLOUD_ENV_VARS:
        root = environ.get(var)
        if root:
            root_path = type(pure)(root)
            try:
                pure.relative_to(root_path) if not windows else type(pure)(text.lower()).relative_to(root.lower())
            except ValueError:
                continue
            return (
                f"La base {name} se trouve dans un dossier synchronisé par OneDrive ({root}) : la "
                "synchronisation peut copier ou remplacer le fichier pendant une écriture et l'endommager."
            )
    service = _cloud_service(pure.parts[:-1])
    if service:
        return (
            f"La base {name} se trouve dans un dossier synchronisé par {service} : la synchronisation "
            "peut copier ou remplacer le fichier pendant une écriture et l'endommager."
        )

    if windows:
        drive = pure.drive
        if drive and len(drive) == 2 and drive[1] == ":":
            try:
                kind = (drive_type or _windows_drive_type)(drive + "\\")
            except (OSError, AttributeError):
                kind = 0
            if kind == DRIVE_REMOTE:
                return f"La base {name} se trouve sur le lecteur réseau {drive} : SQLite n'y est pas fiable."
        return None

    mount = mount_of(pure, system_mounts() if mounts is None else mounts)
    if mount is not None:
        fstype = mount.fstype
        if fstype in NETWORK_FILESYSTEMS or fstype.startswith(("nfs", "smb", "cifs")) or mount.source.startswith("//"):
            return (
                f"La base {name} se trouve sur un partage réseau ({fstype} monté sur {mount.point}) : "
                "SQLite n'y est pas fiable."
            )
    return None


def check_location(path: str | os.PathLike, **kwargs) -> None:
    """Refuse (:class:`DatabaseRefused`) a SQLite file placed where SQLite is not safe."""
    problem = location_problem(path, **kwargs)
    if problem:
        raise DatabaseRefused(
            f"{problem} Plusieurs postes ou un logiciel de synchronisation peuvent écrire dans le fichier "
            f"en même temps et le corrompre. {SHARE_ADVICE}"
        )


# --------------------------------------------------------------------------- single writer


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    user: str
    since: str  # ISO timestamp

    def describe(self) -> str:
        try:
            when = dt.datetime.fromisoformat(self.since).strftime("le %d/%m/%Y à %H:%M")
        except ValueError:
            when = "une date inconnue"
        return f"par {self.user or 'un utilisateur inconnu'} sur le poste {self.host or 'inconnu'} depuis {when}"


def lock_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


class WriterLock:
    """A held writer lock; :meth:`release` (or the process ending) frees it."""

    def __init__(self, key: str, path: Path):
        self._key = key
        self.path = path
        self.released = False

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        _release(self._key)

    def __enter__(self) -> "WriterLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


_held: dict[str, list] = {}  # lock file → [fd, count]
_held_guard = threading.Lock()


def _os_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt  # platform: Windows only

        os.lseek(fd, 1 << 20, os.SEEK_SET)  # lock a byte past the holder's details, which stay readable
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl  # platform: POSIX only

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _os_unlock(fd: int) -> None:
    try:
        if os.name == "nt":
            import msvcrt  # platform: Windows only

            os.lseek(fd, 1 << 20, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl  # platform: POSIX only

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


def read_lock_holder(lock_file: Path) -> LockHolder | None:
    try:
        data = json.loads(lock_file.read_text(encoding="utf-8").strip("\x00 \n") or "{}")
        if not data.get("pid"):
            return None
        return LockHolder(int(data.get("pid", 0)), str(data.get("host", "")), str(data.get("user", "")),
                          str(data.get("since", "")))
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def _user_name() -> str:
    try:
        return getpass.getuser()[:100]
    except Exception:  # noqa: BLE001 - no login name (service account, container)
        return "inconnu"


def identity_lock_path_for(path: Path) -> Path | None:
    """The lock file of the *file* ``path`` (device and inode; on Windows, volume serial
    number and file index, which ``os.stat`` reports the same way): a hard link or another
    name of the same file gets the same one. ``None`` if the file does not exist yet."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return user_data_dir() / "verrous" / f"{st.st_dev:x}-{st.st_ino:x}.lock"


def acquire_writer_lock(path: Path) -> WriterLock:
    """Take the writer lock of the SQLite file ``path`` or raise :class:`DatabaseLocked`.

    Two locks are taken: one beside the base (by name, which every user of the folder
    sees) and one for the file's identity (so a hard link to the same file is refused too).
    """
    path = Path(path)
    first = _acquire_one(lock_path_for(path), path.name, beside=True)
    identity = identity_lock_path_for(path)
    if identity is None:
        return first
    try:
        identity.parent.mkdir(parents=True, exist_ok=True)
        second = _acquire_one(identity, path.name, beside=False)
    except DatabaseLocked:
        first.release()
        raise
    except OSError:
        return first  # no user folder: the lock beside the base still protects
    return _PairLock(first, second)


class _PairLock(WriterLock):
    def __init__(self, first: WriterLock, second: WriterLock):
        super().__init__(first._key, first.path)
        self._parts = (first, second)

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        for part in reversed(self._parts):
            part.release()


def _acquire_one(lock_file: Path, name: str, *, beside: bool) -> WriterLock:
    key = os.path.normcase(str(lock_file.resolve()))
    with _held_guard:
        if key in _held:
            _held[key][1] += 1
            return WriterLock(key, lock_file)
        try:
            fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # read-only medium or folder: no writer possible, reading is
            if not beside:
                raise
            raise DatabaseLocked(
                f"Impossible de créer le fichier de verrou {lock_file.name} à côté de la base "
                f"({exc.strerror or exc}) : le dossier ou le support est en lecture seule. "
                "Vous pouvez ouvrir la base en lecture seule."
            ) from exc
        if not _os_lock(fd):
            os.close(fd)
            holder = read_lock_holder(lock_file)
            who = holder.describe() if holder else "par une autre instance de QPV Desk"
            also = "" if beside else " (sous un autre nom ou par un autre chemin vers le même fichier)"
            raise DatabaseLocked(
                f"La base {name} est déjà ouverte en écriture {who}{also}. Une seule personne peut la "
                "modifier à la fois : vous pouvez l'ouvrir en lecture seule, ou attendre qu'elle soit fermée.",
                holder,
            )
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "user": _user_name(),
            "since": dt.datetime.now().isoformat(timespec="seconds"),
        }
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"))
            os.fsync(fd)
        except OSError:
            pass  # the details are a courtesy; the OS lock is what protects
        _held[key] = [fd, 1]
    return WriterLock(key, lock_file)


def _release(key: str) -> None:
    with _held_guard:
        entry = _held.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] > 0:
            return
        del _held[key]
        fd = entry[0]
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        _os_unlock(fd)
        os.close(fd)


# --------------------------------------------------------------------------- damaged files


def set_aside_damaged(path: Path, *, now: dt.datetime | None = None, label: str = "endommagee") -> Path:
    """Move a damaged base (and its -wal/-shm/-journal) beside itself, bytes untouched.

    Returns the new path ``<nom>.endommagee-<AAAAMMJJ-HHMMSS>.sqlite`` (``label``
    « remplacee » for a foreign file replaced on request).
    """
    path = Path(path)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix or '.sqlite'}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{path.suffix or '.sqlite'}")
    try:
        for suffix in ("-wal", "-shm", "-journal"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
        os.replace(path, target)
    except OSError as exc:
        raise StorageError(f"Impossible de mettre de côté la base endommagée {path.name} : {exc.strerror or exc}.") from exc
    return target

