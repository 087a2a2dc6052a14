"""A connection the server refuses is explained in French, one line (issue 16)."""

from __future__ import annotations

import pytest

from qpv_desk.domain.errors import DatabaseRefused
from qpv_desk.services.database import open_base
from qpv_desk.store.db import connect_cause


@pytest.mark.parametrize("libpq, expected", [
    ('connection failed: fe_sendauth: no password supplied', "aucun mot de passe"),
    ('FATAL:  password authentication failed for user "mdupont"', "mot de passe de cet identifiant est refusé"),
    ('FATAL:  role "mdupont" does not exist', "identifiant n'existe pas"),
    ('FATAL:  database "qpv_agglo" does not exist', "base n'existe pas"),
    ("server does not support SSL, but SSL was required", "connexion chiffrée"),
    ('could not translate host name "serveur" to address: Name or service not known', "adresse du serveur"),
    ("connection refused\n\tIs the server running on that host?", "ne répond pas"),
    ("something new from libpq", "something new from libpq"),
])
def test_libpq_reasons_in_her_words(libpq, expected):
    assert expected in connect_cause(Exception(libpq))


@pytest.mark.postgres
def test_a_refused_connection_says_why(pg_server):
    url = pg_server.create_database("connect_probe")
    with pytest.raises(DatabaseRefused) as missing_base:
        open_base(url.rsplit("/", 1)[0] + "/pas_de_base")
    with pytest.raises(DatabaseRefused) as missing_login:
        open_base(url.replace("qpv@", "inconnu@"))
    assert "base n'existe pas sur le serveur" in str(missing_base.value)
    assert "identifiant n'existe pas" in str(missing_login.value)
    for exc in (missing_base.value, missing_login.value):
        assert str(exc).startswith("Connexion impossible au serveur") and "\n" not in str(exc)
