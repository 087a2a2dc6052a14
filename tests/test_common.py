"""The services' write helpers on their own: every field error at once, unknown fields refused,
the version the user read required and compared."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qpv_desk.domain.errors import ConflictError, ValidationError
from qpv_desk.services import common as C


def _bad(field, message):
    def check():
        raise ValidationError(field, message)
    return check


def test_collect_errors_lists_every_bad_field_at_once():
    with pytest.raises(ValidationError) as err:
        C.collect_errors({"a": lambda: 1, "b": _bad("b", "B faux."), "c": _bad("c", "C faux.")})
    assert err.value.errors == {"b": "B faux.", "c": "C faux."}
    assert err.value.field == "b" and str(err.value) == "B faux. C faux."
    assert C.collect_errors({"a": lambda: 1, "b": lambda: None}) == {"a": 1, "b": None}
    assert C.collect_errors({}) == {}


def test_collect_errors_keys_by_check_and_keeps_multi_field_errors():
    with pytest.raises(ValidationError) as err:
        C.collect_errors({"x": _bad(None, "Sans champ.")})
    assert err.value.errors == {"x": "Sans champ."}

    def two():
        raise ValidationError.many({"start": "Début faux.", "end": "Fin fausse."})

    with pytest.raises(ValidationError) as err:
        C.collect_errors({"range": two, "c": _bad("c", "C faux.")})
    assert err.value.errors == {"start": "Début faux.", "end": "Fin fausse.", "c": "C faux."}
    # one error under another name than the check's: filed under the check
    with pytest.raises(ValidationError) as err:
        C.collect_errors({"y": _bad("other", "Autre.")})
    assert err.value.errors == {"y": "Autre."}


def test_validate_fields_checks_present_and_required_fields_only():
    calls = []

    def check(name, value):
        def run():
            calls.append(name)
            return value
        return run

    checks = {"a": check("a", 1), "b": check("b", 2), "c": check("c", 3)}
    assert C.validate_fields({"a": "x"}, checks) == {"a": 1}
    assert calls == ["a"]
    assert C.validate_fields({"a": "x"}, checks, required=("c",)) == {"a": 1, "c": 3}
    assert C.validate_fields({}, checks) == {}


def test_unknown_fields_are_refused_by_name():
    with pytest.raises(ValidationError) as err:
        C.validate_fields({"nmae": "x", "zz": 1, "a": 2}, {"a": lambda: 1})
    assert err.value.field == "nmae" and str(err.value) == "Champ inconnu : nmae, zz."
    C.refuse_unknown(["a"], ["a", "b"])
    C.refuse_unknown([], [])
    with pytest.raises(ValidationError):
        C.refuse_unknown(["c"], ["a", "b"])


def test_check_version_requires_and_compares_the_version_read():
    row = SimpleNamespace(version=3)
    C.check_version(row, 3, "La tâche")
    # compared by value, not identity: a version past the small integers Python shares
    C.check_version(SimpleNamespace(version=int("1000")), int("1000"), "La tâche")
    for stale in (2, 4):
        with pytest.raises(ConflictError) as err:
            C.check_version(row, stale, "La tâche")
        assert str(err.value).startswith("La tâche a été modifié(e) entre-temps")
        assert "Rechargez la fiche" in str(err.value)
    for missing in (None, "3", True, 3.0):
        with pytest.raises(TypeError):
            C.check_version(row, missing, "La tâche")
