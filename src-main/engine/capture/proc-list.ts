import { ByteCursor, EndOfData } from './byte-cursor'
import type { ProcEntry } from './capture-types'
import type { AnomalyCode } from './anomaly-codes'

export type ReportAnomaly = (code: AnomalyCode, offset: number, detail?: string) => void

/** Largest pre-libs-0.10 V9 tail: loginuid u32, exe_writable u8, 3 × caps u64 (spec §2.3). */
const PRE_010_TAIL_MAX = 29

/**
 * PL block body [start, end) of version 1..9 (spec §2.3): one ProcEntry per thread. V9 entries carry their own
 * length, so appended fields are skipped; the tail after `root` follows HEAD's ≤ 29-byte heuristic.
 */
export function decodeProcList(
  buf: Buffer,
  start: number,
  end: number,
  version: number,
  onThread: ((t: ProcEntry) => void) | undefined,
  report: ReportAnomaly
): number {
  const c = new ByteCursor(buf, start, end)
  let n = 0
  while (c.left >= 4) {
    const entryStart = c.pos
    try {
      let entryEnd = end
      if (version >= 9) {
        const len = c.u32()
        entryEnd = entryStart + len
        if (len < 4 || entryEnd > end) throw new EndOfData()
        c.end = entryEnd
      }
      const t = readEntry(c, version)
      c.end = end
      if (version >= 9) c.pos = entryEnd
      n++
      onThread?.(t)
    } catch (e) {
      if (!(e instanceof EndOfData)) throw e
      report('metadata-truncated-entry', entryStart, `PL V${version} entry ${n}`)
      return n
    }
  }
  return n
}

function readEntry(c: ByteCursor, v: number): ProcEntry {
  const tid = c.i64()
  const pid = c.i64()
  const ptid = c.i64()
  const sid = v >= 6 ? c.i64() : -1
  const vpgid = v >= 8 ? c.i64() : -1
  const comm = c.str16()
  const exe = c.str16()
  const exepath = v >= 7 ? c.str16() : ''
  const args = c.list16()
  const cwd = c.str16()
  const fdlimit = c.i64()
  const flags = c.u32()
  const uid = c.u32()
  const gid = c.u32()
  let vmsizeKb = 0
  let vmrssKb = 0
  let vmswapKb = 0
  let pfmajor = 0
  let pfminor = 0
  if (v >= 2) {
    vmsizeKb = c.u32()
    vmrssKb = c.u32()
    vmswapKb = c.u32()
    pfmajor = c.u64()
    pfminor = c.u64()
  }
  const env = v >= 3 ? c.list16() : []
  let vtid = -1
  let vpid = -1
  let cgroups: string[] = []
  if (v >= 4) {
    vtid = c.i64()
    vpid = c.i64()
    cgroups = c.list16()
  }
  const root = v >= 5 ? c.str16() : ''
  const t: ProcEntry = {
    tid,
    pid,
    ptid,
    sid,
    vpgid,
    comm,
    exe,
    exepath,
    args,
    cwd,
    fdlimit,
    flags,
    uid,
    gid,
    vmsizeKb,
    vmrssKb,
    vmswapKb,
    pfmajor,
    pfminor,
    env,
    vtid,
    vpid,
    cgroups,
    root,
    loginuid: -1,
    tty: 0,
    exeWritable: false,
    pgid: -1
  }
  if (v >= 9) readV9Tail(c, t)
  return t
}

/** Fields after `root`, each read only while the entry has room for it. */
function readV9Tail(c: ByteCursor, t: ProcEntry): void {
  if (c.left > PRE_010_TAIL_MAX) {
    c.u64() // pidns_init_start_ts
    if (c.left >= 4) t.tty = c.u32()
  }
  if (c.left >= 4) t.loginuid = c.i32()
  if (c.left >= 1) t.exeWritable = c.u8() !== 0
  // cap_inheritable, cap_permitted, cap_effective, exe_upper_layer u8, exe_ino, exe_ino_ctime, exe_ino_mtime
  // u64, exe_from_memfd u8, exe_lower_layer u8: not kept; skipped in order so that pgid lands right.
  const sizes = [8, 8, 8, 1, 8, 8, 8, 1, 1]
  for (const s of sizes) {
    if (c.left < s) return
    c.pos += s
  }
  if (c.left >= 8) t.pgid = c.i64()
}
