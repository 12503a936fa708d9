// The overview restricted to a brushed window (issue 6: "the brushed window filters every view"), on the
// Kubernetes capture. Expected counts are sysdig's, from
//   sysdig -r capture.scap 'evt.rawtime >= A and evt.rawtime < B' | wc -l            (events)
//   sysdig -r capture.scap -p '%proc.pid' '<same filter>' | sort -u | grep -v NA | wc -l (processes)
// Capture-level facts (host, full time range, data quality) stay those of the whole capture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildIndex } from '../../src-main/engine/index/build'
import { defaultRuleFiles } from '../../src-main/engine/rules/default-rules'
import { QueryDb } from '../../src-main/engine/query/query-db'
import { overview } from '../../src-main/engine/query/overview'
import { alerts } from '../../src-main/engine/query/alerts'
import { READ_MODELS } from '../../src-main/engine/query/read-models'
import { CHANNELS, ContractError } from '../../src-main/common/ipc-contract'

const K8S = resolve(
  __dirname,
  '../../../shared/corpus/files/bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap'
)
let dir = ''
let q: QueryDb

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-ovwin-'))
  const r = await buildIndex({ capturePath: K8S, dbPath: join(dir, 'k8s.db'), rules: defaultRuleFiles() })
  q = QueryDb.open(r.dbPath)
})

afterAll(() => {
  q.close()
  rmSync(dir, { recursive: true, force: true })
})

const WINDOWS: { from: string; to: string; events: number; processes: number }[] = [
  { from: '1481211701271980141', to: '1481211701321980141', events: 204, processes: 5 },
  { from: '1481211698271980141', to: '1481211700271980141', events: 25_831, processes: 46 },
  { from: '1481211705000000000', to: '1481211708500000000', events: 39_706, processes: 66 },
  // a window with no events at all (before the capture starts)
  { from: '1481211600000000000', to: '1481211601000000000', events: 0, processes: 0 }
]

describe('overview with a window on the Kubernetes capture', () => {
  const whole = (): ReturnType<typeof overview> => overview(q)

  it.each(WINDOWS)('window $from–$to: $events events, $processes processes', (w) => {
    const o = overview(q, { window: { from: w.from, to: w.to } })
    expect(o.window).toEqual({ from: w.from, to: w.to })
    expect(o.events).toBe(w.events)
    expect(o.processes).toBe(w.processes)
    // the top processes' events are the window's, never more than it holds
    expect(o.topProcesses.reduce((a, p) => a + p.events, 0)).toBeLessThanOrEqual(w.events)
    // alerts agree with the alerts view over the same window
    const a = alerts(q, { window: { from: w.from, to: w.to } })
    expect(o.alertsByPriority).toEqual(a.byPriority)
    expect(o.alertsByTactic).toEqual(a.byTactic)
    expect(o.alerts).toBe(a.rows.length)
    // capture-level facts stay whole
    const all = whole()
    expect([o.hostname, o.start, o.end, o.sha256, o.drops, o.anomalies]).toEqual([
      all.hostname,
      all.start,
      all.end,
      all.sha256,
      all.drops,
      all.anomalies
    ])
    expect(o.importStats).toEqual(all.importStats)
  })

  // one definition of "events" (what sysdig prints: 143,904 lines of `sysdig -r capture.scap`), with or
  // without a window; the 2,134 hidden internal events of the 146,038 decoded are not counted
  it('the whole capture counts the events a window over all of it counts (sysdig: 143,904)', () => {
    const all = whole()
    const o = overview(q, { window: { from: all.start, to: (BigInt(all.end) + 1n).toString() } })
    expect(all.events).toBe(143_904)
    expect(o.events).toBe(all.events)
    expect(o.topProcesses.map((p) => [p.upid, p.events])).toEqual(
      all.topProcesses.map((p) => [p.upid, p.events])
    )
  })

  it('the window narrows the alerts and top lists below the whole capture', () => {
    const all = whole()
    expect(all.window).toBeNull()
    expect(all.alerts).toBeGreaterThan(0)
    const empty = overview(q, { window: { from: '1481211600000000000', to: '1481211601000000000' } })
    expect([
      empty.alerts,
      empty.topProcesses.length,
      empty.topFiles.length,
      empty.topEndpoints.length
    ]).toEqual([0, 0, 0, 0])
    const w = WINDOWS[1]
    if (w === undefined) throw new Error('no window')
    const o = overview(q, { window: { from: w.from, to: w.to } })
    expect(o.alerts).toBeLessThan(all.alerts)
    expect(o.topProcesses[0]?.events ?? 0).toBeLessThanOrEqual(all.topProcesses[0]?.events ?? 0)
  })

  it('the CLI read model takes --from/--to (absolute or +offset) like the other views', () => {
    const run = (flags: Record<string, string>): ReturnType<typeof overview> =>
      READ_MODELS.overview.run(q, {
        get: (k) => flags[k],
        has: (k) => k in flags,
        rest: []
      })
    expect(run({ from: '+3s', to: '+3.05s' }).events).toBe(204)
    expect(run({ from: '1481211705000000000', to: '1481211708500000000' }).events).toBe(39_706)
    expect(run({}).window).toBeNull()
  })

  it.each([
    [undefined, { window: null }],
    [null, { window: null }],
    [{}, { window: null }],
    [{ window: null }, { window: null }],
    [{ window: { from: '1', to: '2' } }, { window: { from: '1', to: '2' } }]
  ])('the overview channel accepts %j', (arg, want) => {
    expect(CHANNELS.overview.args(arg, 'args')).toEqual(want)
  })

  it.each([[{ window: { from: 'x', to: '2' } }], [{ window: 5 }], [{ other: 1 }], ['text']])(
    'the overview channel rejects %j',
    (arg) => {
      expect(() => CHANNELS.overview.args(arg, 'args')).toThrow(ContractError)
    }
  )
})
