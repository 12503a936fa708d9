#!/usr/bin/env bash
# ptrace attach: python attaches to a sleeping child it started itself (PTRACE_ATTACH, then DETACH).
# rules: PTRACE attached to process
[[ $0 == */* ]] && D=${0%/*} || D=.
. "$D/lib.sh"
setup() { :; }
run() {
  "$PY" -c '
import ctypes, os, signal, time
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
pid = os.fork()
if pid == 0:
    time.sleep(10); os._exit(0)
time.sleep(0.1)
if libc.ptrace(16, pid, None, None) != 0:  # PTRACE_ATTACH
    raise SystemExit("attach failed: %d" % ctypes.get_errno())
os.waitpid(pid, 0)
libc.ptrace(17, pid, None, None)  # PTRACE_DETACH
os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
'
}
cleanup() { :; }
scenario_main "$@"
