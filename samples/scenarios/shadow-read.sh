#!/usr/bin/env bash
# /etc/shadow read by a program that has no business reading it (cat, started from a script).
# rules: Read sensitive file untrusted
# snaplen: 0 (the sample must not carry this machine's /etc/shadow bytes)
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
setup() { :; }
run() { cat /etc/shadow >/dev/null; }
cleanup() { :; }
scenario_main "$@"
