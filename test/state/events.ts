/** Builders for the 2022-layout event pairs the state tests write (enter + exit, as sysdig 0.29.3 reads). */
import {
  bytes,
  empty,
  errno,
  fd,
  i32,
  i64,
  path,
  pid,
  sockaddr4,
  str,
  strList,
  tuple4,
  u32,
  u64,
  type ScapWriter
} from '../fixtures/scap-writer'

let clock = 1_700_000_000_000_000_000n

/** Next timestamp (1 µs apart). */
export function tick(): bigint {
  clock += 1000n
  return clock
}

export interface ProcState {
  tid: number
  pid: number
  ptid: number
  comm: string
  exe?: string
  args?: string[]
  cwd?: string
  uid?: number
  gid?: number
  cgroups?: string[]
}

/** clone exit (CLONE_20_X, 20 params) as emitted by `p` with result `res`. */
export function cloneExit(w: ScapWriter, p: ProcState, res: number, flags = 0): void {
  w.ev(222, { tid: p.tid, ts: tick(), params: [] })
  cloneX(w, p, res, flags)
}

export function cloneX(w: ScapWriter, p: ProcState, res: number, flags = 0): void {
  w.ev(223, {
    tid: p.tid,
    ts: tick(),
    params: [
      pid(res),
      str(p.exe ?? p.comm),
      strList(p.args ?? []),
      pid(p.tid),
      pid(p.pid),
      pid(p.ptid),
      str(p.cwd ?? '/'),
      i64(1024),
      u64(0),
      u64(0),
      u32(0),
      u32(0),
      u32(0),
      str(p.comm),
      strList(p.cgroups ?? []),
      u32(flags),
      u32(p.uid ?? 0),
      u32(p.gid ?? 0),
      pid(p.tid),
      pid(p.pid)
    ]
  })
}

/** A fork as sysdig sees it: parent exit (res = child) then child exit (res 0). */
export function fork(w: ScapWriter, parent: ProcState, child: ProcState): void {
  w.ev(222, { tid: parent.tid, ts: tick(), params: [] })
  cloneX(w, parent, child.tid)
  cloneX(w, child, 0)
}

/** execve enter (filename) + exit (EXECVE_19, 20 params). */
export function execve(w: ScapWriter, p: ProcState, filename: string, res = 0): void {
  w.ev(292, { tid: p.tid, ts: tick(), params: [path(filename)] })
  w.ev(293, {
    tid: p.tid,
    ts: tick(),
    params: [
      errno(res),
      str(p.exe ?? p.comm),
      strList(p.args ?? []),
      pid(p.tid),
      pid(p.pid),
      pid(p.ptid),
      str(p.cwd ?? '/'),
      u64(1024),
      u64(0),
      u64(0),
      u32(0),
      u32(0),
      u32(0),
      str(p.comm),
      strList(p.cgroups ?? []),
      strList([]),
      i32(0),
      pid(p.pid),
      i32(-1),
      u32(0)
    ]
  })
}

export function procexit(w: ScapWriter, tid: number): void {
  w.ev(186, {
    tid,
    ts: tick(),
    params: [errno(0), errno(0), bytes(Buffer.from([0])), bytes(Buffer.from([0]))]
  })
}

/** openat(dirfd, name) → res. */
export function openat(
  w: ScapWriter,
  tid: number,
  dirfd: number,
  name: string,
  res: number,
  flags = 1
): void {
  w.ev(306, { tid, ts: tick(), params: [fd(dirfd), path(name), u32(flags), u32(0)] })
  w.ev(307, { tid, ts: tick(), params: [fd(res), fd(dirfd), path(name), u32(flags), u32(0), u32(0)] })
}

export function read(w: ScapWriter, tid: number, n: number): void {
  w.ev(6, { tid, ts: tick(), params: [fd(n), u32(16)] })
  w.ev(7, { tid, ts: tick(), params: [errno(4), bytes('data')] })
}

export function close(w: ScapWriter, tid: number, n: number, res = 0): void {
  w.ev(4, { tid, ts: tick(), params: [fd(n)] })
  w.ev(5, { tid, ts: tick(), params: [errno(res)] })
}

export function dup(w: ScapWriter, tid: number, oldfd: number, res: number): void {
  w.ev(124, { tid, ts: tick(), params: [fd(oldfd)] })
  w.ev(125, { tid, ts: tick(), params: [fd(res)] })
}

export function chdir(w: ScapWriter, tid: number, dir: string, res = 0): void {
  w.ev(94, { tid, ts: tick(), params: [] })
  w.ev(95, { tid, ts: tick(), params: [errno(res), str(dir)] })
}

/** socket(AF_INET, SOCK_STREAM, 0) → res, then connect to ip:port (tuple from local 10.0.0.5:40000). */
export function tcpConnect(w: ScapWriter, tid: number, res: number, ip: string, port: number): void {
  w.ev(18, { tid, ts: tick(), params: [u32(2), u32(1), u32(0)] })
  w.ev(19, { tid, ts: tick(), params: [fd(res)] })
  w.ev(22, { tid, ts: tick(), params: [fd(res), sockaddr4(ip, port)] })
  w.ev(23, { tid, ts: tick(), params: [errno(0), tuple4('10.0.0.5', 40000, ip, port)] })
}

export function containerJson(w: ScapWriter, json: object): void {
  w.ev(324, { tid: -1, ts: tick(), params: [str(JSON.stringify(json))], large: true })
}

export { empty }
