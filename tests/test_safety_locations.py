"""Location checks: more synced folders refused, long-path local drives accepted (issue 15, item 9)."""

from __future__ import annotations

import pytest

from qpv_desk.store import safety as S

WIN = dict(platform="win32", mounts=[], environ={}, drive_type=lambda root: 3)


@pytest.mark.parametrize("path,service", [
    (r"C:\Users\marie\SharePoint - Mairie de Verquin\QPV\qpv.sqlite", "SharePoint"),
    (r"C:\Users\marie\Mairie de Verquin\Documents - Partage\qpv.sqlite", "SharePoint"),
    (r"C:\Users\marie\Mairie\Politique de la ville - Documents partagés\qpv.sqlite", "SharePoint"),
    (r"C:\Users\marie\SynologyDrive\qpv.sqlite", "Synology Drive"),
    (r"C:\Users\marie\Synology Drive\Mairie\qpv.sqlite", "Synology Drive"),
    (r"C:\Users\marie\Sync\qpv.sqlite", "Sync.com"),
])
def test_more_synced_folders_are_refused_on_windows(path, service):
    problem = S.location_problem(path, **WIN)
    assert problem is not None and service in problem and "synchronisé" in problem


@pytest.mark.parametrize("path,service", [
    ("/home/marie/SynologyDrive/qpv.sqlite", "Synology Drive"),
    ("/Users/marie/Sync/qpv.sqlite", "Sync.com"),
])
def test_more_synced_folders_are_refused_elsewhere(path, service):
    assert service in S.location_problem(path, platform="linux", mounts=[], environ={})


@pytest.mark.parametrize("path", [
    r"\\?\C:\Users\marie\Documents\qpv.sqlite",
    r"\\.\C:\QPV\qpv.sqlite",
    r"C:\Users\marie\Documents\Synchro\qpv.sqlite",
    r"C:\Users\marie\Documents\Sync\qpv.sqlite",  # a « Sync » folder that is not Sync.com's
    r"C:\Users\marie\Documents\Projets 2024\qpv.sqlite",
])
def test_local_windows_paths_are_accepted(path):
    assert S.location_problem(path, **WIN) is None


def test_long_path_forms_of_shares_and_network_drives_stay_refused():
    assert "partage réseau" in S.location_problem(r"\\?\UNC\srv-mairie\commun\qpv.sqlite", **WIN)
    remote = dict(WIN, drive_type=lambda root: S.DRIVE_REMOTE if root.upper() == "Z:\\" else 3)
    assert "lecteur réseau Z:" in S.location_problem(r"\\?\Z:\QPV\qpv.sqlite", **remote)
