#!/bin/bash
# The four bugs planted in issue 19 (and the SQL twin of one of them), applied one at a time
# to the working tree, each with the tests that must catch it; every file is put back
# afterwards. Each line must end with rc=1 (caught). Run from the repository root:
#     bash tools/planted_bugs.sh
# Uses the interpreter in $PYTHON (default: python3).
set -u
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
run() { # file sed-expression tests...
  f=$1; expr=$2; shift 2
  backup=$(mktemp)
  cp "$f" "$backup"
  sed -i "$expr" "$f"
  if cmp -s "$f" "$backup"; then echo "NON APPLIQUÉ : $expr"; rm -f "$backup"; return; fi
  env PYTHONPATH=src "$PY" -m pytest -q -x -p no:cacheprovider "$@" >/dev/null 2>&1; rc=$?
  cp "$backup" "$f"; rm -f "$backup"
  echo "$f: $expr -> rc=$rc $([ $rc -eq 1 ] && echo détecté || echo 'NON DÉTECTÉ')"
}
run src/qpv_desk/domain/rules.py 's/return attended >= quorum/return attended > quorum/' tests/test_rules.py tests/test_boundaries.py
run src/qpv_desk/domain/rules.py 's/and due < today$/and due <= today/' tests/test_rules.py tests/test_services_meetings.py
run src/qpv_desk/services/rules.py 's/due < today)/due <= today)/' tests/test_boundaries.py
run src/qpv_desk/services/tasks.py '/check_version(task, expected_version, "La tâche")/d' tests/test_version_checks.py
run src/qpv_desk/store/backup.py 's/w = tuple(d.isocalendar()\[:2\])/w = (d.year, d.isocalendar()[1])/' tests/test_rotation.py tests/test_backup.py
run src/qpv_desk/store/backup.py 's/week_keys = {(today - dt.timedelta(weeks=n)).isocalendar()\[:2\] for n in range(weeks)}/week_keys = {((today - dt.timedelta(weeks=n)).year, (today - dt.timedelta(weeks=n)).isocalendar()[1]) for n in range(weeks)}/' tests/test_rotation.py tests/test_backup.py
