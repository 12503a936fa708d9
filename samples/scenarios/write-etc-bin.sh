#!/usr/bin/env bash
# Writes below /etc and /usr/bin: tee creates a harmless temporary file in each, which is then deleted.
# rules: Write below etc; Write below binary dir
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
setup() { :; }
run() {
  echo "peregrine sample" | tee /etc/peregrine-sample.conf >/dev/null
  echo "#!/bin/sh" | tee /usr/bin/peregrine-sample-tool >/dev/null
  rm -f /etc/peregrine-sample.conf /usr/bin/peregrine-sample-tool
}
cleanup() { rm -f /etc/peregrine-sample.conf /usr/bin/peregrine-sample-tool; }
scenario_main "$@"
