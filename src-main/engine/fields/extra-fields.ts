/**
 * Less common fields of the catalogue: evt extras, process-group/session lookups, std streams, fs.path.*,
 * fdlist.*, k8s.* from container labels, and fields whose data no capture sysdig 0.29.3 reads carries
 * (they are known names that extract nothing, so rules using them load and never match).
 */
import { FdType } from '../capture/capture-types'
import { EF } from '../capture/schema/event-table.generated'
import { argIndex } from '../format/evt-info'
import { FLAGS_0293 } from '../state/event-flags'
import type { FdInfo } from '../state/fd-info'
import { fdTypeString } from '../state/fd-info'
import { concatPaths, isRelative } from '../state/paths'
import { rawStr } from '../state/parsers/file'
import type { ThreadInfo } from '../state/thread-info'
import { boolRender, field } from './define'
import type { Def } from './define'
import type { EventContext } from './event-context'

function t0(c: EventContext): ThreadInfo | undefined {
  return c.tinfo
}

function mainOf(c: EventContext, t: ThreadInfo): ThreadInfo | undefined {
  return t.isMain() ? t : c.state.threads.main(t)
}

function cmdline(t: ThreadInfo): string {
  let s = t.comm
  for (const a of t.args) s += ' ' + a
  return s
}

function ancestor(c: EventContext, n: number): ThreadInfo | undefined {
  const t = t0(c)
  let mt = t === undefined ? undefined : mainOf(c, t)
  for (let j = 0; j < n && mt !== undefined; j++) mt = c.state.threads.get(mt.ptid)
  return mt
}

function ancestors(c: EventContext): ThreadInfo[] {
  const out: ThreadInfo[] = []
  let mt = ancestor(c, 1)
  const seen = new Set<ThreadInfo>()
  while (mt !== undefined && !seen.has(mt) && out.length < 4096) {
    seen.add(mt)
    out.push(mt)
    mt = c.state.threads.get(mt.ptid)
  }
  return out
}

/** A std stream (fd 0/1/2) of the event's process. */
function stdFd(c: EventContext, n: number): FdInfo | undefined {
  const t = t0(c)
  return t === undefined ? undefined : c.state.threads.getFd(t, n)
}

/** A parameter's path text resolved against the cwd (sinsp FSPATH resolution). */
function pathParam(c: EventContext, name: string): string | undefined {
  const i = argIndex(c.ev, name)
  if (i < 0 || i >= c.state.np(c.ev)) return undefined
  const p = rawStr(c.ev, i)
  const t = t0(c)
  if (!isRelative(p) || t === undefined) return p
  return concatPaths(c.state.threads.cwd(t), p)
}

const FS_NAME = ['name', 'path', 'pathname', 'filename']
const FS_SOURCE = ['oldpath', 'target']
const FS_TARGET = ['newpath', 'linkpath']
const FS_TYPES = new Set([
  'open',
  'openat',
  'openat2',
  'creat',
  'mkdir',
  'mkdirat',
  'rmdir',
  'unlink',
  'unlinkat',
  'rename',
  'renameat',
  'renameat2',
  'link',
  'linkat',
  'symlink',
  'symlinkat',
  'chmod',
  'fchmodat'
])

function fsPath(c: EventContext, names: string[]): string | undefined {
  if ((c.ev.type & 1) === 0 || !FS_TYPES.has(c.ev.info.name)) return undefined
  for (const n of names) {
    const v = pathParam(c, n)
    if (v !== undefined) return v
  }
  return undefined
}

/** FDLIST parameter (poll/ppoll/select): [fd, events] pairs. */
function fdList(c: EventContext): number[] | undefined {
  const i = argIndex(c.ev, 'fds')
  const b = i < 0 ? undefined : c.ev.bytes(i)
  if (b === undefined || b.length < 2) return undefined
  const n = b.readUInt16LE(0)
  const out: number[] = []
  for (let k = 0; k < n && 2 + k * 10 + 8 <= b.length; k++) out.push(Number(b.readBigInt64LE(2 + k * 10)))
  return out
}

function fdlistMap<T>(
  c: EventContext,
  f: (fd: FdInfo | undefined, n: number) => T | undefined
): T[] | undefined {
  const fds = fdList(c)
  const t = t0(c)
  if (fds === undefined || t === undefined) return undefined
  const out: T[] = []
  for (const n of fds) {
    const v = f(c.state.threads.getFd(t, n), n)
    if (v !== undefined) out.push(v)
  }
  return out
}

function labels(c: EventContext): Record<string, string> | undefined {
  const t = t0(c)
  if (t === undefined || t.containerId === '') return undefined
  const json = c.state.containers.get(t.containerId)?.json
  const l = json?.labels ?? json?.Labels
  if (typeof l !== 'object' || l === null) return undefined
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(l as Record<string, unknown>)) if (typeof v === 'string') out[k] = v
  return out
}

