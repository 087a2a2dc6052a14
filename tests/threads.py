"""Which thread a service ran on: work that touches disk or runs heavy queries must run on
the one background executor, never on the GUI thread."""

from __future__ import annotations

import functools
import threading


def watch(monkeypatch, owner, name: str) -> list[bool]:
    """Wrap ``owner.name``; the returned list gets, per call, whether it ran on the GUI (main) thread."""
    on_gui: list[bool] = []
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        on_gui.append(threading.current_thread() is threading.main_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return on_gui
