"""The shared text helpers: amounts, names and French sorting, one definition each."""

from qpv_desk.domain.text import agree, euros, euros_plain, of, person_name, person_sort_key, sort_key


def test_amounts_never_break_and_machines_get_plain_numbers():
    assert euros(1660000) == "16\u202f600,00\u00a0€"
    assert euros(-5) == "-0,05\u00a0€"
    assert euros(None) == ""
    assert euros_plain(1234550) == "12345.50"
    assert euros_plain(-101) == "-1.01"


def test_person_name_carries_the_civility_when_known():
    assert person_name("Claire", "Dubois", "Mme") == "Mme Claire Dubois"
    assert person_name("Claire", "Dubois", "") == "Claire Dubois"
    assert person_name(None, "Dubois") == "Dubois"


def test_agreement_follows_the_known_civility():
    assert agree("représenté", "Mme") == "représentée"
    assert agree("représenté", "M.") == "représenté"
    assert agree("représenté", "") == "représenté(e)"


def test_french_order_puts_accented_capitals_with_their_letter():
    names = ["Zoé", "Éducation nationale", "Emploi", "Eau", "école", "Œuvre", "Orange"]
    assert sorted(names, key=sort_key) == ["Eau", "école", "Éducation nationale", "Emploi", "Œuvre", "Orange", "Zoé"]


def test_people_sort_by_surname_then_first_name():
    people = [("Zoé", "Émery"), ("Anne", "Martin"), ("Bruno", "Emery"), ("Alice", "Émery")]
    ordered = sorted(people, key=lambda p: person_sort_key(*p))
    assert ordered == [("Bruno", "Emery"), ("Alice", "Émery"), ("Zoé", "Émery"), ("Anne", "Martin")]


def test_amount_and_civility_edges():
    assert euros(0) == "0,00\u00a0€" and euros(-1) == "-0,01\u00a0€" and euros(-100) == "-1,00\u00a0€"
    assert euros(99) == "0,99\u00a0€" and euros(100) == "1,00\u00a0€"
    assert euros_plain(0) == "0.00" and euros_plain(-1) == "-0.01" and euros_plain(None) == ""
    # a civility read from the base is not the same string object as the literal: compared by value
    assert agree("présent", "".join(["M", "me"])) == "présente"
    assert agree("présent", "".join(["M", "."])) == "présent"
    # anything else is unknown, whatever its place in the alphabet
    for other in ("Pr", "Dr", "Mlle", "Z", "A"):
        assert agree("présent", other) == "présent(e)"


def test_of_elides_and_contracts_like_french():
    assert of("Verquin") == "de Verquin" and of("Exemple-sur-Lawe") == "d'Exemple-sur-Lawe"
    assert of("Hazebrouck") == "de Hazebrouck" and of("") == ""
    # « de Les Jardins » is what a reader stops at
    assert of("Les Jardins partagés des 3 Îlots") == "des Jardins partagés des 3 Îlots"
    assert of("Le Touquet-Paris-Plage") == "du Touquet-Paris-Plage"
    assert of("La Bassée") == "de La Bassée" and of("Lens") == "de Lens" and of("Lestrem") == "de Lestrem"
