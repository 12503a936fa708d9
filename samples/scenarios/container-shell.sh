#!/usr/bin/env bash
# Terminal shell in a container: an interactive bash with a pty (via `script`) started by "runc" inside a
# cgroup named docker-<64 hex>.scope, in new pid/mount/uts/ipc/net namespaces. The demo capture.
# container: web nginx:1.25
# rules: Terminal shell in container
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
setup() {
  runc_bin >/dev/null
  container_setup web
}
run() {
  in_container web script -qec "$SAMPLE_TMP/bin/runc --pid --mount --uts --ipc --net --fork --mount-proc bash --norc --noprofile -i -c 'id; hostname; ls /etc >/dev/null; cat /etc/os-release | head -1'" /dev/null
}
cleanup() { container_cleanup web; }
scenario_main "$@"
