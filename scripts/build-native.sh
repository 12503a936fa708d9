#!/usr/bin/env bash
# Builds the eBPF recorder: native/build/peregrine-recorder (one static binary, BPF object embedded).
# Never fails the install: when the toolchain or kernel BTF is missing it says why and exits 0, so that
# analysis keeps working and only `peregrine record` is unavailable.
set -u
cd "$(dirname "$0")/.."
SRC=native/recorder
# NATIVE_OUT and BPF_CFLAGS serve tests of other builds, e.g. the old-kernel fallbacks:
#   NATIVE_OUT=/tmp/rec-old BPF_CFLAGS=-DRECORDER_OLD_KERNEL_PATHS scripts/build-native.sh
OUT=${NATIVE_OUT:-native/build}
PKGS="clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool gcc libc6-dev"

unavailable() {
  echo "recording unavailable: $1; install $PKGS (apt-get install -y $PKGS) to enable" >&2
  exit 0
}

[ "$(uname -s)" = Linux ] || unavailable "the recorder needs Linux"
[ "$(uname -m)" = x86_64 ] || unavailable "the recorder is built for x86_64 only (this is $(uname -m))"
command -v clang >/dev/null 2>&1 || unavailable "clang not found"
command -v bpftool >/dev/null 2>&1 || BPFTOOL_MISSING=1
BPFTOOL=$(command -v bpftool 2>/dev/null || ls /usr/sbin/bpftool 2>/dev/null || true)
[ -n "$BPFTOOL" ] || unavailable "bpftool not found"
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || unavailable "no C compiler ($CC)"
[ -f /usr/include/bpf/libbpf.h ] || unavailable "libbpf headers not found"
LIBDIR=$(dirname "$(find /usr/lib /usr/lib64 -name libbpf.a 2>/dev/null | head -1)" 2>/dev/null)
[ -n "$LIBDIR" ] && [ -f "$LIBDIR/libbpf.a" ] || unavailable "libbpf.a not found"
[ -r /sys/kernel/btf/vmlinux ] || unavailable "kernel BTF (/sys/kernel/btf/vmlinux) not found"

mkdir -p "$OUT"
rm -f "$OUT/peregrine-recorder" # a failed build must not leave an older binary looking current
set -e
trap 'echo "recording unavailable: the native build failed (see above); install $PKGS to enable" >&2; exit 0' ERR
"$BPFTOOL" btf dump file /sys/kernel/btf/vmlinux format c > "$OUT/vmlinux.h"
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Wno-unused-function ${BPF_CFLAGS:-} -I"$OUT" -I"$SRC/src" \
  -c "$SRC/bpf/recorder.bpf.c" -o "$OUT/recorder.bpf.o"
"$BPFTOOL" gen object "$OUT/recorder.bpf.linked.o" "$OUT/recorder.bpf.o"
"$BPFTOOL" gen skeleton "$OUT/recorder.bpf.linked.o" name recorder_bpf > "$OUT/recorder.bpf.skel.h"
# link-time optimisation when the compiler has it: the event writer's small per-parameter functions are
# called from the converter in another file (recorder CPU per record about 8% lower)
LTO=""
echo 'int main(void){return 0;}' | $CC -O2 -flto=auto -x c - -o "$OUT/lto-probe" >/dev/null 2>&1 && LTO="-flto=auto"
rm -f "$OUT/lto-probe"
CFLAGS="-O2 $LTO -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers -I$OUT -I$SRC/src"
objs=""
for f in main scap-writer snapshot thread-table convert; do
  $CC $CFLAGS -c "$SRC/src/$f.c" -o "$OUT/$f.o"
  objs="$objs $OUT/$f.o"
done
if $CC -O2 $LTO -static -o "$OUT/peregrine-recorder" $objs -L"$LIBDIR" -lbpf -lelf -lz 2>"$OUT/link.log"; then
  LINK=static
else
  cat "$OUT/link.log" >&2
  $CC -O2 $LTO -o "$OUT/peregrine-recorder" $objs -lbpf -lelf -lz
  LINK=dynamic
fi
trap - ERR
"$OUT/peregrine-recorder" --help >/dev/null 2>&1 || unavailable "the built recorder does not run"
echo "built $OUT/peregrine-recorder ($LINK)"
