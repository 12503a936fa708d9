import type {
  Anomaly,
  CaptureVisitor,
  FdEntry,
  GroupEntry,
  InterfaceEntry,
  MachineInfo,
  ProcEntry,
  UserEntry
} from '../capture/capture-types'
import { EF } from '../capture/schema/event-table.generated'
import { ScapEvent } from '../capture/scap-event'
import { FLAGS_0293, nparams0293 } from './event-flags'
import { fdFromScap } from './fdl'
import type { FdInfo } from './fd-info'
import { FD_CLOSE_CANCELED, FD_FROM_PROC, SOCK_BYTES, V4, V4S, V6S } from './fd-info'
import { ipv4At } from './net-addr'
import { FdType } from '../capture/capture-types'
import { CANCELED_FD_NUMBER } from './fd-table'
import { copyEvent } from './event-copy'
import { Interfaces } from './interfaces'
import { normaliseCwd } from './paths'
import { HANDLERS, STORE_ENTER } from './parsers/dispatch'
import { Containers } from './containers'
import { CL, EXE, splitCgroups, ThreadInfo } from './thread-info'
import { smi, ThreadTable } from './thread-table'

const TWO32 = 4294967296
const PROCINFO_E = 234
const SCHEDSWITCH_6_E = 152
const EXECVEAT_E = 330
const EXECVE_18_X = 289
const EXECVE_19_X = 293
const TRACER_E = 268
/** Events whose thread is never looked up (meta events). */
const NO_THREAD = new Uint8Array(512)
for (const c of [272, 324, 354, 356, 358, 360, 322, 402]) NO_THREAD[c] = 1
/** Clone/fork exits, switch and procexit: the thread is not made up when missing. */
const NO_QUERY = new Uint8Array(512)
for (const c of [15, 157, 217, 223, 183, 219, 225, 185, 221, 227, 335, 152, 16, 186]) NO_QUERY[c] = 1

/** Named counters of oddities met while rebuilding state (each an anomaly kind). */
export type StateCounters = Record<string, number>

/**
 * The state engine: what libsinsp does for `sysdig -r`. Feed it the decoder's callbacks (it is a
 * CaptureVisitor) and call `process(ev)` for each event; afterwards `tinfo`/`fdinfo` describe the event's
 * thread and fd exactly as sysdig 0.29.3 would resolve them for field extraction.
 */
export class StateEngine implements CaptureVisitor {
  readonly threads = new ThreadTable()
  readonly users = new Map<number, UserEntry>()
  readonly groups = new Map<number, GroupEntry>()
  readonly containers = new Containers()
  readonly ifaces = new Interfaces()
  machine: MachineInfo | null = null
  readonly counters: StateCounters = {}

  /** Thread of the current event (sinsp evt->m_tinfo). */
  tinfo: ThreadInfo | undefined = undefined

  /**
   * The thread an event's fields read, given its header tid: `tinfo`, or, when the event itself created the
   * thread (a child's clone exit seen before its parent's), the thread now known by that tid — sysdig's
   * fields show the new thread there.
   */
  eventThread(tid: number): ThreadInfo | undefined {
    return this.tinfo ?? this.threads.get(tid)
  }
  /** fd of the current event (sinsp evt->m_fdinfo). */
  fdinfo: FdInfo | undefined = undefined
  /**
   * The current event's time as ns since the capture's first event (a double: exact, unlike absolute ns,
   * so durations and latencies come out to the nanosecond).
   */
  ts = 0
  /** Always 0: `ts` is relative to the first event. */
  readonly firstTs = 0
  private baseHi = -1
  private baseLo = 0

  /** sinsp m_tid_to_remove / m_fds_to_remove, applied before the next event. */
  private tidToRemove = -1
  private fdRemoveTid = -1
  /**
   * The first nFdsToRemove entries are pending; the array is reused (emptying it with `length = 0` dropped its
   * storage, and every close then allocated a new one).
   */
  private readonly fdsToRemove: number[] = []
  private nFdsToRemove = 0
  private depsPending = false
  /** FDL entries by tid, applied in thread-table order when the first event comes (as sinsp imports). */
  private readonly pendingFds = new Map<number, FdEntry[]>()
  private readonly fdScratch = Buffer.alloc(SOCK_BYTES)

  count(name: string): void {
    this.counters[name] = (this.counters[name] ?? 0) + 1
  }

