#!/usr/bin/env bash
# Sets Peregrine up on a fresh Debian/Ubuntu machine (Node 20 with npm must already be there).
#   scripts/setup.sh                    npm dependencies, then build (the engine, and the recorder when clang and libbpf are present)
#   scripts/setup.sh --with-test-tools  first installs what the tests need: sysdig (the oracle), chromium (UI tests),
#                                       and the recorder's toolchain (clang, llvm, libbpf-dev, libelf-dev, zlib1g-dev, bpftool)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--with-test-tools" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  # --no-install-recommends: sysdig recommends a kernel module build (dkms) that reading captures does not need.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    sysdig chromium fonts-liberation clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool make gcc libc6-dev \
    iproute2 util-linux procps >/dev/null
fi

command -v node >/dev/null || { echo "setup: Node.js 20 is required (apt-get install nodejs npm)" >&2; exit 2; }

# Electron's binary cannot always be downloaded (it cannot on our CI): skip it. `npm start` then serves the
# same UI on 127.0.0.1 instead of opening a window.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
npm run --silent build
