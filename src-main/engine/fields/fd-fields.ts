/** fd.* fields (sinsp_filter_check_fd, 0.29.3 semantics, including its quirks). */
import { FdType } from '../capture/capture-types'
import { EF } from '../capture/schema/event-table.generated'
import { FLAGS_0293, FD_FLAGS } from '../state/event-flags'
import type { FdInfo } from '../state/fd-info'
import { fdTypeChar, fdTypeString, L4, V4, V4S, V6, V6S } from '../state/fd-info'
import { ipv4At, ipv6At, sanitize, socktupleText } from '../state/net-addr'
import { concatPaths, isRelative } from '../state/paths'
import { openatDir, rawStr } from '../state/parsers/file'
import type { ThreadInfo } from '../state/thread-info'
import { boolRender, field } from './define'
import type { Def } from './define'
import type { EventContext } from './event-context'

/** sinsp extract_fd: undefined when the event is not an fd event or has no thread. */
function fdCtx(c: EventContext): { t: ThreadInfo; f: FdInfo | undefined } | undefined {
  const flags = FLAGS_0293[c.ev.type] ?? 0
  if ((flags & FD_FLAGS) === 0) return undefined
  const t = c.tinfo
  if (t === undefined) return undefined
  let f = c.fdinfo
  if (f === undefined && t.lastEventFd !== -1) f = c.state.threads.getFd(t, t.lastEventFd)
  return { t, f }
}

const OPEN_X = 3
const CREAT_X = 59
const CONNECT_X = 23
const OPENAT_X = 103
const OPENAT_2_X = 307
const ACCEPTS = new Set([27, 247, 57, 249])

/** sinsp extract_fdname_from_creator: the name an fd-creating exit would have given its fd. */
function nameFromCreator(c: EventContext): string | undefined {
  const ev = c.ev
  if ((ev.type & 1) === 0) return undefined
  const np = c.state.np(ev)
  if (ev.type === OPEN_X || ev.type === CREAT_X) {
    if (np < 2) return ''
    // The parameter's text: resolved against the cwd when relative, else the path as given (sanitised).
    const t = c.tinfo
    const path = rawStr(ev, 1)
    if (!isRelative(path)) return sanitize(path)
    return concatPaths(t === undefined ? '' : c.state.threads.cwd(t), path)
  }
  if (ACCEPTS.has(ev.type) || ev.type === CONNECT_X) {
    return np < 2 ? '' : socktupleText(ev.bytes(1) ?? Buffer.alloc(0))
  }
  if (ev.type === OPENAT_X || ev.type === OPENAT_2_X) {
    let name: string
    let dirfd: number
    if (ev.type === OPENAT_X) {
      const t = c.tinfo
      const e = t?.lastEnter
      if (e === null || e === undefined || e.type !== OPENAT_X - 1) return undefined
      name = rawStr(e, 1)
      dirfd = e.int(0) ?? 0
    } else {
      if (np < 3) return ''
      name = rawStr(ev, 2)
      dirfd = ev.int(1) ?? 0
    }
    const saved = c.state.fdinfo
    const dir = openatDir(c.state, name, dirfd)
    c.state.fdinfo = saved
    return concatPaths(dir, name)
  }
  return ''
}

const CREATOR_CHARS: Record<number, string> = {
  2: 'f',
  102: 'f',
  306: 'f',
  58: 'f',
  18: '4',
  26: '4',
  246: '4',
  56: '4',
  248: '4',
  60: 'p',
  62: 'e',
  126: 's',
  136: 't',
  138: 'i'
}

function fdName(c: EventContext): string | undefined {
  const x = fdCtx(c)
  if (x === undefined) return undefined
  const f = x.f
  if (f === undefined) return nameFromCreator(c)
  if (c.ev.type === CONNECT_X && (c.ev.int(0) ?? 0) < 0) return nameFromCreator(c)
  return f.name
}

function roleFd(c: EventContext): FdInfo | undefined {
  const f = fdCtx(c)?.f
  return f === undefined || f.isRoleNone() ? undefined : f
}

function clientIp(c: EventContext): string | undefined {
  const f = roleFd(c)
  if (f === undefined || f.sock === null) return undefined
  if (f.type === FdType.IPV4_SOCK) return ipv4At(f.sock, V4.SIP)
  if (f.type === FdType.IPV6_SOCK) return ipv6At(f.sock, V6.SIP)
  return undefined
}

function serverIp(c: EventContext): string | undefined {
  const f = roleFd(c)
  if (f === undefined || f.sock === null) return undefined
  switch (f.type) {
    case FdType.IPV4_SOCK:
      return ipv4At(f.sock, V4.DIP)
    case FdType.IPV4_SERVSOCK:
      return ipv4At(f.sock, V4S.IP)
    case FdType.IPV6_SOCK:
      return ipv6At(f.sock, V6.DIP)
    case FdType.IPV6_SERVSOCK:
      return ipv6At(f.sock, V6S.IP)
    default:
      return undefined
  }
}

