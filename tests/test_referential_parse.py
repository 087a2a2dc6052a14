"""Referential files: the Verquin referential, another shape of contract, and errors."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from qpv_desk.domain.referential import (
    ReferentialError,
    load_referential,
    parse_referential,
)

VERQUIN = Path(__file__).resolve().parents[1] / "resources" / "referentials" / "verquin-3-ilots.toml"

FRENCH_WORDS = ("obligatoire", "doit", "inconnu", "n'existe pas", "en double", "invalide",
                "n'est pas", "précède", "niveau", "encodé", "syntaxe", "interdit", "non prise")
ENGLISH = re.compile(r"\b(the|is|must|should|Invalid|Expected|Unterminated|line|column)\b")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
    return hits[occurrence - 1]


def assert_french(err: ReferentialError) -> None:
    assert any(word in err.message for word in FRENCH_WORDS), err.message
    assert not ENGLISH.search(str(err)), str(err)


# --------------------------------------------------------------------------- Verquin

@pytest.fixture(scope="module")
def verquin():
    return load_referential(VERQUIN)


def test_verquin_contract_and_levels(verquin):
    contract = verquin.contract
    assert contract.code == "EQ2030-VERQUIN"
    assert (contract.start_year, contract.end_year) == (2024, 2030)
    assert (contract.epci, contract.commune) == ("CABBALR", "Verquin")
    assert verquin.levels == ("Enjeu", "Orientation", "Objectif opérationnel")
    assert verquin.source == "verquin-3-ilots.toml"


def test_verquin_quartier(verquin):
    (quartier,) = verquin.quartiers
    assert quartier.code == "QP 06 20 09"
    assert quartier.name == "3 Îlots"
    assert quartier.status == "Quartier prioritaire de la politique de la ville"
    assert quartier.communes == ("Béthune", "Verquin")
    assert quartier.surface_ha == Decimal("56")
    assert quartier.population == 3300


def test_verquin_statistics(verquin):
    stats = {s.key: s for s in verquin.statistics_of("QP 06 20 09")}
    expected = {
        "population": ("3300", None, "habitants"),
        "surface": ("56", None, "ha"),
        "taux_pauvrete": ("40.3", "18.8", "%"),
        "part_moins_25_ans": ("38.6", "31", "%"),
        "part_familles_monoparentales": ("26.2", "16.2", "%"),
        "ips_etablissements": ("95", "104", "indice"),
        "taux_emploi_15_64_ans": ("48.5", "58.8", "%"),
        "part_16_25_ans_non_scolarises_sans_emploi": ("31.8", "23.5", "%"),
        "part_parc_social": ("33.3", "25.6", "%"),
    }
    assert list(stats) == list(expected)  # document order
    for key, (value, agglomeration, unit) in expected.items():
        stat = stats[key]
        assert isinstance(stat.value, Decimal)
        assert stat.value == Decimal(value), key
        assert stat.agglomeration == (Decimal(agglomeration) if agglomeration else None), key
        assert stat.unit == unit
        assert (stat.source, stat.year) == ("Sigville 2022 (ancien périmètre)", 2022)


def test_verquin_objective_tree(verquin):
    enjeux = verquin.children_of(None)
    assert [e.code for e in enjeux] == ["1", "2", "3"]
    assert enjeux[0].title == "Des quartiers attentifs aux habitants des plus fragiles"
    assert enjeux[1].title == "Des quartiers d'émancipation pour tous"
    assert enjeux[2].title == "Des quartiers à l'épreuve des transitions"
    orientations = {e.code: [o.code for o in verquin.children_of(e.code)] for e in enjeux}
    assert orientations == {"1": ["1.1", "1.2", "1.3"], "2": ["2.1", "2.2", "2.3", "2.4"],
                            "3": ["3.1", "3.2", "3.3"]}
    counts = {o: len(verquin.children_of(o)) for codes in orientations.values() for o in codes}
    assert counts == {"1.1": 3, "1.2": 3, "1.3": 3, "2.1": 4, "2.2": 6, "2.3": 6, "2.4": 2,
                      "3.1": 3, "3.2": 3, "3.3": 2}
    assert len(verquin.objectives) == 3 + 10 + 35
    assert {o.depth for o in verquin.objectives if o.code.count(".") == 2} == {3}
    by_code = {o.code: o for o in verquin.objectives}
    assert verquin.level_name(by_code["2.3.1"]) == "Objectif opérationnel"
    # the merged line of the seed, split in three
    assert by_code["1.1.2"].title == "Faciliter l'accès aux soins aux ressources de première nécessité"
    assert by_code["1.1.3"].title.startswith("Accompagner les habitants dans les démarches")
    assert by_code["2.2"].title.startswith("Accompagner l'accès à l'autonomie et à l'emploi")
    assert by_code["2.3"].title.startswith("Promouvoir l'éducation populaire")
    assert by_code["2.4"].title == "Encourager l'esprit d'initiative des habitants des quartiers"
    assert by_code["3.3.2"].title == "Dynamiser l'animation sociale dans les quartiers"


def test_verquin_funders_and_bodies(verquin):
    assert [f.code for f in verquin.funders] == ["etat_pv", "epci", "commune", "departement",
                                                 "region", "caf", "bailleurs", "fonds_propres",
                                                 "autres"]
    assert [f.code for f in verquin.funders if f.state] == ["etat_pv"]
    assert [(b.code, b.kind) for b in verquin.bodies] == [("COPIL", "copil"), ("GT", "gt"),
                                                          ("CC", "conseil_citoyen")]
    copil = verquin.members_of("COPIL")
    assert len(copil) == 5
    assert [m.seat for m in copil if m.role == "president"] == ["Le Maire"]
    assert [m.seat for m in copil if m.role == "secretariat"] == ["Référente QPV"]
    assert all(m.organisation == "Commune de Verquin" for m in copil)
    (gt_seat,) = verquin.members_of("GT")
    assert (gt_seat.seat, gt_seat.role) == ("Référente QPV", "secretariat")
    assert verquin.members_of("CC") == ()


# ------------------------------------------------------------------ another referential

OTHER = '''\
format = 1

[contract]
code = "CV-LENS-2030"
name = "Contrat de ville de Lens"
commune = "Lens"
start_year = 2024
end_year = 2030

[[levels]]
name = "Axe"
[[levels]]
name = "Action"

[[quartiers]]
code = "QP 62 01 01"
name = "Cité 12"
status = "QPV"
communes = ["Lens"]
[[quartiers]]
code = "QIC-LENS-2"
name = "Cité 9"
status = "QIC"
communes = ["Lens", "Liévin"]
surface_ha = 12.5
description = """
Quartier d'intérêt communautaire.
Deux lignes."""

[[statistics]]
quartier = "QIC-LENS-2"
key = "taux_pauvrete"
label = "Taux de pauvreté"
value = 35
[[statistics]]
quartier = "QP 62 01 01"
key = "taux_pauvrete"
label = "Taux de pauvreté"
value = 41.25
agglomeration = 19

[[objectives]]
code = "A"
title = "Emploi"
[[objectives]]
code = "A-1"
parent = "A"
title = "Chantiers d'insertion"
[[objectives]]
code = "B"
title = "Cadre de vie"

[[organisations]]
name = "Association Cité Plus"
kind = "association"

[[bodies]]
code = "GT_EMPLOI"
name = "Groupe thématique emploi"
kind = "autre"
quorum = 2

[[members]]
body = "GT_EMPLOI"
role = "invite_permanent"
organisation = "Association Cité Plus"
seat = "Directrice"
civility = "Mme"
first_name = "Alice"
last_name = "Martin"
email = "alice.martin@example.org"
'''


def test_other_shape_parses():
    ref = parse_referential(OTHER, "lens.toml")
    assert ref.levels == ("Axe", "Action")
    assert [q.code for q in ref.quartiers] == ["QP 62 01 01", "QIC-LENS-2"]
    assert ref.quartiers[1].surface_ha == Decimal("12.5")
    assert ref.quartiers[1].description == "Quartier d'intérêt communautaire.\nDeux lignes."
    assert ref.statistics[1].value == Decimal("41.25")
    assert [(o.code, o.parent_code, o.depth) for o in ref.objectives] == [
        ("A", None, 1), ("A-1", "A", 2), ("B", None, 1)]
    assert ref.funders == ()
    (member,) = ref.members
    assert (member.civility, member.last_name, member.role) == ("Mme", "Martin", "invite_permanent")
    assert ref.bodies[0].quorum == 2


# --------------------------------------------------------------------------- errors

def error_of(text: str) -> ReferentialError:
    with pytest.raises(ReferentialError) as info:
        parse_referential(text, "essai.toml")
    assert_french(info.value)
    return info.value


def test_syntax_error_reports_line():
    text = OTHER.replace('name = "Cité 12"', 'name = "Cité 12')
    err = error_of(text)
    assert err.line == line_of(text, 'name = "Cité 12')
    assert "syntaxe TOML invalide : texte non terminé" in err.message
    assert str(err).startswith(f"essai.toml, ligne {err.line} : ")


def test_missing_title_reports_entry_line_and_field():
    text = OTHER.replace('title = "Chantiers d\'insertion"\n', "")
    err = error_of(text)
    assert (err.line, err.field) == (line_of(text, "[[objectives]]", 2), "title")
    assert str(err) == f"essai.toml, ligne {err.line}, champ « title » : le titre est obligatoire."


@pytest.mark.parametrize(
    ("old", "new", "marker", "field", "expected"),
    [
        ('parent = "A"', 'parent = "Z"', 'parent = "Z"', "parent", "n'existe pas"),
        ('code = "A-1"\nparent = "A"', 'code = "C.1"', 'code = "C.1"', "code", "« C » n'existe pas"),
        ('parent = "A"', 'parent = "B"', 'parent = "B"', "parent", "doit être déclaré avant"),
        ('title = "Chantiers d\'insertion"', 'title = "Chantiers d\'insertion"\n[[objectives]]\n'
         'code = "A-1.x"\ntitle = "Trop profond"', 'code = "A-1.x"', "code", "niveau 3"),
        ('code = "B"', 'code = "a"', 'code = "a"', "code", "« a » est en double"),
        ('title = "Cadre de vie"', 'titel = "Cadre de vie"', "titel", "titel",
         "Vouliez-vous dire « title »"),
        ("end_year = 2030", "end_year = 2023", "end_year", "end_year", "précède l'année de début"),
        ('kind = "autre"', 'kind = "copil_"', 'kind = "copil_"', "kind", "valeurs possibles"),
        ('role = "invite_permanent"', 'role = "invité"', "role =", "role", "n'est pas admis"),
        ('quartier = "QIC-LENS-2"', 'quartier = "QIC-9"', "QIC-9", "quartier", "n'est pas déclaré"),
        ("value = 35", 'value = "35,2"', "35,2", "value", "doit être un nombre"),
        ('organisation = "Association Cité Plus"', 'organisation = "Asso"', 'organisation = "Asso"',
         "organisation",
         "n'est pas déclaré"),
        ('civility = "Mme"', 'civility = "Madame"', "Madame", "civility", "n'est pas admis"),
        ('name = "Cité 9"', 'name = "Cité\\u0007 9"', "Cité\\u0007", "name", "caractère de contrôle"),
        ("format = 1", "format = 2", "format = 2", "format", "non prise en charge"),
        ("format = 1", "format = 1\nauteur = \"moi\"", "auteur", "auteur", "inconnu"),
        ('key = "taux_pauvrete"\nlabel = "Taux de pauvreté"\nvalue = 41.25',
         'key = "Taux-Pauvrete"\nlabel = "Taux de pauvreté"\nvalue = 41.25', "Taux-Pauvrete", "key",
         "est invalide"),
    ],
)
def test_semantic_errors_report_line_and_field(old, new, marker, field, expected):
    assert old in OTHER
    text = OTHER.replace(old, new, 1)
    err = error_of(text)
    assert err.field == field
    assert err.line == line_of(text, marker), str(err)
    assert expected in err.message, err.message


def test_duplicate_code_names_the_first_declaration():
    text = OTHER.replace('code = "B"', 'code = "A"')
    err = error_of(text)
    first, second = line_of(text, 'code = "A"', 1), line_of(text, 'code = "A"', 2)
    assert err.line == second
    assert f"déjà déclaré ligne {first}" in err.message


def test_missing_levels_and_contract():
    no_levels = re.sub(r"\[\[levels\]\]\nname = \"\w+\"\n", "", OTHER)
    err = error_of(no_levels)
    assert (err.field, err.line) == ("levels", None)
    err = error_of("format = 1\n")
    assert (err.field, err.line) == ("contract", None)


def test_non_utf8_file_reports_line(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(OTHER.encode("latin-1", errors="replace"))  # « é » -> a single byte
    with pytest.raises(ReferentialError) as info:
        load_referential(path)
    err = info.value
    assert_french(err)
    assert err.line == line_of(OTHER, "é")
    assert err.source == "latin1.toml"
    assert "UTF-8" in err.message


def test_too_large_and_missing_file(tmp_path):
    big = tmp_path / "gros.toml"
    big.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ReferentialError, match="taille maximale"):
        load_referential(big)
    with pytest.raises(ReferentialError, match="introuvable"):
        load_referential(tmp_path / "absent.toml")


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + OTHER.encode("utf-8"))
    assert load_referential(path).contract.commune == "Lens"
