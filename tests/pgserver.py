"""Start a throw-away PostgreSQL server for the test session (a real server, not a mock).

Uses the Debian/PGDG binaries (``initdb``, ``pg_ctl``). As root, the server runs as the
``postgres`` system user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self):
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL n'est pas installé (pg_ctl introuvable)")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="qpv-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        self._run("initdb", "-D", str(self.data), "-U", "qpv", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.resume()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "qpv", "qpv_test")
        return f"postgresql+psycopg://qpv@127.0.0.1:{self.port}/qpv_test"

    def resume(self) -> None:
        """Start the (initialised) server; with :meth:`pause`, a server restart in a test."""
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-w", "-l", str(self.root / "log"), "start")

    def pause(self) -> None:
        """Stop the server as an administrator would (connections cut), keeping its data."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, name: str, template: str | None = None) -> str:
        extra = ["-T", template] if template else []
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "qpv", *extra, name)
        return f"postgresql+psycopg://qpv@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def dsn(url: str, login: str | None = None) -> str:
    """A plain client's connection string for the database at ``url``, as ``login`` (default: the URL's user)."""
    u = make_url(url)
    return f"host={u.host} port={u.port} dbname={u.database} user={login or u.username}"


def as_login(url: str, login: str) -> str:
    """The application's URL for the database at ``url``, connecting as ``login``."""
    return make_url(url).set(username=login).render_as_string(hide_password=False)
