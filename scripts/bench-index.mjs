// Index benchmark (not a test; run by `npm run bench`, or alone after `npm run build:engine`):
// 1. index the 1.46 M-event benchmark capture (.bench/bench.scap, built by bench-capture.mjs) with
//    `peregrine index` (no rules, then with the default rules): wall time, events/s (target ≥ 500 k/s),
//    peak memory (from /usr/bin/time), index size relative to the capture;
// 2. p50/p95 latency of every read model over that index (target p95 < 50 ms; overview and process tree
//    < 100 ms), each query run RUNS times on one open index, as the UI does.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBenchCapture } from './bench-capture.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const out = (p) => resolve(root, 'out/engine/engine', p)
if (!existsSync(out('query/query-db.js'))) {
  console.error('bench-index: build the engine first (npm run build:engine)')
  process.exit(2)
}
const RUNS = Number(process.env.PEREGRINE_BENCH_QUERY_RUNS ?? 30)
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

const file = await ensureBenchCapture()
const capSize = statSync(file).size
mkdirSync(resolve(root, '.bench'), { recursive: true })
const db = resolve(root, '.bench/bench.peregrine.db')

function indexRun(extra) {
  const args = [
    resolve(root, 'bin/peregrine.js'),
    'index',
    file,
    '--db',
    db,
    '--force',
    '--quiet',
    '--json',
    ...extra
  ]
  const argv = TIME ? [TIME, ['-f', '%e %M', process.execPath, ...args]] : [process.execPath, args]
  const t0 = process.hrtime.bigint()
  const r = spawnSync(argv[0], argv[1], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0)
    throw new Error(`peregrine index failed (${r.status}): ${r.stderr.toString().slice(-800)}`)
  const summary = JSON.parse(r.stdout.toString())
  let rssMb = NaN
  if (TIME) rssMb = Number((r.stderr.toString().trim().split('\n').pop() ?? '').split(' ')[1]) / 1024
  return { wall, rssMb, summary }
}

// PEREGRINE_BENCH_SKIP_INDEX=1: only the query latencies, over the index of a previous run
const indexRuns =
  process.env.PEREGRINE_BENCH_SKIP_INDEX === '1' && existsSync(db)
    ? []
    : [
        ['no rules', ['--no-rules']],
        ['default rules', []]
      ]
for (const [label, extra] of indexRuns) {
  const r = indexRun(extra)
  const events = r.summary.counts.events
  const size = statSync(db).size
  console.log(
    `index (${label}): ${r.wall.toFixed(2)} s, ${(events / r.wall / 1000).toFixed(0)} k events/s (target ≥ 500 k/s), ` +
      `peak ${r.rssMb.toFixed(0)} MB, index ${(size / 1e6).toFixed(1)} MB = ${(size / capSize).toFixed(2)}× the capture ` +
      `(${(capSize / 1e6).toFixed(1)} MB), ${events} events, ${r.summary.counts.processes} processes, ${r.summary.counts.alerts} alerts`
  )
}

// ---- query latency ----------------------------------------------------------------------------------------
const { QueryDb } = require(out('query/query-db.js'))
const { overview } = require(out('query/overview.js'))
const { processTree } = require(out('query/process-tree.js'))
const { processDetail } = require(out('query/process-detail.js'))
const { timeline } = require(out('query/timeline.js'))
const { eventsPage, eventsAround } = require(out('query/events.js'))
const { connections } = require(out('query/connections.js'))
const { fileActivity } = require(out('query/files.js'))
const { alerts, alertDetail } = require(out('query/alerts.js'))
const { search } = require(out('query/search.js'))

const q = QueryDb.open(db)
const top = q.db.prepare('SELECT upid FROM processes ORDER BY events DESC LIMIT 1').get().upid
const leaf = q.db.prepare("SELECT upid FROM processes WHERE name = 'curl' LIMIT 1").get()?.upid ?? top
const mid = q.abs(Math.floor((q.firstTs + q.lastTs) / 2))
const narrow = { from: mid, to: q.abs(q.rel(mid) + 50_000_000) }
const alertId = q.db.prepare('SELECT id FROM alerts LIMIT 1').get()?.id
const midNum = Math.floor(q.db.prepare('SELECT max(num) AS n FROM events').get().n / 2)

const QUERIES = [
  ['overview', () => overview(q), 100],
  ['process tree (whole)', () => processTree(q), 100],
  ['process tree (lineage+descendants)', () => processTree(q, { focus: leaf }), 50],
  ['process detail (busiest)', () => processDetail(q, top), 50],
  ['timeline (whole, 200 buckets)', () => timeline(q, { buckets: 200 }), 50],
  ['timeline (50 ms window)', () => timeline(q, { window: narrow, buckets: 100 }), 50],
  ['events page 1 (no filter)', () => eventsPage(q, { limit: 100 }), 50],
  ['events page (cursor, middle)', () => eventsPage(q, { limit: 100, after: midNum, noTotal: true }), 50],
  ['events filter evt.type=open', () => eventsPage(q, { filter: 'evt.type=open', limit: 100 }), 50],
  [
    'events filter proc.name=etcd and evt.type=write',
    () => eventsPage(q, { filter: 'proc.name=etcd and evt.type=write', limit: 100 }),
    50
  ],
  [
    'events filter fd.name contains /etc',
    () => eventsPage(q, { filter: 'fd.name contains /etc', limit: 100 }),
    50
  ],
  ['events of a process', () => eventsPage(q, { upid: top, limit: 100 }), 50],
  ['events in a 50 ms window', () => eventsPage(q, { window: narrow, limit: 100 }), 50],
  ['events around one', () => eventsAround(q, midNum, 20, 20), 50],
  ['connections', () => connections(q), 50],
  ['files', () => fileActivity(q), 50],
  ['alerts', () => alerts(q), 50],
  ...(alertId === undefined ? [] : [['alert detail', () => alertDetail(q, alertId), 50]]),
  ['search "kube"', () => search(q, 'kube'), 50]
]

const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]
console.log(`\nquery latency over ${RUNS} runs each (ms):`)
let failed = 0
for (const [name, fn, target] of QUERIES) {
  const times = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint()
    await fn()
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  const p95 = pct(times, 95)
  if (p95 >= target) failed++
  console.log(
    `  ${name.padEnd(48)} p50 ${pct(times, 50).toFixed(1).padStart(7)}  p95 ${p95.toFixed(1).padStart(7)}  (target < ${target})${p95 >= target ? '  MISSED' : ''}`
  )
}
console.log(`${QUERIES.length - failed}/${QUERIES.length} queries within target`)
q.close()
