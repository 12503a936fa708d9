#!/usr/bin/env bash
# Log clearing: a dummy log file created under /var/log is truncated (cp /dev/null, O_TRUNC), then removed.
# rules: Clear Log Activities
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
LOG=/var/log/peregrine-sample.log
setup() { printf 'Nov 28 06:00:00 host sshd[1]: Accepted password for root\n' > "$LOG"; }
run() { cp /dev/null "$LOG"; }
cleanup() { rm -f "$LOG"; }
scenario_main "$@"
