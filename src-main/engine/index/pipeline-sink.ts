/**
 * The event sink of real imports: the state engine (and the rules, when given) see every event first, as in
 * `sysdig -r` / Falco; then this module reads the event's thread, process and fd from the state, keeps
 * per-process and per-thread records by surrogate id, and derives the file activity, connection and I/O
 * rows (see activity.ts).
 */
import type { ScapEvent } from '../capture/scap-event'
import { EF } from '../capture/schema/event-table.generated'
import { EventVisibility } from '../state/hidden-events'
import { RuleScanner } from '../rules/scan'
import { Ruleset } from '../rules/ruleset'
import type { ThreadInfo } from '../state/thread-info'
import type { FdInfo } from '../state/fd-info'
import type { EventContextOut, EventSink, SinkFactory, SinkOptions } from './event-sink'
import type { ProcessRow, ThreadRow } from './writer'
import type { RowSink } from './row-sink'
import { ActivityExtractor } from './activity'
import { RulesDuringImport } from './rules-during-import'

const PROCEXIT_E = 16
const PROCEXIT_1_E = 186

interface ProcRec {
  upid: number
  main: ThreadInfo
  firstTid: number
  ptid: number
  parentUpid: number | null
  startTs: number | null
  execTs: number | null
  endTs: number | null
  exitStatus: number | null
  fromSnapshot: boolean
  firstNum: number | null
  lastNum: number | null
  events: number
  order: number
}

interface ThreadRec {
  t: ThreadInfo
  startTs: number | null
  endTs: number | null
  events: number
  /** the open name interval: what the thread was called since event `from` */
  from: number
  last: number
  name: string
  exe: string
  exepath: string
  args: string[]
}

/** utid, from num, to num, name, exe, exepath, cmdline */
export type ThreadNameRow = [number, number, number, string, string, string, string]

function cmdlineOf(name: string, args: readonly string[]): string {
  return args.length > 0 ? `${name} ${args.join(' ')}` : name
}

