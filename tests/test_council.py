"""The conseil citoyen's register: the rules at their boundaries, the services on both
dialects (register, departures and replacements in the history, arrêté, draw), the
arrêté's annex read back."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document

from qpv_desk.domain import council as CC
from qpv_desk.domain.errors import ValidationError
from qpv_desk.services import council as S
from qpv_desk.services import meetings as MS
from qpv_desk.services import partners as P
from qpv_desk.services.history import history
from qpv_desk.services.referential import import_referential, read_referential
from qpv_desk.store.models import Attendance, Meeting

from conftest import VERQUIN_TOML

TODAY = dt.date(2026, 3, 15)
H, A = CC.College.HABITANTS, CC.College.ACTEURS_LOCAUX


def member(i, civ="Mme", college=H, substitute=False, of=None, end=None, attendance=()):
    return CC.RegisterMember(i, f"Membre {i}", civ, college, substitute, of, end, tuple(attendance))


# --------------------------------------------------------------------------- rules


def test_parity_boundaries():
    assert CC.parity([member(1, "Mme"), member(2, "M.")]).level == CC.CheckLevel.OK
    assert CC.parity([member(1, "Mme"), member(2, "M."), member(3, "Mme")]).level == CC.CheckLevel.OK  # one apart
    two_apart = CC.parity([member(1, "Mme"), member(2, "Mme"), member(3, "Mme"), member(4, "M.")])
    assert two_apart.level == CC.CheckLevel.ERROR and "3 femmes et 1 homme" in two_apart.message
    # local actors and suppléants do not count in the residents' parity
    assert CC.parity([member(1, "Mme"), member(2, "M."), member(3, "Mme", college=A),
                      member(4, "Mme", college=A), member(5, "Mme", substitute=True, of=1),
                      member(6, "Mme", substitute=True, of=2)]).level == CC.CheckLevel.OK
    unknown = CC.parity([member(1, "Mme"), member(2, "")])
    assert unknown.level == CC.CheckLevel.WARNING and unknown.member_ids == (2,)


def test_residents_share_boundaries():
    half = [member(1), member(2), member(3, college=A), member(4, college=A)]
    assert CC.residents_share(half).level == CC.CheckLevel.OK  # exactly 50 % is enough
    below = half + [member(5, college=A)]
    finding = CC.residents_share(below)
    assert finding.level == CC.CheckLevel.ERROR and "2 habitants sur 5" in finding.message
    assert "40\u00a0%" in finding.message
    # a suppléant is not a member of its own
    assert CC.residents_share(half + [member(5, college=A, substitute=True, of=3)]).level == CC.CheckLevel.OK
    assert CC.residents_share([]).level == CC.CheckLevel.WARNING


def test_expiring_mandates_boundaries():
    limit = dt.date(2026, 6, 15)  # three months after TODAY
    rows = [member(1, end=TODAY), member(2, end=limit), member(3, end=limit + dt.timedelta(days=1)),
            member(4, end=TODAY - dt.timedelta(days=1)), member(5, end=None)]
    finding = CC.expiring_mandates(rows, TODAY)
    assert finding.member_ids == (1, 2) and finding.level == CC.CheckLevel.WARNING
    assert CC.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert CC.expiring_mandates([member(5)], TODAY).level == CC.CheckLevel.OK


def test_titulaires_without_substitute():
    rows = [member(1), member(2), member(3, substitute=True, of=1), member(4, substitute=True)]
    finding = CC.titulaires_without_substitute(rows)
    assert finding.member_ids == (2,)
    assert CC.titulaires_without_substitute(rows[:1] + rows[2:3]).level == CC.CheckLevel.OK


def test_absent_from_the_last_three_meetings():
    rows = [member(1, attendance=("absent", "absent", "absent")),
            member(2, attendance=("absent", "absent", "excuse")),  # excused once: not counted
            member(3, attendance=("absent", "absent")),  # only two meetings held
            member(4, attendance=("absent", "absent", "absent", "present"))]
    assert CC.absentees(rows).member_ids == (1, 4)


def test_draw_is_reproducible_and_keeps_parity():
    people = [CC.Candidate("Mme" if i % 3 else "M.", f"P{i}", f"Nom{i}") for i in range(30)]
    first = CC.draw(people, 10, "graine-2026")
    assert first == CC.draw(list(people), 10, "graine-2026")  # same seed + list → same draw
    assert first != CC.draw(people, 10, "autre-graine")
    assert len(set(first)) == 10
    women = sum(1 for i in first if people[i].civility == "Mme")
    assert women == 5
    odd = CC.draw(people, 7, "x")
    assert abs(sum(1 for i in odd if people[i].civility == "Mme") * 2 - 7) == 1
    # changing the list (one name) changes the draw's basis: the fingerprint differs
    changed = people[:-1] + [CC.Candidate("Mme", "Autre", "Nom")]
    assert CC.list_fingerprint(changed) != CC.list_fingerprint(people)
    # too few men: the women complete the seats
    few = [CC.Candidate("M.", "Paul", "A")] + [CC.Candidate("Mme", f"F{i}", "B") for i in range(5)]
    assert sorted(CC.draw(few, 4, "s")).count(0) == 1 and len(CC.draw(few, 4, "s")) == 4


# --------------------------------------------------------------------------- services (both dialects)


@pytest.fixture
def db(empty_db):
    import_referential(empty_db, read_referential(VERQUIN_TOML))
    return empty_db


def council_id(db) -> int:
    return next(b.id for b in P.list_bodies(db) if b.code == "CC")


def seat(db, body, civ, first, last, college, *, role="membre", org=None, of=None, start="2024-01-01",
         end="2026-12-31", mode="tirage"):
    pid = P.create_person(db, {"civility": civ, "first_name": first, "last_name": last, "organisation_id": org})
    mid = P.create_membership(db, {"body_id": body, "person_id": pid, "organisation_id": org, "role": role,
                                   "start_date": start, "end_date": end})
    version = S.council_register(db, body, today=TODAY).members
    row = next(r for r in version if r.id == mid)
    S.update_register_entry(db, mid, {"college": college, "entry_mode": mode, "role": role, "substitute_of_id": of},
                            expected_version=row.version)
    return mid, pid


def mver(db, body, mid) -> int:
    reg = S.council_register(db, body, today=TODAY)
    return next(r.version for r in (*reg.members, *reg.former) if r.id == mid)


def test_register_checks_and_history(db):
    body = council_id(db)
    org = P.create_organisation(db, {"name": "Association Les Jardins", "kind": "association"})
    claire, _ = seat(db, body, "Mme", "Claire", "Dubois", "habitants")
    marc, marc_pid = seat(db, body, "M.", "Marc", "Leroy", "habitants", end="2026-05-31")
    seat(db, body, "Mme", "Inès", "Zidane", "habitants", role="suppleant", of=claire)
    seat(db, body, "M.", "Paul", "Bernard", "acteurs_locaux", org=org, mode="designe")
    reg = S.council_register(db, body, today=TODAY)
    assert [r.name for r in reg.members] == ["Mme Claire Dubois", "Mme Inès Zidane", "M. Marc Leroy",
                                             "M. Paul Bernard"]
    ines = reg.members[1]
    assert ines.standing == "Suppléante de Mme Claire Dubois" and ines.college == CC.College.HABITANTS
    found = {f.key: f for f in reg.findings}
    assert found["parity"].level == CC.CheckLevel.OK
    assert found["residents_share"].level == CC.CheckLevel.OK  # 2 residents of 3 titulaires
    assert found["expiring"].member_ids == (marc,)
    assert set(found["no_substitute"].member_ids) == {marc, reg.members[3].id}

    # absent three times in a row
    for day in (dt.date(2026, 1, 10), dt.date(2026, 2, 10), dt.date(2026, 3, 10)):
        mid = MS.create_meeting(db, body, day)
        with db.session() as s:
            s.get(Meeting, mid).status = "tenue"
            for att in s.query(Attendance).filter_by(meeting_id=mid):
                att.status = "absent" if att.person_id == marc_pid else "present"
    found = {f.key: f for f in S.council_register(db, body, today=TODAY).findings}
    assert found["absent"].member_ids == (marc,)

    # two more women: 3 women and 1 man among the residents' titulaires
    seat(db, body, "Mme", "Anne", "Petit", "habitants")
    seat(db, body, "Mme", "Rose", "Martin", "habitants")
    found = {f.key: f for f in S.council_register(db, body, today=TODAY).findings}
    assert found["parity"].level == CC.CheckLevel.ERROR and "3 femmes et 1 homme" in found["parity"].message

    # replacement: Claire leaves, Lucie takes her seat, her suppléante follows
    lucie = P.create_person(db, {"civility": "Mme", "first_name": "Lucie", "last_name": "Roux"})
    new_id = S.replace_member(db, claire, lucie, dt.date(2026, 3, 1), reason="déménagement",
                              expected_version=mver(db, body, claire))
    reg = S.council_register(db, body, today=TODAY)
    assert claire in {r.id for r in reg.former} and claire not in {r.id for r in reg.members}
    new = next(r for r in reg.members if r.id == new_id)
    assert new.replaces_id == claire and new.college == CC.College.HABITANTS and new.end_date == dt.date(2026, 12, 31)
    assert next(r for r in reg.members if r.name == "Mme Inès Zidane").substitute_of_id == new_id
    S.record_departure(db, marc, dt.date(2026, 3, 5), "démission", expected_version=mver(db, body, marc))
    lines = [(e.operation_label, e.summary) for e in history(db, "body", body)]
    assert any(op == "Remplacement" and "Mme Claire Dubois" in text and "Mme Lucie Roux" in text
               and "déménagement" in text for op, text in lines)
    assert any(op == "Départ" and "M. Marc Leroy" in text and "démission" in text for op, text in lines)
    assert any(op == "Registre" and "collège : (vide) → Habitants" in text for op, text in lines)


def test_register_validation(db):
    body = council_id(db)
    claire, _ = seat(db, body, "Mme", "Claire", "Dubois", "habitants")
    other, _ = seat(db, body, "M.", "Marc", "Leroy", "habitants")
    with pytest.raises(ValidationError) as info:
        S.update_register_entry(db, other, {"college": "inconnu", "entry_mode": "loterie",
                                            "start_date": "2027-01-01"}, expected_version=mver(db, body, other))
    assert set(info.value.errors) == {"college", "entry_mode"}
    with pytest.raises(ValidationError) as info:
        S.update_register_entry(db, other, {"substitute_of_id": claire},  # still a titulaire
                                expected_version=mver(db, body, other))
    assert info.value.field == "substitute_of_id"
    with pytest.raises(ValidationError):
        S.update_register_entry(db, other, {"role": "suppleant", "substitute_of_id": other},
                                expected_version=mver(db, body, other))
    with pytest.raises(ValidationError):
        S.replace_member(db, claire, 999999, expected_version=mver(db, body, claire))
    version = S.council_register(db, body, today=TODAY).version
    S.set_arrete(db, body, "2024-DDTM-117", "2024-06-12", expected_version=version)
    reg = S.council_register(db, body, today=TODAY)
    assert (reg.arrete_reference, reg.arrete_date) == ("2024-DDTM-117", dt.date(2024, 6, 12))
    with pytest.raises(ValidationError):
        S.set_arrete(db, body, "x", "31/02/2024", expected_version=reg.version)


def test_draw_stored_and_reproduced(db, tmp_path):
    body = council_id(db)
    csv_path = tmp_path / "volontaires.csv"
    lines = ["Civilité;Prénom;Nom;Adresse"] + [
        f"{'Madame' if i % 2 else 'M.'};Prénom{i};Nom{i};{i} rue des Îlots" for i in range(12)]
    csv_path.write_text("\n".join(lines), encoding="utf-8")
    people = S.read_candidates(csv_path)
    assert len(people) == 12 and people[1].civility == "Mme" and people[0].address == "0 rue des Îlots"
    result = S.record_draw(db, body, people, 6, seed="séance du 12 mars", source_name=csv_path.name)
    assert result.reproduced and result.seed == "séance du 12 mars"
    assert [c.name for c in result.drawn] == [people[i].name for i in CC.draw(people, 6, "séance du 12 mars")]
    assert sum(c.civility == "Mme" for c in result.drawn) == 3
    again = S.list_draws(db, body)[0]
    assert again.candidates == tuple(people) and again.drawn == result.drawn and again.reproduced
    # a draw without a seed gets one, stored
    auto = S.record_draw(db, body, people, 2)
    assert len(auto.seed) == 16 and S.list_draws(db, body)[0].seed == auto.seed
    ids = S.add_drawn_members(db, result.id, "2026-04-01", "2029-03-31")
    reg = S.council_register(db, body, today=dt.date(2026, 5, 1))
    drawn = [r for r in reg.members if r.id in ids]
    assert len(drawn) == 6 and all(r.entry_mode == CC.EntryMode.TIRAGE and r.college == H for r in drawn)
    # the same draw a second time (a double click, another poste): refused, nobody registered twice
    with pytest.raises(ValidationError) as twice:
        S.add_drawn_members(db, result.id, "2026-04-01", "2029-03-31")
    assert "déjà inscrites" in str(twice.value)
    assert len(S.council_register(db, body, today=dt.date(2026, 5, 1)).members) == len(reg.members)
    assert len(S.add_drawn_members(db, auto.id, "2026-04-01")) == 2  # another draw is registered
    with pytest.raises(ValidationError):
        S.record_draw(db, body, people, 13)
    bad = tmp_path / "bad.csv"
    bad.write_text("Civilité;Prénom;Nom\nX;Jean;Dupont\nMme;;\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        S.read_candidates(bad)
    assert "ligne 2" in str(info.value) and "ligne 3" in str(info.value)


def test_a_list_without_separator_gets_a_french_message(tmp_path):
    one_column = tmp_path / "noms.csv"
    one_column.write_text("Nom\nDupont\nMartin\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:  # not csv.Error's English « Could not determine delimiter »
        S.read_candidates(one_column)
    assert "Civilité" in str(info.value) or "colonne" in str(info.value)


def test_draw_from_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Nom", "Prénom", "Sexe"])
    wb.active.append(["Durand", "Alice", "F"])
    wb.active.append(["Moreau", "Bruno", "H"])
    wb.save(tmp_path / "liste.xlsx")
    people = S.read_candidates(tmp_path / "liste.xlsx")
    assert [(c.civility, c.first_name, c.last_name) for c in people] == [("Mme", "Alice", "Durand"),
                                                                         ("M.", "Bruno", "Moreau")]


def test_annexe_read_back(db, tmp_path):
    body = council_id(db)
    org = P.create_organisation(db, {"name": "Association Les Jardins", "kind": "association"})
    claire, _ = seat(db, body, "Mme", "Claire", "Dubois", "habitants")
    seat(db, body, "M.", "Marc", "Leroy", "habitants", role="suppleant", of=claire)
    seat(db, body, "M.", "Paul", "Bernard", "acteurs_locaux", org=org, mode="designe")
    S.set_arrete(db, body, "2024-117", dt.date(2024, 6, 1), expected_version=S.council_register(db, body, today=TODAY).version)
    path = S.write_annexe_arrete(db, body, tmp_path / "annexe.docx", today=TODAY)
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Arrêté n° 2024-117 du 1er juin 2024" in text
    assert "Collège «\u00a0Habitants\u00a0» (2)" in text and "Collège «\u00a0Associations et acteurs locaux\u00a0» (1)" in text
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert rows[0] == ["Collège", "Nom", "Qualité"]
    assert ["Habitants", "Mme Claire Dubois", "Habitante, titulaire"] in rows
    assert ["Habitants", "M. Marc Leroy", "Habitant, suppléant de Mme Claire Dubois"] in rows
    assert ["Associations et acteurs locaux", "M. Paul Bernard",
            "Représentant d'Association Les Jardins, titulaire"] in rows
    listing = S.members_listing(db, body, today=TODAY)
    assert listing.header[0] == "id" and len(listing.rows) == 3


def test_checks_name_the_members_in_the_registers_order(sample_db):
    body = next(b for b in MS.bodies(sample_db) if b.detail == "CC")
    register = S.council_register(sample_db, body.id, today=dt.date(2026, 11, 26))
    finding = next(f for f in register.findings if f.key == "no_substitute")
    assert len(finding.member_ids) > 3
    # « Mme Marie Chevalier, M. Stéphane Decroix, … » as in the register and the annexe, not by creation order
    in_register = [m.id for m in register.members if m.id in set(finding.member_ids)]
    assert list(finding.member_ids) == in_register
    assert finding.message == ", ".join(m.name for m in register.members if m.id in set(finding.member_ids)) + "."
