# Shared helpers for the scenario scripts (sourced). Everything they create is theirs and is removed by
# `cleanup`: a cgroup named like a docker container, a network namespace on a veth pair with
# 198.51.100.0/24 (TEST-NET-2) addresses, temporary files. No traffic leaves this machine.
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
SAMPLE_TMP=${SAMPLE_TMP:-/tmp/peregrine-samples}
[ -d "$SAMPLE_TMP" ] || mkdir -p "$SAMPLE_TMP"

# 64-hex container id derived from a name, so captures and manifests stay stable
cid() { printf 'peregrine-sample-%s' "$1" | sha256sum | cut -c1-64; }

cg2_root() {
  awk '{ for (i = 1; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' /proc/self/mountinfo | head -1
}

# the v2 cgroup a simulated container runs in: <cgroup2>/system.slice/docker-<id>.scope
container_cgroup() {
  local root
  root=$(cg2_root)
  [ -n "$root" ] || { echo "no cgroup2 mount" >&2; return 1; }
  echo "$root/system.slice/docker-$(cid "$1").scope"
}

# container_setup NAME: creates the cgroup (in the setup phase, so the recording stays small)
container_setup() {
  local cg
  cg=$(container_cgroup "$1") || return 1
  mkdir -p "$cg"
  echo "$cg" > "$SAMPLE_TMP/cgroup-$1"
}

# in_container NAME CMD...: runs CMD inside the simulated container's cgroup (made by container_setup)
in_container() {
  local name=$1 cg
  shift
  cg=$(cat "$SAMPLE_TMP/cgroup-$name") || return 1
  sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$cg" "$@"
}

container_cleanup() {
  local cg
  cg=$(container_cgroup "$1") || return 0
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    [ -d "$cg" ] || break
    rmdir "$cg" 2>/dev/null && break
    sleep 0.2
  done
  rmdir "$(dirname "$cg")" 2>/dev/null || true
  rm -f "$SAMPLE_TMP/cgroup-$1"
}

# "runc": a copy of unshare under that name, so the container's first process has the parent name a
# container runtime gives it (kept out of /tmp: a runtime does not run from a temporary directory)
RUNC_DIR=/run/peregrine-samples
runc_bin() {
  mkdir -p "$RUNC_DIR"
  [ -x "$RUNC_DIR/runc" ] || cp "$(command -v unshare)" "$RUNC_DIR/runc"
  echo "$RUNC_DIR/runc"
}

NETNS=pgsample
VETH=pgs-veth0
VPEER=pgs-veth1
HOST_IP=198.51.100.1
TEST_IP=198.51.100.2

netns_setup() {
  netns_cleanup
  ip netns add "$NETNS"
  ip link add "$VETH" type veth peer name "$VPEER"
  ip link set "$VPEER" netns "$NETNS"
  ip addr add "$HOST_IP/24" dev "$VETH"
  ip link set "$VETH" up
  ip netns exec "$NETNS" ip addr add "$TEST_IP/24" dev "$VPEER"
  ip netns exec "$NETNS" ip link set "$VPEER" up
  ip netns exec "$NETNS" ip link set lo up
}

netns_cleanup() {
  if ip netns list 2>/dev/null | grep -qw "$NETNS"; then
    for p in $(ip netns pids "$NETNS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    ip netns del "$NETNS" 2>/dev/null || true
  fi
  ip link del "$VETH" 2>/dev/null || true
}

# waits until something listens on HOST:PORT inside the test namespace (or the host with NS="")
wait_listen() {
  local ns=$1 port=$2
  for _ in $(seq 1 50); do
    if [ -n "$ns" ]; then
      ip netns exec "$ns" sh -c "grep -q ':$(printf %04X "$port") .* 0A ' /proc/net/tcp" && return 0
    else
      grep -q ":$(printf %04X "$port") .* 0A " /proc/net/tcp && return 0
    fi
    sleep 0.1
  done
  echo "nothing listens on port $port" >&2
  return 1
}

# scenario entry: `script.sh [setup|run|cleanup]`; without an argument all three
scenario_main() {
  case "${1:-all}" in
  setup) setup ;;
  run) run ;;
  cleanup) cleanup ;;
  all)
    setup
    run
    local rc=$?
    cleanup
    return $rc
    ;;
  *)
    echo "usage: $0 [setup|run|cleanup]" >&2
    return 2
    ;;
  esac
}
