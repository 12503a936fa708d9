#!/usr/bin/env bash
# Outbound connection to a destination outside the allow list: curl fetches from 198.51.100.2:8080, a test
# host in a network namespace on a veth pair (TEST-NET-2 addresses only).
# rules: Unexpected outbound connection destination
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
setup() {
  netns_setup
  mkdir -p "$SAMPLE_TMP/www"
  echo "hello from the test host" > "$SAMPLE_TMP/www/index.html"
  ip netns exec "$NETNS" "$PY" -m http.server 8080 --bind "$TEST_IP" --directory "$SAMPLE_TMP/www" >/dev/null 2>&1 &
  wait_listen "$NETNS" 8080
}
run() { curl -s -m 5 -o /dev/null "http://$TEST_IP:8080/index.html"; }
cleanup() { netns_cleanup; rm -rf "$SAMPLE_TMP/www"; }
scenario_main "$@"
