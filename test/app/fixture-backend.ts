/**
 * A small in-memory QueryBackend for tests of the transport (HTTP server, Electron IPC wiring): those tests
 * check tokens, headers, validation and routing, which do not depend on where the answers come from.
 * The strings carry HTML/script payloads so that any view rendered from it must escape them.
 */
import type { QueryBackend } from '../../src-main/engine/server/capture-session'
import type {
  AlertRow,
  ConnectionRow,
  EventRow,
  FileRow,
  ProcessInfo,
  ProcessNode
} from '../../src-main/common/model/types'

export const HOSTILE = '<img src=x onerror="window.__pwned=1">'
export const HOSTILE2 = '</script><script>window.__pwned=2</script>'
const T0 = 1700000000000000000n
const ts = (ms: number): string => (T0 + BigInt(ms) * 1000000n).toString()

const procs: ProcessNode[] = [
  {
    upid: 1,
    parentUpid: null,
    pid: 1,
    ppid: 0,
    name: 'systemd',
    exe: '/sbin/init',
    cmdline: 'systemd',
    user: 'root',
    container: null,
    start: null,
    end: null,
    alerts: []
  },
  {
    upid: 2,
    parentUpid: 1,
    pid: 100,
    ppid: 1,
    name: 'sshd',
    exe: '/usr/sbin/sshd',
    cmdline: 'sshd -D',
    user: 'root',
    container: null,
    start: ts(0),
    end: null,
    alerts: []
  },
  {
    upid: 3,
    parentUpid: 2,
    pid: 200,
    ppid: 100,
    name: 'bash',
    exe: '/bin/bash',
    cmdline: `bash -c ${HOSTILE}`,
    user: 'root',
    container: null,
    start: ts(10),
    end: null,
    alerts: [{ key: 'WARNING', count: 1 }]
  },
  {
    upid: 4,
    parentUpid: 3,
    pid: 300,
    ppid: 200,
    name: 'cat',
    exe: '/bin/cat',
    cmdline: `cat /etc/shadow ${HOSTILE2}`,
    user: 'root',
    container: null,
    start: ts(20),
    end: ts(30),
    alerts: [{ key: 'CRITICAL', count: 1 }]
  }
]

const events: EventRow[] = Array.from({ length: 1000 }, (_, i) => {
  const p = procs[(i % 3) + 1] as ProcessNode
  return {
    num: i + 1,
    ts: ts(i),
    cpu: i % 2,
    dir: i % 2 === 0 ? '>' : '<',
    type: i % 5 === 0 ? 'openat' : i % 7 === 0 ? 'connect' : 'read',
    category: i % 5 === 0 ? 'file' : i % 7 === 0 ? 'network' : 'other',
    upid: p.upid,
    pid: p.pid,
    tid: p.pid,
    procName: p.name,
    fdName: i % 5 === 0 ? `/tmp/${HOSTILE}` : null,
    res: i % 2 === 0 ? null : '0',
    info: `fd=3 name=${HOSTILE2}`
  }
})

const alerts: AlertRow[] = [
  {
    id: 1,
    rule: 'Read sensitive file untrusted',
    priority: 'CRITICAL',
    output: `cat read /etc/shadow ${HOSTILE}`,
    tags: ['T1555'],
    tactic: 'credential_access',
    ts: ts(25),
    num: 26,
    upid: 4,
    procName: 'cat'
  },
  {
    id: 2,
    rule: `Shell spawned ${HOSTILE2}`,
    priority: 'WARNING',
    output: 'bash started',
    tags: [],
    tactic: 'execution',
    ts: ts(12),
    num: 13,
    upid: 3,
    procName: 'bash'
  }
]

const conns: ConnectionRow[] = [
  {
    upid: 3,
    pid: 200,
    procName: 'bash',
    proto: 'tcp',
    direction: 'out',
    loopback: false,
    localAddr: '10.0.0.2',
    localPort: 40000,
    remoteAddr: '93.184.216.34',
    remotePort: 80,
    tuple: '10.0.0.2:40000->93.184.216.34:80',
    firstTs: ts(40),
    count: 3
  },
  {
    upid: 2,
    pid: 100,
    procName: 'sshd',
    proto: 'tcp',
    direction: 'in',
    loopback: true,
    localAddr: '127.0.0.1',
    localPort: 22,
    remoteAddr: '127.0.0.1',
    remotePort: 5555,
    tuple: '127.0.0.1:5555->127.0.0.1:22',
    firstTs: ts(5),
    count: 1
  }
]

