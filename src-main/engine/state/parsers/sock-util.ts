import { FdType } from '../../capture/capture-types'
import type { FdInfo } from '../fd-info'
import { V4, V6 } from '../fd-info'
import type { Interfaces } from '../interfaces'
import type { FdTable } from '../thread-info'

/**
 * sinsp set_ipv4_addresses_and_ports from a SOCKTUPLE (family byte first). False when unchanged. Like
 * 0.29.3, a destination already set (non-zero address, non-zero port, each on its own) is kept.
 */
export function setIpv4Tuple(f: FdInfo, p: Buffer, keepDest = true): boolean {
  const s = f.sockBuf()
  const sip = p.readUInt32LE(1)
  const sport = p.readUInt16LE(5)
  const dip = p.readUInt32LE(7)
  const dport = p.readUInt16LE(11)
  if (f.type === FdType.IPV4_SOCK && sameV4(s, sip, sport, dip, dport)) return false
  s.writeUInt32LE(sip, V4.SIP)
  s.writeUInt16LE(sport, V4.SPORT)
  if (!keepDest || s.readUInt32LE(V4.DIP) === 0) s.writeUInt32LE(dip, V4.DIP)
  if (!keepDest || s.readUInt16LE(V4.DPORT) === 0) s.writeUInt16LE(dport, V4.DPORT)
  return true
}

/** sinsp set_ipv4_mapped_ipv6_addresses_and_ports. */
export function setIpv4MappedTuple(f: FdInfo, p: Buffer, keepDest = true): boolean {
  const s = f.sockBuf()
  const sip = p.readUInt32LE(13)
  const sport = p.readUInt16LE(17)
  const dip = p.readUInt32LE(31)
  const dport = p.readUInt16LE(35)
  if (f.type === FdType.IPV4_SOCK && sameV4(s, sip, sport, dip, dport)) return false
  s.writeUInt32LE(sip, V4.SIP)
  s.writeUInt16LE(sport, V4.SPORT)
  if (!keepDest || s.readUInt32LE(V4.DIP) === 0) s.writeUInt32LE(dip, V4.DIP)
  if (!keepDest || s.readUInt16LE(V4.DPORT) === 0) s.writeUInt16LE(dport, V4.DPORT)
  return true
}

function sameV4(s: Buffer, sip: number, sport: number, dip: number, dport: number): boolean {
  const a = s.readUInt32LE(V4.SIP)
  const ap = s.readUInt16LE(V4.SPORT)
  const b = s.readUInt32LE(V4.DIP)
  const bp = s.readUInt16LE(V4.DPORT)
  return (
    (sip === a && sport === ap && dip === b && dport === bp) ||
    (dip === a && dport === ap && sip === b && sport === bp)
  )
}

/** sinsp set_ipv6_addresses_and_ports. */
export function setIpv6Tuple(f: FdInfo, p: Buffer, keepDest = true): boolean {
  const s = f.sockBuf()
  const sip = p.subarray(1, 17)
  const sport = p.readUInt16LE(17)
  const dip = p.subarray(19, 35)
  const dport = p.readUInt16LE(35)
  if (f.type === FdType.IPV6_SOCK) {
    const a = s.subarray(V6.SIP, V6.SIP + 16)
    const b = s.subarray(V6.DIP, V6.DIP + 16)
    const ap = s.readUInt16LE(V6.SPORT)
    const bp = s.readUInt16LE(V6.DPORT)
    if (
      (sip.equals(a) && sport === ap && dip.equals(b) && dport === bp) ||
      (dip.equals(a) && dport === ap && sip.equals(b) && sport === bp)
    ) {
      return false
    }
  }
  sip.copy(s, V6.SIP)
  s.writeUInt16LE(sport, V6.SPORT)
  if (!keepDest || s.subarray(V6.DIP, V6.DIP + 16).every((x) => x === 0)) dip.copy(s, V6.DIP)
  if (!keepDest || s.readUInt16LE(V6.DPORT) === 0) s.writeUInt16LE(dport, V6.DPORT)
  return true
}

/** sinsp set_unix_info. */
export function setUnixInfo(f: FdInfo, p: Buffer): void {
  const s = f.sockBuf()
  if (p.length >= 17) p.copy(s, 0, 1, 17)
}

export function isMapped(b: Buffer, off: number): boolean {
  // sinsp also takes the all-zero address for IPv4 (is_ipv4_mapped_ipv6).
  for (let i = 0; i < 10; i++) if (b[off + i] !== 0) return false
  if (b[off + 10] === 0xff && b[off + 11] === 0xff) return true
  for (let i = 10; i < 16; i++) if (b[off + i] !== 0) return false
  return true
}

