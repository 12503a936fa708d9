import type { ScapEvent } from './scap-event'

/** SHB: start of a section. A new section resets all thread, fd, user and interface state. */
export interface SectionHeader {
  index: number
  major: number
  minor: number
  /** Byte offset of the SHB in the uncompressed stream. */
  offset: number
}

export interface MachineInfo {
  numCpus: number
  memorySizeBytes: number
  maxPid: number
  hostname: string
  /** HEAD writers: host boot time (ns since epoch) as a decimal string, "0" when unset. */
  bootTs: string
}

/** One thread of a PL (process list) block, any version; absent fields take libscap's defaults. */
export interface ProcEntry {
  tid: number
  pid: number
  ptid: number
  sid: number
  vpgid: number
  comm: string
  exe: string
  exepath: string
  /** argv[1..] */
  args: string[]
  cwd: string
  fdlimit: number
  flags: number
  uid: number
  gid: number
  vmsizeKb: number
  vmrssKb: number
  vmswapKb: number
  pfmajor: number
  pfminor: number
  env: string[]
  vtid: number
  vpid: number
  /** "subsys=path" entries */
  cgroups: string[]
  root: string
  loginuid: number
  tty: number
  exeWritable: boolean
  /** pidns_init_start_ts etc. are kept only where a later issue needs them. */
  pgid: number
}

/** scap_fd_type numbers (FDL entries). */
export const FdType = {
  UNKNOWN: 0,
  FILE: 1,
  DIRECTORY: 2,
  IPV4_SOCK: 3,
  IPV6_SOCK: 4,
  IPV4_SERVSOCK: 5,
  IPV6_SERVSOCK: 6,
  FIFO: 7,
  UNIX_SOCK: 8,
  EVENT: 9,
  UNSUPPORTED: 10,
  SIGNALFD: 11,
  EVENTPOLL: 12,
  INOTIFY: 13,
  TIMERFD: 14,
  NETLINK: 15,
  FILE_V2: 16,
  BPF: 17,
  USERFAULTFD: 18,
  IOURING: 19,
  MEMFD: 20,
  PIDFD: 21
} as const

/** One entry of an FDL block. Addresses are rendered strings ("1.2.3.4", "::1"), ports numbers. */
export interface FdEntry {
  fd: number
  ino: string
  type: number
  /** Files, dirs, fifos, unix paths, and every name-only type. */
  name: string
  openFlags: number
  dev: number
  /** IPv4/IPv6 client sockets: client (s) and server (d) halves. Server sockets: sip/sport. */
  sip: string
  sport: number
  dip: string
  dport: number
  l4proto: number
  /** Unix sockets: kernel pointers as hex strings. */
  unixSource: string
  unixDest: string
}

export interface UserEntry {
  uid: number
  gid: number
  name: string
  homedir: string
  shell: string
}

export interface GroupEntry {
  gid: number
  name: string
}

export interface InterfaceEntry {
  family: 4 | 6
  addr: string
  netmask: string
  bcast: string
  ifname: string
}

export type Severity = 'info' | 'warning' | 'data-loss'

/** A recoverable oddity in the input. Every one is counted; none is silently dropped. */
export interface Anomaly {
  /** Stable name, e.g. "unknown-event-type", "truncated-param", "enter-without-exit". */
  code: string
  severity: Severity
  message: string
  /** Byte offset in the uncompressed stream, when it concerns a place in the file. */
  offset?: number
}

/** Everything the decoder hands out, in file order. Handlers are synchronous. */
export interface CaptureVisitor {
  section?(shb: SectionHeader): void
  machineInfo?(mi: MachineInfo): void
  thread?(t: ProcEntry): void
  fd?(tid: number, fd: FdEntry): void
  user?(u: UserEntry): void
  group?(g: GroupEntry): void
  iface?(i: InterfaceEntry): void
  /** The event is a flyweight valid only during this call (see ScapEvent). Return false to stop reading. */
  event?(ev: ScapEvent): boolean | undefined
  anomaly?(a: Anomaly): void
  /** Called now and then with the compressed (file) bytes consumed and the file size. */
  progress?(fileBytesRead: number, fileSize: number): void
}

/** A fatal structural error: reading stopped here, what came before was delivered. */
export interface CaptureError {
  code: 'not-a-capture' | 'unsupported' | 'truncated' | 'corrupt' | 'io'
  message: string
  /** Byte offset in the uncompressed stream. */
  offset: number
  /** Block type name or hex, when known. */
  block?: string
}

export interface ReadSummary {
  /** True when the whole file was read without a fatal error. */
  complete: boolean
  error?: CaptureError
  compressed: boolean
  fileSize: number
  /** Uncompressed bytes consumed. */
  bytes: number
  sections: number
  /** "1.2" of the first section. */
  formatVersion: string
  blocks: Record<string, number>
  events: number
  anomalies: Record<string, { severity: Severity; count: number; firstOffset?: number; message: string }>
  /** Set when reading stopped because the visitor returned false or the signal aborted. */
  stopped: boolean
}

/** Options of readCapture / readCaptureBuffer. */
export interface ReadOptions {
  /** Aborting stops reading at the next chunk; the summary then has `stopped: true`. */
  signal?: AbortSignal
  /**
   * Which event types are delivered (and so counted by `num`):
   * - 'head' (default): every code libs HEAD knows (< 454). `num` then equals a current sysdig's evt.num.
   * - 'sysdig0293': like sysdig 0.29.3's libscap, which silently skips codes it does not know (>= 336: dup2,
   *   pipe2, prctl, USER_ADDED, ...) and does not number them; `num` then equals 0.29.3's evt.num. Each skip is
   *   counted as the info anomaly "event-not-in-0.29.3".
   * Codes >= 454 are skipped in both modes (anomaly "unknown-event-type").
   */
  eventSet?: 'head' | 'sysdig0293'
  /** Largest block accepted before the file is declared corrupt (bytes). Default 256 MiB. */
  maxBlockBytes?: number
  /** Read size for plain files and gunzip output size (bytes). Default 4 MiB. */
  chunkBytes?: number
  /**
   * Plain files: read every chunk into the same buffer. Only for visitors that keep nothing of `ev.buf`
   * (or of views into it) past their callback, as the ScapEvent contract says. Each fresh 4 MiB chunk is
   * external memory that V8 answers with extra garbage collections: reusing one saved about 0.13 s CPU of
   * 0.8 s on the 1.46 M-event benchmark.
   */
  reuseChunk?: boolean
}