export const createEventSink: SinkFactory = (w: RowSink, opts: SinkOptions): EventSink => {
  // The rules scanner owns the state engine: events reach state and rules exactly as in `peregrine scan`.
  const rules = opts.rules !== null && opts.rules.length > 0 ? new RulesDuringImport(w, opts.rules) : null
  const scanner = new RuleScanner(rules?.ruleset ?? new Ruleset([], 'first'), (a) => {
    const t = state.tinfo
    rules?.write(a, curTs, t?.utid ?? null, t?.upid ?? null)
  })
  const state = scanner.state
  const visibility = new EventVisibility()
  const procs = new Map<number, ProcRec>()
  const threads = new Map<number, ThreadRec>()
  const names: ThreadNameRow[] = []
  const activity = new ActivityExtractor(w, state, opts.ioData)
  let order = 0
  let curTs = 0
  let inSnapshot = true
  let lastFd: FdInfo | undefined
  let lastFdName = ''
  let lastFdId = 0

  const out: EventContextOut = {
    utid: null,
    upid: null,
    fd: null,
    fdName: null,
    fdType: null,
    res: null,
    tid: null,
    hidden: false,
    drop: false
  }

  function register(t: ThreadInfo, num: number | null): ThreadRec {
    let tr = threads.get(t.utid)
    if (tr === undefined || tr.t !== t) {
      tr = {
        t,
        startTs: inSnapshot ? null : curTs,
        endTs: null,
        events: 0,
        from: -1,
        last: -1,
        name: t.comm,
        exe: t.exe,
        exepath: t.exepath,
        args: t.args
      }
      threads.set(t.utid, tr)
    }
    if (!procs.has(t.upid)) {
      const main = t.tid === t.pid ? t : (state.threads.get(t.pid) ?? t)
      const parent = state.threads.get(t.ptid)
      procs.set(t.upid, {
        upid: t.upid,
        main,
        firstTid: t.tid,
        ptid: t.ptid,
        parentUpid: parent !== undefined && parent.upid !== t.upid ? parent.upid : null,
        startTs: inSnapshot ? null : curTs,
        execTs: null,
        endTs: null,
        exitStatus: null,
        fromSnapshot: inSnapshot,
        firstNum: num,
        lastNum: num,
        events: 0,
        order: order++
      })
    }
    return tr
  }

  const sink: EventSink = {
    section(shb) {
      visibility.section(shb.index)
      state.section()
      inSnapshot = true
      lastFd = undefined
    },
    machineInfo(mi) {
      state.machineInfo(mi)
    },
    thread(p) {
      state.thread(p)
      const t = state.threads.get(p.tid)
      if (t !== undefined) register(t, null)
    },
    fd(tid, f) {
      state.fd(tid, f)
    },
    user(u) {
      state.user(u)
    },
    group(g) {
      state.group(g)
    },
    iface(i) {
      state.iface(i)
    },
    anomaly(a) {
      state.anomaly(a)
    },
    event(ev: ScapEvent, ts: number): EventContextOut {
      inSnapshot = false
      curTs = ts
      // sysdig's numbering and visibility (renumbers ev.num; events it skips entirely are not indexed)
      const v = visibility.classify(ev)
      out.drop = v === 'drop'
      if (out.drop) return out
      out.hidden = v === 'hide'
      const type = ev.type
      scanner.event(ev) // state, then the rules (alerts are written from its callback)
      const t = state.eventThread(ev.tid)
      const enter = (type & 1) === 0
      const flags = ev.info.flags
      let res: number | null = null
      if (!enter) {
        const ri = activity.resIndex(ev)
        res = ri >= 0 ? (ev.int(ri) ?? null) : null
      }
      out.res = res
      // sysdig's thread.tid is the header tid: stored only where utid does not give it (no thread)
      out.tid = t === undefined || t.tid !== ev.tid ? ev.tid : null
      if (t === undefined) {
        out.utid = null
        out.upid = null
        out.fd = null
      } else {
        out.utid = t.utid
        out.upid = t.upid
        const tr = register(t, ev.num)
        if (!out.hidden) tr.events++
        if (tr.from < 0) {
          tr.from = ev.num
          tr.name = t.comm
          tr.exe = t.exe
          tr.exepath = t.exepath
          tr.args = t.args
        } else if (t.comm !== tr.name || t.exe !== tr.exe || t.args !== tr.args || t.exepath !== tr.exepath) {
          // an execve (or a rename): close the interval before this event
          names.push([t.utid, tr.from, ev.num - 1, tr.name, tr.exe, tr.exepath, cmdlineOf(tr.name, tr.args)])
          tr.from = ev.num
          tr.name = t.comm
          tr.exe = t.exe
          tr.exepath = t.exepath
          tr.args = t.args
        }
        tr.last = ev.num
        const pr = procs.get(t.upid)
        if (pr !== undefined) {
          if (!out.hidden) pr.events++
          pr.firstNum ??= ev.num
          pr.lastNum = ev.num
          if (type === PROCEXIT_E || type === PROCEXIT_1_E) {
            tr.endTs = ts
            if (t.tid === t.pid || pr.main === t) {
              pr.endTs = ts
              const si = ev.paramIndex('status')
              pr.exitStatus = si >= 0 ? (ev.int(si) ?? null) : null
            }
          }
        }
        if (enter) out.fd = (flags & EF.USES_FD) !== 0 ? (ev.int(0) ?? null) : null
        else if ((flags & EF.CREATES_FD) !== 0) out.fd = res !== null && res >= 0 ? res : null
        else out.fd = (flags & EF.USES_FD) !== 0 && t.lastEventFd >= 0 ? t.lastEventFd : null
      }
      const f = state.fdinfo
      if (f === undefined) {
        out.fdName = null
        out.fdType = null
      } else {
        if (f !== lastFd || f.name !== lastFdName) {
          lastFd = f
          lastFdName = f.name
          lastFdId = w.intern(f.name)
        }
        out.fdName = lastFdId
        out.fdType = f.type | (f.l4proto() << 8)
      }
      if (t !== undefined && !enter) {
        const kind = activity.onExit(ev, ts, t, out, res)
        if (kind === 'exec' && res === 0) {
          const pr = procs.get(t.upid)
          if (pr !== undefined) {
            pr.execTs = ts
            pr.main = t.tid === t.pid ? t : pr.main
          }
        }
      } else if (t !== undefined) activity.onEnter(ev, t)
      return out
    },
    finish() {
      const processes: ProcessRow[] = []
      const byPid = new Map<number, ProcRec[]>()
      const recs = [...procs.values()].sort((a, b) => a.order - b.order)
      for (const r of recs) {
        const list = byPid.get(r.main.pid)
        if (list === undefined) byPid.set(r.main.pid, [r])
        else list.push(r)
      }
      for (const r of recs) {
        const m = r.main
        if (r.parentUpid === null && r.ptid > 0) {
          // the parent was not known yet when the child appeared (process list order): latest earlier one
          const cands = byPid.get(r.ptid) ?? []
          let best: ProcRec | undefined
          for (const c of cands) if (c.order < r.order || best === undefined) best = c
          if (best !== undefined && best.upid !== r.upid) r.parentUpid = best.upid
        }
        const uid = m.uid === 0xffffffff ? null : m.uid
        const loginuid = m.loginuid === 0xffffffff ? null : m.loginuid
        processes.push({
          upid: r.upid,
          pid: m.pid,
          vpid: m.vpid >= 0 ? m.vpid : null,
          ppid: m.ptid >= 0 ? m.ptid : null,
          parentUpid: r.parentUpid,
          name: m.comm,
          exe: m.exe,
          exepath: m.exepath,
          cmdline: m.args.length > 0 ? `${m.comm} ${m.args.join(' ')}` : m.comm,
          args: m.args.join(' '),
          cwd: m.cwd,
          uid,
          user: uid === null ? null : (state.users.get(uid)?.name ?? null),
          loginuid: loginuid,
          loginuser: loginuid === null ? null : (state.users.get(loginuid)?.name ?? null),
          tty: m.tty,
          sid: m.sid >= 0 ? m.sid : null,
          containerId: m.containerId === '' ? 'host' : m.containerId,
          startTs: r.startTs,
          execTs: r.execTs,
          endTs: r.endTs,
          exitStatus: r.exitStatus,
          fromSnapshot: r.fromSnapshot,
          firstNum: r.firstNum,
          lastNum: r.lastNum,
          events: r.events
        })
      }
      const threadRows: ThreadRow[] = [...threads.entries()].map(([utid, tr]) => ({
        utid,
        tid: tr.t.tid,
        upid: tr.t.upid,
        name: tr.t.comm,
        startTs: tr.startTs,
        endTs: tr.endTs,
        events: tr.events
      }))
      for (const [utid, tr] of threads)
        if (tr.from >= 0)
          names.push([utid, tr.from, tr.last, tr.name, tr.exe, tr.exepath, cmdlineOf(tr.name, tr.args)])
      activity.finish()
      rules?.finish(scanner.events)
      // the decoder's own anomalies are in the capture summary already (state echoes them as decoder:*)
      const stats = Object.entries(state.counters)
        .filter(([code]) => !code.startsWith('decoder:'))
        .map(([code, count]) => ({
          code,
          source: 'state',
          severity: code === 'fd-unknown' || code.startsWith('decoder:') ? 'warning' : 'info',
          count,
          message: STATE_MESSAGES[code] ?? code
        }))
      const containers = [...state.containers.map.values()].map((c) => ({
        id: c.id,
        name: c.name === '' ? null : c.name,
        image: c.image === '' ? null : c.image,
        type: null,
        privileged: c.privileged === undefined ? null : c.privileged ? 1 : 0
      }))
      return {
        processes,
        threads: threadRows,
        threadNames: names,
        containers,
        stats: [...stats, ...(rules?.stats() ?? [])]
      }
    }
  }
  return sink
}

const STATE_MESSAGES: Record<string, string> = {
  'exit-without-enter': 'exit events whose enter event was not seen (capture started mid-syscall or drops)',
  'enter-without-thread': 'enter events of threads the state did not know',
  'fd-unknown': 'events on fds that were opened before the capture and not in its fd table',
  'fd-list-unknown-thread': 'fd table entries of threads missing from the process list'
}
