"""Typed errors carrying a French message meant for the user.

Everything deriving from :class:`UserError` is a *known* situation (bad input, a
record someone else changed, a refused file…): the GUI shows the message, the CLI
prints it on one line and exits with status 2. Anything else is a bug.
"""

from __future__ import annotations


class UserError(Exception):
    """A situation the user can understand and fix; ``str(err)`` is French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(UserError):
    """Input refused before anything is written. ``field`` names the offending field."""

    def __init__(self, field: str | None, message: str, *, errors: dict[str, str] | None = None):
        self.field = field
        self.errors: dict[str, str] = dict(errors or ({field: message} if field else {}))
        super().__init__(message)

    @classmethod
    def many(cls, errors: dict[str, str]) -> "ValidationError":
        field, message = next(iter(errors.items()))
        if len(errors) > 1:
            message = " ".join(errors.values())
        return cls(field, message, errors=errors)


class NotFoundError(UserError):
    """The record asked for does not exist (or no longer exists)."""


class ConflictError(UserError):
    """The record was changed elsewhere since it was read (optimistic locking)."""


class ReferencedError(UserError):
    """A record cannot be deleted because other records refer to it."""


class DatabaseRefused(UserError):
    """A file or server that QPV Desk will not open (foreign, newer, damaged, unsafe)."""


class StorageError(UserError):
    """A write failed for a known reason (disk full, read-only medium, locked file)."""


class PermissionDenied(UserError):
    """The shared server refused a write this login has no right to make (its role)."""
class DatabaseMissing(DatabaseRefused):
    """The base asked for does not exist (a file removed or moved since it was last opened)."""


class EmptyDatabase(DatabaseRefused):
    """The file or server base exists but holds no QPV Desk schema yet (``qpv-desk db init``)."""


class DatabaseLocked(DatabaseRefused):
    """The base is already open for writing by another instance: it can be opened read-only.

    ``holder`` describes who holds the writer lock (``store.safety.LockHolder``) when known.
    """

    def __init__(self, message: str, holder: object | None = None):
        super().__init__(message)
        self.holder = holder


class DamagedDatabase(DatabaseRefused):
    """The file fails SQLite's integrity check: the recovery offer applies."""

    def __init__(self, message: str, path):
        super().__init__(message)
        self.path = path


class Cancelled(UserError):
    """The user cancelled a long operation; nothing of it was kept."""

    def __init__(self, message: str = "Opération annulée : rien n'a été modifié."):
        super().__init__(message)
