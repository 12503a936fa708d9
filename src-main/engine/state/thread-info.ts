import type { ScapEvent } from '../capture/scap-event'
import type { FdInfo } from './fd-info'

/** PPM_CL_* bits used by the state engine (process flags of PL entries and clone events). */
export const CL = {
  CLONE_FILES: 0x1,
  CLONE_FS: 0x2,
  CLONE_NEWPID: 0x40,
  CLONE_PARENT: 0x100,
  CLONE_THREAD: 0x2000,
  CLONE_VFORK: 0x8000000,
  INVERTED: 0x10000,
  NAME_CHANGED: 0x20000,
  CLOSED: 0x40000,
  ACTIVE: 0x80000,
  PIPE_SRC: 0x200000,
  PIPE_DST: 0x400000,
  CHILD_IN_PIDNS: 0x20000000
} as const

/** PPM_EXE_* bits of the execve/execveat exit `flags` parameter (what the kernel saw of the executable). */
export const EXE = { WRITABLE: 1, UPPER_LAYER: 2, FROM_MEMFD: 4, LOWER_LAYER: 8 } as const

/** The fd table of one process (sinsp_fdtable). Threads with CLONE_FILES use their main thread's. */
export type FdTable = Map<number, FdInfo>

/**
 * One thread (sinsp_threadinfo). Keyed by tid in the thread table; `utid`/`upid` are surrogate ids that
 * never repeat within a capture, because tids and pids are recycled.
 */
export class ThreadInfo {
  utid = 0
  upid = 0
  tid = -1
  pid = -1
  ptid = -1
  sid = -1
  vpgid = -1
  vtid = -1
  vpid = -1
  comm = ''
  exe = ''
  exepath = ''
  private argList: string[] | null = []
  private argsRaw: Buffer | null = null
  env: string[] = []
  /** Only meaningful on main threads (sinsp get_cwd reads the main thread); always ends with '/'. */
  cwd = ''
  root = ''
  fdlimit = 0
  flags = 0
  uid = 0xffffffff
  gid = 0xffffffff
  loginuid = 0xffffffff
  tty = 0
  /** EXE bits from the last execve exit (or the PL's exe_writable); inherited on clone, like sinsp. */
  exeFlags = 0
  vmsizeKb = 0
  vmrssKb = 0
  vmswapKb = 0
  pfmajor = 0
  pfminor = 0
  /** "subsys=path" pairs, as [subsys, path]. */
  cgroups: [string, string][] = []
  /** 12-hex container id, or '' for the host. */
  containerId = ''
  /** Clone time (StateEngine.ts scale: ns since the first event), -1 when unknown (threads from the PL). */
  cloneTs = -1
  /** Number of live CLONE_THREAD threads pointing at this main thread (sinsp m_nchilds). */
  nchilds = 0
  fds: FdTable = new Map()

  // Enter/exit pairing (sinsp m_lastevent_*).
  lastEventType = -1
  /** sinsp starts every thread with fd 0 as its "last" fd (visible on a first exit without enter). */
  lastEventFd = 0
  /** The stored enter event of the syscall in flight, when the enter carried information we need. */
  lastEnter: ScapEvent | null = null
  /** Storage reused for lastEnter (one per thread, allocated on the first stored enter). */
  enterStore: ScapEvent | null = null
  lastEnterValid = false
  /** Between an enter and its exit (to count enters whose exit never came). */
  inSyscall = false
  /** Time of the last enter (StateEngine.ts scale) for evt.latency, -1 before any. */
  lastEnterTs = -1
  latency = 0
  /** Main thread cache, invalidated when the table changes. */
  mainCache: ThreadInfo | null = null

  /** argv[1..] (split lazily: clone and execve events carry them NUL-separated). */
  get args(): string[] {
    if (this.argList === null) {
      this.argList = splitNul(this.argsRaw)
      this.argsRaw = null
    }
    return this.argList
  }

  set args(v: string[]) {
    this.argList = v
    this.argsRaw = null
  }

  /** Sets argv[1..] from a NUL-separated parameter (copied; split on first use). */
  setArgsRaw(b: Buffer | undefined): void {
    this.argsRaw = b === undefined || b.length === 0 ? null : Buffer.from(b)
    this.argList = this.argsRaw === null ? [] : null
  }

  isMain(): boolean {
    return this.tid === this.pid
  }

  /** sinsp is_invalid() in the 0.29.3 sense: a thread made up from a bare tid. */
  isFake(): boolean {
    return this.comm === '<NA>' && this.uid === 0xffffffff
  }
}

/**
 * Split cgroup lists by their text. The threads of a process, and the processes of a container, carry the
 * same list: sharing one pairs array per distinct list spares the garbage collector a copy per thread (each
 * section's thread table survives scavenges until the next section). Callers never modify the pairs.
 */
const cgroupMemo = new Map<string, [string, string][]>()

/** "subsys=path" strings as [subsys, path] pairs (entries without "=" are dropped). */
export function splitCgroups(list: readonly string[]): [string, string][] {
  // NUL cannot occur inside an entry (the lists come NUL-separated), so the joined text is a faithful key.
  const key = list.join('\0')
  let out = cgroupMemo.get(key)
  if (out === undefined) {
    out = splitCgroupList(list)
    if (cgroupMemo.size >= 10_000) cgroupMemo.clear()
    cgroupMemo.set(key, out)
  }
  return out
}

const cgroupBytesMemo = new Map<string, [string, string][]>()

/**
 * The cgroups parameter of clone/execve exits (NUL-separated "subsys=path" entries) as pairs, memoised by
 * the raw bytes: clones of one process repeat the same list, and splitting it costs a string per entry.
 */
export function cgroupsFromBytes(b: Buffer | undefined): [string, string][] {
  if (b === undefined || b.length === 0) return splitCgroups([])
  const key = b.toString('latin1')
  let out = cgroupBytesMemo.get(key)
  if (out === undefined) {
    out = splitCgroups(splitNul(b))
    if (cgroupBytesMemo.size >= 10_000) cgroupBytesMemo.clear()
    cgroupBytesMemo.set(key, out)
  }
  return out
}

function splitCgroupList(list: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (const c of list) {
    const eq = c.indexOf('=')
    if (eq < 0) continue
    out.push([c.slice(0, eq), c.slice(eq + 1)])
  }
  return out
}

/** sinsp set_args: NUL-separated strings (a trailing NUL does not make an extra empty one). */
export function splitNul(b: Buffer | null | undefined): string[] {
  if (b === null || b === undefined || b.length === 0) return []
  const out: string[] = []
  let start = 0
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0) {
      out.push(b.toString('utf8', start, i))
      start = i + 1
    }
  }
  if (start < b.length) out.push(b.toString('utf8', start))
  return out
}
