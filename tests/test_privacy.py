"""Personal data (RGPD): export, anonymisation, retention setting, inactive contacts, CLI."""

from __future__ import annotations

import datetime as dt

import pytest
from safety_data import build_people
from sqlalchemy import func, select

from qpv_desk.cli import main
from qpv_desk.domain.errors import NotFoundError, ValidationError
from qpv_desk.services import privacy as P
from qpv_desk.services.history import history
from qpv_desk.store.models import Action, Attendance, ChangeLog, FollowUpTask, Membership, Person

SECRETS = ("Amina", "Benhaddou", "amina.benhaddou@example.org", "03 21 00 11 22", "matin", "Directrice")


def workbook_text(path):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return wb, "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


def sheet_rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2)]


def test_export_holds_everything_about_the_person(empty_db, tmp_path):
    people = build_people(empty_db)
    out = P.export_person(empty_db, people.amina, tmp_path / "export")
    assert out.name == "export.xlsx" and out.exists()
    wb, text = workbook_text(out)
    assert wb.sheetnames == ["Identité", "Instances", "Réunions", "Actions", "Tâches", "Historique", "Mentions"]
    identity = dict((r[0], r[1]) for r in sheet_rows(wb["Identité"]))
    assert identity["Nom"] == "Benhaddou" and identity["Courriel"] == "amina.benhaddou@example.org"
    assert identity["Structure"] == "Centre social Les Îlots" and identity["Civilité"] == "Mme"
    [seat] = sheet_rows(wb["Instances"])
    from qpv_desk.store.models import Body

    with empty_db.reader() as s:
        assert seat[0] == s.get(Body, people.body).name
    assert seat[2] == "Centre social" and seat[3] == "Centre social Les Îlots"
    assert seat[1] == "Membre" and seat[4] == "01/01/2024" and seat[5] == "31/12/2025"
    meetings = sheet_rows(wb["Réunions"])
    assert len(meetings) == 2
    # agreed with Mme Benhaddou (« Présente », never « Présent(e) »)
    assert {m[3] for m in meetings} == {"Convoquée", "Représentante"}
    assert any(m[4] == "Présente" for m in meetings)
    assert any(m[6] == "représente M. Jean Dupuis" for m in meetings)  # named with his civility
    [action] = sheet_rows(wb["Actions"])
    assert action[:3] == ["2025", "A01", "=SOMME(A1:A9) atelier"]
    cell = wb["Actions"]["C2"]
    assert cell.data_type == "s" and cell.quotePrefix  # user text never becomes a formula
    [task] = sheet_rows(wb["Tâches"])
    assert task[0] == "Envoyer le bilan" and task[2] == "Fait" and task[3] == "28/03/2025"
    [hist] = sheet_rows(wb["Historique"])
    assert hist[2] == "Création"
    # every cell is text
    assert all(c.data_type == "s" for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


def test_export_names_the_representative_with_civility_and_agrees(empty_db, tmp_path):
    people = build_people(empty_db)
    wb, _ = workbook_text(P.export_person(empty_db, people.jean, tmp_path / "jean.xlsx"))
    [invited] = [m for m in sheet_rows(wb["Réunions"]) if m[3] == "Convoqué"]
    assert invited[6] == "représenté par Mme Amina Benhaddou"  # agreed with M. Dupuis, never « Mme Mme »


def test_export_names_her_with_civility_on_every_printed_page(empty_db, tmp_path):
    people = build_people(empty_db)
    wb, _ = workbook_text(P.export_person(empty_db, people.amina, tmp_path / "amina.xlsx"))
    # the page header she reads (and the file's title) address her as every letter does
    assert wb.properties.title == "Données personnelles — Mme Amina Benhaddou"
    assert all("Mme Amina Benhaddou" in ws.oddHeader.left.text for ws in wb)
    # nothing left in « (e) » for a person whose civility is known
    assert not [c.value for ws in wb for row in ws.iter_rows() for c in row if "(e)" in str(c.value or "")]


def test_export_of_a_person_without_data_and_unknown_person(empty_db, tmp_path):
    people = build_people(empty_db)
    out = P.export_person(empty_db, people.nouvelle, tmp_path / "vide.xlsx")
    wb, _ = workbook_text(out)
    assert [r[0] for r in sheet_rows(wb["Instances"])] == ["Aucune donnée."]
    with pytest.raises(NotFoundError, match="Le contact n° 424242 introuvable"):
        P.export_person(empty_db, 424242, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def counts(db, person_id):
    with db.reader() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model).where(column == person_id))
            for model, column in ((Attendance, Attendance.person_id), (Attendance, Attendance.represented_by_id),
                                  (Membership, Membership.person_id), (Action, Action.contact_id),
                                  (FollowUpTask, FollowUpTask.owner_person_id))
        )


