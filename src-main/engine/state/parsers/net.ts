/** Socket syscalls: socket, bind, connect, accept, socketpair, and the tuples of send/recv exits. */
import { FdType } from '../../capture/capture-types'
import type { ScapEvent } from '../../capture/scap-event'
import { FD_SOCKET_CONNECTED, FdInfo, L4, V4, V4S, V6, V6S } from '../fd-info'
import { addFd } from '../fd-table'
import {
  PPM_AF_INET,
  PPM_AF_INET6,
  PPM_AF_UNIX,
  sockaddrText,
  sockinfoText,
  socktupleText
} from '../net-addr'
import type { StateEngine } from '../state-engine'
import {
  guessRole,
  isMapped,
  setIpv4MappedTuple,
  setIpv4Tuple,
  setIpv6Tuple,
  setUnixInfo,
  swapAddresses,
  updateFdFromInterfaces
} from './sock-util'

const PPM_AF_NETLINK = 16
const IPPROTO_IP = 0
const IPPROTO_ICMP = 1
const IPPROTO_TCP = 6
const IPPROTO_UDP = 17
const IPPROTO_RAW = 255
const SOCK_STREAM = 1
const SOCK_DGRAM = 2
const SOCK_RAW = 3
const EINPROGRESS = 115

const EMPTY = Buffer.alloc(0)

function param(ev: ScapEvent, s: StateEngine, i: number): Buffer {
  return i < s.np(ev) ? (ev.bytes(i) ?? EMPTY) : EMPTY
}

function int(ev: ScapEvent, s: StateEngine, i: number): number | undefined {
  return i < s.np(ev) ? ev.int(i) : undefined
}

/** sinsp add_socket. */
export function addSocket(s: StateEngine, fd: number, domain: number, type: number, proto: number): void {
  const t = s.tinfo
  if (t === undefined) return
  const f = new FdInfo()
  if (domain === PPM_AF_UNIX) f.type = FdType.UNIX_SOCK
  else if (domain === PPM_AF_INET || domain === PPM_AF_INET6) {
    f.type = domain === PPM_AF_INET ? FdType.IPV4_SOCK : FdType.IPV6_SOCK
    let l4: number = L4.UNKNOWN
    if (proto === IPPROTO_TCP) l4 = type === SOCK_RAW ? L4.RAW : L4.TCP
    else if (proto === IPPROTO_UDP) l4 = type === SOCK_RAW ? L4.RAW : L4.UDP
    else if (proto === IPPROTO_IP) {
      if ((type & 0xff) === SOCK_STREAM) l4 = L4.TCP
      else if ((type & 0xff) === SOCK_DGRAM) l4 = L4.UDP
    } else if (proto === IPPROTO_ICMP) l4 = type === SOCK_RAW ? L4.RAW : L4.ICMP
    else if (proto === IPPROTO_RAW) l4 = L4.RAW
    const b = f.sockBuf()
    if (domain === PPM_AF_INET) b[V4.L4] = l4
    else b[V6.L4] = l4
  } else if (domain === PPM_AF_NETLINK) f.type = FdType.NETLINK
  if (f.type === FdType.UNKNOWN) {
    s.count('socket-unknown-family')
    return
  }
  s.fdinfo = addFd(s.threads, t, fd, f)
}

export function socketExit(s: StateEngine, ev: ScapEvent): void {
  const fd = int(ev, s, 0)
  if (fd === undefined || fd < 0 || s.tinfo === undefined) return
  const e = s.enterOf(ev)
  if (e !== undefined) addSocket(s, fd, e.int(0) ?? 0, e.int(1) ?? 0, e.int(2) ?? 0)
  else if (s.isModernExit(ev)) addSocket(s, fd, ev.int(1) ?? 0, ev.int(2) ?? 0, ev.int(3) ?? 0)
}

export function bindExit(s: StateEngine, ev: ScapEvent): void {
  const f = s.fdinfo
  if (f === undefined) return
  const res = int(ev, s, 0)
  if (res === undefined || res < 0) return
  const p = param(ev, s, 1)
  if (p.length === 0) return
  const fam = p[0]
  if (fam === PPM_AF_INET && p.length >= 7) {
    const port = p.readUInt16LE(5)
    if (port > 0) {
      const b = f.sockBuf()
      f.type = FdType.IPV4_SERVSOCK
      b.writeUInt32LE(p.readUInt32LE(1), V4S.IP)
      b.writeUInt16LE(port, V4S.PORT)
      b[V4S.L4] = b[V4.L4] ?? 0
      f.setRoleServer()
    }
  } else if (fam === PPM_AF_INET6 && p.length >= 19) {
    const port = p.readUInt16LE(17)
    if (port > 0) {
      const b = f.sockBuf()
      if (isMapped(p, 1)) {
        f.type = FdType.IPV4_SERVSOCK
        b[V4S.L4] = b[V6.L4] ?? 0
        b.writeUInt32LE(p.readUInt32LE(13), V4S.IP)
        b.writeUInt16LE(port, V4S.PORT)
      } else {
        f.type = FdType.IPV6_SERVSOCK
        b.writeUInt16LE(port, V6S.PORT)
        p.copy(b, V6S.IP, 1, 17)
        b[V6S.L4] = b[V6.L4] ?? 0
      }
      f.setRoleServer()
    }
  }
  f.name = sockaddrText(p)
}

