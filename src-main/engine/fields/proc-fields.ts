/** proc.* and thread.* fields (sinsp_filter_check_thread, 0.29.3 semantics). */
import type { ThreadInfo } from '../state/thread-info'
import { CL, EXE } from '../state/thread-info'
import type { ThreadTable } from '../state/thread-table'
import { boolRender, field } from './define'
import type { Def } from './define'
import type { EventContext } from './event-context'

function cmdline(t: ThreadInfo): string {
  let s = t.comm
  for (const a of t.args) s += ' ' + a
  return s
}

/** Main thread of the event's process (sinsp: the thread itself when it is the main one). */
function mainOf(c: EventContext, t: ThreadInfo): ThreadInfo | undefined {
  return t.isMain() ? t : c.state.threads.main(t)
}

function parent(threads: ThreadTable, t: ThreadInfo): ThreadInfo | undefined {
  return threads.get(t.ptid)
}

/** Ancestors of the main thread, nearest first, stopping on loops (sinsp traverse_parent_state). */
function ancestors(threads: ThreadTable, mt: ThreadInfo): ThreadInfo[] {
  const out: ThreadInfo[] = []
  let slow = parent(threads, mt)
  let fast = slow
  while (slow !== undefined) {
    out.push(slow)
    if (fast !== undefined) {
      fast = parent(threads, fast)
      if (fast !== undefined) fast = parent(threads, fast)
    }
    slow = parent(threads, slow)
    if (slow !== undefined && slow === fast) break
    if (out.length > 4096) break
  }
  return out
}

/** The n-th ancestor (0 = the process itself) of the event's process. */
function nth(c: EventContext, n: number): ThreadInfo | undefined {
  const t = c.tinfo
  if (t === undefined) return undefined
  let mt = mainOf(c, t)
  for (let j = 0; j < n && mt !== undefined; j++) mt = parent(c.state.threads, mt)
  return mt
}

function t0(c: EventContext): ThreadInfo | undefined {
  return c.tinfo
}

/** One PPM_EXE_* bit of the thread's executable (set by execve exits that carry the flags parameter). */
function exeBit(c: EventContext, bit: number): boolean | undefined {
  const t = t0(c)
  return t === undefined ? undefined : (t.exeFlags & bit) !== 0
}