function clientPort(c: EventContext): number | undefined {
  const f = roleFd(c)
  if (f === undefined) return undefined
  const s = f.sockBuf()
  if (f.type === FdType.IPV4_SOCK) return s.readUInt16LE(V4.SPORT)
  if (f.type === FdType.IPV6_SOCK) return s.readUInt16LE(V6.SPORT)
  // sinsp falls through into fd.cproto here and returns an empty string, printed as port 0.
  return 0
}

function serverPort(c: EventContext): number | undefined {
  const f = fdCtx(c)?.f
  if (f === undefined) return undefined
  const s = f.sock
  switch (f.type) {
    case FdType.IPV4_SOCK:
      return f.isRoleNone() || s === null ? undefined : s.readUInt16LE(V4.DPORT)
    case FdType.IPV4_SERVSOCK:
      return s === null ? undefined : s.readUInt16LE(V4S.PORT)
    case FdType.IPV6_SOCK:
      return f.isRoleNone() || s === null ? undefined : s.readUInt16LE(V6.DPORT)
    case FdType.IPV6_SERVSOCK:
      return s === null ? undefined : s.readUInt16LE(V6S.PORT)
    default:
      return undefined
  }
}

/** Whether the client side is this machine, for fd.lip and co. (sinsp is_ipv4addr_in_local_machine). */
function localInfo(c: EventContext): { f: FdInfo; local: boolean; v6: boolean } | undefined {
  const f = roleFd(c)
  if (f === undefined || f.sock === null) return undefined
  if (f.type === FdType.IPV4_SOCK) return { f, local: isLocal(c, f, V4.SIP), v6: false }
  if (f.type === FdType.IPV6_SOCK) return { f, local: isLocal(c, f, V6.SIP), v6: true }
  return undefined
}

/** The container's IPv4 address as sinsp keeps it (0 when the container has none), undefined without info. */
function containerIp(c: EventContext, id: string): number | undefined {
  const info = c.state.containers.get(id)
  if (info === undefined) return undefined
  const p = info.ip.split('.').map(Number)
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return 0
  return Buffer.from(p).readUInt32LE(0)
}

/** sinsp is_ipv4addr_in_local_machine / is_ipv6addr_in_local_machine (no IPv6 inside containers). */
function isLocal(c: EventContext, f: FdInfo, off: number): boolean {
  const t = c.tinfo
  const s = f.sockBuf()
  if (f.type === FdType.IPV6_SOCK) {
    if (t !== undefined && t.containerId !== '') return false
    return c.state.ifaces.isLocalV6(s, off)
  }
  const cip = t !== undefined && t.containerId !== '' ? containerIp(c, t.containerId) : undefined
  return c.state.ifaces.isLocalV4(s.readUInt32LE(off), cip)
}

function lr(c: EventContext, wantLocal: boolean, what: 'ip' | 'port'): string | number | undefined {
  const x = localInfo(c)
  if (x === undefined) return undefined
  const s = x.f.sockBuf()
  const client = x.local === wantLocal
  if (what === 'ip') {
    if (x.v6) return ipv6At(s, client ? V6.SIP : V6.DIP)
    return ipv4At(s, client ? V4.SIP : V4.DIP)
  }
  if (x.v6) return s.readUInt16LE(client ? V6.SPORT : V6.DPORT)
  return s.readUInt16LE(client ? V4.SPORT : V4.DPORT)
}

function l4name(p: number): string {
  switch (p) {
    case L4.TCP:
      return 'tcp'
    case L4.UDP:
      return 'udp'
    case L4.ICMP:
      return 'icmp'
    case L4.RAW:
      return 'raw'
    default:
      return '<NA>'
  }
}

function dirOf(name: string): string {
  const pos = name.lastIndexOf('/')
  if (pos > 0) return pos < name.length - 1 ? name.slice(0, pos) : name
  return '/'
}

/**
 * fd.ip / fd.net candidates: sinsp compare_ip/compare_net read the socket's addresses whatever its role, so a
 * socket not yet connected matches its 0.0.0.0 endpoints.
 */
function endpointIps(c: EventContext, v4Alias: boolean): string[] | undefined {
  const f = fdCtx(c)?.f
  if (f === undefined || f.sock === null) return undefined
  const s = f.sock
  switch (f.type) {
    case FdType.IPV4_SOCK:
      return [ipv4At(s, V4.SIP), ipv4At(s, V4.DIP)]
    case FdType.IPV4_SERVSOCK:
      return [ipv4At(s, V4S.IP)]
    case FdType.IPV6_SOCK:
      return [...v6Candidates(s, V6.SIP, v4Alias), ...v6Candidates(s, V6.DIP, v4Alias)]
    case FdType.IPV6_SERVSOCK:
      return v6Candidates(s, V6S.IP, v4Alias)
    default:
      return undefined
  }
}