export function connectExit(s: StateEngine, ev: ScapEvent): void {
  const f = s.fdinfo
  if (f === undefined) return
  const res = int(ev, s, 0) ?? 0
  if (res < 0 && res !== -EINPROGRESS) return
  f.flags |= FD_SOCKET_CONNECTED
  const p = param(ev, s, 1)
  if (p.length === 0) return
  const fam = p[0]
  if ((fam === PPM_AF_INET && p.length === 13) || (fam === PPM_AF_INET6 && p.length === 37)) {
    let changed: boolean
    if (fam === PPM_AF_INET6) {
      if (!(isMapped(p, 1) && isMapped(p, 19))) {
        f.type = FdType.IPV6_SOCK
        changed = setIpv6Tuple(f, p, true)
      } else {
        f.type = FdType.IPV4_SOCK
        changed = setIpv4MappedTuple(f, p, true)
      }
    } else {
      f.type = FdType.IPV4_SOCK
      changed = setIpv4Tuple(f, p, true)
    }
    if (changed && f.isRoleServer() && f.isUdp()) swapAddresses(f)
    // The destination given to connect enter wins over the exit tuple's (sinsp keeps a non-zero dest).
    f.name = nameOf(f)
  } else {
    f.name = socktupleText(p)
    setUnixInfo(f, p)
  }
  if (f.isRoleNone()) f.setRoleClient()
}

/** connect enter: the destination is known before the kernel fills the tuple (sinsp parse_connect_enter). */
export function connectEnter(s: StateEngine, ev: ScapEvent): void {
  const f = s.fdinfo
  if (f === undefined) return
  const p = param(ev, s, 1)
  if (p.length === 0) return
  const fam = p[0]
  if (fam === PPM_AF_INET && p.length >= 7) {
    f.type = FdType.IPV4_SOCK
    const b = f.sockBuf()
    b.writeUInt32LE(p.readUInt32LE(1), V4.DIP)
    b.writeUInt16LE(p.readUInt16LE(5), V4.DPORT)
  } else if (fam === PPM_AF_INET6 && p.length >= 19) {
    const port = p.readUInt16LE(17)
    const b = f.sockBuf()
    if (isMapped(p, 1)) {
      f.type = FdType.IPV4_SOCK
      b.writeUInt32LE(p.readUInt32LE(13), V4.DIP)
      b.writeUInt16LE(port, V4.DPORT)
    } else {
      f.type = FdType.IPV6_SOCK
      b.writeUInt16LE(port, V6.DPORT)
      p.copy(b, V6.DIP, 1, 17)
    }
  } else {
    // Any other family (AF_UNIX): sinsp names the fd from the address at enter, so the name stays even
    // when the connect then fails (ENOENT to nscd), and copies the address bytes over the socket union
    // as if they were a unix tuple (which is why an IPv4 fd loses its l4 char here).
    f.name = sockaddrText(p)
    setUnixInfo(f, p)
  }
}

function nameOf(f: FdInfo): string {
  if (f.type === FdType.IPV4_SOCK) return sockinfoText('v4', f.sockBuf())
  if (f.type === FdType.IPV6_SOCK) return sockinfoText('v6', f.sockBuf())
  return ''
}

export function acceptExit(s: StateEngine, ev: ScapEvent): void {
  const t = s.tinfo
  if (t === undefined) return
  const fd = int(ev, s, 0)
  if (fd === undefined || fd < 0) return
  t.lastEventFd = fd
  const p = param(ev, s, 1)
  if (p.length === 0) return
  const f = new FdInfo()
  const fam = p[0]
  if (fam === PPM_AF_INET && p.length === 13) {
    setIpv4Tuple(f, p)
    f.type = FdType.IPV4_SOCK
    f.sockBuf()[V4.L4] = L4.TCP
  } else if (fam === PPM_AF_INET6 && p.length === 37) {
    if (isMapped(p, 1) && isMapped(p, 19)) {
      setIpv4MappedTuple(f, p)
      f.type = FdType.IPV4_SOCK
      f.sockBuf()[V4.L4] = L4.TCP
    } else {
      setIpv6Tuple(f, p)
      f.type = FdType.IPV6_SOCK
      f.sockBuf()[V6.L4] = L4.TCP
    }
  } else if (fam === PPM_AF_UNIX) {
    f.type = FdType.UNIX_SOCK
    setUnixInfo(f, p)
  } else {
    return
  }
  f.name = socktupleText(p)
  f.flags = 0
  f.setRoleServer()
  f.flags |= FD_SOCKET_CONNECTED
  s.fdinfo = addFd(s.threads, t, fd, f)
}

