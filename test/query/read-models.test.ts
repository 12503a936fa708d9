// Read-model invariants on the Kubernetes capture: the timeline adds up to the events (wide windows from the
// fine buckets, narrow ones exact), the tree's lineage and descendants are consistent with parent links,
// search finds command lines and paths, the overview counts what the tables hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildIndex } from '../../src-main/engine/index/build'
import { QueryDb } from '../../src-main/engine/query/query-db'
import { timeline } from '../../src-main/engine/query/timeline'
import { processTree } from '../../src-main/engine/query/process-tree'
import { overview } from '../../src-main/engine/query/overview'
import { search } from '../../src-main/engine/query/search'
import { processDetail } from '../../src-main/engine/query/process-detail'
import { eventsPage } from '../../src-main/engine/query/events'

const K8S = resolve(
  __dirname,
  '../../../shared/corpus/files/bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap'
)
let dir = ''
let q: QueryDb

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-models-'))
  const r = await buildIndex({ capturePath: K8S, dbPath: join(dir, 'k8s.db') })
  q = QueryDb.open(r.dbPath)
})

afterAll(() => {
  q.close()
  rmSync(dir, { recursive: true, force: true })
})

const sum = (t: ReturnType<typeof timeline>): number =>
  t.buckets.reduce((a, b) => a + b.process + b.file + b.network + b.other, 0)

describe('read models on the Kubernetes capture', () => {
  it('the whole-capture timeline adds up to the events sysdig prints', () => {
    const t = timeline(q, { buckets: 100 })
    expect(t.buckets.length).toBe(100)
    expect(sum(t)).toBe(143_904)
    expect(t.buckets.every((b) => b.process + b.file + b.network + b.other >= 0)).toBe(true)
  })

  it('a narrow window is counted exactly from the events', () => {
    const from = q.abs(q.firstTs + 3_000_000_000)
    const to = q.abs(q.firstTs + 3_050_000_000)
    const t = timeline(q, { window: { from, to }, buckets: 50 })
    const n = (
      q.db
        .prepare('SELECT count(*) AS n FROM events WHERE hidden = 0 AND ts >= ? AND ts < ?')
        .get(q.rel(from), q.rel(to)) as { n: number }
    ).n
    expect(n).toBeGreaterThan(0)
    expect(sum(t)).toBe(n)
  })

  it('lineage runs from a root to the process, descendants hang below it', () => {
    const curl = q.db.prepare("SELECT upid FROM processes WHERE name = 'curl'").get() as { upid: number }
    const t = processTree(q, { focus: curl.upid, mode: 'lineage' })
    expect(t.nodes[0]?.parentUpid).toBeNull()
    for (let i = 1; i < t.nodes.length; i++) expect(t.nodes[i]?.parentUpid).toBe(t.nodes[i - 1]?.upid)
    expect(t.nodes[t.nodes.length - 1]?.name).toBe('curl')
    const dockerd = t.nodes.find((n) => n.name === 'dockerd')
    if (dockerd === undefined) throw new Error('no dockerd in the lineage')
    const down = processTree(q, { focus: dockerd.upid, mode: 'descendants' })
    const ids = new Set(down.nodes.map((n) => n.upid))
    expect(ids.has(curl.upid)).toBe(true)
    for (const n of down.nodes.slice(1)) expect(ids.has(n.parentUpid ?? -1)).toBe(true)
  })

  it('process detail lists children, files and connections of the process', () => {
    const bash = q.db.prepare('SELECT upid FROM processes WHERE pid = 14330').get() as { upid: number }
    const d = processDetail(q, bash.upid)
    expect(d?.process.name).toBe('bash')
    expect(d?.children.map((c) => c.name)).toContain('curl')
    expect(d?.ancestors[d.ancestors.length - 1]?.name).toBe('containerd-shim')
  })

  it('search finds command lines and paths by substring', () => {
    const hits = search(q, 'critical-app')
    expect(
      hits.some((h) => h.kind === 'process' && h.text === 'curl backend.critical-app.svc.cluster.local')
    ).toBe(true)
    expect(search(q, 'protocols').some((h) => h.kind === 'file' && h.text === '/etc/protocols')).toBe(true)
    expect(search(q, '"); DROP TABLE events; --')).toEqual([])
  })

  it('cursor paging and offset paging list the same events, in order, as many as the total', async () => {
    const etcd = q.db
      .prepare("SELECT upid FROM processes WHERE name = 'etcd' ORDER BY events DESC")
      .get() as {
      upid: number
    }
    for (const [filter, upid] of [
      ['evt.type=open', null],
      ['proc.name=etcd and evt.type=write', null],
      ['', etcd.upid],
      ['evt.dir=<', etcd.upid]
    ] as [string, number | null][]) {
      const byCursor: number[] = []
      let after: number | null = null
      for (;;) {
        const r = await eventsPage(q, { filter, upid, limit: 97, after, noTotal: true })
        if (!r.page.ok) throw new Error(r.page.error.message)
        byCursor.push(...r.page.rows.map((x) => x.num))
        if (r.next === null) break
        after = r.next
      }
      const byOffset: number[] = []
      let total = -1
      for (let o = 0; ; o += 113) {
        const r = await eventsPage(q, { filter, upid, limit: 113, offset: o })
        if (!r.page.ok) throw new Error(r.page.error.message)
        byOffset.push(...r.page.rows.map((x) => x.num))
        total = r.page.total
        if (r.page.rows.length < 113) break
      }
      expect(byCursor).toEqual(byOffset)
      expect(byCursor.length).toBe(total)
      expect(byCursor.every((x, i) => i === 0 || x > (byCursor[i - 1] ?? 0))).toBe(true)
    }
  })

  it('the overview counts the capture', () => {
    const o = overview(q)
    expect(o.events).toBe(143_904) // lines of `sysdig -r F` (146,038 decoded, 2,134 hidden internal events)
    expect(o.hostname).toBe('ubuntu-xenial')
    expect(o.numCpus).toBe(2)
    expect(o.containers).toBe(11) // distinct container.id (not host) in `sysdig -r F -p %container.id`
    expect(o.start).toBe('1481211698271980141')
    expect(o.end).toBe('1481211711391198460')
  })
})