function label(key: string): (c: EventContext) => string | undefined {
  return (c) => {
    const v = labels(c)?.[key]
    return v === undefined || v === '' ? undefined : v
  }
}

function none(): undefined {
  return undefined
}

function resValue(c: EventContext): number | undefined {
  const i = argIndex(c.ev, 'res')
  if (i >= 0 && i < c.state.np(c.ev)) return c.ev.int(i)
  if (((FLAGS_0293[c.ev.type] ?? 0) & EF.CREATES_FD) !== 0 && (c.ev.type & 1) === 1) {
    const j = argIndex(c.ev, 'fd')
    if (j >= 0 && j < c.state.np(c.ev)) return c.ev.int(j)
  }
  return undefined
}

const NA_NAMES = [
  'container.cni.json',
  'container.liveness_probe',
  'container.readiness_probe',
  'container.host_ipc',
  'container.host_network',
  'container.host_pid',
  'evt.plugininfo',
  'evt.pluginname',
  'evt.asynctype',
  'k8s.pod.cni.json',
  'k8s.pod.full_sandbox_id',
  'k8s.pod.sandbox_id',
  'k8s.pod.ip',
  'k8s.rc.id',
  'k8s.rc.name',
  'k8s.rs.id',
  'k8s.rs.name',
  'k8s.svc.id',
  'k8s.svc.name',
  'k8s.deployment.id',
  'k8s.deployment.name',
  'k8s.ns.id',
  'proc.exe_ino',
  'proc.exe_ino.ctime',
  'proc.exe_ino.mtime',
  'proc.exe_ino.ctime_duration_proc_start',
  'proc.exe_ino.ctime_duration_pidns_start',
  'proc.pidns_init_start_ts',
  'thread.cap_effective',
  'thread.cap_permitted',
  'thread.cap_inheritable',
  'thread.cpu',
  'thread.cpu.user',
  'thread.cpu.system',
  'container.duration'
]