/** sinsp swap_addresses (IPv4 view for IPv4 sockets, IPv6 view otherwise). */
export function swapAddresses(f: FdInfo): void {
  const s = f.sockBuf()
  if (f.type === FdType.IPV4_SOCK) {
    const ip = s.readUInt32LE(V4.SIP)
    const port = s.readUInt16LE(V4.SPORT)
    s.writeUInt32LE(s.readUInt32LE(V4.DIP), V4.SIP)
    s.writeUInt16LE(s.readUInt16LE(V4.DPORT), V4.SPORT)
    s.writeUInt32LE(ip, V4.DIP)
    s.writeUInt16LE(port, V4.DPORT)
  } else {
    const ip = Buffer.from(s.subarray(V6.SIP, V6.SIP + 16))
    const port = s.readUInt16LE(V6.SPORT)
    s.copy(s, V6.SIP, V6.DIP, V6.DIP + 16)
    s.writeUInt16LE(s.readUInt16LE(V6.DPORT), V6.SPORT)
    ip.copy(s, V6.DIP)
    s.writeUInt16LE(port, V6.DPORT)
  }
}

/** sinsp_network_interfaces::update_fd: fills a zero half of an IPv4 tuple from the interface list. */
export function updateFdFromInterfaces(f: FdInfo, ifaces: Interfaces): void {
  if (f.type === FdType.IPV6_SOCK) {
    updateV6(f, ifaces)
    return
  }
  if (f.type !== FdType.IPV4_SOCK) return
  const s = f.sockBuf()
  const sip = s.readUInt32LE(V4.SIP)
  const dip = s.readUInt32LE(V4.DIP)
  if (sip !== 0 && dip !== 0) return
  const sport = s.readUInt16LE(V4.SPORT)
  const dport = s.readUInt16LE(V4.DPORT)
  if (sip === 0) {
    const n = ifaces.inferIpv4(dip)
    if (n === dip && sport === dport) return
    s.writeUInt32LE(n >>> 0, V4.SIP)
  } else {
    const n = ifaces.inferIpv4(sip)
    if (n === sip && sport === dport) return
    s.writeUInt32LE(n >>> 0, V4.DIP)
  }
}

/** sinsp set_net_role_by_guessing (its port checks read the IPv4 view of every fd, like sinsp). */
export function guessRole(table: FdTable | undefined, f: FdInfo, incoming: boolean): void {
  const s = f.sockBuf()
  const dport = s.readUInt16LE(V4.DPORT)
  const sport = s.readUInt16LE(V4.SPORT)
  let bound = false
  let client = false
  if (table !== undefined) {
    for (const o of table.values()) {
      if (o.type === FdType.IPV4_SOCK) {
        const os = o.sock
        if (os !== null && os.readUInt16LE(V4.DPORT) === dport) bound = true
      } else if (o.type === FdType.IPV4_SERVSOCK) {
        const os = o.sock
        if (os !== null && os.readUInt16LE(4) === dport) bound = true
      }
      if (bound) break
    }
    if (bound) {
      for (const o of table.values()) {
        if (o.type === FdType.IPV4_SOCK && o.sock !== null && o.sock.readUInt16LE(V4.SPORT) === sport) {
          client = true
          break
        }
      }
    }
  }
  if (!bound) {
    f.setRoleClient()
    return
  }
  if (!client) {
    f.setRoleServer()
    return
  }
  if (f.isRoleNone()) {
    if (incoming) f.setRoleServer()
    else f.setRoleClient()
  }
}

const ZERO16 = Buffer.alloc(16)

function updateV6(f: FdInfo, ifaces: Interfaces): void {
  const s = f.sockBuf()
  const sip = s.subarray(V6.SIP, V6.SIP + 16)
  const dip = s.subarray(V6.DIP, V6.DIP + 16)
  const sipZero = sip.equals(ZERO16)
  const dipZero = dip.equals(ZERO16)
  if (!sipZero && !dipZero) return
  const sport = s.readUInt16LE(V6.SPORT)
  const dport = s.readUInt16LE(V6.DPORT)
  if (sipZero) {
    const n = ifaces.inferIpv6(Buffer.from(dip))
    if (n.equals(dip) && sport === dport) return
    n.copy(s, V6.SIP)
  } else {
    const n = ifaces.inferIpv6(Buffer.from(sip))
    if (n.equals(sip) && sport === dport) return
    n.copy(s, V6.DIP)
  }
}
