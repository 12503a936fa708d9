#!/usr/bin/env bash
# Terminal shell in a container: an interactive bash with a pty (via `script`) started by "runc" inside a
# cgroup named docker-<64 hex>.scope, in new pid/uts/ipc/net namespaces. The demo capture.
# container: web nginx:1.25
# rules: Terminal shell in container
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
setup() {
  runc_bin >/dev/null
  container_setup web
}
run() {
  in_container web script -qec "$RUNC_DIR/runc --pid --uts --ipc --net --fork /bin/bash --norc --noprofile -i -c 'id; hostname; ls /etc >/dev/null; cat /etc/os-release | head -1'" /dev/null
}
cleanup() {
  container_cleanup web
  rm -rf "$RUNC_DIR"
}
scenario_main "$@"
