import { ByteCursor, EndOfData } from './byte-cursor'
import { FdType, type FdEntry } from './capture-types'
import { ipv4Text, ipv6Text } from './ip-text'
import type { ReportAnomaly } from './proc-list'

/**
 * FDL block body [start, end) (spec §2.4): the tid of the owning thread, then fd entries. V2 entries carry
 * their own length (bad types and appended fields are skipped); in V1 an unknown type ends the block.
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
        report('metadata-bad-fd-type', entryStart, `FDL of tid ${tid}`)
        if (!v2) return tid
        continue
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
    default:
      if (f.type >= FdType.FILE && f.type <= FdType.PIDFD) {
        f.name = c.str16()
        return f
      }
      return undefined
  }
}