export function socketpairExit(s: StateEngine, ev: ScapEvent): void {
  const res = int(ev, s, 0)
  const t = s.tinfo
  if (res === undefined || res < 0 || t === undefined) return
  const fd1 = int(ev, s, 1) ?? -1
  const fd2 = int(ev, s, 2) ?? -1
  const f = new FdInfo()
  f.type = FdType.UNIX_SOCK
  const b = f.sockBuf()
  const src = param(ev, s, 3)
  const peer = param(ev, s, 4)
  if (src.length === 8) src.copy(b, 0)
  if (peer.length === 8) peer.copy(b, 8)
  s.fdinfo = addFd(s.threads, t, fd1, f)
  addFd(s.threads, t, fd2, f)
}

/** sinsp update_fd: applies a tuple to an existing fd. False when nothing changed. */
function updateFd(s: StateEngine, f: FdInfo, p: Buffer): boolean {
  if (p.length === 0) return false
  const fam = p[0]
  if (fam === PPM_AF_INET && p.length === 13) {
    const b = f.sockBuf()
    if (f.type === FdType.IPV4_SERVSOCK) b[V4.L4] = b[V4S.L4] ?? 0
    f.type = FdType.IPV4_SOCK
    if (!setIpv4Tuple(f, p)) return false
  } else if (fam === PPM_AF_INET6 && p.length === 37) {
    if (isMapped(p, 1) && isMapped(p, 19)) {
      f.type = FdType.IPV4_SOCK
      if (!setIpv4MappedTuple(f, p)) return false
    } else if (!setIpv6Tuple(f, p)) return false
  } else if (fam === PPM_AF_UNIX) {
    f.type = FdType.UNIX_SOCK
    setUnixInfo(f, p)
    let end = 17
    while (end < p.length && p[end] !== 0) end++
    f.name = p.toString('latin1', 17, end)
    return true
  } else if (fam === PPM_AF_INET || fam === PPM_AF_INET6) {
    return false
  }
  const b = f.sockBuf()
  if (f.type === FdType.IPV4_SOCK && b[V4.L4] === L4.UNKNOWN) b[V4.L4] = L4.UDP
  else if (f.type === FdType.IPV6_SOCK && b[V6.L4] === L4.UNKNOWN) b[V6.L4] = L4.UDP
  updateFdFromInterfaces(f, s.ifaces)
  return true
}

function applyTuple(s: StateEngine, f: FdInfo, p: Buffer, incoming: boolean): void {
  if (!updateFd(s, f, p)) return
  if (f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK) {
    if (f.isRoleNone() && s.tinfo !== undefined) guessRole(s.threads.fdTable(s.tinfo), f, incoming)
    if (incoming ? f.isRoleClient() : f.isRoleServer()) swapAddresses(f)
    f.name = nameOf(f)
  } else {
    f.name = socktupleText(p)
  }
}

const RECVFROM_X = 35
const RECVMSG_X = 53
const SENDTO_X = 31
const SENDMSG_X = 49

/** read/write family exits: a successful I/O marks sockets connected; recvfrom/sendto tuples name UDP fds. */
export function rwExit(s: StateEngine, ev: ScapEvent, reads: boolean): void {
  const f = s.fdinfo
  if (f === undefined) return
  const res = int(ev, s, 0)
  if (res === undefined || res < 0) return
  if (f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK) f.flags |= FD_SOCKET_CONNECTED
  if (reads) {
    const tp = ev.type === RECVFROM_X ? 2 : ev.type === RECVMSG_X ? 3 : -1
    if (tp !== -1 && (f.name.length === 0 || !f.isTcp())) applyTuple(s, f, param(ev, s, tp), true)
  } else if (ev.type === SENDTO_X || ev.type === SENDMSG_X) {
    if (f.name.length === 0 || !f.isTcp()) {
      const e = s.enterOf(ev)
      if (e !== undefined) applyTuple(s, f, e.bytes(2) ?? EMPTY, false)
      else if (s.isModernExit(ev)) {
        const i = ev.paramIndex('tuple')
        if (i >= 0) applyTuple(s, f, ev.bytes(i) ?? EMPTY, false)
      }
    }
  }
}

/** sendto enter on an fd sinsp never saw created: guess a UDP socket (infer_sendto_fdinfo). */
export function sendtoEnter(s: StateEngine, ev: ScapEvent): void {
  if (s.fdinfo === undefined && s.tinfo !== undefined) {
    const fd = int(ev, s, 0)
    const p = param(ev, s, 2)
    if (fd !== undefined && fd >= 0 && p.length > 0) {
      const fam = p[0]
      if (fam === PPM_AF_INET || fam === PPM_AF_INET6) addSocket(s, fd, fam, SOCK_DGRAM, IPPROTO_UDP)
    }
  }
  s.storeEnter(ev)
}
