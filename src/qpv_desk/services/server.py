"""The agglomeration's shared server: who may do what (« qpv-desk db roles »).

The rights themselves live in PostgreSQL (see :mod:`qpv_desk.store.roles`); these use cases
install them, give a login its role and quartiers, and tell the application what the
connected person may do, so that the screens grey out the rest with the reason.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from ..domain.errors import DatabaseRefused, PermissionDenied, ValidationError
from ..store import roles as R
from ..store.db import Database, open_database
from ..store.models import Quartier

ROLE_LABELS = {"administrateur": "administrateur", "referent": "référent(e)", "lecteur": "lecteur"}
_LOGIN = re.compile(r"[a-z_][a-z0-9_.@-]{0,62}")


@dataclass(frozen=True)
class Rights:
    """What the connected person may write. ``role`` None: a local file or the server's
    owner — everything."""

    role: str | None
    quartier_ids: tuple[int, ...] = ()
    quartier_names: tuple[tuple[int, str], ...] = ()  # (id, « code – nom ») of every quartier, for the reasons

    @property
    def read_only(self) -> bool:
        return self.role == "lecteur"

    @property
    def may_edit_referential(self) -> bool:
        return self.role in (None, "administrateur")

    def may_edit_quartier(self, quartier_id: int | None) -> bool:
        if self.role in (None, "administrateur"):
            return True
        return self.role == "referent" and quartier_id in self.quartier_ids

    def reason(self) -> str:
        if self.role == "lecteur":
            return "Accès en lecture seule (rôle lecteur sur le serveur)."
        if self.role == "referent":
            return "Réservé au référent(e) de ce quartier ou à l'administrateur du serveur."
        return ""

    def quartier_reason(self, quartier_id: int | None) -> str:
        """Why a record of this quartier is read-only for her ("" when she may write it):
        « Lecture seule : vous êtes référent(e) du quartier A, pas de B. »"""
        if self.read_only:
            return self.reason()
        if self.may_edit_quartier(quartier_id):
            return ""
        names = dict(self.quartier_names)
        held = [f"« {names.get(q, q)} »" for q in self.quartier_ids]
        mine = ("du quartier " + held[0]) if len(held) == 1 else \
            ("des quartiers " + ", ".join(held[:-1]) + " et " + held[-1]) if held else "d'aucun quartier"
        if quartier_id is None:
            return (f"Lecture seule : cette fiche n'est rattachée à aucun quartier et vous êtes référent(e) {mine} "
                    "(seul l'administrateur du serveur peut la modifier).")
        return (f"Lecture seule : vous êtes référent(e) {mine}, pas de « {names.get(quartier_id, quartier_id)} » "
                "(seul l'administrateur du serveur peut la modifier).")


def _server(db: Database) -> None:
    if db.is_sqlite:
        raise DatabaseRefused("Les rôles et les droits n'existent que sur un serveur PostgreSQL partagé.")


def open_server(target: str) -> Database:
    """Open a shared server's base (never a local file) for administering it."""
    db = open_database(target)
    if db.is_sqlite:
        db.close()
        _server(db)
    return db


def rights(db: Database) -> Rights:
    if db.is_sqlite:
        return Rights(None)
    with db.engine.connect() as conn:
        role, quartiers = R.my_role(conn)
    with db.reader() as s:
        names = tuple((q.id, f"{q.code} – {q.name}") for q in s.scalars(select(Quartier).order_by(Quartier.code)))
    return Rights(role, quartiers, names)


@contextlib.contextmanager
def _administering(db: Database):
    """A transaction on the server; its refusals (no CREATEROLE, not the owner) in French."""
    try:
        with db.engine.begin() as conn:
            yield conn
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":
            raise
        raise PermissionDenied(
            f"Le serveur refuse : l'identifiant de connexion n'a pas le droit d'administrer les rôles "
            f"({str(exc.orig).strip().splitlines()[0]}). Connectez-vous avec le propriétaire de la base, "
            "créé avec --createrole."
        ) from exc


def install_roles(db: Database) -> None:
    _server(db)
    with _administering(db) as conn:
        R.install(conn)


def grant_role(db: Database, login: str, role: str, quartier_codes: list[str] | tuple[str, ...] = ()) -> R.Grant:
    _server(db)
    errors = {}
    if not _LOGIN.fullmatch(login or ""):
        errors["login"] = (f"L'identifiant « {login} » n'est pas valable : lettres minuscules sans accent, chiffres, "
                           "« _ », « . », « @ » ou « - », 63 caractères au plus, sans chiffre en tête.")
    if role not in R.ROLES:
        errors["role"] = f"Rôle inconnu « {role} » (possibles : {', '.join(R.ROLES)})."
    elif role == "referent" and not quartier_codes:
        errors["quartiers"] = "Un(e) référent(e) a au moins un quartier (--quartier CODE)."
    elif role != "referent" and quartier_codes:
        errors["quartiers"] = "Seul un(e) référent(e) a des quartiers."
    with db.reader() as s:
        known = {q.code: q.id for q in s.scalars(select(Quartier))}
    unknown = [c for c in quartier_codes if c not in known]
    if unknown:
        errors["quartiers"] = f"Quartier inconnu : {', '.join(unknown)} (connus : {', '.join(sorted(known)) or 'aucun'})."
    if errors:
        raise ValidationError.many(errors)
    with _administering(db) as conn:
        if not R.role_exists(conn, R.ROLES[role]):
            raise DatabaseRefused("Les rôles ne sont pas encore installés sur ce serveur : lancez d'abord « qpv-desk db roles init ».")
        R.grant(conn, login, role, [known[c] for c in quartier_codes])
    return R.Grant(login, role, tuple(quartier_codes))


def revoke_role(db: Database, login: str) -> None:
    _server(db)
    with _administering(db) as conn:
        if not R.role_exists(conn, login):
            raise ValidationError("login", f"L'identifiant « {login} » n'existe pas sur ce serveur.")
        R.revoke(conn, login)


def list_grants(db: Database) -> list[R.Grant]:
    _server(db)
    with db.engine.connect() as conn:
        return R.grants(conn)