  /**
   * Anomaly counters of the state engine, by name: exit-without-enter, enter-without-exit, fd-unknown (an
   * fd event on an fd the tables do not have), close-unknown-fd, thread-unknown (threads made up from a bare
   * tid), tid-collision (a recycled tid replaced a live entry), fd-list-unknown-thread, and others.
   */
  anomalyCounts(): StateCounters {
    const out: StateCounters = { ...this.counters }
    if (this.threads.fakes > 0) out['thread-unknown'] = this.threads.fakes
    return out
  }

  // ---- CaptureVisitor: metadata blocks ----

  section(): void {
    this.threads.clear()
    this.users.clear()
    this.groups.clear()
    this.ifaces.clear()
    this.tidToRemove = -1
    this.nFdsToRemove = 0
    this.pendingFds.clear()
    this.fdScratch.fill(0)
    this.tinfo = undefined
    this.fdinfo = undefined
  }

  machineInfo(mi: MachineInfo): void {
    this.machine = mi
  }

  thread(p: ProcEntry): void {
    const t = new ThreadInfo()
    t.tid = p.tid
    t.pid = p.pid
    t.ptid = p.ptid
    t.sid = p.sid
    t.vpgid = p.vpgid
    t.comm = p.comm
    t.exe = p.exe
    t.exepath = p.exepath
    t.args = p.args
    if (t.tid === t.pid) t.env = p.env
    t.flags = p.flags | CL.ACTIVE
    t.fdlimit = p.fdlimit
    t.uid = p.uid >>> 0
    t.gid = p.gid >>> 0
    t.loginuid = p.loginuid >>> 0
    t.exeFlags = p.exeWritable ? EXE.WRITABLE : 0
    t.vmsizeKb = p.vmsizeKb
    t.vmrssKb = p.vmrssKb
    t.vmswapKb = p.vmswapKb
    t.pfmajor = p.pfmajor
    t.pfminor = p.pfminor
    t.vtid = p.vtid
    t.vpid = p.vpid
    t.tty = p.tty
    t.root = p.root
    t.cgroups = splitCgroups(p.cgroups)
    this.containers.resolve(t)
    this.threads.add(t)
    // sinsp set_cwd goes through the main thread.
    const m = t.tid === t.pid ? t : this.threads.get(t.pid)
    if (m !== undefined) m.cwd = normaliseCwd('', p.cwd)
    this.depsPending = true
  }

  fd(tid: number, e: FdEntry): void {
    const t = this.threads.get(tid)
    if (t === undefined) {
      this.count('fd-list-unknown-thread')
      return
    }
    let list = this.pendingFds.get(tid)
    if (list === undefined) {
      list = []
      this.pendingFds.set(tid, list)
    }
    list.push(e)
    this.depsPending = true
  }

  user(u: UserEntry): void {
    this.users.set(u.uid >>> 0, u)
  }

  group(g: GroupEntry): void {
    this.groups.set(g.gid >>> 0, g)
  }

  iface(i: InterfaceEntry): void {
    this.ifaces.add(i)
  }

  anomaly(a: Anomaly): void {
    this.count(`decoder:${a.code}`)
  }

  // ---- events ----

  /** Updates state for one event (sinsp::next + sinsp_parser::process_event). */
  process(ev: ScapEvent): void {
    if (this.depsPending) this.rebuildDeps()
    if (this.tidToRemove !== -1 || this.nFdsToRemove > 0) this.applyRemovals()
    // The scale starts at the first event with a time (leading container events may carry 0).
    if (this.baseHi < 0 || (this.baseHi === 0 && this.baseLo === 0)) {
      this.baseHi = ev.tsHi
      this.baseLo = ev.tsLo
    }
    this.ts = (ev.tsHi - this.baseHi) * TWO32 + (ev.tsLo - this.baseLo)
    const type = ev.type
    this.reset(ev)
    const h = HANDLERS[type]
    if (h !== undefined) h(this, ev)
    else if (STORE_ENTER[type] === 2) this.storeEnter(ev)
    else if (STORE_ENTER[type] === 1) this.markEnter(ev)
    // sinsp event_cleanup: the stored enter lives until the thread's next exit.
    if ((type & 1) === 1 && this.tinfo !== undefined && this.tinfo.lastEnter !== null) {
      this.tinfo.lastEnter = null
      this.tinfo.lastEnterValid = false
    }
  }

