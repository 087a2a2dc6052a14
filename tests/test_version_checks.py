"""Every write that checks a version, on SQLite and PostgreSQL.

For each of them: the version read is required (no blind overwrite); a stale version is
refused with the French conflict message and writes nothing; and two saves that race
past the version check at the same moment (two threads, two sessions, held together by a
barrier right after the check) end with one saved and the other refused with the same
:class:`ConflictError` — never SQLAlchemy's raw ``StaleDataError``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from meetings_data import GT_DAY, build_world
from qpv_desk.domain.errors import ConflictError
from qpv_desk.services import common
from qpv_desk.services import council as CS
from qpv_desk.services import meeting_documents as MD
from qpv_desk.services import rapport as RA
from qpv_desk.services import meetings as M
from qpv_desk.services import objectives as O
from qpv_desk.services import partners as P
from qpv_desk.services import perimeter as PM
from qpv_desk.services import portrait as R
from qpv_desk.services import programme as G
from qpv_desk.services import tasks as T
from qpv_desk.store import models as DB

SERVICE_MODULES = (M, O, P, R, G, T, CS, RA, MD, PM)


@dataclass
class Case:
    model: type
    ident: int
    write: Callable[[int, int], object]  # (expected_version, variant 0 or 1) -> result
    # a deletion: ``bump()`` changes the record elsewhere (its version goes up by one)
    bump: Callable[[], object] | None = None


def _first(db, stmt):
    with db.reader() as s:
        return s.scalar(stmt)


def _meeting(db, world):
    return M.create_meeting(db, world.gt_id, GT_DAY)


def _org(db, world):
    return Case(DB.Organisation, world.orgs["caf"],
                lambda v, k: P.update_organisation(db, world.orgs["caf"], {"phone": f"03 21 00 00 0{k}"},
                                                   expected_version=v))


def _org_active(db, world):
    return Case(DB.Organisation, world.orgs["caf"],
                lambda v, k: P.set_organisation_active(db, world.orgs["caf"], k == 0, expected_version=v))


def _person(db, world):
    pid = world.persons["caf"]
    return Case(DB.Person, pid, lambda v, k: P.update_person(db, pid, {"function": f"Fonction {k}"},
                                                             expected_version=v))


def _person_active(db, world):
    pid = world.persons["caf"]
    return Case(DB.Person, pid, lambda v, k: P.set_person_active(db, pid, k == 0, expected_version=v))


def _membership_id(db, world):
    return _first(db, select(DB.Membership.id).where(DB.Membership.person_id == world.persons["caf"]))


def _membership(db, world):
    mid = _membership_id(db, world)
    return Case(DB.Membership, mid, lambda v, k: P.update_membership(db, mid, {"seat": f"Siège {k}"},
                                                                     expected_version=v))


def _membership_end(db, world):
    mid = _membership_id(db, world)
    return Case(DB.Membership, mid, lambda v, k: P.end_membership(db, mid, dt.date(2030, 1, 1 + k),
                                                                  expected_version=v))


def _register_entry(db, world):
    mid = _membership_id(db, world)
    return Case(DB.Membership, mid, lambda v, k: CS.update_register_entry(
        db, mid, {"entry_mode": ("tirage", "volontaire")[k]}, expected_version=v))


def _arrete(db, world):
    return Case(DB.Body, world.gt_id, lambda v, k: CS.set_arrete(db, world.gt_id, f"2024-{k}", dt.date(2024, 6, 1 + k),
                                                                 expected_version=v))


def _departure(db, world):
    mid = _membership_id(db, world)
    return Case(DB.Membership, mid, lambda v, k: CS.record_departure(db, mid, dt.date(2030, 1, 1 + k), f"Motif {k}",
                                                                     expected_version=v))


def _replacement(db, world):
    mid = _membership_id(db, world)
    others = [p for key, p in world.persons.items() if key != "caf"]
    return Case(DB.Membership, mid, lambda v, k: CS.replace_member(db, mid, others[k], dt.date(2030, 1, 1 + k),
                                                                   expected_version=v))


def _reply_by(db, world):
    mid = _meeting(db, world)
    return Case(DB.Meeting, mid, lambda v, k: MD.set_reply_by(db, mid, GT_DAY - dt.timedelta(days=7 + k),
                                                              expected_version=v))


def _citizen_avis(db, world):
    first = RA.record_citizen_avis(db, 2026, {"date": "01/12/2026", "text": "Avis."}, expected_version=None)
    return Case(DB.CitizenAvis, first.id, lambda v, k: RA.record_citizen_avis(
        db, 2026, {"date": f"0{2 + k}/12/2026", "text": f"Avis {k}."}, expected_version=v))


def _held(db, world):
    mid = _meeting(db, world)
    M.update_meeting(db, mid, {"status": "tenue"}, expected_version=M.get_meeting(db, mid).version)
    return mid


def _validate_minutes(db, world):
    mid = _held(db, world)
    return Case(DB.Meeting, mid, lambda v, k: MD.validate_minutes(db, mid, validated_by=f"Claire {k}",
                                                                  expected_version=v))


def _unvalidate_minutes(db, world):
    mid = _held(db, world)
    MD.validate_minutes(db, mid, expected_version=M.get_meeting(db, mid).version)
    return Case(DB.Meeting, mid, lambda v, k: MD.unvalidate_minutes(db, mid, reason=f"Motif {k}",
                                                                    expected_version=v))


def _signatories(db, world):
    bid = world.copil_id
    return Case(DB.Body, bid, lambda v, k: MD.set_body_signatories(db, bid, [(f"M. Jean Maire {k}", "Maire")],
                                                                   expected_version=v))


def _perimeter(db, world):
    import json
    import tempfile
    from pathlib import Path

    q = R.quartiers(db)[0]
    folder = Path(tempfile.mkdtemp(prefix="qpv-perimeter-"))
    paths = []
    for k in (0, 1):
        ring = [[2.60 + k / 100, 50.50], [2.62, 50.50], [2.62, 50.51], [2.60, 50.51], [2.60 + k / 100, 50.50]]
        paths.append(folder / f"qp{k}.geojson")
        paths[k].write_text(json.dumps({"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"code_qp": q.code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    return Case(DB.Quartier, q.id, lambda v, k: PM.import_perimeter(db, paths[k], q.code, expected_version=v))


def _citizen_avis_delete(db, world):
    first = RA.record_citizen_avis(db, 2026, {"date": "01/12/2026", "text": "Avis."}, expected_version=None)
    return Case(DB.CitizenAvis, first.id, lambda v, k: RA.delete_citizen_avis(db, 2026, expected_version=v),
                bump=lambda: RA.record_citizen_avis(db, 2026, {"date": "02/12/2026", "text": "Avis revu."},
                                                    expected_version=first.version))


def _action(db, world):
    aid = world.action_id
    return Case(DB.Action, aid, lambda v, k: G.update_action(db, aid, {"place": f"Salle {k}"}, expected_version=v))


def _bilan(db, world):
    aid = world.action_id
    return Case(DB.Action, aid, lambda v, k: G.update_bilan(db, aid, {"review_notes": f"Bilan {k}"},
                                                            expected_version=v))


def _indicator(db, world):
    iid = G.add_indicator(db, world.action_id, {"label": "Participants", "target": "20"})
    return Case(DB.Indicator, iid, lambda v, k: G.update_indicator(db, iid, {"result": str(10 + k)},
                                                                   expected_version=v))


def _objective_id(db):
    return _first(db, select(DB.Objective.id).order_by(DB.Objective.id).limit(1))


def _objective(db, world):
    oid = _objective_id(db)
    return Case(DB.Objective, oid, lambda v, k: O.update_objective(db, oid, {"description": f"Note {k}"},
                                                                   expected_version=v))


def _objective_rename(db, world):
    oid = _objective_id(db)
    return Case(DB.Objective, oid, lambda v, k: O.rename_objective(db, oid, f"Intitulé {k}", expected_version=v))


def _meeting_info(db, world):
    mid = _meeting(db, world)
    return Case(DB.Meeting, mid, lambda v, k: M.update_meeting(db, mid, {"place": f"Salle {k}"},
                                                               expected_version=v))


def _attendance(db, world):
    mid = _meeting(db, world)
    att = M.list_attendance(db, mid)[0].id
    return Case(DB.Attendance, att, lambda v, k: M.set_attendance(db, att, ("present", "excuse")[k],
                                                                  expected_version=v))


def _agenda_item(db, world):
    item = M.add_agenda_item(db, _meeting(db, world), "Programmation")
    return Case(DB.AgendaItem, item, lambda v, k: M.update_agenda_item(db, item, {"discussion": f"Échange {k}"},
                                                                       expected_version=v))


def _decision(db, world):
    dec = M.add_decision(db, _meeting(db, world), "Le GT valide.")
    return Case(DB.Decision, dec, lambda v, k: M.update_decision(db, dec, {"text": f"Le GT valide {k}."},
                                                                 expected_version=v))


def _task(db, world):
    task = T.add_task(db, _meeting(db, world), description="Envoyer le bilan")
    return Case(DB.FollowUpTask, task, lambda v, k: T.update_task(db, task, {"notes": f"Relance {k}"},
                                                                  expected_version=v))


def _contract(db, world):
    cid = R.contracts(db)[0].id
    return Case(DB.Contract, cid, lambda v, k: R.update_contract(db, cid, {"description": f"Texte {k}"},
                                                                 expected_version=v))


def _quartier(db, world):
    qid = R.quartiers(db)[0].id
    return Case(DB.Quartier, qid, lambda v, k: R.update_quartier(db, qid, {"population": 3000 + k},
                                                                 expected_version=v))


def _statistic(db, world):
    sid = R.statistics(db, R.quartiers(db)[0].id)[0].id
    return Case(DB.Statistic, sid, lambda v, k: R.update_statistic(db, sid, {"source": f"Insee {k}"},
                                                                   expected_version=v))


CASES = {
    "update_organisation": _org,
    "set_organisation_active": _org_active,
    "update_person": _person,
    "set_person_active": _person_active,
    "update_membership": _membership,
    "end_membership": _membership_end,
    "update_action": _action,
    "update_bilan": _bilan,
    "update_indicator": _indicator,
    "update_objective": _objective,
    "rename_objective": _objective_rename,
    "update_meeting": _meeting_info,
    "set_attendance": _attendance,
    "update_agenda_item": _agenda_item,
    "update_decision": _decision,
    "update_task": _task,
    "update_contract": _contract,
    "update_quartier": _quartier,
    "update_statistic": _statistic,
    "update_register_entry": _register_entry,
    "set_arrete": _arrete,
    "record_departure": _departure,
    "replace_member": _replacement,
    "record_citizen_avis": _citizen_avis,
    "set_reply_by": _reply_by,
    "validate_minutes": _validate_minutes,
    "unvalidate_minutes": _unvalidate_minutes,
    "set_body_signatories": _signatories,
    "import_perimeter": _perimeter,
    "delete_citizen_avis": _citizen_avis_delete,
}


def test_every_versioned_write_is_listed_here():
    """A new ``check_version`` call in any service without a conflict test here fails this test."""
    import importlib
    import inspect
    import pkgutil

    import qpv_desk.services as package

    calls = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and "check_version(" in inspect.getsource(fn) \
                    and name != "check_version":
                calls.add(f"{info.name}.{name}")
    assert {c.split(".")[1] for c in calls} <= set(CASES), sorted(c for c in calls if c.split(".")[1] not in CASES)
    # and each listed write requires the version it read
    for name in CASES:
        fn = next(getattr(m, name) for m in SERVICE_MODULES if hasattr(m, name))
        param = inspect.signature(fn).parameters["expected_version"]
        assert param.kind is param.KEYWORD_ONLY and param.default is param.empty, name


@pytest.fixture
def world(empty_db):
    return build_world(empty_db)


def _state(db, case: Case):
    with db.reader() as s:
        obj = s.get(case.model, case.ident)
        return obj and {c.key: getattr(obj, c.key) for c in case.model.__table__.columns}


@pytest.mark.parametrize("name", sorted(CASES))
def test_stale_version_is_refused_and_writes_nothing(empty_db, world, name):
    case = CASES[name](empty_db, world)
    read = _state(empty_db, case)["version"]
    if case.bump is not None:  # a deletion: refused once the record changed elsewhere, kept
        with pytest.raises(TypeError):
            case.write(None, 1)
        case.bump()
        after = _state(empty_db, case)
        assert after["version"] == read + 1
        with pytest.raises(ConflictError) as err:
            case.write(read, 0)
        assert "modifié" in str(err.value) and "Rechargez la fiche" in str(err.value)
        assert _state(empty_db, case) == after
        case.write(read + 1, 1)
        assert _state(empty_db, case) is None
        return
    # no version, no write (for the avis, None says « I read none »: one exists, so a conflict)
    with pytest.raises(ConflictError if name == "record_citizen_avis" else TypeError):
        case.write(None, 1)
    case.write(read, 1)
    after = _state(empty_db, case)
    assert after["version"] == read + 1
    with pytest.raises(ConflictError) as err:
        case.write(read, 0)  # the other window still holds the version it read
    assert "modifié" in str(err.value) and "Rechargez la fiche" in str(err.value)
    assert _state(empty_db, case) == after


@pytest.mark.parametrize("name", ["update_task", "update_organisation", "update_action", "set_attendance",
                                  "update_statistic"])
def test_two_saves_racing_past_the_check(empty_db, world, name, monkeypatch):
    """Both saves read version n and pass the check together; one wins, the other gets the
    French conflict (the ``UPDATE … WHERE version = n`` matched no row)."""
    case = CASES[name](empty_db, world)
    read = _state(empty_db, case)["version"]
    barrier = threading.Barrier(2, timeout=20)
    original = common.check_version

    def check_then_wait(obj, expected, label):
        original(obj, expected, label)
        barrier.wait()  # both sessions have read version ``read`` and passed the check

    for module in SERVICE_MODULES:
        if hasattr(module, "check_version"):
            monkeypatch.setattr(module, "check_version", check_then_wait)
    outcomes: dict[int, BaseException | None] = {}

    def save(variant):
        try:
            case.write(read, variant)
            outcomes[variant] = None
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes[variant] = exc

    threads = [threading.Thread(target=save, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["ConflictError", "NoneType"], outcomes
    loser = next(o for o in outcomes.values() if o is not None)
    assert "Rechargez la fiche" in str(loser)
    assert _state(empty_db, case)["version"] == read + 1
