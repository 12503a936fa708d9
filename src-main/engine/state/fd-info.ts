import { FdType } from '../capture/capture-types'

/** Socket role flags, as sinsp keeps them on an fd. */
export const FD_ROLE_CLIENT = 1
export const FD_ROLE_SERVER = 2
/** A close enter has been seen and its exit not yet. */
export const FD_CLOSE_IN_PROGRESS = 4
/** An fd-creating syscall reused the number between close enter and close exit. */
export const FD_CLOSE_CANCELED = 8
/** Came from the FDL block (the capture's initial fd table). */
export const FD_FROM_PROC = 16
export const FD_SOCKET_CONNECTED = 32

/** scap_l4_proto */
export const L4 = { UNKNOWN: 0, NA: 1, TCP: 2, UDP: 3, ICMP: 4, RAW: 5 } as const

/**
 * Socket addresses live in one 37-byte area laid out exactly like sinsp's `m_sockinfo` union (packed
 * ipv4tuple / ipv6tuple / ipv4serverinfo / ipv6serverinfo / unixinfo). sinsp reads and writes the union
 * through different members (e.g. ports of an IPv6 socket through the IPv4 view); sharing the bytes keeps
 * those quirks, which show up in fd.* field values.
 */
export const SOCK_BYTES = 37
export const V4 = { SIP: 0, DIP: 4, SPORT: 8, DPORT: 10, L4: 12 } as const
export const V6 = { SIP: 0, DIP: 16, SPORT: 32, DPORT: 34, L4: 36 } as const
export const V4S = { IP: 0, PORT: 4, L4: 6 } as const
export const V6S = { IP: 0, PORT: 16, L4: 18 } as const

/** One open file descriptor of a process (sinsp_fdinfo). Copied by value on dup and fork, like sinsp. */
export class FdInfo {
  type: number = FdType.UNKNOWN
  name = ''
  openFlags = 0
  dev = 0
  ino = '0'
  flags = 0
  /** Socket addresses (see SOCK_BYTES); allocated for sockets only. */
  sock: Buffer | null = null

  clone(): FdInfo {
    const c = new FdInfo()
    c.type = this.type
    c.name = this.name
    c.openFlags = this.openFlags
    c.dev = this.dev
    c.ino = this.ino
    c.flags = this.flags
    c.sock = this.sock === null ? null : Buffer.from(this.sock)
    return c
  }

  sockBuf(): Buffer {
    if (this.sock === null) this.sock = Buffer.alloc(SOCK_BYTES)
    return this.sock
  }

  isRoleNone(): boolean {
    return (this.flags & (FD_ROLE_CLIENT | FD_ROLE_SERVER)) === 0
  }

  isRoleServer(): boolean {
    return (this.flags & FD_ROLE_SERVER) !== 0
  }

  isRoleClient(): boolean {
    return (this.flags & FD_ROLE_CLIENT) !== 0
  }

  setRoleClient(): void {
    this.flags |= FD_ROLE_CLIENT
  }

  setRoleServer(): void {
    this.flags |= FD_ROLE_SERVER
  }

  /** scap_l4_proto of the socket as sinsp reports it (fd.l4proto). */
  l4proto(): number {
    const s = this.sock
    switch (this.type) {
      case FdType.IPV4_SOCK: {
        const p = s === null ? 0 : (s[V4.L4] ?? 0)
        if (p === L4.RAW) return L4.RAW
        if (this.isRoleNone()) return L4.NA
        return p
      }
      case FdType.IPV6_SOCK: {
        const p = s === null ? 0 : (s[V6.L4] ?? 0)
        if (p === L4.RAW) return L4.RAW
        if (this.isRoleNone()) return L4.NA
        return p
      }
      case FdType.IPV4_SERVSOCK:
        return s === null ? 0 : (s[V4S.L4] ?? 0)
      case FdType.IPV6_SERVSOCK:
        return s === null ? 0 : (s[V6S.L4] ?? 0)
      default:
        return L4.NA
    }
  }

  /** sinsp is_tcp_socket: reads the IPv4 view's protocol byte whatever the socket type. */
  isTcp(): boolean {
    return this.sock !== null && this.sock[V4.L4] === L4.TCP
  }

  /** sinsp is_udp_socket (same IPv4-view read). */
  isUdp(): boolean {
    return this.sock !== null && this.sock[V4.L4] === L4.UDP
  }
}

const TYPE_STRINGS: Record<number, string> = {
  [FdType.FILE]: 'file',
  [FdType.FILE_V2]: 'file',
  [FdType.DIRECTORY]: 'directory',
  [FdType.IPV4_SOCK]: 'ipv4',
  [FdType.IPV4_SERVSOCK]: 'ipv4',
  [FdType.IPV6_SOCK]: 'ipv6',
  [FdType.IPV6_SERVSOCK]: 'ipv6',
  [FdType.UNIX_SOCK]: 'unix',
  [FdType.FIFO]: 'pipe',
  [FdType.EVENT]: 'event',
  [FdType.SIGNALFD]: 'signalfd',
  [FdType.EVENTPOLL]: 'eventpoll',
  [FdType.INOTIFY]: 'inotify',
  [FdType.TIMERFD]: 'timerfd',
  [FdType.NETLINK]: 'netlink',
  [FdType.BPF]: 'bpf',
  [FdType.USERFAULTFD]: 'userfaultfd',
  [FdType.IOURING]: 'io_uring',
  [FdType.MEMFD]: 'memfd',
  [FdType.PIDFD]: 'pidfd'
}

const TYPE_CHARS: Record<number, string> = {
  [FdType.FILE]: 'f',
  [FdType.FILE_V2]: 'f',
  [FdType.DIRECTORY]: 'd',
  [FdType.IPV4_SOCK]: '4',
  [FdType.IPV4_SERVSOCK]: '4',
  [FdType.IPV6_SOCK]: '6',
  [FdType.IPV6_SERVSOCK]: '6',
  [FdType.UNIX_SOCK]: 'u',
  [FdType.FIFO]: 'p',
  [FdType.EVENT]: 'e',
  [FdType.SIGNALFD]: 's',
  [FdType.EVENTPOLL]: 'l',
  [FdType.INOTIFY]: 'i',
  [FdType.TIMERFD]: 't',
  [FdType.NETLINK]: 'n',
  [FdType.BPF]: 'b',
  [FdType.USERFAULTFD]: 'u',
  [FdType.IOURING]: 'r',
  [FdType.MEMFD]: 'm',
  [FdType.PIDFD]: 'P'
}

/** fd.type text ("<NA>" for types sinsp has no name for). */
export function fdTypeString(type: number): string {
  return TYPE_STRINGS[type] ?? '<NA>'
}

/** fd.typechar ('o' for others). */
export function fdTypeChar(type: number): string {
  return TYPE_CHARS[type] ?? 'o'
}