  /** Keeps the enter event for the exit's parser (sinsp store_event). */
  storeEnter(ev: ScapEvent): void {
    const t = this.tinfo
    if (t === undefined) {
      this.count('enter-without-thread')
      return
    }
    t.enterStore = copyEvent(ev, t.enterStore)
    t.lastEnter = t.enterStore
  }

  /** Records that this enter came, without its parameters (for exits that only check the pairing). */
  markEnter(ev: ScapEvent): void {
    const t = this.tinfo
    if (t === undefined) return
    const m = (t.enterStore ??= new ScapEvent())
    m.type = ev.type
    m.nparams = 0
    t.lastEnter = m
  }

  /** The enter event matching this exit, if it was stored and is the right one (retrieve_enter_event). */
  enterOf(ev: ScapEvent): ScapEvent | undefined {
    const t = this.tinfo
    if (t === undefined) return undefined
    const e = t.lastEnter
    if (!t.lastEnterValid || e === null) {
      this.count('exit-without-enter')
      return undefined
    }
    if ((ev.type === EXECVE_18_X || ev.type === EXECVE_19_X) && e.type === EXECVEAT_E) return e
    if (e.type !== ev.type - 1) {
      t.lastEnterValid = false
      this.count('exit-without-enter')
      return undefined
    }
    return e
  }

  /** Schedules the thread's removal before the next event (procexit). */
  scheduleThreadRemoval(tid: number): void {
    this.tidToRemove = tid
  }

  /** Schedules an fd's removal before the next event (close). */
  scheduleFdRemoval(tid: number, fd: number): void {
    this.fdRemoveTid = tid
    this.fdsToRemove[this.nFdsToRemove++] = fd
  }

  private applyRemovals(): void {
    if (this.tidToRemove !== -1) {
      this.threads.remove(this.tidToRemove, false)
      this.tidToRemove = -1
    }
    if (this.nFdsToRemove > 0) {
      const t = this.threads.getOrCreate(this.fdRemoveTid)
      const table = this.threads.fdTable(t)
      if (table !== undefined)
        for (let i = 0; i < this.nFdsToRemove; i++) table.delete(smi(this.fdsToRemove[i] ?? -1))
      this.nFdsToRemove = 0
    }
  }

  private rebuildDeps(): void {
    this.depsPending = false
    const all = [...this.threads.map.values()]
    for (const t of all) {
      const list = this.pendingFds.get(t.tid)
      if (list === undefined) continue
      for (const e of list) {
        const f = fdFromScap(e, this.ifaces, this.fdScratch)
        if (f !== undefined) t.fds.set(smi(e.fd), f)
        else this.count('fd-list-bad-type')
      }
    }
    this.pendingFds.clear()
    for (const t of all) t.nchilds = 0
    for (const t of all) this.threads.countChild(t)
    fixSocketsFromProc(all)
  }

  /** sinsp_parser::reset: finds the thread and, for fd events, the fd. */
  private reset(ev: ScapEvent): void {
    const type = ev.type
    const flags = FLAGS_0293[type] ?? 0
    this.fdinfo = undefined
    this.tinfo = undefined
    if ((flags & EF.SKIPPARSERESET) !== 0) {
      if (type === PROCINFO_E) this.tinfo = this.threads.get(ev.tid)
      return
    }
    if (NO_THREAD[type] === 1) return
    const queryOs = NO_QUERY[type] !== 1
    const t = queryOs ? this.threads.getOrCreate(ev.tid) : this.threads.get(ev.tid)
    this.tinfo = t
    if (type === SCHEDSWITCH_6_E || t === undefined) return
    if (queryOs) t.flags |= CL.ACTIVE
    if ((type & 1) === 0) {
      if (t.inSyscall) this.count('enter-without-exit')
      t.inSyscall = true
      t.lastEventFd = -1
      t.lastEventType = type
      if ((flags & EF.USES_FD) !== 0) {
        t.lastEventFd = fdParam0(ev)
        this.fdinfo = this.threads.getFd(t, t.lastEventFd)
      }
      t.latency = 0
      t.lastEnterTs = this.ts
      return
    }
    t.inSyscall = false
    if (t.lastEnterTs >= 0) t.latency = this.ts - t.lastEnterTs
    if (
      ((type === EXECVE_18_X || type === EXECVE_19_X) && t.lastEventType === EXECVEAT_E) ||
      type === t.lastEventType + 1
    ) {
      t.lastEnterValid = true
    } else {
      t.lastEnterValid = false
      this.count('exit-without-enter')
      // Current drivers send exits only, with the fd among their parameters: use it (as libs HEAD does).
      // 0.29.3 never sees such exits (their extra parameters are beyond its layouts).
      if ((flags & EF.USES_FD) !== 0 && this.isModernExit(ev)) {
        const i = ev.paramIndex('fd')
        if (i >= 0) {
          t.lastEventFd = ev.int(i) ?? -1
          this.fdinfo = this.threads.getFd(t, t.lastEventFd)
        }
      }
      if (t.lastEventType !== TRACER_E) return
    }
    if ((flags & EF.USES_FD) !== 0) {
      this.fdinfo = this.threads.getFd(t, t.lastEventFd)
      if (this.fdinfo === undefined) {
        this.count('fd-unknown')
        return
      }
      if ((this.fdinfo.flags & FD_CLOSE_CANCELED) !== 0) {
        this.fdinfo.flags &= ~FD_CLOSE_CANCELED
        this.scheduleFdRemoval(t.tid, CANCELED_FD_NUMBER)
      }
    }
  }