const files: FileRow[] = [
  {
    path: '/etc/shadow',
    upid: 4,
    pid: 300,
    procName: 'cat',
    op: 'openat',
    access: 'r',
    ts: ts(25),
    res: '3',
    sensitive: 'credentials'
  },
  {
    path: `/tmp/${HOSTILE}`,
    upid: 3,
    pid: 200,
    procName: 'bash',
    op: 'openat',
    access: 'w',
    ts: ts(50),
    res: '4',
    sensitive: null
  }
]

function info(p: ProcessNode): ProcessInfo {
  return { ...p, cwd: '/root', loginUser: 'root', tty: 34816, exitStatus: null, threads: 1 }
}

export function fixtureBackend(): QueryBackend {
  let enabled = true
  const rules = () => ({
    files: [{ path: 'rules/default.yaml', sha256: 'ab'.repeat(32), rules: 2, custom: false }],
    rules: [
      {
        name: 'Read sensitive file untrusted',
        priority: 'CRITICAL' as const,
        enabled,
        file: 'rules/default.yaml',
        tags: []
      },
      {
        name: `Shell spawned ${HOSTILE2}`,
        priority: 'WARNING' as const,
        enabled: true,
        file: 'rules/default.yaml',
        tags: []
      }
    ],
    problems: [
      {
        file: 'custom.yaml',
        line: 3,
        column: 5,
        severity: 'error' as const,
        message: `unknown field ${HOSTILE}`
      }
    ],
    lastRun: { alerts: 2, durationMs: 12 }
  })
  let notes = { title: '', notes: `seen ${HOSTILE}` }
  return {
    'report.notes': () => Promise.resolve(notes),
    'report.setNotes': (a) => {
      notes = a
      return Promise.resolve(notes)
    },
    overview: () =>
      Promise.resolve({
        path: `/captures/${HOSTILE}.scap`,
        sizeBytes: 123456,
        sha256: 'cd'.repeat(32),
        formatVersion: '1.2',
        hostname: HOSTILE,
        kernel: `Linux 6.1 ${HOSTILE2}`,
        numCpus: 2,
        start: ts(0),
        end: ts(1000),
        events: events.length,
        processes: procs.length,
        threads: procs.length,
        containers: 0,
        drops: 0,
        anomalies: 1,
        importStats: [{ name: 'enter_without_exit', severity: 'warning', count: 1 }],
        alerts: alerts.length,
        alertsByPriority: [
          { key: 'CRITICAL', count: 1 },
          { key: 'WARNING', count: 1 }
        ],
        alertsByTactic: [
          { key: 'credential_access', count: 1 },
          { key: 'execution', count: 1 }
        ],
        topProcesses: procs.map((p) => ({
          upid: p.upid,
          pid: p.pid,
          name: p.name,
          events: 100,
          alerts: p.alerts.length
        })),
        topFiles: files.map((f) => ({ path: f.path, count: 1, sensitive: f.sensitive })),
        topEndpoints: [{ endpoint: '93.184.216.34:80', count: 3, loopback: false }]
      }),
    timeline: (a) => {
      const from = BigInt(a.window?.from ?? ts(0))
      const to = BigInt(a.window?.to ?? ts(1000))
      const width = (to - from) / BigInt(a.buckets) || 1n
      const inWin = events.filter((e) => BigInt(e.ts) >= from && BigInt(e.ts) < to)
      const buckets = Array.from({ length: a.buckets }, (_, i) => ({
        start: (from + width * BigInt(i)).toString(),
        process: 0,
        file: 0,
        network: 0,
        other: 0
      }))
      for (const e of inWin) {
        const b = buckets[Number((BigInt(e.ts) - from) / width)]
        if (b !== undefined) b[e.category]++
      }
      return Promise.resolve({
        window: { from: from.toString(), to: to.toString() },
        bucketNs: Number(width),
        buckets,
        alerts: alerts.map((x) => ({ id: x.id, ts: x.ts, priority: x.priority, rule: x.rule }))
      })
    },
    'process.tree': (a) =>
      Promise.resolve({
        nodes: a.focus === null ? procs : procs.filter((p) => p.upid <= (a.focus ?? 0) + 0),
        focus: a.focus,
        truncated: false
      }),
    'process.detail': (a) => {
      const p = procs.find((x) => x.upid === a.upid)
      if (p === undefined) return Promise.reject(new Error('no such process'))
      return Promise.resolve({
        process: info(p),
        ancestors: procs.filter((x) => x.upid < p.upid),
        children: procs.filter((x) => x.parentUpid === p.upid),
        files: files.filter((f) => f.upid === p.upid),
        connections: conns.filter((c) => c.upid === p.upid),
        alerts: alerts.filter((x) => x.upid === p.upid),
        events: 10
      })
    },
    events: (a) => {
      if (a.filter.includes('(('))
        return Promise.resolve({
          ok: false,
          error: { code: 'FLT_SYNTAX', message: 'unexpected (', start: 0, end: 2 }
        })
      let rows = events
      const m = /^evt\.type\s*=\s*(\w+)$/.exec(a.filter.trim())
      if (m !== null) rows = rows.filter((e) => e.type === m[1])
      if (a.window !== null) {
        const w = a.window
        rows = rows.filter((e) => BigInt(e.ts) >= BigInt(w.from) && BigInt(e.ts) < BigInt(w.to))
      }
      if (a.upid !== null) rows = rows.filter((e) => e.upid === a.upid)
      return Promise.resolve({
        ok: true,
        rows: rows.slice(a.offset, a.offset + a.limit),
        offset: a.offset,
        total: rows.length,
        totalExact: true
      })
    },
    'events.around': (a) =>
      Promise.resolve({
        target: a.num,
        rows: events.filter((e) => e.num >= a.num - a.before && e.num <= a.num + a.after)
      }),
    'filter.check': (a) =>
      Promise.resolve(
        a.filter.includes('((') ? { code: 'FLT_SYNTAX', message: 'unexpected (', start: 0, end: 2 } : null
      ),
    connections: () =>
      Promise.resolve({
        rows: conns,
        byEndpoint: [
          { endpoint: '93.184.216.34:80', loopback: false, count: 3, upids: [3] },
          { endpoint: '127.0.0.1:22', loopback: true, count: 1, upids: [2] }
        ],
        truncated: false
      }),
    files: () =>
      Promise.resolve({
        rows: files,
        byPath: files.map((f) => ({
          path: f.path,
          reads: f.access.includes('r') ? 1 : 0,
          writes: f.access.includes('w') ? 1 : 0,
          upids: [f.upid],
          sensitive: f.sensitive
        })),
        truncated: false
      }),
    alerts: () =>
      Promise.resolve({
        rows: alerts,
        byRule: alerts.map((x) => ({ rule: x.rule, priority: x.priority, count: 1 })),
        byPriority: [
          { key: 'CRITICAL', count: 1 },
          { key: 'WARNING', count: 1 }
        ],
        byTactic: [{ key: 'credential_access', count: 1 }],
        truncated: false
      }),
    'alert.detail': (a) => {
      const al = alerts.find((x) => x.id === a.id)
      if (al === undefined) return Promise.reject(new Error('no such alert'))
      return Promise.resolve({
        alert: al,
        event: events[al.num - 1] ?? null,
        around: events.slice(Math.max(0, al.num - 6), al.num + 5),
        lineage: procs.filter((p) => p.upid <= (al.upid ?? 0))
      })
    },
    search: (a) =>
      Promise.resolve(
        procs
          .filter((p) => p.cmdline.includes(a.text))
          .map((p) => ({ kind: 'process' as const, upid: p.upid, text: p.cmdline }))
      ),
    'rules.list': () => Promise.resolve(rules()),
    'rules.setEnabled': (a) => {
      if (a.name === 'Read sensitive file untrusted') enabled = a.enabled
      return Promise.resolve(rules())
    },
    'rules.loadText': () => Promise.resolve(rules()),
    'rules.removeFile': () => Promise.resolve(rules()),
    'rules.run': () => Promise.resolve(rules()),
    'io.stream': () =>
      Promise.resolve({
        chunks: [
          {
            num: 5,
            ts: ts(5),
            dir: 'out' as const,
            upid: 3,
            pid: 200,
            procName: 'bash',
            fd: 3,
            fdName: '/tmp/x',
            len: 5,
            data: Buffer.from(HOSTILE).toString('base64'),
            captured: HOSTILE.length
          }
        ],
        truncated: false
      }),
    'io.commands': () => Promise.resolve([]),
    'io.errors': () => Promise.resolve([]),
    'io.top': () =>
      Promise.resolve({ files: [], connections: [], filesByErrors: [{ path: `/tmp/${HOSTILE}`, count: 2 }] }),
    'report.export': (a) =>
      Promise.resolve({
        filename: `r.${a.format}`,
        mime: 'text/plain',
        encoding: 'utf8',
        text: `report ${HOSTILE}`
      })
  }
}
