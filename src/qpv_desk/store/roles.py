"""Users and rights on a shared PostgreSQL server, enforced by the server itself.

Three group roles (``NOLOGIN``) carry the rights; each person connects with her own login,
member of one of them:

- ``qpv_lecteur`` (the DGS, the State's delegate): reads everything, writes nothing;
- ``qpv_referent``: reads everything; writes the shared directory (organisations, contacts,
  seats) and the meetings, actions and follow-up tasks of *her* quartiers, listed in
  ``referent_quartier`` — row-level security policies check every row she writes;
- ``qpv_administrateur``: everything.

Rights are GRANTs and policies in the database, not switches in the application: a plain
``psql`` session gets exactly the same refusals.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

ROLES = {
    "administrateur": "qpv_administrateur",
    "referent": "qpv_referent",
    "lecteur": "qpv_lecteur",
}

# What a référent(e) may write: the shared directory, and her quartiers' work.
DIRECTORY = ("organisation", "person", "membership", "citizen_avis", "council_draw")
MEETING_CHILDREN = ("agenda_item", "attendance", "decision", "meeting_invitation", "meeting_record")
ACTION_CHILDREN = ("action_objective", "funding_line", "action_status_change", "indicator")
QUARTIER_TABLES = ("meeting", "action", "follow_up_task", *MEETING_CHILDREN, *ACTION_CHILDREN)
APPEND_ONLY = ("change_log", "programme_year", "programme_snapshot")

_MINE = "(SELECT rq.quartier_id FROM referent_quartier rq WHERE rq.login = session_user)"
_MEETING_MINE = f"EXISTS (SELECT 1 FROM meeting m WHERE m.id = meeting_id AND m.quartier_id IN {_MINE})"
_ACTION_MINE = f"EXISTS (SELECT 1 FROM action a WHERE a.id = action_id AND a.quartier_id IN {_MINE})"

CONDITIONS = {
    "meeting": f"quartier_id IN {_MINE}",
    "action": f"quartier_id IN {_MINE}",
    "follow_up_task": f"({_MEETING_MINE} OR {_ACTION_MINE} OR (meeting_id IS NULL AND action_id IS NULL))",
    **{t: _MEETING_MINE for t in MEETING_CHILDREN},
    **{t: _ACTION_MINE for t in ACTION_CHILDREN},
}


@dataclass(frozen=True)
class Grant:
    login: str
    role: str  # administrateur | referent | lecteur
    quartiers: tuple[str, ...]  # quartier codes (référent(e)s only)


def _q(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _app_tables(conn: Connection) -> list[str]:
    rows = conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
    ))
    return sorted(r[0] for r in rows)


def role_exists(conn: Connection, name: str) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar())


def install(conn: Connection) -> None:
    """Create the three group roles, their GRANTs and the row-level security policies.
    Idempotent: run it again after a schema upgrade to cover new tables."""
    for group in ROLES.values():
        if not role_exists(conn, group):
            conn.execute(text(f"CREATE ROLE {group} NOLOGIN"))
    tables = _app_tables(conn)
    schema = _q(conn, conn.execute(text("SELECT current_schema()")).scalar())
    everyone = ", ".join(ROLES.values())
    conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {everyone}"))
    conn.execute(text(f"GRANT SELECT ON alembic_version TO {everyone}"))  # the app checks the schema at open
    for table in tables:
        qt = _q(conn, table)
        conn.execute(text(f"REVOKE ALL ON {qt} FROM PUBLIC"))
        conn.execute(text(f"GRANT SELECT ON {qt} TO qpv_lecteur, qpv_referent"))
        conn.execute(text(f"GRANT ALL ON {qt} TO qpv_administrateur"))
        if table in DIRECTORY or table in QUARTIER_TABLES:
            conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {qt} TO qpv_referent"))
        elif table in APPEND_ONLY:
            conn.execute(text(f"GRANT INSERT ON {qt} TO qpv_referent"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO qpv_referent, qpv_administrateur"))
    for table in QUARTIER_TABLES:
        if table not in tables:
            continue
        qt = _q(conn, table)
        conn.execute(text(f"ALTER TABLE {qt} ENABLE ROW LEVEL SECURITY"))
        for policy in ("qpv_read", "qpv_admin", "qpv_referent"):
            conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON {qt}"))
        conn.execute(text(f"CREATE POLICY qpv_read ON {qt} FOR SELECT USING (true)"))
        conn.execute(text(f"CREATE POLICY qpv_admin ON {qt} FOR ALL TO qpv_administrateur USING (true) WITH CHECK (true)"))
        cond = CONDITIONS[table]
        conn.execute(text(f"CREATE POLICY qpv_referent ON {qt} FOR ALL TO qpv_referent USING ({cond}) WITH CHECK ({cond})"))


def grant(conn: Connection, login: str, role: str, quartier_ids: list[int]) -> None:
    """Give ``login`` (created without password if new: IT sets it with psql's
    ``\\password``) one role, and for a référent(e) her quartiers."""
    ql = _q(conn, login)
    if not role_exists(conn, login):
        conn.execute(text(f"CREATE ROLE {ql} LOGIN"))
    revoke(conn, login)
    conn.execute(text(f"GRANT {ROLES[role]} TO {ql}"))
    for quartier_id in quartier_ids:
        conn.execute(text("INSERT INTO referent_quartier (login, quartier_id) VALUES (:l, :q)"),
                     {"l": login, "q": quartier_id})


def revoke(conn: Connection, login: str) -> None:
    ql = _q(conn, login)
    for group in ROLES.values():
        if role_exists(conn, group):
            conn.execute(text(f"REVOKE {group} FROM {ql}"))
    conn.execute(text("DELETE FROM referent_quartier WHERE login = :l"), {"l": login})


def grants(conn: Connection) -> list[Grant]:
    rows = conn.execute(text(
        "SELECT m.rolname AS login, g.rolname AS grp FROM pg_auth_members am "
        "JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member "
        "WHERE g.rolname IN ('qpv_administrateur', 'qpv_referent', 'qpv_lecteur') ORDER BY m.rolname"
    )).all()
    codes: dict[str, list[str]] = {}
    for login, code in conn.execute(text(
        "SELECT rq.login, q.code FROM referent_quartier rq JOIN quartier q ON q.id = rq.quartier_id ORDER BY q.code"
    )):
        codes.setdefault(login, []).append(code)
    by_group = {v: k for k, v in ROLES.items()}
    return [Grant(login, by_group[grp], tuple(codes.get(login, ()))) for login, grp in rows]


def my_role(conn: Connection) -> tuple[str | None, tuple[int, ...]]:
    """The connected login's role (None when it is none of the three: the base's owner or a
    superuser, who may do everything) and, for a référent(e), her quartiers' ids."""
    role = None
    for name, group in ROLES.items():
        if role_exists(conn, group) and conn.execute(
            text("SELECT pg_has_role(session_user, :g, 'MEMBER')"), {"g": group}
        ).scalar():
            role = name
            break
    quartiers = tuple(r[0] for r in conn.execute(
        text("SELECT quartier_id FROM referent_quartier WHERE login = session_user ORDER BY quartier_id")
    ))
    return role, quartiers
