/**
 * What the renderers need to know beyond the event itself. The state engine (H3, `src-main/engine/state`)
 * implements it from its thread/fd tables, as seen by sinsp when it formats the event: i.e. AFTER the event
 * was parsed (an open exit already shows its new fd; a close enter still shows the fd it closes).
 *
 * - `hasThread`: sinsp had a thread record for the event's tid (false for tid -1 / "no thread" events). With
 *   no thread, fds are shown as bare numbers and paths are not resolved.
 * - `fd(n)`: the event thread's fd table entry (main thread's table), or undefined.
 * - `comm(tid)`: `comm` of the thread with that tid, for PID parameters (`pid=123(bash)`), or undefined.
 * - `cwd()`: the event thread's cwd, in sinsp's form (with a trailing `/`), for relative FSPATH params.
 * - `userName(uid)` / `groupName(gid)`: user list names (container-aware where the caller knows better).
 */
export interface FdView {
  /** scap fd type number (FdType in capture-types.ts). */
  readonly type: number
  /** scap_l4_proto: 0 unknown, 1 n/a, 2 TCP, 3 UDP, 4 ICMP, 5 RAW. */
  readonly l4proto: number
  /** The fd name as sinsp keeps it (e.g. `/etc/passwd`, `1.2.3.4:80->5.6.7.8:9`, `pipe:[123]`). */
  readonly name: string
}

export interface RenderContext {
  readonly hasThread: boolean
  fd(fd: number): FdView | undefined
  comm(tid: number): string | undefined
  cwd(): string
  userName(uid: number): string | undefined
  groupName(gid: number): string | undefined
}

/** How BYTEBUF data is shown (sysdig's -A/-x/-X/-b switches); 'normal' is the default. */
export type BufferFormat = 'normal' | 'ascii' | 'hex' | 'hexascii' | 'base64'

export interface RenderOptions {
  readonly bufferFormat: BufferFormat
  /** sysdig truncates BYTEBUF text to this many characters, ending with "..." (80; 0 = no limit, as with -v). */
  readonly maxBufLen: number
}

export const DEFAULT_RENDER_OPTIONS: RenderOptions = { bufferFormat: 'normal', maxBufLen: 80 }

/** A context with no state at all: every lookup misses (what sinsp shows for an unknown thread). */
export const EMPTY_CONTEXT: RenderContext = {
  hasThread: true,
  fd: () => undefined,
  comm: () => undefined,
  cwd: () => '',
  userName: () => undefined,
  groupName: () => undefined
}

/**
 * sinsp's fd type characters (fd.typechar and the `<f>` in `fd=3(<f>/etc/passwd)`), by scap fd type number;
 * 0.29.3 knows types up to IOURING (19). Server sockets share their family's char.
 */
const TYPE_CHARS: readonly string[] = [
  'o', // 0 UNKNOWN
  'f', // 1 FILE
  'd', // 2 DIRECTORY
  '4', // 3 IPV4_SOCK
  '6', // 4 IPV6_SOCK
  '4', // 5 IPV4_SERVSOCK
  '6', // 6 IPV6_SERVSOCK
  'p', // 7 FIFO
  'u', // 8 UNIX_SOCK
  'e', // 9 EVENT
  'X', // 10 UNSUPPORTED
  's', // 11 SIGNALFD
  'l', // 12 EVENTPOLL
  'i', // 13 INOTIFY
  't', // 14 TIMERFD
  'n', // 15 NETLINK
  'f', // 16 FILE_V2
  'b', // 17 BPF
  'u', // 18 USERFAULTFD
  'r', // 19 IOURING
  'm', // 20 MEMFD (HEAD)
  'P' // 21 PIDFD (HEAD)
]

export function fdTypeChar(type: number): string {
  return TYPE_CHARS[type] ?? '?'
}

/** The l4 protocol char sinsp appends for IP sockets (`<4t>`), or ''. */
export function l4ProtoChar(type: number, l4proto: number): string {
  if (type < 3 || type > 6) return ''
  switch (l4proto) {
    case 2:
      return 't'
    case 3:
      return 'u'
    case 4:
      return 'i'
    case 5:
      return 'r'
    default:
      return ''
  }
}
