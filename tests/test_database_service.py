"""services.database: the base's life as the GUI and the CLI use it (create, open with offers, recover)."""

from __future__ import annotations

import pytest

from conftest import VERQUIN_TOML
from qpv_desk.domain.errors import DatabaseMissing, DatabaseRefused, ValidationError
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.main_window import MainWindow
from qpv_desk.gui.settings import Settings
from qpv_desk.services import database as D
from qpv_desk.services import partners as P


def damage(path):
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset:offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def test_create_from_referential_and_refuse_existing(tmp_path):
    target = tmp_path / "neuve.sqlite"
    created = D.create_base(target, VERQUIN_TOML)
    assert created.target == str(target.resolve()) and created.revision
    with D.open_base(created.target) as db:
        assert {b.code for b in P.list_bodies(db)} >= {"COPIL"}
    before = target.read_bytes()
    with pytest.raises(DatabaseRefused, match="existe déjà"):
        D.create_base(target)
    assert target.read_bytes() == before


def test_failed_creation_leaves_no_file(tmp_path):
    bad = tmp_path / "faux.toml"
    bad.write_text('[contract]\nname = ""\n', encoding="utf-8")
    target = tmp_path / "neuve.sqlite"
    with pytest.raises(ValidationError):
        D.create_base(target, bad)
    assert not target.exists()

    def cancel(done, total, label=""):
        raise KeyboardInterrupt  # a cancelled import, half-way

    with pytest.raises(KeyboardInterrupt):
        D.create_base(target, VERQUIN_TOML, progress=cancel)
    assert list(tmp_path.glob("neuve.sqlite*")) == []


def test_missing_base_has_its_own_error(tmp_path):
    with pytest.raises(DatabaseMissing, match="n'existe pas"):
        D.open_base(tmp_path / "absente.sqlite")
    with pytest.raises(DatabaseMissing):
        D.backup_base(tmp_path / "absente.sqlite")


def test_damaged_base_comes_back_as_an_offer(sqlite_db):
    backup = D.backup_base(sqlite_db.path, reason="fermeture")
    path = sqlite_db.path
    sqlite_db.close()
    damage(path)
    damaged = path.read_bytes()
    opening = D.open_or_offer(path)
    assert opening.db is None and isinstance(opening.offer, D.RecoveryOffer)
    assert opening.offer.backup == backup and "endommag" in opening.offer.problem
    assert path.read_bytes() == damaged  # an offer touches nothing
    aside = D.recover_from_backup(opening.offer)
    assert aside.read_bytes() == damaged
    opening = D.open_or_offer(path)
    assert opening.offer is None
    opening.db.close()


def test_missing_recent_base_is_forgotten(qtbot, tmp_path, messages):
    gone = tmp_path / "partie.sqlite"
    D.create_base(gone)
    settings = Settings()
    settings.add_recent(str(gone))
    gone.unlink()
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    assert not window.open_target(gone)
    assert "n'existe pas" in messages[-1][1]
    assert str(gone) not in Settings().recent_databases()
