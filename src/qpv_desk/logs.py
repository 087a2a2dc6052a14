"""Logging: a rotating file in the user log directory.

A log that cannot be written (full disk, read-only profile, log folder removed) never
shows anything to the user: the record is dropped — the application's own French
messages are what she reads, and they do not depend on the log.
"""

from __future__ import annotations

import logging
import logging.handlers

from .paths import user_log_dir

_configured = False


def log_file():
    return user_log_dir() / "qpv-desk.log"


class QuietRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file whose failures are silent (no « --- Logging error --- »)."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging API
        self.failures = getattr(self, "failures", 0) + 1
        try:
            if self.stream is not None:
                self.stream.close()
        except Exception:  # noqa: BLE001 - the disk refused; try afresh next time
            pass
        self.stream = None  # reopened (and maybe writable again) by the next record


def setup_logging(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger("qpv_desk")
    root.setLevel(level)
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = QuietRotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    except OSError:  # read-only profile: keep going without a log file
        pass