def test_anonymise_replaces_identity_keeps_statistics_and_scrubs_history(empty_db, tmp_path):
    people = build_people(empty_db)
    kept = counts(empty_db, people.amina)
    assert kept == (1, 1, 1, 1, 1)
    name = P.anonymise_person(empty_db, people.amina, today=dt.date(2026, 11, 25))
    assert name == f"Personne anonymisée n° {people.amina}"
    with empty_db.reader() as s:
        p = s.get(Person, people.amina)
        assert (p.last_name, p.first_name, p.civility) == (name, None, "")
        assert (p.email, p.phone, p.notes, p.function) == (None, None, None, None)
        assert p.anonymised_on == dt.date(2026, 11, 25) and not p.active
        assert p.organisation_id == people.org  # the seat's organisation is not personal data
        logs = " ".join(c or "" for c in s.scalars(select(ChangeLog.changes)))
    assert counts(empty_db, people.amina) == kept  # attendance and statistics unchanged
    for secret in ("Amina", "Benhaddou", "amina.benhaddou@example.org"):
        assert secret not in logs
    assert name in logs  # the action's history now quotes the pseudonym
    entries = history(empty_db, "person", people.amina)
    assert entries[0].operation_label == "Anonymisation"
    assert all("Amina" not in e.summary for e in entries)

    out = P.export_person(empty_db, people.amina, tmp_path / "apres.xlsx")
    _, text = workbook_text(out)
    for secret in SECRETS:
        assert secret not in text, secret
    with pytest.raises(ValidationError, match="déjà été anonymisé"):
        P.anonymise_person(empty_db, people.amina)


def test_retention_setting(empty_db):
    assert P.retention_years(empty_db) == 5
    assert P.set_retention_years(empty_db, "3") == 3
    assert P.retention_years(empty_db) == 3
    assert P.set_retention_years(empty_db, 7) == 7
    assert P.retention_years(empty_db) == 7
    for bad in (0, "abc", 51, "", -2):
        with pytest.raises(ValidationError):
            P.set_retention_years(empty_db, bad)
    assert P.retention_years(empty_db) == 7


def test_inactive_contacts(empty_db):
    people = build_people(empty_db)
    # Amina: last activity 31/12/2025 (end of seat, end of programme year); Jean: 10/03/2025 (GT)
    five = P.inactive_contacts(empty_db, 5, today=dt.date(2030, 6, 1))
    assert [c.id for c in five] == [people.jean]
    assert five[0].last_activity == dt.date(2025, 3, 10)
    four = {c.id: c for c in P.inactive_contacts(empty_db, 4, today=dt.date(2030, 6, 1))}
    assert set(four) == {people.amina, people.jean}
    assert four[people.amina].last_activity == dt.date(2025, 12, 31)
    # a seat still open is activity; a new contact counts from its creation
    with empty_db.session() as s:
        s.add(Membership(body_id=people.body, person_id=people.jean, role="membre", start_date=dt.date(2020, 1, 1)))
    assert P.inactive_contacts(empty_db, 4, today=dt.date(2030, 6, 1))[0].id == people.amina
    assert people.nouvelle not in {c.id for c in P.inactive_contacts(empty_db, 1, today=dt.date.today())}
    # the setting is the default; anonymised contacts are not listed
    P.set_retention_years(empty_db, 4)
    P.anonymise_person(empty_db, people.amina)
    assert P.inactive_contacts(empty_db, today=dt.date(2030, 6, 1)) == []


def test_persons_list(empty_db):
    people = build_people(empty_db)
    refs = P.persons(empty_db)
    amina = next(r for r in refs if r.id == people.amina)
    assert amina.name == "Amina Benhaddou" and amina.organisation == "Centre social Les Îlots"


def test_person_cli(sqlite_db, tmp_path, capsys):
    people = build_people(sqlite_db)
    path = str(sqlite_db.path)
    out = tmp_path / "acces.xlsx"
    assert main(["person", "export", "--person", str(people.amina), "--db", path, "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    _, text = workbook_text(out)
    assert "Benhaddou" in text
    assert main(["person", "anonymise", "--person", str(people.amina), "--db", path]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["person", "anonymise", "--person", str(people.amina), "--db", path, "--yes"]) == 0
    assert "Personne anonymisée" in capsys.readouterr().out
    assert main(["person", "export", "--person", "999", "--db", path, "-o", str(out)]) == 2
    assert "introuvable" in capsys.readouterr().err
    assert main(["person", "list", "--search", "dupuis", "--db", path]) == 0
    assert capsys.readouterr().out.strip().split("\t")[:2] == [str(people.jean), "Jean Dupuis"]
    assert main(["person", "inactive", "--years", "1", "--db", path]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.split("\t")[0] == str(people.jean) for line in lines)
