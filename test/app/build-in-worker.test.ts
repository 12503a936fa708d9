// Indexing off the main thread with the compiled worker (npm run build:engine): progress arrives, the
// index is complete, and cancel leaves no index behind.
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { buildInWorker } from '../../src-main/engine/worker/build-in-worker'
import { defaultRuleFiles } from '../../src-main/engine/rules/default-rules'
import type { IndexProgress } from '../../src-main/common/model/types'

const ROOT = resolve(__dirname, '../..')
const SCRIPT = resolve(ROOT, 'out/engine/engine/worker/index-worker.js')
const CAPTURE = resolve(ROOT, 'samples/container-shell.scap')
const dir = mkdtempSync(join(tmpdir(), 'peregrine-worker-'))

describe.skipIf(!existsSync(SCRIPT) || !existsSync(CAPTURE))('index build in a worker thread', () => {
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('builds a complete index and reports progress', async () => {
    const seen: IndexProgress[] = []
    const dbPath = join(dir, 'a.db')
    const r = await buildInWorker(
      { mode: 'build', capturePath: CAPTURE, rules: defaultRuleFiles(), force: true, dbPath },
      (p) => seen.push(p),
      new AbortController().signal,
      SCRIPT
    )
    expect(r).toEqual({ dbPath, reused: false, inWorker: true })
    expect(existsSync(dbPath)).toBe(true)
    expect(seen.length).toBeGreaterThan(0)
    expect(seen[seen.length - 1]?.bytesRead).toBe(seen[seen.length - 1]?.bytesTotal)
  })

  it('runs the rules again over the index (no re-index) and makes that run the active one', async () => {
    const dbPath = join(dir, 'a.db')
    const before = new Database(dbPath, { readonly: true })
    const first = before.prepare("SELECT id, alerts FROM rules_runs WHERE status = 'complete'").all() as {
      id: number
      alerts: number
    }[]
    const events = (before.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n
    before.close()
    expect(first).toHaveLength(1)
    const r = await buildInWorker(
      { mode: 'rules', capturePath: CAPTURE, rules: defaultRuleFiles(), force: false, dbPath },
      () => undefined,
      new AbortController().signal,
      SCRIPT
    )
    expect(r).toEqual({ dbPath, reused: true, inWorker: true })
    const after = new Database(dbPath, { readonly: true })
    const runs = after
      .prepare("SELECT id, alerts, active FROM rules_runs WHERE status = 'complete' ORDER BY id")
      .all() as {
      id: number
      alerts: number
      active: number
    }[]
    expect((after.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(events)
    after.close()
    expect(runs).toHaveLength(2)
    expect(runs[1]?.alerts).toBe(first[0]?.alerts)
    expect(runs[1]?.active).toBe(1)
  })

  it('cancel stops the worker and leaves no index', async () => {
    const dbPath = join(dir, 'b.db')
    const ac = new AbortController()
    const run = buildInWorker(
      { mode: 'build', capturePath: CAPTURE, rules: [], force: true, dbPath },
      () => undefined,
      ac.signal,
      SCRIPT
    )
    ac.abort()
    await expect(run).rejects.toThrow('indexing cancelled')
    expect(readdirSync(dir).filter((f) => f.startsWith('b.db') && !f.includes('.building-'))).toEqual([])
  })
})
