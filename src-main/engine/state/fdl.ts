import type { FdEntry } from '../capture/capture-types'
import { FdType } from '../capture/capture-types'
import { FD_FROM_PROC, FD_SOCKET_CONNECTED, FdInfo, L4, V4, V4S, V6, V6S } from './fd-info'
import type { Interfaces } from './interfaces'
import { parseIpv4, parseIpv6 } from './ip-parse'
import { sockinfoText, ipv4At, ipv6At } from './net-addr'
import { updateFdFromInterfaces } from './parsers/sock-util'

/**
 * sinsp add_fd_from_scap: one FDL entry as an fd (undefined for types sinsp rejects). sinsp fills one
 * reused fdinfo and writes only the address fields of each entry's type, so bytes of the previous entry
 * survive in the rest of the address union (and show through later reads of another view): `scratch`
 * carries them from entry to entry.
 */
export function fdFromScap(e: FdEntry, ifaces: Interfaces, scratch: Buffer): FdInfo | undefined {
  const f = fdFromScapInto({ ...e, name: cstr(e.name) }, ifaces, scratch)
  if (f !== undefined && f.sock !== null) {
    scratch.set(f.sock)
  }
  return f
}

function fdFromScapInto(e: FdEntry, ifaces: Interfaces, scratch: Buffer): FdInfo | undefined {
  const f = new FdInfo()
  f.type = e.type
  f.flags = FD_FROM_PROC
  f.ino = e.ino
  const isSock =
    e.type === FdType.IPV4_SOCK ||
    e.type === FdType.IPV4_SERVSOCK ||
    e.type === FdType.IPV6_SOCK ||
    e.type === FdType.IPV6_SERVSOCK ||
    e.type === FdType.UNIX_SOCK
  if (isSock) f.sock = Buffer.from(scratch)
  switch (e.type) {
    case FdType.IPV4_SOCK: {
      const s = f.sockBuf()
      parseIpv4(e.sip, s, V4.SIP)
      parseIpv4(e.dip, s, V4.DIP)
      s.writeUInt16LE(e.sport & 0xffff, V4.SPORT)
      s.writeUInt16LE(e.dport & 0xffff, V4.DPORT)
      s[V4.L4] = e.l4proto
      if (e.l4proto === L4.TCP) f.flags |= FD_SOCKET_CONNECTED
      updateFdFromInterfaces(f, ifaces)
      f.name = tupleName(s)
      return f
    }
    case FdType.IPV4_SERVSOCK: {
      const s = f.sockBuf()
      parseIpv4(e.sip, s, V4S.IP)
      s.writeUInt16LE(e.sport & 0xffff, V4S.PORT)
      s[V4S.L4] = e.l4proto
      f.name = `${ipv4At(s, V4S.IP)}:${s.readUInt16LE(V4S.PORT)}`
      return f
    }
    case FdType.IPV6_SOCK: {
      const tmp = Buffer.alloc(32)
      parseIpv6(e.sip, tmp, 0)
      parseIpv6(e.dip, tmp, 16)
      const s = f.sockBuf()
      if (isMapped(tmp, 0)) {
        f.type = FdType.IPV4_SOCK
        tmp.copy(s, V4.SIP, 12, 16)
        tmp.copy(s, V4.DIP, 28, 32)
        s.writeUInt16LE(e.sport & 0xffff, V4.SPORT)
        s.writeUInt16LE(e.dport & 0xffff, V4.DPORT)
        s[V4.L4] = e.l4proto
        if (e.l4proto === L4.TCP) f.flags |= FD_SOCKET_CONNECTED
        f.name = tupleName(s)
        return f
      }
      tmp.copy(s, V6.SIP, 0, 16)
      tmp.copy(s, V6.DIP, 16, 32)
      s.writeUInt16LE(e.sport & 0xffff, V6.SPORT)
      s.writeUInt16LE(e.dport & 0xffff, V6.DPORT)
      s[V6.L4] = e.l4proto
      f.name = `${ipv6At(s, V6.SIP)}:${e.sport}->${ipv6At(s, V6.DIP)}:${e.dport}`
      return f
    }
    case FdType.IPV6_SERVSOCK: {
      const s = f.sockBuf()
      parseIpv6(e.sip, s, V6S.IP)
      s.writeUInt16LE(e.sport & 0xffff, V6S.PORT)
      s[V6S.L4] = e.l4proto
      f.name = `${ipv6At(s, V6S.IP)}:${e.sport}`
      return f
    }
    case FdType.UNIX_SOCK: {
      const s = f.sockBuf()
      s.writeBigUInt64LE(hexToBig(e.unixSource), 0)
      s.writeBigUInt64LE(hexToBig(e.unixDest), 8)
      // /proc/net/unix paths arrive with their line end; sysdig shows them without it.
      f.name = e.name.endsWith('\n') ? e.name.slice(0, -1) : e.name
      // sysdig 0.29.3 shows fds of the initial table as connected ends (fd.cport reads 0 for them).
      f.setRoleClient()
      return f
    }
    case FdType.FILE_V2:
      f.openFlags = e.openFlags
      f.name = e.name
      f.dev = e.dev
      return f
    case FdType.FIFO:
    case FdType.FILE:
    case FdType.DIRECTORY:
    case FdType.UNSUPPORTED:
    case FdType.SIGNALFD:
    case FdType.EVENTPOLL:
    case FdType.EVENT:
    case FdType.INOTIFY:
    case FdType.TIMERFD:
    case FdType.NETLINK:
    case FdType.BPF:
    case FdType.USERFAULTFD:
    case FdType.IOURING:
    case FdType.MEMFD:
    case FdType.PIDFD:
      f.name = e.name
      return f
    default:
      return undefined
  }
}

/** ipv4tuple_to_string: "sip:sport->dip:dport" regardless of protocol. */
function tupleName(s: Buffer): string {
  return `${ipv4At(s, V4.SIP)}:${s.readUInt16LE(V4.SPORT)}->${ipv4At(s, V4.DIP)}:${s.readUInt16LE(V4.DPORT)}`
}

function isMapped(b: Buffer, off: number): boolean {
  // sinsp also takes the all-zero address for IPv4 (is_ipv4_mapped_ipv6).
  for (let i = 0; i < 10; i++) if (b[off + i] !== 0) return false
  if (b[off + 10] === 0xff && b[off + 11] === 0xff) return true
  for (let i = 10; i < 16; i++) if (b[off + i] !== 0) return false
  return true
}

function hexToBig(h: string): bigint {
  const t = h.startsWith('0x') ? h.slice(2) : h
  if (!/^[0-9a-fA-F]{1,16}$/.test(t)) return 0n
  return BigInt(`0x${t}`)
}

export { sockinfoText }

/** sinsp reads FDL names as C strings: anything from the first NUL on is not part of the name. */
function cstr(s: string): string {
  const z = s.indexOf('\0')
  return z < 0 ? s : s.slice(0, z)
}
