import { ByteCursor, EndOfData } from './byte-cursor'
import type { GroupEntry, InterfaceEntry, MachineInfo, UserEntry } from './capture-types'
import { ipv4Text, ipv6Text } from './ip-text'
import type { ReportAnomaly } from './proc-list'

/** MI body (spec §2.2): 180 bytes; a shorter body yields what fits, with an anomaly. */
export function decodeMachineInfo(
  buf: Buffer,
  start: number,
  end: number,
  report: ReportAnomaly
): MachineInfo {
  if (end - start !== 180) report('machine-info-size', start, `${end - start} bytes`)
  const c = new ByteCursor(buf, start, end)
  const mi: MachineInfo = { numCpus: 0, memorySizeBytes: 0, maxPid: 0, hostname: '', bootTs: '0' }
  try {
    mi.numCpus = c.u32()
    mi.memorySizeBytes = c.u64()
    mi.maxPid = c.u64()
    mi.hostname = c.fixedString(128)
    mi.bootTs = c.u64String()
  } catch (e) {
    if (!(e instanceof EndOfData)) throw e
  }
  return mi
}

/**
 * UL body (spec §2.6): users (type 0) and groups (type 1). V2 entries start with a u32 length that includes
 * itself; V1 entries are back to back, so an unknown type ends a V1 block.
 */
export function decodeUserList(
  buf: Buffer,
  start: number,
  end: number,
  v2: boolean,
  onUser: ((u: UserEntry) => void) | undefined,
  onGroup: ((g: GroupEntry) => void) | undefined,
  report: ReportAnomaly
): void {
  const c = new ByteCursor(buf, start, end)
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
      const type = c.u8()
      if (type === 0) {
        const u: UserEntry = {
          uid: c.u32(),
          gid: c.u32(),
          name: c.str16(),
          homedir: c.str16(),
          shell: c.str16()
        }
        onUser?.(u)
      } else if (type === 1) {
        const g: GroupEntry = { gid: c.u32(), name: c.str16() }
        onGroup?.(g)
      } else {
        report('metadata-bad-user-type', entryStart, `type ${type}`)
        if (!v2) return
      }
      c.end = end
      if (v2) c.pos = entryEnd
    } catch (e) {
      if (!(e instanceof EndOfData)) throw e
      report('metadata-truncated-entry', entryStart, `UL${v2 ? ' V2' : ''} entry`)
      return
    }
  }
}

/**
 * IL body (spec §2.5). V2 entries start with a u32 length that EXCLUDES its own 4 bytes. Types: 1 IPv4, 2 IPv6
 * (with a u64 link speed), 3 IPv4 and 4 IPv6 without it; the interface name follows the addresses.
 */
export function decodeInterfaceList(
  buf: Buffer,
  start: number,
  end: number,
  v2: boolean,
  onIface: ((i: InterfaceEntry) => void) | undefined,
  report: ReportAnomaly
): void {
  const c = new ByteCursor(buf, start, end)
  while (c.left >= 4) {
    const entryStart = c.pos
    let entryEnd = end
    try {
      if (v2) {
        const len = c.u32()
        entryEnd = c.pos + len
        if (entryEnd > end) throw new EndOfData()
        c.end = entryEnd
      }
      const type = c.u16()
      const nameLen = c.u16()
      if (type < 1 || type > 4) {
        report('metadata-bad-iface-type', entryStart, `type ${type}`)
        if (!v2) return
      } else {
        const v6 = type === 2 || type === 4
        const w = v6 ? 16 : 4
        const p = c.take(3 * w)
        const text = v6 ? ipv6Text : ipv4Text
        if (type <= 2) c.take(8) // link speed
        const ifname = c.fixedString(nameLen)
        onIface?.({
          family: v6 ? 6 : 4,
          addr: text(buf, p),
          netmask: text(buf, p + w),
          bcast: text(buf, p + 2 * w),
          ifname
        })
      }
      c.end = end
      if (v2) c.pos = entryEnd
    } catch (e) {
      if (!(e instanceof EndOfData)) throw e
      report('metadata-truncated-entry', entryStart, `IL${v2 ? ' V2' : ''} entry`)
      return
    }
  }
}
