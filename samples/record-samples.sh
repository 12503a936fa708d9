#!/usr/bin/env bash
# Records every scenario (or the ones named) into samples/<name>.scap with the native recorder:
#   setup (not recorded) -> record `scenario.sh run` and its descendants -> cleanup.
# Needs root and a built recorder (npm run build:native). Usage: samples/record-samples.sh [-o DIR] [NAME...]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
REC=${PEREGRINE_RECORDER:-$ROOT/native/build/peregrine-recorder}
OUTDIR=$HERE
if [ "${1:-}" = -o ]; then OUTDIR=$2; shift 2; fi
MAX_EVENTS=${MAX_EVENTS:-30000}
[ -x "$REC" ] || { echo "recorder not built: $REC (npm run build:native)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "recording needs root" >&2; exit 2; }
. "$HERE/scenarios/lib.sh"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$HERE"/scenarios/*.sh; do
    n=$(basename "$f" .sh)
    [ "$n" = lib ] || names+=("$n")
  done
fi
fail=0
for n in "${names[@]}"; do
  s="$HERE/scenarios/$n.sh"
  [ -f "$s" ] || { echo "no scenario $n" >&2; fail=1; continue; }
  extra=()
  meta=$(sed -n 's/^# container: //p' "$s" | head -1)
  if [ -n "$meta" ]; then
    set -- $meta
    extra=(--container "$(cid "$1"),$1,$2")
  fi
  snap=$(sed -n 's/^# snaplen: \([0-9]*\).*/\1/p' "$s" | head -1)
  [ -n "$snap" ] && extra+=(--snaplen "$snap")
  bash "$s" setup || { echo "$n: setup failed" >&2; bash "$s" cleanup; fail=1; continue; }
  # a minimal environment: the captures are published, the caller's environment is not
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=xterm \
    "$REC" -o "$OUTDIR/$n.scap" --max-events "$MAX_EVENTS" "${extra[@]}" -- bash "$s" run 2> "$OUTDIR/.$n.log" >/dev/null
  rc=$?
  bash "$s" cleanup
  summary=$(tail -1 "$OUTDIR/.$n.log")
  rm -f "$OUTDIR/.$n.log"
  echo "$n: rc=$rc"
  echo "$summary"
  [ $rc -eq 0 ] || fail=1
done
exit $fail
