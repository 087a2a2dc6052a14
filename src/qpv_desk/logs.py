"""Logging: a rotating file in the user log directory, plus stderr for warnings."""

from __future__ import annotations

import logging
import logging.handlers

from .paths import user_log_dir

_configured = False


def log_file():
    return user_log_dir() / "qpv-desk.log"


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
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    except OSError:  # read-only profile: keep going without a log file
        pass
