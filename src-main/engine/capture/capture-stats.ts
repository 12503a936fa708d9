import type { CaptureVisitor, MachineInfo, ProcEntry, SectionHeader } from './capture-types'
import { containerIdFromCgroups } from './container-id'
import type { ScapEvent } from './scap-event'

const DROP_E = 148
const DROP_X = 149
/** Exit events whose params name a process: clone/fork/vfork/clone3 and execve/execveat, all versions. */
const PROC_EVENT_NAMES = new Set(['clone', 'fork', 'vfork', 'clone3', 'execve', 'execveat'])

/** What `peregrine info` reports, gathered at decoder level (no state engine): counts and distinct ids. */
export interface CaptureStats {
  sections: SectionHeader[]
  machines: MachineInfo[]
  events: number
  /** Smallest and largest non-zero event timestamps (hi/lo halves), or null without events. */
  firstTs: { hi: number; lo: number } | null
  lastTs: { hi: number; lo: number } | null
  /** Events whose timestamp is lower than the previous event's (sinsp does not sort). */
  tsBackwards: number
  /** "name dir" (generic events by syscall name) → count, largest first. */
  byType: [string, number][]
  /** Distinct pids from the PL blocks and from clone/execve exit params. */
  processes: number
  /** Distinct tids from the PL blocks and event headers. */
  threads: number
  threadsFromProcList: number
  /** 12-hex container ids from PL cgroups and clone/execve cgroups params. */
  containers: string[]
  dropEnter: number
  dropExit: number
  users: number
  groups: number
  interfaces: number
  fds: number
}

/** A visitor collecting CaptureStats; call `result()` after the read. */
export class StatsCollector implements CaptureVisitor {
  private readonly sectionList: SectionHeader[] = []
  private readonly machineList: MachineInfo[] = []
  private readonly pids = new Set<number>()
  private readonly tids = new Set<number>()
  private plThreads = 0
  private readonly containerIds = new Set<string>()
  /** type code (or 65536 + syscall id for generic events) → count. */
  private readonly typeCounts = new Map<number, number>()
  private readonly typeNames = new Map<number, string>()
  private n = 0
  private minHi = -1
  private minLo = 0
  private maxHi = -1
  private maxLo = 0
  private prevHi = 0
  private prevLo = 0
  private backwards = 0
  private drops = [0, 0]
  private counts = { users: 0, groups: 0, interfaces: 0, fds: 0 }

  section(s: SectionHeader): void {
    this.sectionList.push(s)
  }

  machineInfo(m: MachineInfo): void {
    this.machineList.push(m)
  }

  thread(t: ProcEntry): void {
    this.plThreads++
    this.tids.add(t.tid)
    this.pids.add(t.pid)
    const c = containerIdFromCgroups(t.cgroups)
    if (c !== '') this.containerIds.add(c)
  }

  fd(): void {
    this.counts.fds++
  }

  user(): void {
    this.counts.users++
  }

  group(): void {
    this.counts.groups++
  }

  iface(): void {
    this.counts.interfaces++
  }

  event(ev: ScapEvent): boolean {
    this.n++
    const type = ev.type
    let key = type
    if (type <= 1 && ev.nparams > 0 && ev.paramLength(0) === 2) key = 65536 + (ev.int(0) ?? 0)
    const c = this.typeCounts.get(key)
    if (c === undefined) {
      this.typeCounts.set(key, 1)
      this.typeNames.set(key, `${ev.typeName} ${ev.isEnter ? '>' : '<'}`)
    } else this.typeCounts.set(key, c + 1)
    if (ev.tid >= 0) this.tids.add(ev.tid)
    const hi = ev.tsHi
    const lo = ev.tsLo
    if (hi !== 0 || lo !== 0) {
      if (this.minHi < 0 || hi < this.minHi || (hi === this.minHi && lo < this.minLo)) {
        this.minHi = hi
        this.minLo = lo
      }
      if (hi > this.maxHi || (hi === this.maxHi && lo > this.maxLo)) {
        this.maxHi = hi
        this.maxLo = lo
      }
      if (hi < this.prevHi || (hi === this.prevHi && lo < this.prevLo)) this.backwards++
      this.prevHi = hi
      this.prevLo = lo
    }
    if (type === DROP_E) this.drops[0] = (this.drops[0] ?? 0) + 1
    else if (type === DROP_X) this.drops[1] = (this.drops[1] ?? 0) + 1
    else if (!ev.isEnter && PROC_EVENT_NAMES.has(ev.info.name)) this.procEvent(ev)
    return true
  }

  private procEvent(ev: ScapEvent): void {
    const pi = ev.paramIndex('pid')
    const pid = pi >= 0 ? ev.int(pi) : undefined
    if (pid !== undefined && pid > 0) this.pids.add(pid)
    const ti = ev.paramIndex('tid')
    const tid = ti >= 0 ? ev.int(ti) : undefined
    if (tid !== undefined && tid > 0) this.tids.add(tid)
    const ci = ev.paramIndex('cgroups')
    if (ci >= 0) {
      const raw = ev.bytes(ci)
      if (raw !== undefined && raw.length > 0) {
        const c = containerIdFromCgroups(raw.toString('utf8').split('\0'))
        if (c !== '') this.containerIds.add(c)
      }
    }
  }

  result(): CaptureStats {
    const byType = [...this.typeCounts].map(([k, v]): [string, number] => [
      this.typeNames.get(k) ?? String(k),
      v
    ])
    byType.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    return {
      sections: this.sectionList,
      machines: this.machineList,
      events: this.n,
      firstTs: this.minHi < 0 ? null : { hi: this.minHi, lo: this.minLo },
      lastTs: this.maxHi < 0 ? null : { hi: this.maxHi, lo: this.maxLo },
      tsBackwards: this.backwards,
      byType,
      processes: this.pids.size,
      threads: this.tids.size,
      threadsFromProcList: this.plThreads,
      containers: [...this.containerIds].sort(),
      dropEnter: this.drops[0] ?? 0,
      dropExit: this.drops[1] ?? 0,
      ...this.counts
    }
  }
}
