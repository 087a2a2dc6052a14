"""Programme services on SQLite and PostgreSQL (``empty_db``)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

import programme_data as D
from qpv_desk.domain import enums as E
from qpv_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from qpv_desk.services import programme as P
from qpv_desk.store.models import Action, ActionObjective, ActionStatusChange, ChangeLog, FundingLine, ProgrammeYear


@pytest.fixture
def seed(empty_db):
    return D.programme(empty_db)


def test_list_actions_rows_and_totals(seed):
    db = seed.db
    pl = P.list_actions(db, 2026)
    assert [r.code for r in pl.rows] == [f"2026-00{i}" for i in range(1, 7)]
    row = pl.rows[0]
    assert row.title == "Permanence d'accès aux droits"
    assert row.holder_name == "Centre social Les Îlots"
    assert row.principal_objective_code == "1.1.1"
    assert row.status is E.ActionStatus.NOTIFIEE and row.status_label == "Notifiée"
    assert row.total_cost_cents == 2_000_000
    assert row.amounts(seed.funder["etat_pv"]) == P.Amounts(1_000_000, 800_000, 400_000)
    assert row.amounts(seed.funder["caf"]) == P.Amounts()
    assert row.beneficiaries_planned == 120
    totals = pl.totals
    assert totals.count == 6
    assert totals.total_cost_cents == 2_000_000 + 500_000 + 300_000 + 400_000 + 100_000
    assert totals.requested_cents == 3_300_000
    assert totals.granted_cents == 800_000 + 1_000_000 + 300_000 + 0 + 100_000
    assert totals.by_funder[seed.funder["etat_pv"]] == P.Amounts(1_550_000, 800_000, 400_000)
    assert [f.code for f in pl.funders][:3] == ["etat_pv", "epci", "commune"]


def test_list_actions_filters(seed):
    db = seed.db
    codes = lambda **kw: [r.title for r in P.list_actions(db, 2026, **kw).rows]  # noqa: E731
    assert codes(status="refusee") == ["Projet refusé"]
    assert codes(group=E.StatusGroup.REALISEE) == ["Épicerie solidaire", "Forum emploi"]
    # enjeu 1 includes its orientations' and objectives' actions; secondary links do not count
    assert codes(objective_id=seed.obj["1"]) == ["Permanence d'accès aux droits", "Épicerie solidaire",
                                                 "Ateliers cuisine", "Projet refusé"]
    assert codes(objective_id=seed.obj["1.2"]) == ["Ateliers cuisine", "Projet refusé"]
    assert codes(objective_id=seed.obj["1.1.3"]) == []
    assert codes(holder_id=seed.org["ml"]) == ["Projet refusé", "Chantier jeunes", "Forum emploi"]
    assert codes(funder_id=seed.funder["caf"]) == ["Épicerie solidaire"]
    assert codes(search="epicerie") == ["Épicerie solidaire"]
    assert codes(search="MISSION jeunes") == ["Chantier jeunes"]
    assert codes(search="2026-003") == ["Ateliers cuisine"]
    assert codes(status="refusee", holder_id=seed.org["cs"]) == []
    assert [r.title for r in P.list_actions(db, 2025).rows] == ["Permanence 2025"]
    assert P.list_actions(db, 2031).rows == ()


def test_create_action_validation(seed):
    db = seed.db
    base = {"title": "X", "holder_id": seed.org["cs"], "objectives": [(seed.obj["1.1.1"], True)]}
    with pytest.raises(ValidationError) as err:
        P.create_action(db, 2026, {**base, "title": "  ", "holder_id": None})
    assert set(err.value.errors) >= {"title", "holder_id"}
    assert "Intitulé" in str(err.value)
    with pytest.raises(ValidationError, match="précède"):
        P.create_action(db, 2026, {**base, "start_date": "01/06/2026", "end_date": "31/05/2026"})
    with pytest.raises(ValidationError, match="négatif"):
        P.create_action(db, 2026, {**base, "total_cost_cents": -5})
    with pytest.raises(ValidationError, match="négatif"):
        P.create_action(db, 2026, {**base, "funding": [{"funder_id": seed.funder["caf"], "requested": "-10"}]})
    with pytest.raises(ValidationError, match="exactement un objectif principal") as err:
        P.create_action(db, 2026, {**base, "objectives": [(seed.obj["1.1.1"], True), (seed.obj["1.1.2"], True)]})
    assert err.value.field == "objectives"
    with pytest.raises(ValidationError, match="exactement un objectif principal"):
        P.create_action(db, 2026, {**base, "objectives": [(seed.obj["1.1.1"], False)]})
    with pytest.raises(ValidationError, match="au moins un objectif"):
        P.create_action(db, 2026, {**base, "objectives": []})
    with pytest.raises(ValidationError, match="Champ inconnu"):
        P.create_action(db, 2026, {**base, "colour": "red"})
    # nothing was written by the refused attempts
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Action).where(Action.title == "X")) == 0


def test_create_action_defaults_and_detail(seed):
    db = seed.db
    aid = P.create_action(db, 2026, {
        "title": "  Atelier numérique ", "holder_id": seed.org["cs"],
        "objectives": [(seed.obj["1.1.3"], True), (seed.obj["2.2.1"], False)],
        "start_date": "01/02/2026", "end_date": "31/08/2026", "total_cost_cents": "1 000,50",
        "funding": [{"funder_id": seed.funder["etat_pv"], "requested": "900", "granted": None, "paid": ""},
                    {"funder_id": seed.funder["commune"], "requested": 10_050, "granted": 0, "paid": 0}],
        "indicators": [{"label": "Personnes accompagnées", "unit": "personnes", "target": "40", "result": ""}],
        "platform_code": "DOS-2026-1", "is_renewal": False, "multi_year": True,
    })
    d = P.get_action(db, aid)
    assert d.code == "2026-007" and d.year == 2026 and d.title == "Atelier numérique"
    assert d.review_due == dt.date(2027, 2, 28)  # end + 6 months, clamped to month end
    assert d.total_cost_cents == 100_050
    assert d.principal_objective.code == "1.1.3"
    assert [(o.code, o.is_principal) for o in d.objectives] == [("1.1.3", True), ("2.2.1", False)]
    assert [(f.funder_code, f.requested_cents, f.granted_cents, f.paid_cents) for f in d.funding] == [
        ("etat_pv", 90_000, None, 0), ("commune", 10_050, 0, 0)]
    assert d.indicators[0].label == "Personnes accompagnées" and d.indicators[0].target == Decimal("40")
    assert [h.status for h in d.history] == [E.ActionStatus.DEPOSEE]
    assert d.multi_year and d.platform_code == "DOS-2026-1"
    # explicit code, and code generation after a non-numeric code
    aid2 = P.create_action(db, 2026, {"title": "Y", "holder_id": seed.org["ml"], "code": "SPECIAL",
                                      "objectives": [(seed.obj["3"], True)]})
    assert P.get_action(db, aid2).code == "SPECIAL"
    with pytest.raises(ValidationError, match="déjà utilisé"):
        P.create_action(db, 2026, {"title": "Z", "holder_id": seed.org["ml"], "code": "SPECIAL",
                                   "objectives": [(seed.obj["3"], True)]})
    with pytest.raises(ValidationError, match="n° de dossier"):
        P.create_action(db, 2026, {"title": "Z", "holder_id": seed.org["ml"], "platform_code": "DOS-2026-1",
                                   "objectives": [(seed.obj["3"], True)]})
    # a new year's programme is created on demand, codes restart
    aid3 = P.create_action(db, 2028, {"title": "W", "holder_id": seed.org["ml"],
                                      "objectives": [(seed.obj["3"], True)]})
    assert P.get_action(db, aid3).code == "2028-001"
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(ProgrammeYear).where(ProgrammeYear.year == 2028)) == 1
        log = s.scalars(select(ChangeLog).where(ChangeLog.entity == "action", ChangeLog.entity_id == aid)).all()
        assert [entry.operation for entry in log] == ["create"]


def test_update_action_and_version(seed):
    db = seed.db
    aid = seed.actions["Ateliers cuisine"]
    d = P.get_action(db, aid)
    v2 = P.update_action(db, aid, {"title": "Ateliers cuisine et santé", "objectives": [
        (seed.obj["1.2.1"], False), (seed.obj["1.2.2"], True)]}, expected_version=d.version)
    assert v2 == d.version + 1
    d2 = P.get_action(db, aid)
    assert d2.title == "Ateliers cuisine et santé" and d2.principal_objective.code == "1.2.2"
    with pytest.raises(ConflictError):
        P.update_action(db, aid, {"title": "Autre"}, expected_version=d.version)
    # changing only the funding bumps the version too
    v3 = P.update_action(db, aid, {"funding": [{"funder_id": seed.funder["etat_pv"], "requested": 300_000}]},
                         expected_version=v2)
    assert v3 == v2 + 1
    assert [(f.funder_code, f.requested_cents) for f in P.get_action(db, aid).funding] == [("etat_pv", 300_000)]
    with pytest.raises(ValidationError, match="obligatoire"):
        P.update_action(db, aid, {"title": ""}, expected_version=v3)
    with pytest.raises(ValidationError, match="précède"):
        P.update_action(db, aid, {"start_date": dt.date(2026, 5, 1), "end_date": dt.date(2026, 4, 1)},
                        expected_version=v3)
    # bilan
    P.update_bilan(db, aid, {"review_received": "15/10/2026", "beneficiaries_reached": 30, "beneficiaries_qpv": 22,
                             "review_notes": "Bon bilan"}, expected_version=v3)
    d4 = P.get_action(db, aid)
    assert (d4.review_received, d4.beneficiaries_reached, d4.beneficiaries_qpv, d4.review_notes) == (
        dt.date(2026, 10, 15), 30, 22, "Bon bilan")
    with pytest.raises(ValidationError):
        P.update_bilan(db, aid, {"title": "pas ici"}, expected_version=v3 + 1)
    with db.reader() as s:
        ops = [c.operation for c in s.scalars(select(ChangeLog).where(ChangeLog.entity == "action",
                                                                       ChangeLog.entity_id == aid))]
        assert ops.count("update") == 3
        changes = json.loads(s.scalars(select(ChangeLog.changes).where(
            ChangeLog.entity == "action", ChangeLog.entity_id == aid, ChangeLog.operation == "update")).first())
        assert changes["title"] == ["Ateliers cuisine", "Ateliers cuisine et santé"]
    with pytest.raises(NotFoundError):
        P.get_action(db, 999_999)


def test_plan_warnings_and_setting(seed):
    db = seed.db
    balanced = P.get_action(db, seed.actions["Permanence d'accès aux droits"])
    assert P.plan_warnings(db, balanced) == []  # 50/50, balanced
    refused = P.get_action(db, seed.actions["Projet refusé"])  # 100 % from the State
    warnings = P.plan_warnings(db, refused)
    assert len(warnings) == 1 and "100,0 %" in warnings[0] and "80 %" in warnings[0]
    assert P.get_setting(db, "max_funder_share") == "80"
    P.set_setting(db, "max_funder_share", "100")
    assert P.plan_warnings(db, refused) == []
    P.set_setting(db, "max_funder_share", "40")
    assert len(P.plan_warnings(db, balanced)) == 2
    with pytest.raises(ValidationError):
        P.set_setting(db, "max_funder_share", "120")
    w = P.financing_warnings(100_000, [("CAF", 50_000)], 80)
    assert len(w) == 1 and "pas équilibré" in w[0] and "manque" in w[0]
    assert "excédent" in P.financing_warnings(100_000, [("CAF", 50_000), ("EPCI", 60_000)], 80)[0]


def test_add_funder(seed):
    db = seed.db
    fid = P.add_funder(db, "Fondation de France")
    assert [f.name for f in P.funders(db)][-1] == "Fondation de France"
    with pytest.raises(ValidationError, match="existe déjà"):
        P.add_funder(db, "fondation de france")
    P.update_action(db, seed.actions["Forum emploi"], {"total_cost_cents": 1000,
                                                       "funding": [{"funder_id": fid, "requested": 1000}]},
                    expected_version=P.get_action(db, seed.actions["Forum emploi"]).version)
    assert [r.title for r in P.list_actions(db, 2026, funder_id=fid).rows] == ["Forum emploi"]


def test_change_status_history(seed):
    db = seed.db
    aid = seed.actions["Ateliers cuisine"]
    P.change_status(db, aid, "avis_favorable", dt.date(2026, 2, 10), meeting_id=seed.meeting_id, note="GT")
    P.change_status(db, aid, E.ActionStatus.ACCORDEE, "20/03/2026")
    # a change recorded late but dated earlier goes in its place; current status stays the latest by date
    P.change_status(db, aid, "en_instruction", "05/01/2026")
    d = P.get_action(db, aid)
    assert [h.status.value for h in d.history] == ["deposee", "en_instruction", "avis_favorable", "accordee"]
    assert d.status is E.ActionStatus.ACCORDEE
    gt = d.history[2]
    assert gt.meeting_id == seed.meeting_id and gt.meeting_label == "Groupe technique du 10/02/2026"
    with db.reader() as s:
        assert s.get(Action, aid).status == "accordee"
    with pytest.raises(ValidationError):
        P.change_status(db, aid, "inventé", "01/01/2026")
    with pytest.raises(ValidationError):
        P.change_status(db, aid, "versee", "32/13/2026")
    P.delete_status_change(db, d.history[-1].id)
    assert P.get_action(db, aid).status is E.ActionStatus.AVIS_FAVORABLE


def test_indicators_crud(seed):
    db = seed.db
    aid = seed.actions["Forum emploi"]
    iid = P.add_indicator(db, aid, {"label": "Entreprises présentes", "unit": "entreprises", "target": "30"})
    assert P.update_indicator(db, iid, {"result": "34,5"}, expected_version=1) == 2
    ind = P.get_action(db, aid).indicators[0]
    assert (ind.label, ind.target, ind.result) == ("Entreprises présentes", Decimal("30"), Decimal("34.5"))
    with pytest.raises(ValidationError):
        P.add_indicator(db, aid, {"label": "", "target": "3"})
    P.delete_indicator(db, iid)
    assert P.get_action(db, aid).indicators == ()


def test_renew_action(seed):
    db = seed.db
    old_id = seed.actions["Permanence d'accès aux droits"]
    P.add_indicator(db, old_id, {"label": "Personnes reçues", "unit": "pers.", "target": 100, "result": 95})
    new_id = P.renew_action(db, old_id, 2027)
    new, old = P.get_action(db, new_id), P.get_action(db, old_id)
    assert new.year == 2027 and new.code == "2027-001"
    assert new.is_renewal and new.predecessor_id == old_id and old.successor_ids == (new_id,)
    assert new.status is E.ActionStatus.DEPOSEE and [h.status for h in new.history] == [E.ActionStatus.DEPOSEE]
    assert [(o.objective_id, o.is_principal) for o in new.objectives] == [
        (o.objective_id, o.is_principal) for o in old.objectives]
    assert [(f.funder_id, f.requested_cents, f.granted_cents, f.paid_cents) for f in new.funding] == [
        (f.funder_id, f.requested_cents, None, 0) for f in old.funding]
    assert [(i.label, i.target, i.result) for i in new.indicators] == [("Personnes reçues", Decimal(100), None)]
    assert new.end_date == dt.date(2027, 1, 31) and new.start_date == dt.date(2027, 1, 15)
    assert new.review_due == dt.date(2027, 7, 31)
    assert new.total_cost_cents == old.total_cost_cents and new.platform_code is None
    with pytest.raises(ValidationError, match="déjà reconduite"):
        P.renew_action(db, old_id, 2027)
    # default year: next one; a year's programme is created when missing
    nid = P.renew_action(db, new_id)
    assert P.get_action(db, nid).year == 2028
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(ProgrammeYear)) == 4  # 2025..2028
        assert s.scalar(select(func.count()).select_from(ActionObjective).where(ActionObjective.action_id == nid)) == 2
        assert s.scalar(select(func.count()).select_from(FundingLine).where(FundingLine.action_id == nid)) == 2
        assert s.scalar(select(func.count()).select_from(ActionStatusChange)
                        .where(ActionStatusChange.action_id == nid)) == 1


def test_delete_action(seed):
    db = seed.db
    aid = seed.actions["Forum emploi"]
    P.delete_action(db, aid)
    with pytest.raises(NotFoundError):
        P.get_action(db, aid)
    old = seed.actions["Épicerie solidaire"]
    P.renew_action(db, old)
    with pytest.raises(Exception, match="reconduction"):
        P.delete_action(db, old)


def test_deleting_a_referenced_action_says_why_in_agreed_french(seed):
    from qpv_desk.domain.errors import ReferencedError
    from qpv_desk.services import tasks as T

    db = seed.db
    old = seed.actions["Épicerie solidaire"]
    P.renew_action(db, old)
    with pytest.raises(ReferencedError) as refused:
        P.delete_action(db, old)
    assert str(refused.value).endswith(" ne peut pas être supprimée : sa reconduction y renvoie.")
    aid = seed.actions["Forum emploi"]
    T.add_task(db, seed.meeting_id, description="Relancer", action_id=aid)
    with pytest.raises(ReferencedError) as refused:
        P.delete_action(db, aid)
    assert str(refused.value).endswith(" : 1 suite à donner y renvoie.")
    T.add_task(db, seed.meeting_id, description="Bilan", action_id=aid)
    with pytest.raises(ReferencedError) as refused:
        P.delete_action(db, aid)
    assert str(refused.value).endswith(" : 2 suites à donner y renvoient.")
