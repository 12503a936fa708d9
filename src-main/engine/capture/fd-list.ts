import { ByteCursor, EndOfData } from './byte-cursor'
import { FdType, type FdEntry } from './capture-types'
import { ipv4Text, ipv6Text } from './ip-text'
import type { ReportAnomaly } from './proc-list'

/**
 * FDL block body [start, end) (spec §2.4): the tid of the owning thread, then fd entries, types 0–21. V2
 * entries carry their own length: appended fields are skipped, and a type newer than 21 is delivered as
 * UNSUPPORTED named "unknown-type:[N]" as libscap does. In V1 an unknown type ends the block.
 * Returns the tid.
 */
export function decodeFdList(
  buf: Buffer,
  start: number,
  end: number,
  v2: boolean,
  onFd: ((tid: number, fd: FdEntry) => void) | undefined,
  report: ReportAnomaly
): number {
  const c = new ByteCursor(buf, start, end)
  let tid: number
  try {
    tid = c.i64()
  } catch {
    report('metadata-truncated-entry', start, 'FDL without its tid')
    return -1
  }
  while (c.left >= 4) {
    const entryStart = c.pos
    let entryEnd = end
    try {
      if (v2) {
        const len = c.u32()
        entryEnd = entryStart + len
        if (len < 4 || entryEnd > end) throw new EndOfData()
        c.end = entryEnd
      }
      const fd = readFd(c, v2)
      c.end = end
      if (v2) c.pos = entryEnd
      if (fd === undefined) {
        // V1 entries have no length: after an unknown type the rest of the block cannot be framed.
        report('metadata-bad-fd-type', entryStart, `FDL of tid ${tid}`)
        return tid
      }
      if (fd.type > FdType.PIDFD) {
        report('metadata-unknown-fd-type', entryStart, `type ${fd.type} in the FDL of tid ${tid}`)
        fd.name = `unknown-type:[${fd.type}]`
        fd.type = FdType.UNSUPPORTED
      }
      onFd?.(tid, fd)
    } catch (e) {
      if (!(e instanceof EndOfData)) throw e
      report('metadata-truncated-entry', entryStart, `FDL${v2 ? ' V2' : ''} entry of tid ${tid}`)
      return tid
    }
  }
  return tid
}

function readFd(c: ByteCursor, v2: boolean): FdEntry | undefined {
  const f: FdEntry = {
    fd: c.i64(),
    ino: c.u64String(),
    type: c.u8(),
    name: '',
    openFlags: 0,
    dev: 0,
    sip: '',
    sport: 0,
    dip: '',
    dport: 0,
    l4proto: 0,
    unixSource: '',
    unixDest: ''
  }
  const b = c.buf
  switch (f.type) {
    case FdType.IPV4_SOCK: {
      const p = c.take(8)
      f.sip = ipv4Text(b, p)
      f.dip = ipv4Text(b, p + 4)
      f.sport = c.u16()
      f.dport = c.u16()
      f.l4proto = c.u8()
      return f
    }
    case FdType.IPV6_SOCK: {
      const p = c.take(32)
      f.sip = ipv6Text(b, p)
      f.dip = ipv6Text(b, p + 16)
      f.sport = c.u16()
      f.dport = c.u16()
      f.l4proto = c.u8()
      return f
    }
    case FdType.IPV4_SERVSOCK:
      f.sip = ipv4Text(b, c.take(4))
      f.sport = c.u16()
      f.l4proto = c.u8()
      return f
    case FdType.IPV6_SERVSOCK:
      f.sip = ipv6Text(b, c.take(16))
      f.sport = c.u16()
      f.l4proto = c.u8()
      return f
    case FdType.UNIX_SOCK:
      f.unixSource = BigInt(c.u64String()).toString(16)
      f.unixDest = BigInt(c.u64String()).toString(16)
      f.name = c.str16()
      return f
    case FdType.FILE_V2:
      f.openFlags = c.u32()
      f.name = c.str16()
      // dev was appended later: present only when the V2 entry length leaves room (never in V1 blocks).
      if (v2 && c.left >= 4) f.dev = c.u32()
      return f
    case FdType.UNKNOWN:
      // Never written by libscap; it carries no payload (HEAD reads nothing after the type either).
      return f
    default:
      if (f.type <= FdType.PIDFD) {
        f.name = c.str16()
        return f
      }
      // A type from a newer library: a V2 entry can still be skipped by its length.
      return v2 ? f : undefined
  }
}
