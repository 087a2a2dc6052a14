"""Open pages learn what someone else changed on the server (issue 16; how quickly: benchmarks/bench_checks.py)."""

from __future__ import annotations

import queue
import time

import psycopg
import pytest
from sqlalchemy.engine import make_url

from qpv_desk.services import live, partners
from qpv_desk.store.db import open_database

pytestmark = pytest.mark.postgres



@pytest.mark.slow
def test_changes_by_others_arrive_and_the_listener_survives_a_restart(own_server):
    url = own_server.create_database("live")
    seen: queue.Queue = queue.Queue()
    with open_database(url, create=True) as owner_db:
        with psycopg.connect(f"host=127.0.0.1 port={own_server.port} dbname=live user=qpv", autocommit=True) as c:
            c.execute("CREATE ROLE observatrice LOGIN")
            c.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO observatrice")
        watcher_url = make_url(url).set(username="observatrice").render_as_string(hide_password=False)
        with open_database(watcher_url) as watcher_db:
            listener = live.listener(watcher_db, seen.put)
            try:
                assert listener.connected.wait(10)
                # how quickly it arrives: benchmarks/bench_checks.py (live_change_latency)
                partners.create_organisation(owner_db, {"name": "Centre social", "kind": "association"})
                change = seen.get(timeout=15)
                assert (change.table, change.operation, change.by) == ("organisation", "INSERT", "qpv")
                assert change.label.startswith("modifié par qpv à ")

                own_server.pause()
                time.sleep(0.5)
                own_server.resume()
                assert listener.connected.wait(15)
                while not seen.empty():
                    seen.get_nowait()
                oid = partners.list_organisations(owner_db)[0].id
                partners.update_organisation(owner_db, oid, {"city": "Verquin"},
                                             expected_version=partners.get_organisation(owner_db, oid).version)
                assert seen.get(timeout=15).operation == "UPDATE"
            finally:
                listener.stop()


def test_a_local_file_has_no_listener(sqlite_db):
    assert live.listener(sqlite_db, lambda change: None) is None


def test_unreadable_notices_are_ignored():
    assert live.parse("pas du json") is None
    assert live.parse('{"table": "action", "op": "DELETE", "by": "x", "at": "2026-11-26T10:42:00"}').label == \
        "modifié par x à 10 h 42"