export const PROC_FIELDS: Def[] = [
  field('proc.pid', 'int', 'the id of the process generating the event.', (c) => t0(c)?.pid),
  field(
    'proc.exe',
    'string',
    'the first command line argument (usually the executable name).',
    (c) => t0(c)?.exe
  ),
  field('proc.name', 'string', 'the name (excluding the path) of the executable.', (c) => t0(c)?.comm),
  field('proc.args', 'string', 'the arguments passed on the command line.', (c) => t0(c)?.args.join(' ')),
  field('proc.env', 'string', 'the environment variables of the process.', (c) => {
    const t = t0(c)
    if (t === undefined) return undefined
    const m = mainOf(c, t) ?? t
    return m.env.join(' ')
  }),
  field('proc.cmdline', 'string', 'full process command line, i.e. proc.name + proc.args.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : cmdline(t)
  }),
  field('proc.exeline', 'string', 'full process command line, with exe as first argument.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : t.exe + ' ' + t.args.join(' ')
  }),
  field('proc.cwd', 'string', 'the current working directory of the event.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : c.state.threads.cwd(t)
  }),
  field('proc.nthreads', 'uint', 'the number of threads of the process.', (c) => {
    const t = t0(c)
    const m = t === undefined ? undefined : mainOf(c, t)
    return m === undefined ? undefined : m.nchilds + 1
  }),
  field('proc.nchilds', 'uint', 'the number of child threads of the process.', (c) => t0(c)?.nchilds),
  field('proc.ppid', 'int', 'the pid of the parent of the process generating the event.', (c) => {
    const t = t0(c)
    if (t === undefined) return undefined
    return mainOf(c, t)?.ptid
  }),
  field('proc.pname', 'string', 'the name of the parent of the process.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : c.state.threads.get(t.ptid)?.comm
  }),
  field('proc.pcmdline', 'string', 'the full command line of the parent.', (c) => {
    const t = t0(c)
    const p = t === undefined ? undefined : c.state.threads.get(t.ptid)
    return p === undefined ? undefined : cmdline(p)
  }),
  field('proc.pexe', 'string', 'the exe of the parent.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : c.state.threads.get(t.ptid)?.exe
  }),
  field('proc.pexepath', 'string', 'the exepath of the parent.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : c.state.threads.get(t.ptid)?.exepath
  }),
  field(
    'proc.apid',
    'int',
    'the pid of one of the process ancestors (proc.apid[1] = parent).',
    (c, a) => {
      if (typeof a === 'number') return nth(c, a)?.pid
      const t = t0(c)
      const m = t === undefined ? undefined : mainOf(c, t)
      return m === undefined ? undefined : ancestors(c.state.threads, m).map((x) => x.pid)
    },
    { arg: 'optional', argKind: 'index', multi: 'any' }
  ),
  field(
    'proc.aname',
    'string',
    'the name of one of the process ancestors (proc.aname[1] = parent).',
    (c, a) => {
      if (typeof a === 'number') return nth(c, a)?.comm
      const t = t0(c)
      const m = t === undefined ? undefined : mainOf(c, t)
      return m === undefined ? undefined : ancestors(c.state.threads, m).map((x) => x.comm)
    },
    { arg: 'optional', argKind: 'index', multi: 'any' }
  ),
  field(
    'proc.aexe',
    'string',
    'the exe of one of the process ancestors.',
    (c, a) => {
      if (typeof a === 'number') return nth(c, a)?.exe
      const t = t0(c)
      const m = t === undefined ? undefined : mainOf(c, t)
      return m === undefined ? undefined : ancestors(c.state.threads, m).map((x) => x.exe)
    },
    { arg: 'optional', argKind: 'index', multi: 'any' }
  ),
  field(
    'proc.aexepath',
    'string',
    'the exepath of one of the process ancestors.',
    (c, a) => {
      if (typeof a === 'number') return nth(c, a)?.exepath
      const t = t0(c)
      const m = t === undefined ? undefined : mainOf(c, t)
      return m === undefined ? undefined : ancestors(c.state.threads, m).map((x) => x.exepath)
    },
    { arg: 'optional', argKind: 'index', multi: 'any' }
  ),
  field('proc.loginshellid', 'int', 'the pid of the oldest shell among the ancestors.', (c) => {
    const t = t0(c)
    const m = t === undefined ? undefined : mainOf(c, t)
    if (m === undefined) return undefined
    let res: number | undefined
    for (const x of [m, ...ancestors(c.state.threads, m)]) if (x.comm.endsWith('sh')) res = x.pid
    return res
  }),
  field('proc.duration', 'reltime', 'number of nanoseconds since the process started.', (c) => {
    const t = t0(c)
    if (t === undefined || t.cloneTs < 0) return undefined
    return c.state.ts - t.cloneTs
  }),
  field('proc.fdopencount', 'uint', 'number of open FDs for the process.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : (c.state.threads.fdTable(t)?.size ?? 0)
  }),
  field('proc.fdlimit', 'int', 'maximum number of FDs the process can open.', (c) => {
    const t = t0(c)
    const m = t === undefined ? undefined : mainOf(c, t)
    return m?.fdlimit
  }),
  field('proc.vmsize', 'uint', 'total virtual memory for the process (kb).', (c) => t0(c)?.vmsizeKb),
  field('proc.vmrss', 'uint', 'resident non-swapped memory for the process (kb).', (c) => t0(c)?.vmrssKb),
  field('proc.vmswap', 'uint', 'swapped memory for the process (kb).', (c) => t0(c)?.vmswapKb),
  field('thread.pfmajor', 'uint', 'number of major page faults since thread start.', (c) => t0(c)?.pfmajor),
  field('thread.pfminor', 'uint', 'number of minor page faults since thread start.', (c) => t0(c)?.pfminor),
  field('thread.tid', 'int', 'the id of the thread generating the event.', (c) => c.ev.tid),
  field(
    'thread.ismain',
    'bool',
    "'true' if the thread is the main one of its process.",
    (c) => t0(c)?.isMain(),
    {
      render: boolRender
    }
  ),
  field('thread.cgroups', 'string', 'all the cgroups the thread belongs to.', (c) => {
    const t = t0(c)
    if (t === undefined || t.cgroups.length === 0) return undefined
    return t.cgroups.map(([k, v]) => `${k}=${v}`).join(' ')
  }),
  field(
    'thread.cgroup',
    'string',
    'the cgroup the thread belongs to, for a subsystem (thread.cgroup.cpuacct).',
    (c, a) => {
      const t = t0(c)
      if (t === undefined) return undefined
      for (const [k, v] of t.cgroups) if (k === a) return v
      return undefined
    },
    { arg: 'required' }
  ),
  field('thread.vtid', 'int', 'the id of the thread as seen from its pid namespace.', (c) => {
    const t = t0(c)
    return t === undefined || t.vtid === -1 ? undefined : t.vtid
  }),
  field('proc.vpid', 'int', 'the id of the process as seen from its pid namespace.', (c) => {
    const t = t0(c)
    return t === undefined || t.vpid === -1 ? undefined : t.vpid
  }),
  field('thread.vmsize', 'uint', 'main thread: total virtual memory of the process (kb).', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : t.isMain() ? t.vmsizeKb : 0
  }),
  field('thread.vmrss', 'uint', 'main thread: resident memory of the process (kb).', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : t.isMain() ? t.vmrssKb : 0
  }),
  field('proc.sid', 'int', 'the session id of the process.', (c) => t0(c)?.sid),
  field('proc.sname', 'string', "the name of the current process's session leader.", (c) => {
    const t = t0(c)
    if (t === undefined) return undefined
    const s = c.state.threads.get(t.sid)
    if (s !== undefined) return s.comm
    let mt = mainOf(c, t)
    if (mt === undefined) return undefined
    const sid = mt.sid
    for (const p of ancestors(c.state.threads, mt)) {
      if (p.sid !== sid) break
      mt = p
    }
    return mt.comm
  }),
  field('proc.tty', 'int', 'the controlling terminal of the process (0 for none).', (c) => t0(c)?.tty),
  field('proc.exepath', 'string', 'the full executable path of the process.', (c) => t0(c)?.exepath),
  field('proc.vpgid', 'int', 'the process group id as seen from its pid namespace.', (c) => t0(c)?.vpgid),
  field(
    'proc.is_vpgid_leader',
    'bool',
    'true if the process is its process group leader.',
    (c) => {
      const t = t0(c)
      if (t === undefined || t.vpgid === -1 || t.vpid === -1) return undefined
      return t.vpgid === t.vpid
    },
    { render: boolRender }
  ),
  field(
    'proc.is_exe_writable',
    'bool',
    'true if the executable is writable by the process user.',
    (c) => exeBit(c, EXE.WRITABLE),
    { render: boolRender }
  ),
  field(
    'proc.is_exe_upper_layer',
    'bool',
    'true if the executable is in an overlay upper layer.',
    (c) => exeBit(c, EXE.UPPER_LAYER),
    { render: boolRender }
  ),
  field(
    'proc.is_exe_from_memfd',
    'bool',
    'true if the executable is a memfd.',
    (c) => exeBit(c, EXE.FROM_MEMFD),
    { render: boolRender }
  ),
  field(
    'proc.is_container_healthcheck',
    'bool',
    'true if part of a container health check.',
    (c) => (t0(c) === undefined ? undefined : false),
    { render: boolRender }
  ),
  field(
    'proc.is_container_liveness_probe',
    'bool',
    'true if part of a liveness probe.',
    (c) => (t0(c) === undefined ? undefined : false),
    { render: boolRender }
  ),
  field(
    'proc.is_container_readiness_probe',
    'bool',
    'true if part of a readiness probe.',
    (c) => (t0(c) === undefined ? undefined : false),
    { render: boolRender }
  ),
  field('thread.nametid', 'string', 'process name and tid of the thread.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : t.comm + String(c.ev.tid)
  }),
  field('proc.pid.ts', 'uint', 'start of the process (clone time), ns.', (c) => {
    const t = t0(c)
    return t === undefined || t.cloneTs < 0 ? undefined : c.state.absNs(t.cloneTs)
  }),
  field(
    'thread.is_closed',
    'bool',
    'true after the thread exited.',
    (c) => {
      const t = t0(c)
      return t === undefined ? undefined : (t.flags & CL.CLOSED) !== 0
    },
    { render: boolRender }
  )
]
