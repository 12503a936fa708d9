#!/usr/bin/env bash
# SSH private key read: a dummy key file (not a key) in a throwaway home directory is read by cat.
# rules: Read ssh information
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
HOMEDIR=/home/peregrine-sample
setup() {
  mkdir -p "$HOMEDIR/.ssh"
  printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nperegrine sample: not a real key\n-----END OPENSSH PRIVATE KEY-----\n' > "$HOMEDIR/.ssh/id_rsa"
  chmod 600 "$HOMEDIR/.ssh/id_rsa"
}
run() { cat "$HOMEDIR/.ssh/id_rsa" >/dev/null; }
cleanup() { rm -rf "$HOMEDIR"; }
scenario_main "$@"