  /** An event written by current libs: more parameters than sysdig 0.29.3's layout of its type. */
  isModernExit(ev: ScapEvent): boolean {
    return ev.nparams > nparams0293(ev.type, 0xffff)
  }

  /** Absolute ns since the epoch of a time on the `ts` scale. */
  absNs(rel: number): bigint {
    return (BigInt(this.baseHi < 0 ? 0 : this.baseHi) << 32n) + BigInt(this.baseLo) + BigInt(Math.round(rel))
  }

  /** Parameters sysdig 0.29.3 exposes for this event. */
  np(ev: ScapEvent): number {
    return nparams0293(ev.type, ev.nparams)
  }
}

/**
 * sinsp fix_sockets_coming_from_proc: after loading the initial tables, an IPv4 socket whose source port is
 * a listening port of any process is turned around (server role, peer first); every other one is a client.
 */
function fixSocketsFromProc(all: ThreadInfo[]): void {
  const serverPorts = new Set<number>()
  for (const t of all) {
    for (const f of t.fds.values()) {
      if (f.type === FdType.IPV4_SERVSOCK && f.sock !== null) serverPorts.add(f.sock.readUInt16LE(V4S.PORT))
      if (f.type === FdType.IPV6_SERVSOCK && f.sock !== null) serverPorts.add(f.sock.readUInt16LE(V6S.PORT))
    }
  }
  for (const t of all) {
    for (const f of t.fds.values()) {
      if (f.type !== FdType.IPV4_SOCK || f.sock === null || (f.flags & FD_FROM_PROC) === 0) continue
      if (!f.isRoleNone()) continue
      const s = f.sock
      if (serverPorts.has(s.readUInt16LE(V4.SPORT))) {
        const ip = s.readUInt32LE(V4.SIP)
        const port = s.readUInt16LE(V4.SPORT)
        s.writeUInt32LE(s.readUInt32LE(V4.DIP), V4.SIP)
        s.writeUInt16LE(s.readUInt16LE(V4.DPORT), V4.SPORT)
        s.writeUInt32LE(ip, V4.DIP)
        s.writeUInt16LE(port, V4.DPORT)
        f.name = `${ipv4At(s, V4.SIP)}:${s.readUInt16LE(V4.SPORT)}->${ipv4At(s, V4.DIP)}:${s.readUInt16LE(V4.DPORT)}`
        f.setRoleServer()
      } else {
        f.setRoleClient()
      }
    }
  }
}

/** The first parameter as a signed 64-bit fd (the common 8-byte case read inline), -1 when absent. */
function fdParam0(ev: ScapEvent): number {
  if (ev.nparams === 0) return -1
  if (ev.pLen[0] !== 8) return ev.int(0) ?? -1
  const b = ev.buf
  const o = ev.pOff[0] ?? 0
  const lo = ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16)) + (b[o + 3] ?? 0) * 16777216
  const hi = (b[o + 4] ?? 0) | ((b[o + 5] ?? 0) << 8) | ((b[o + 6] ?? 0) << 16) | ((b[o + 7] ?? 0) << 24)
  return hi === 0 ? lo : hi === -1 ? lo - TWO32 : hi * TWO32 + lo
}
