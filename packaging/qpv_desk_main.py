"""Entry point of the frozen app (PyInstaller): the same ``qpv-desk`` command as in a venv.

Without a subcommand it starts the main window; with one it is the command line.
The windowed Windows executable (``qpv-desk-gui.exe``, the Start-menu shortcut) has no
console: ``sys.stdout``/``sys.stderr`` are then ``None``, so they are pointed at the null
device before anything writes to them (messages still reach the log file).
"""

import os
import sys

for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))

from qpv_desk.cli import run  # noqa: E402

run()