export const EXTRA_FIELDS: Def[] = [
  ...NA_NAMES.map((n) => field(n, 'string', 'not available in captures sysdig 0.29.3 reads.', none)),
  ...[
    'k8s.pod.label',
    'k8s.ns.label',
    'k8s.rc.label',
    'k8s.rs.label',
    'k8s.svc.label',
    'k8s.deployment.label'
  ].map((n) => field(n, 'string', 'a kubernetes label (not available offline).', none, { arg: 'required' })),
  ...[
    'k8s.pod.labels',
    'k8s.ns.labels',
    'k8s.rc.labels',
    'k8s.rs.labels',
    'k8s.svc.labels',
    'k8s.deployment.labels'
  ].map((n) => field(n, 'string', 'kubernetes labels (not available offline).', none)),
  field(
    'k8s.pod.name',
    'string',
    'the kubernetes pod name (container label).',
    label('io.kubernetes.pod.name')
  ),
  field(
    'k8s.ns.name',
    'string',
    'the kubernetes namespace (container label).',
    label('io.kubernetes.pod.namespace')
  ),
  field('k8s.pod.id', 'string', 'the kubernetes pod uid (container label).', label('io.kubernetes.pod.uid')),
  field('k8s.pod.uid', 'string', 'the kubernetes pod uid (container label).', label('io.kubernetes.pod.uid')),
  field(
    'container.label',
    'string',
    'a container label, e.g. container.label.foo.',
    (c, a) => {
      if (typeof a !== 'string') return undefined
      return labels(c)?.[a]
    },
    { arg: 'required' }
  ),
  field('container.labels', 'string', 'the container labels as key:value, comma separated.', (c) => {
    const l = labels(c)
    return l === undefined
      ? undefined
      : Object.entries(l)
          .map(([k, v]) => `${k}:${v}`)
          .join(', ')
  }),
  field('evt.datetime.s', 'string', 'event timestamp with the date, no nanoseconds.', (c) => {
    const d = new Date(Math.floor((c.ev.tsHi * 4294967296 + c.ev.tsLo) / 1e6))
    return d.toISOString().slice(0, 19).replace('T', ' ')
  }),
  field('evt.reltime.s', 'reltime', 'seconds from the beginning of the capture.', (c) =>
    Math.floor((c.state.ts - c.state.firstTs) / 1e9)
  ),
  field(
    'evt.reltime.ns',
    'reltime',
    'ns part of the time from the beginning of the capture.',
    (c) => (c.state.ts - c.state.firstTs) % 1e9
  ),
  field('evt.latency.s', 'reltime', 'integer part of the event latency.', (c) =>
    Math.floor((t0(c)?.latency ?? 0) / 1e9)
  ),
  field(
    'evt.latency.ns',
    'reltime',
    'fractional part of the event latency.',
    (c) => (t0(c)?.latency ?? 0) % 1e9
  ),
  field('evt.hostname', 'string', 'the host name of the capture.', (c) => c.state.machine?.hostname),
  field('evt.source', 'string', "the event source ('syscall').", () => 'syscall'),
  field('evt.is_async', 'bool', "'true' for asynchronous (meta) events.", (c) => c.ev.tid === -1, {
    render: boolRender
  }),
  field('evt.count.exit', 'uint', '1 for exit events.', (c) => ((c.ev.type & 1) === 1 ? 1 : 0)),
  field('evt.count.error', 'uint', '1 for events that failed.', (c) => {
    const r = resValue(c)
    return r !== undefined && r < 0 ? 1 : undefined
  }),
  field(
    'evt.is_open_create',
    'bool',
    "'true' for opens that may create the file (O_CREAT).",
    (c) => {
      const t = c.ev.info.name
      if (t !== 'open' && t !== 'openat' && t !== 'openat2') return false
      const i = argIndex(c.ev, 'flags')
      return i >= 0 && ((c.ev.int(i) ?? 0) & 4) !== 0
    },
    { render: boolRender }
  ),
  field(
    'evt.type.is',
    'uint',
    '1 for events of the given type (evt.type.is.open).',
    (c, a) => (c.ev.info.name === a ? 1 : 0),
    { arg: 'required' }
  ),
  field('evt.abspath', 'string', 'absolute path of the path argument of *at calls.', (c) =>
    fsPath(c, ['name', 'path', 'linkpath', 'newpath'])
  ),
  field(
    'evt.around',
    'uint',
    'events around a time (evt.around[T]=ms).',
    (c, a) => {
      if (a === undefined) return undefined
      return Math.abs(Number(c.state.absNs(c.state.ts) - BigInt(a)) / 1e6)
    },
    { arg: 'required', filterOnly: true }
  ),
  field('fs.path.name', 'string', 'path of the file an event operates on.', (c) => fsPath(c, FS_NAME)),
  field('fs.path.nameraw', 'string', 'path as given to the syscall.', (c) => {
    const i = FS_NAME.map((n) => argIndex(c.ev, n)).find((x) => x >= 0)
    return i === undefined || (c.ev.type & 1) === 0 || !FS_TYPES.has(c.ev.info.name)
      ? undefined
      : rawStr(c.ev, i)
  }),
  field('fs.path.source', 'string', 'source path of rename/link/symlink.', (c) => fsPath(c, FS_SOURCE)),
  field('fs.path.sourceraw', 'string', 'source path as given.', (c) => fsPath(c, FS_SOURCE)),
  field('fs.path.target', 'string', 'target path of rename/link/symlink.', (c) => fsPath(c, FS_TARGET)),
  field('fs.path.targetraw', 'string', 'target path as given.', (c) => fsPath(c, FS_TARGET)),
  field('fdlist.nums', 'string', 'fd numbers of poll/select events.', (c) => fdList(c)?.join(',')),
  field('fdlist.names', 'string', 'fd names of poll/select events.', (c) =>
    fdlistMap(c, (f) => f?.name)?.join(',')
  ),
  field(
    'fd.types',
    'string',
    'the types of all the fds of the process.',
    (c) => {
      const t = t0(c)
      const table = t === undefined ? undefined : c.state.threads.fdTable(t)
      if (table === undefined) return undefined
      return [...new Set([...table.values()].map((f) => fdTypeString(f.type)))]
    },
    { isList: true }
  ),
  field(
    'fd.is_upper_layer',
    'bool',
    'file in an overlay upper layer (unknown in 0.29.3 captures).',
    () => false,
    {
      render: boolRender
    }
  ),
  field(
    'fd.is_lower_layer',
    'bool',
    'file in an overlay lower layer (unknown in 0.29.3 captures).',
    () => false,
    {
      render: boolRender
    }
  ),
  field(
    'proc.aargs',
    'string',
    'the args of an ancestor (proc.aargs[1] = parent).',
    (c, a) =>
      typeof a === 'number' ? ancestor(c, a)?.args.join(' ') : ancestors(c).map((x) => x.args.join(' ')),
    { arg: 'optional', argKind: 'index', multi: 'any' }
  ),
  field(
    'proc.acmdline',
    'string',
    'the cmdline of an ancestor.',
    (c, a) => {
      if (typeof a === 'number') {
        const x = ancestor(c, a)
        return x === undefined ? undefined : cmdline(x)
      }
      return ancestors(c).map(cmdline)
    },
    { arg: 'optional', argKind: 'index', multi: 'any' }
  ),
  field(
    'proc.aenv',
    'string',
    'the env of an ancestor.',
    (c, a) =>
      typeof a === 'number' ? ancestor(c, a)?.env.join(' ') : ancestors(c).map((x) => x.env.join(' ')),
    { arg: 'optional', argKind: 'index', multi: 'any' }
  ),
  field('proc.cmdnargs', 'uint', 'number of command line arguments.', (c) => t0(c)?.args.length),
  field('proc.cmdlenargs', 'uint', 'total length of the command line arguments.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : t.args.reduce((n, a) => n + a.length, 0)
  }),
  field('proc.fdusage', 'double', 'ratio of open fds to the fd limit.', (c) => {
    const t = t0(c)
    const m = t === undefined ? undefined : mainOf(c, t)
    const table = t === undefined ? undefined : c.state.threads.fdTable(t)
    if (m === undefined || table === undefined || m.fdlimit <= 0) return undefined
    return (table.size * 100) / m.fdlimit
  }),
  field(
    'proc.is_exe_lower_layer',
    'bool',
    'executable in an overlay lower layer.',
    (c) => (t0(c) === undefined ? undefined : false),
    { render: boolRender }
  ),
  field('proc.pgid', 'int', 'the process group id (vpgid in 0.29.3 captures).', (c) => t0(c)?.vpgid),
  field(
    'proc.is_sid_leader',
    'bool',
    'true if the process is its session leader.',
    (c) => {
      const t = t0(c)
      return t === undefined ? undefined : t.sid === t.vpid || t.sid === t.pid
    },
    { render: boolRender }
  ),
  field(
    'proc.is_pgid_leader',
    'bool',
    'true if the process is its process group leader.',
    (c) => {
      const t = t0(c)
      return t === undefined ? undefined : t.vpgid === t.vpid || t.vpgid === t.pid
    },
    { render: boolRender }
  ),
  ...(['sid', 'vpgid', 'pgid'] as const).flatMap((k) => {
    const lead = (c: EventContext): ThreadInfo | undefined => {
      const t = t0(c)
      if (t === undefined) return undefined
      const id = k === 'sid' ? t.sid : t.vpgid
      return c.state.threads.get(id)
    }
    const out: Def[] = [
      field(`proc.${k}.exe`, 'string', `exe of the ${k} leader.`, (c) => lead(c)?.exe),
      field(`proc.${k}.exepath`, 'string', `exepath of the ${k} leader.`, (c) => lead(c)?.exepath)
    ]
    if (k !== 'sid')
      out.push(field(`proc.${k}.name`, 'string', `name of the ${k} leader.`, (c) => lead(c)?.comm))
    return out
  }),
  field('proc.ppid.ts', 'uint', 'start of the parent process (clone time).', (c) => {
    const p = ancestor(c, 1)
    return p === undefined || p.cloneTs < 0 ? undefined : c.state.absNs(p.cloneTs)
  }),
  field('proc.ppid.duration', 'reltime', 'ns since the parent process started.', (c) => {
    const p = ancestor(c, 1)
    return p === undefined || p.cloneTs < 0 ? undefined : c.state.ts - p.cloneTs
  }),
  field('proc.pvpid', 'int', 'the parent pid as seen in its pid namespace.', (c) => {
    const p = ancestor(c, 1)
    return p === undefined || p.vpid === -1 ? undefined : p.vpid
  }),
  ...(['stdin', 'stdout', 'stderr'] as const).flatMap((s, n) => [
    field(`proc.${s}.name`, 'string', `name of the process' ${s}.`, (c) => stdFd(c, n)?.name),
    field(`proc.${s}.type`, 'string', `type of the process' ${s}.`, (c) => {
      const f = stdFd(c, n)
      return f === undefined ? undefined : fdTypeString(f.type)
    })
  ]),
  field('thread.vmsize.b', 'uint', 'main thread: virtual memory in bytes.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : t.isMain() ? t.vmsizeKb * 1024 : 0
  }),
  field('thread.vmrss.b', 'uint', 'main thread: resident memory in bytes.', (c) => {
    const t = t0(c)
    return t === undefined ? undefined : t.isMain() ? t.vmrssKb * 1024 : 0
  }),
  field('util.cnt', 'uint', 'always 1.', () => 1),
  field('fd.sockets', 'uint', 'number of socket fds of the process.', (c) => {
    const t = t0(c)
    const table = t === undefined ? undefined : c.state.threads.fdTable(t)
    if (table === undefined) return undefined
    let n = 0
    for (const f of table.values()) {
      if (f.type >= FdType.IPV4_SOCK && f.type <= FdType.IPV6_SERVSOCK) n++
      else if (f.type === FdType.UNIX_SOCK) n++
    }
    return n
  })
]