/**
 * sinsp compares an IPv6 endpoint with the constant's 16-byte storage, where an IPv4 constant fills the first
 * 4 bytes: so `fd.ip = 0.0.0.0` matches `::`, and a.b.c.d matches an address whose last 12 bytes are zero
 * (fd.net compares networks by family and has no such alias).
 */
function v6Candidates(s: Buffer, off: number, v4Alias: boolean): string[] {
  if (!v4Alias) return [ipv6At(s, off)]
  for (let i = off + 4; i < off + 16; i++) if (s[i] !== 0) return [ipv6At(s, off)]
  return [ipv6At(s, off), ipv4At(s, off)]
}

export const FD_FIELDS: Def[] = [
  field(
    'fd.num',
    'int',
    'the unique number identifying the file descriptor.',
    (c) => fdCtx(c)?.t.lastEventFd
  ),
  field('fd.type', 'string', 'type of FD (file, directory, ipv4, ipv6, unix, pipe, event, …).', (c) => {
    const f = fdCtx(c)?.f
    return f === undefined ? undefined : fdTypeString(f.type)
  }),
  field('fd.typechar', 'string', 'type of FD as a single character.', (c) => {
    const x = fdCtx(c)
    if (x === undefined) return undefined
    if (x.f !== undefined) return fdTypeChar(x.f.type)
    // Without an fd sinsp guesses from the syscall (enter code), 'o' when it cannot.
    return CREATOR_CHARS[c.ev.type & ~1] ?? 'o'
  }),
  field('fd.name', 'string', 'FD full name (file path, socket tuple, …).', fdName),
  field('fd.nameraw', 'string', 'FD name as the kernel gave it.', fdName),
  field('fd.directory', 'string', 'directory of the file the FD refers to.', (c) => {
    const x = fdCtx(c)
    if (x === undefined) return undefined
    const f = x.f
    if (f === undefined) {
      const n = nameFromCreator(c)
      return n === undefined ? undefined : dirOf(n)
    }
    const isFile = f.type === FdType.FILE || f.type === FdType.FILE_V2
    if (!isFile && f.type !== FdType.DIRECTORY) return undefined
    return isFile ? dirOf(f.name) : f.name
  }),
  field('fd.filename', 'string', 'file name (without the directory) the FD refers to.', (c) => {
    const x = fdCtx(c)
    if (x === undefined) return undefined
    const f = x.f
    if (f === undefined) {
      if (![2, 102, 306, 58].includes(c.ev.type)) return undefined
      const n = nameFromCreator(c)
      if (n === undefined) return undefined
      const pos = n.lastIndexOf('/')
      return pos >= 0 && pos < n.length - 1 ? n.slice(pos + 1) : n
    }
    if (f.type !== FdType.FILE && f.type !== FdType.FILE_V2) return undefined
    const pos = f.name.lastIndexOf('/')
    if (pos < 0) return '/'
    return pos < f.name.length - 1 ? f.name.slice(pos + 1) : f.name
  }),
  field('fd.cip', 'ipaddr', 'client IP address.', clientIp),
  field('fd.sip', 'ipaddr', 'server IP address.', serverIp),
  field('fd.lip', 'ipaddr', 'local IP address.', (c) => lr(c, true, 'ip')),
  field('fd.rip', 'ipaddr', 'remote IP address.', (c) => lr(c, false, 'ip')),
  field('fd.cport', 'port', 'for TCP/UDP FDs, the client port.', clientPort),
  field('fd.sport', 'port', 'for TCP/UDP FDs, the server port.', serverPort),
  field('fd.lport', 'port', 'for TCP/UDP FDs, the local port.', (c) => lr(c, true, 'port')),
  field('fd.rport', 'port', 'for TCP/UDP FDs, the remote port.', (c) => lr(c, false, 'port')),
  field('fd.cnet', 'ipnet', 'client IP network.', clientIp, { filterOnly: true }),
  field('fd.snet', 'ipnet', 'server IP network.', serverIp, { filterOnly: true }),
  field('fd.lnet', 'ipnet', 'local IP network.', (c) => lr(c, true, 'ip'), {
    filterOnly: true
  }),
  field('fd.rnet', 'ipnet', 'remote IP network.', (c) => lr(c, false, 'ip'), {
    filterOnly: true
  }),
  field(
    'fd.ip',
    'ipaddr',
    'matches the ip address (client or server) of the fd.',
    (c) => endpointIps(c, true),
    {
      filterOnly: true,
      multi: 'either'
    }
  ),
  field(
    'fd.net',
    'ipnet',
    'matches the IP network (client or server) of the fd.',
    (c) => endpointIps(c, false),
    {
      filterOnly: true,
      multi: 'either'
    }
  ),
  field(
    'fd.port',
    'port',
    'matches the port (client or server) of the fd.',
    (c) => {
      const f = fdCtx(c)?.f
      if (f === undefined || f.sock === null) return undefined
      const s = f.sock
      if (f.type === FdType.IPV4_SOCK) return [s.readUInt16LE(V4.SPORT), s.readUInt16LE(V4.DPORT)]
      if (f.type === FdType.IPV6_SOCK) return [s.readUInt16LE(V6.SPORT), s.readUInt16LE(V6.DPORT)]
      if (f.type === FdType.IPV4_SERVSOCK) return [s.readUInt16LE(V4S.PORT)]
      if (f.type === FdType.IPV6_SERVSOCK) return [s.readUInt16LE(V6S.PORT)]
      return undefined
    },
    { filterOnly: true, multi: 'either' }
  ),
  field('fd.l4proto', 'string', "the IP protocol of a socket ('tcp', 'udp', 'icmp' or 'raw').", (c) => {
    const f = fdCtx(c)?.f
    return f === undefined ? undefined : l4name(f.l4proto())
  }),
  field('fd.sockfamily', 'string', "'ip' or 'unix' for socket FDs.", (c) => {
    const f = fdCtx(c)?.f
    if (f === undefined) return undefined
    if (
      f.type === FdType.IPV4_SOCK ||
      f.type === FdType.IPV6_SOCK ||
      f.type === FdType.IPV4_SERVSOCK ||
      f.type === FdType.IPV6_SERVSOCK
    ) {
      return 'ip'
    }
    return f.type === FdType.UNIX_SOCK ? 'unix' : undefined
  }),
  field(
    'fd.is_server',
    'bool',
    "'true' if the process owning this FD is the server endpoint.",
    (c) => {
      const f = fdCtx(c)?.f
      if (f === undefined) return undefined
      if (f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) return true
      if (f.type === FdType.IPV4_SOCK) return isLocal(c, f, V4.DIP)
      if (f.type === FdType.IPV6_SOCK) return isLocal(c, f, V6.DIP)
      return false
    },
    { render: boolRender }
  ),
  field('fd.uid', 'string', 'a unique identifier for the FD (tid + fd number).', (c) => {
    const x = fdCtx(c)
    return x === undefined ? undefined : `${x.t.tid}${x.t.lastEventFd}`
  }),
  field('fd.containername', 'string', 'chaining of the container ID and the FD name.', (c) => {
    const n = fdName(c)
    return n === undefined ? undefined : `${c.tinfo?.containerId ?? ''}:${n}`
  }),
  field('fd.containerdirectory', 'string', 'chaining of the container ID and the directory name.', (c) => {
    const x = fdCtx(c)
    const f = x?.f
    if (x === undefined || f === undefined) return undefined
    return `${x.t.containerId}:${dirOf(f.name)}`
  }),
  field(
    'fd.connected',
    'bool',
    "'true' if the socket is connected.",
    (c) => {
      const f = fdCtx(c)?.f
      return f === undefined ? undefined : (f.flags & 32) !== 0
    },
    { render: boolRender }
  ),
  field(
    'fd.name_changed',
    'bool',
    "'true' when an event changes the name of an fd.",
    (c) => {
      const f = fdCtx(c)?.f
      if (f === undefined) return undefined
      const flags = FLAGS_0293[c.ev.type] ?? 0
      return (flags & EF.CREATES_FD) !== 0 && (c.ev.type & 1) === 1
    },
    { render: boolRender }
  ),
  field('fd.dev', 'uint', 'device number containing the referenced file.', (c) => fdCtx(c)?.f?.dev),
  field('fd.dev.major', 'uint', 'major device number.', (c) => {
    const d = fdCtx(c)?.f?.dev
    return d === undefined ? undefined : (d >>> 20) & 0xfff
  }),
  field('fd.dev.minor', 'uint', 'minor device number.', (c) => {
    const d = fdCtx(c)?.f?.dev
    return d === undefined ? undefined : d & 0xfffff
  }),
  field('fd.ino', 'uint', 'inode number of the referenced file.', (c) => {
    const i = fdCtx(c)?.f?.ino
    return i === undefined ? undefined : Number(i)
  }),
  field('fd.cip.name', 'string', 'domain name of the client IP (unknown offline).', () => undefined),
  field('fd.sip.name', 'string', 'domain name of the server IP (unknown offline).', () => undefined),
  field('fd.lip.name', 'string', 'domain name of the local IP (unknown offline).', () => undefined),
  field('fd.rip.name', 'string', 'domain name of the remote IP (unknown offline).', () => undefined)
]
