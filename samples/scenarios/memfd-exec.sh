#!/usr/bin/env bash
# Fileless execution: python copies /usr/bin/id into a memfd and executes it with fexecve (execveat on the fd).
# rules: Fileless execution via memfd_create
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
setup() { :; }
run() {
  "$PY" -c '
import os
fd = os.memfd_create("payload", 0)
os.write(fd, open("/usr/bin/id", "rb").read())
os.execve(fd, ["payload"], {"PATH": "/usr/bin:/bin"})
' >/dev/null
}
cleanup() { :; }
scenario_main "$@"
