#!/usr/bin/env bash
# setuid privilege changes: a process running as nobody tries setuid(0) (refused), and a root process
# drops to nobody with setresgid/setresuid/setuid.
# rules: Non sudo setuid; Privilege change by setuid
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
setup() { :; }
run() {
  setpriv --reuid=65534 --regid=65534 --clear-groups "$PY" -c '
import os
try:
    os.setuid(0)
except PermissionError:
    pass
'
  "$PY" -c 'import os; os.setresgid(65534, 65534, 65534); os.setresuid(65534, 65534, 65534); os.setuid(65534)'
}
cleanup() { :; }
scenario_main "$@"
