"""The server goes away (network cut, restart): French message, nothing half-saved,
and the application reconnects by itself (issue 16)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qpv_desk.domain.errors import StorageError
from qpv_desk.services import partners
from qpv_desk.store.db import open_database
from qpv_desk.store.models import Organisation

pytestmark = pytest.mark.postgres



def test_a_server_restart_loses_nothing_and_reconnects(own_server):
    url = own_server.create_database("outage")
    with open_database(url, create=True) as db:
        partners.create_organisation(db, {"name": "Avant la coupure", "kind": "association"})
        own_server.pause()
        with pytest.raises(StorageError, match="ne répond pas"):
            partners.create_organisation(db, {"name": "Pendant la coupure", "kind": "association"})
        with pytest.raises(StorageError, match="reste à l'écran"):
            partners.list_organisations(db)
        own_server.resume()
        partners.create_organisation(db, {"name": "Après la coupure", "kind": "association"})
        with db.reader() as s:
            names = set(s.scalars(select(Organisation.name)))
            assert s.scalar(select(func.count()).select_from(Organisation)) == 2
    assert names == {"Avant la coupure", "Après la coupure"}
